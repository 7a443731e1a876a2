"""The staff console's words and role rules: field paths, dates, areas and history entries as people read
them, and which role sees which buttons."""
from __future__ import annotations

import pytest

from frontend.staff import wording
from frontend.staff.imports import tally
from frontend.staff.roles import StaffRole


@pytest.mark.parametrize("path, said", [("lines.0.quantity", "line 1: quantity"), ("customer_type", "customer type"),
                                        ("emails.2", "e-mail address 3"), ("reply_to", "Reply-To address")])
def test_field_paths_are_said_in_words(path, said):
    assert wording.field_label(path) == said


@pytest.mark.parametrize("entry, said", [
    ({"type": "portico.identity.user.role_granted", "data": {"username": "jane", "area": "ar_statements"}},
     "jane may now see A/R statements"),
    ({"type": "portico.identity.user.created", "data": {"username": "jane", "kind": "management",
                                                        "areas": ["invoices", "quotes"]}},
     "Portal user jane created (management user), areas: Quotes, Invoices"),
    ({"type": "portico.identity.user.registered", "data": {"username": "kim", "first_name": "Kim", "last_name": "Lee",
                                                           "source": "invitation"}},
     "Kim Lee registered as kim from an invitation; waiting for approval"),
    ({"type": "portico.identity.customer.updated", "data": {"changes": {"price_list": "B", "phone": "1"}}},
     "Customer details changed: price list, phone"),
    ({"type": "portico.identity.user.disabled", "data": {"username": "jane"}}, "Portal user jane disabled"),
    ({"type": "portico.identity.something.new_thing", "data": {}}, "something new thing"),
    ({"type": "portico.identity.user.second_factor_enrolled", "data": {"username": "jane", "method": "totp"}},
     "jane set up an authenticator app for logging in"),
    ({"type": "portico.identity.user.second_factor_removed", "data": {"username": "jane", "method": "passkey",
                                                                       "removed_by": "staff"}},
     "A passkey of jane removed by staff"),
    ({"type": "portico.identity.user.recovery_code_used", "data": {"username": "jane", "remaining": 9}},
     "jane logged in with a recovery code (9 left)"),
])
def test_history_entries_say_what_happened_without_raw_data(entry, said):
    assert wording.happened(entry) == said


def test_unchanged_import_rows_are_not_counted_as_written():
    counted = tally({"customer.created": 2, "customer.unchanged": 1, "contact.changed": 1})
    assert (counted["written"], counted["unchanged"]) == (3, 1)
    assert counted["lines"] == ["1 contact changed", "2 customers created", "1 customer already up to date, not written"]


@pytest.mark.parametrize("roles, rep, allowed, in_house, creates", [
    ({"system-administrator"}, None, False, True, True),
    ({"in-house"}, None, False, True, True),
    ({"sales-rep"}, "rep-7", True, False, True),
    ({"sales-rep"}, "rep-7", False, False, False),
    ({"sales-rep", "in-house"}, "rep-7", False, True, True),
])
def test_who_sees_add_portal_user(roles, rep, allowed, in_house, creates):
    role = StaffRole(frozenset(roles), rep)
    assert role.in_house is in_house
    assert role.may_create_users({"allow_sales_reps_to_create_users": allowed}) is creates
    assert role.sales_rep == (None if in_house else rep)


def test_a_refused_form_names_its_fields_in_words():
    from flask import get_flashed_messages

    from frontend import api, forms
    from frontend.app import create_app

    app = create_app({"SECRET_KEY": "unit-test-secret"})
    refused = api.ApiProblem(400, "request.invalid", "Check these fields: lines.0.quantity, reply_to.",
                             [{"field": "lines.0.quantity", "detail": "Must be at least 1."},
                              {"field": "reply_to", "detail": "Not a valid e-mail address."}])
    with app.test_request_context():
        beside = forms.show_problem(refused)
        assert get_flashed_messages() == ["Check line 1: quantity, Reply-To address."]
    assert beside == {"lines.0.quantity": "Must be at least 1.", "reply_to": "Not a valid e-mail address."}
