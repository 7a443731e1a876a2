"""Customer commands decide the right events (unit tier: a fake unit of work, no database)."""
import pytest

import contracts
from eventkit.envelope import Metadata
from eventkit.errors import ConcurrencyConflict
from eventkit.testing import FakeUnitOfWork
from identity.domain.commands import ArchiveCustomer, CreateCustomer, ImportCustomer, UpdateCustomer
from identity.domain.errors import CustomerArchived, CustomerNotFound, DuplicateCustomerCode
from identity.service_layer import customers

META = Metadata(tenant_id="demo", actor="staff-1")
ACME = {"kind": "company", "name": "Acme", "receivable_account": "1200", "customer_type": "Wholesale",
        "sales_rep": "rep-7", "price_list": "A", "emails": ["ap@acme.example"], "phone": None,
        "billing_address": None, "shipping_address": None}


@pytest.fixture
def uow():
    return FakeUnitOfWork(contracts.catalogue())


def types(outcome):
    return [e.type.rsplit(".", 2)[-2:] for e in outcome.events]


def test_creating_a_customer_records_who_created_it(uow):
    outcome = customers.create_customer(CreateCustomer(META, "ACME", ACME), uow)
    assert types(outcome) == [["customer", "created"]]
    assert outcome.events[0].actor == "staff-1"
    assert outcome.customer.version == 1 and outcome.created


def test_a_code_can_be_created_only_once_per_tenant(uow):
    customers.create_customer(CreateCustomer(META, "ACME", ACME), uow)
    with pytest.raises(DuplicateCustomerCode):
        customers.create_customer(CreateCustomer(META, "ACME", ACME), uow)
    other_tenant = Metadata(tenant_id="other", actor="staff-1")
    assert customers.create_customer(CreateCustomer(other_tenant, "ACME", ACME), uow).created


def test_importing_the_same_row_again_writes_nothing(uow):
    first = customers.import_customer(ImportCustomer(META, "ACME", ACME), uow)
    again = customers.import_customer(ImportCustomer(META, "ACME", ACME), uow)
    assert types(first) == [["customer", "imported"]]
    assert again.events == [] and again.position is None


def test_an_imported_change_carries_only_the_changed_fields(uow):
    customers.import_customer(ImportCustomer(META, "ACME", ACME), uow)
    outcome = customers.import_customer(ImportCustomer(META, "ACME", {**ACME, "price_list": "B"}), uow)
    assert types(outcome) == [["customer", "updated"]]
    assert outcome.events[0].data["changes"] == {"price_list": "B"}


def test_an_update_against_a_stale_version_is_refused(uow):
    customers.create_customer(CreateCustomer(META, "ACME", ACME), uow)
    customers.update_customer(UpdateCustomer(META, "ACME", {"name": "Acme 2"}, expected_version=1), uow)
    with pytest.raises(ConcurrencyConflict) as conflict:
        customers.update_customer(UpdateCustomer(META, "ACME", {"name": "Acme 3"}, expected_version=1), uow)
    assert conflict.value.actual == 2


def test_an_archived_customer_cannot_be_changed(uow):
    customers.create_customer(CreateCustomer(META, "ACME", ACME), uow)
    customers.archive_customer(ArchiveCustomer(META, "ACME", "closed"), uow)
    with pytest.raises(CustomerArchived):
        customers.update_customer(UpdateCustomer(META, "ACME", {"name": "x"}), uow)


def test_changing_an_unknown_customer_says_so(uow):
    with pytest.raises(CustomerNotFound):
        customers.update_customer(UpdateCustomer(META, "NOPE", {"name": "x"}), uow)


def test_an_email_list_names_each_bad_item_by_its_index_and_skips_an_exports_empty_parts():
    from marshmallow import Schema, ValidationError

    from identity.domain.emails import EmailList

    class Body(Schema):
        emails = EmailList()

    assert Body().load({"emails": "AP@acme.example;; boss@acme.example;"}) == {
        "emails": ["ap@acme.example", "boss@acme.example"]}
    for bad, named in [(["ap@acme.example", ""], {1}), (["x", "ap@acme.example", "  "], {0, 2})]:
        try:
            Body().load({"emails": bad})
        except ValidationError as error:
            assert set(error.messages["emails"]) == named
        else:
            raise AssertionError(f"{bad} was accepted")
