"""Domain errors, each with the stable code the API answers with."""


class DomainError(Exception):
    code = "identity.error"
    status = 400
    title = "Not allowed"


class CustomerNotFound(DomainError):
    code, status, title = "customer.not_found", 404, "No such customer"

    def __init__(self, code: str):
        super().__init__(f"No customer has the code {code!r} in this tenant.")


class DuplicateCustomerCode(DomainError):
    code, status, title = "customer.duplicate_code", 409, "Customer code already used"

    def __init__(self, code: str):
        super().__init__(f"A customer with code {code!r} already exists; update it instead.")
        self.field = "code"


class CustomerArchived(DomainError):
    code, status, title = "customer.archived", 409, "Customer is archived"

    def __init__(self, code: str):
        super().__init__(f"Customer {code!r} is archived and cannot be changed.")
