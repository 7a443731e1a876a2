"""Domain errors, each with the stable code the API answers with."""


class DomainError(Exception):
    code = "documents.error"
    status = 400
    title = "Not allowed"


class DocumentNotFound(DomainError):
    """Also the answer for a document the reader may not see: the same 404, so existence never leaks."""

    code, status, title = "document.not_found", 404, "No such document"

    def __init__(self, kind: str, number: str):
        super().__init__(f"There is no {kind.replace('_', ' ')} {number!r} that you may see.")


class QuotesAreaRequired(DomainError):
    code, status, title = "rfq.quotes_area_required", 403, "Quotes area required"

    def __init__(self):
        super().__init__("Only active portal users who hold the Quotes area may request quotes; "
                         "ask your administrator for it.")


class DuplicateRequest(DomainError):
    code, status, title = "rfq.idempotency_key_reused", 422, "Idempotency key already used"

    def __init__(self):
        super().__init__("This Idempotency-Key was already used for a different request; use a new key.")
        self.field = "Idempotency-Key"
