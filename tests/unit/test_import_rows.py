"""One import row at a time: what is valid, and the row and column each problem names."""
import uuid

import pytest

from identity.domain.customer import Customer, evolve
from identity.domain.import_plan import plan_group
from identity.domain.import_rows import check_header, read_row

COMPANY = {"record_type": "company", "customer_code": "A1", "name": "Acme", "receivable_account": "1200"}
CONTACT = {"record_type": "contact", "customer_code": "A1", "first_name": "Jane", "last_name": "Doe",
           "email": "Jane@Acme.example"}


@pytest.mark.parametrize("cells, problems", [
    ({**COMPANY, "record_type": "robot"}, [("record_type", "Give one of company, individual, contact.")]),
    ({**COMPANY, "customer_code": None}, [("customer_code", "Give the customer's accounting code.")]),
    ({**COMPANY, "name": None}, [("name", "Required for this row.")]),
    ({**COMPANY, "emails": "a@x.example; nope"}, [("emails", "nope is not a valid e-mail address.")]),
    ({**COMPANY, "billing_line1": "1 Main St", "billing_country": "GBR"},
     [("billing_city", "Missing data for required field."), ("billing_country", "Length must be 2.")]),
    ({**COMPANY, "title": "CFO"}, [("title", "Only for contact rows; leave it empty.")]),
    ({**CONTACT, "name": "Acme"}, [("name", "Only for company and individual rows; leave it empty.")]),
    ({**CONTACT, "email": "jane"}, [("email", "Not a valid e-mail address.")]),
])
def test_each_bad_cell_is_a_problem_naming_its_row_and_column(cells, problems):
    row, found = read_row(7, cells)
    assert row is None
    assert [(p.column, p.message) for p in found] == problems and {p.row for p in found} == {7}


def test_a_valid_company_row_keeps_only_the_columns_the_file_has():
    row, problems = read_row(2, {**COMPANY, "emails": "AP@acme.example;boss@acme.example", "phone": None,
                                 "billing_line1": "1 Main St", "billing_city": "Leeds", "billing_country": "GB"})
    assert problems == []
    assert row.fields == {"kind": "company", "name": "Acme", "receivable_account": "1200", "phone": None,
                          "emails": ["ap@acme.example", "boss@acme.example"],
                          "billing_address": {"line1": "1 Main St", "line2": None, "city": "Leeds", "region": None,
                                              "postal_code": None, "country": "GB"}}


def test_the_header_names_unknown_repeated_and_missing_columns():
    problems = check_header(["customer_code", "name", "colour", "name"])
    assert [(p.row, p.column) for p in problems] == [(1, "colour"), (1, "name"), (1, "record_type")]


def rows(*cells):
    return [read_row(n, c)[0] for n, c in enumerate(cells, start=2)]


CID = uuid.uuid4()


def test_a_new_company_and_its_contact_are_created_in_one_plan():
    plan = plan_group(None, CID, "A1", rows(COMPANY, CONTACT))
    assert [e.type.rsplit(".", 1)[1] for e in plan.events] == ["imported", "contact_added"]
    assert plan.outcomes == {"customers.created": 1, "contacts.created": 1} and plan.problems == []


def test_importing_what_is_there_already_plans_nothing():
    plan = plan_group(None, CID, "A1", rows(COMPANY, CONTACT))
    customer = None
    for event in plan.events:
        customer = evolve(customer, event.type, dict(event.data))
    again = plan_group(customer, CID, "A1", rows({**COMPANY, "name": "Acme Ltd"}, {**CONTACT, "title": "CFO"}))
    assert [e.data["changes"] for e in again.events] == [{"name": "Acme Ltd"}, {"title": "CFO"}]


def test_a_contact_without_its_company_is_a_problem_of_its_row():
    plan = plan_group(None, CID, "A1", rows(CONTACT))
    assert [(p.row, p.column) for p in plan.problems] == [(2, "customer_code")] and plan.events == []


def test_rows_of_other_customer_types_are_left_out():
    plan = plan_group(None, CID, "A1", rows({**COMPANY, "customer_type": "Retail"}, CONTACT), frozenset({"trade"}))
    assert plan.filtered == 2 and plan.events == []


def test_a_contact_row_for_an_individual_account_is_a_problem():
    joe = Customer(CID, "A1", {"kind": "individual", "name": "Joe"})
    plan = plan_group(joe, CID, "A1", rows(CONTACT))
    assert [(p.row, p.message.split(";")[0]) for p in plan.problems] == [(2, "Customer 'A1' is an individual account")]
