"""Domain errors, each with the stable code the API answers with."""


class DomainError(Exception):
    code = "notifications.error"
    status = 400
    title = "Not allowed"


class UnknownKind(DomainError):
    code, status, title = "template.unknown_kind", 404, "No such kind of e-mail"

    def __init__(self, kind: str, known):
        super().__init__(f"There is no e-mail kind {kind!r}; the kinds are {', '.join(sorted(known))}.")


class DeliveryNotFound(DomainError):
    code, status, title = "delivery.not_found", 404, "No such delivery"

    def __init__(self, delivery_id):
        super().__init__(f"No delivery {delivery_id} in this tenant.")


class TemplateInvalid(DomainError):
    """A template that would fail when sent: refused when saved. `problems` name each part and line."""

    code, status, title = "template.invalid", 422, "Template does not render"

    def __init__(self, problems: list[dict]):
        where = "; ".join(f"{p['field']} line {p['line']}: {p['detail']}" if p.get("line") else
                          f"{p['field']}: {p['detail']}" for p in problems)
        super().__init__(f"Fix the template and save it again ({where}).")
        self.problems = problems
