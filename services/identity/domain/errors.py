"""Domain errors, each with the stable code the API answers with."""


class DomainError(Exception):
    code = "identity.error"
    status = 400
    title = "Not allowed"


class TenantNotFound(DomainError):
    code, status, title = "tenant.not_found", 404, "No such tenant"

    def __init__(self, tenant_id: str):
        super().__init__(f"No portal is set up under {tenant_id!r}: check the address you were given.")


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


class IndividualWithContacts(DomainError):
    code, status, title = "customer.has_contacts", 409, "Customer has contacts"

    def __init__(self, code: str):
        super().__init__(f"Customer {code!r} has contacts; remove them before making it an individual account.")
        self.field = "kind"


class ContactsOnlyForCompanies(DomainError):
    code, status, title = "contact.not_a_company", 409, "Contacts belong to companies"

    def __init__(self, code: str):
        super().__init__(f"Customer {code!r} is an individual account; only companies have contacts.")


class ContactNotFound(DomainError):
    code, status, title = "contact.not_found", 404, "No such contact"

    def __init__(self, code: str, contact_id: str):
        super().__init__(f"Customer {code!r} has no contact {contact_id}.")


class ContactEmailTaken(DomainError):
    code, status, title = "contact.duplicate_email", 409, "Contact e-mail already used"

    def __init__(self, code: str, email: str):
        super().__init__(f"Customer {code!r} already has a contact with the e-mail {email}.")
        self.field = "email"


class PersonNotFound(DomainError):
    code, status, title = "person.not_found", 404, "No such person"

    def __init__(self, kind: str):
        super().__init__(f"There is no {kind} with this id here" + (
            " that is an individual customer (a company is nobody's personal data)." if kind == "customer" else "."))
