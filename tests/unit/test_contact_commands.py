"""Contact commands decide the right events in the company's stream (unit tier: a fake unit of work)."""
import pytest

import contracts
from eventkit.envelope import Metadata
from eventkit.testing import FakeUnitOfWork
from identity.domain.commands import (AddContact, ArchiveCustomer, CreateCustomer, RemoveContact, UpdateContact,
                                      UpdateCustomer)
from identity.domain.errors import (ContactEmailTaken, ContactNotFound, ContactsOnlyForCompanies, CustomerArchived,
                                    CustomerNotFound, IndividualWithContacts)
from identity.service_layer import contacts, customers

META = Metadata(tenant_id="demo", actor="staff-1")
ACME = {"kind": "company", "name": "Acme", "receivable_account": "1200", "emails": ["ap@acme.example"]}
JANE = {"first_name": "Jane", "last_name": "Doe", "email": "Jane@Acme.example", "phone": None, "title": "Buyer"}


@pytest.fixture
def uow():
    unit = FakeUnitOfWork(contracts.catalogue())
    customers.create_customer(CreateCustomer(META, "ACME", ACME), unit)
    return unit


def add_jane(uow):
    outcome = contacts.add_contact(AddContact(META, "ACME", JANE), uow)
    return outcome.events[0].data["contact_id"]


def test_adding_a_contact_appends_to_the_company_stream_with_who_added_it(uow):
    outcome = contacts.add_contact(AddContact(Metadata("demo", "staff-2"), "ACME", JANE), uow)
    [event] = outcome.events
    assert event.type == "portico.identity.customer.contact_added" and event.actor == "staff-2"
    assert event.stream_id == f"customer-{outcome.customer.customer_id}" and event.stream_version == 2
    assert event.data["email"] == "jane@acme.example" and event.data["title"] == "Buyer"
    assert outcome.customer.as_dict()["contacts"][0]["first_name"] == "Jane"


def test_a_second_contact_with_the_same_email_is_refused(uow):
    add_jane(uow)
    with pytest.raises(ContactEmailTaken):
        contacts.add_contact(AddContact(META, "ACME", {**JANE, "first_name": "Janet", "email": "jane@acme.example"}),
                             uow)


def test_a_contact_change_carries_only_the_changed_fields(uow):
    contact_id = add_jane(uow)
    outcome = contacts.update_contact(UpdateContact(META, "ACME", contact_id, {"title": "CFO", "last_name": "Doe"}),
                                      uow)
    assert [e.data["changes"] for e in outcome.events] == [{"title": "CFO"}]
    again = contacts.update_contact(UpdateContact(META, "ACME", contact_id, {"title": "CFO"}), uow)
    assert again.events == []


def test_removing_a_contact_twice_writes_one_event(uow):
    contact_id = add_jane(uow)
    first = contacts.remove_contact(RemoveContact(META, "ACME", contact_id), uow)
    second = contacts.remove_contact(RemoveContact(META, "ACME", contact_id), uow)
    assert [e.type.rsplit(".", 1)[1] for e in first.events] == ["contact_removed"]
    assert second.events == [] and second.customer.contacts == {}


def test_individual_accounts_have_no_contacts(uow):
    customers.create_customer(CreateCustomer(META, "JOE", {**ACME, "kind": "individual", "name": "Joe"}), uow)
    with pytest.raises(ContactsOnlyForCompanies):
        contacts.add_contact(AddContact(META, "JOE", JANE), uow)


def test_a_company_with_contacts_cannot_become_an_individual(uow):
    add_jane(uow)
    with pytest.raises(IndividualWithContacts):
        customers.update_customer(UpdateCustomer(META, "ACME", {"kind": "individual"}), uow)


def test_archived_and_unknown_customers_and_contacts_are_refused(uow):
    with pytest.raises(CustomerNotFound):
        contacts.add_contact(AddContact(META, "NOPE", JANE), uow)
    with pytest.raises(ContactNotFound):
        contacts.update_contact(UpdateContact(META, "ACME", "00000000-0000-0000-0000-000000000000", {"title": "x"}),
                                uow)
    customers.archive_customer(ArchiveCustomer(META, "ACME"), uow)
    with pytest.raises(CustomerArchived):
        contacts.add_contact(AddContact(META, "ACME", JANE), uow)
