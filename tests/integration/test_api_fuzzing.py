"""Schemathesis against every service's own OpenAPI document: generated requests, valid and not, never
get a 5xx, and every answer matches the document (status, content type, body schema).

Requests carry a system administrator's token for one tenant, and every generated `tenant_id` is that
tenant, so operations are exercised past authentication rather than stopping at 403. (schemathesis'
own pytest plugin reaches into pytest internals that pytest 9 no longer has, so each operation's
strategy is driven by hypothesis here.)
"""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

# Per operation; the suite's time budget. PORTICO_FUZZ_EXAMPLES=100 for a long run.
EXAMPLES = int(os.environ.get("PORTICO_FUZZ_EXAMPLES", "6"))
TENANT = "t-fuzz"
# The documents describe shapes, not every business rule ("a filter or customer ids", "no NUL"), so a
# request the schema allows may rightly be refused with a 4xx problem: that check is not claimed.
NOT_CLAIMED = [schemathesis.checks.positive_data_acceptance]
# schemathesis cannot generate this multipart body (options allOf a file part); bad uploads have their
# own tests in test_customer_import.py.
NOT_GENERATED = {"POST /v1/tenants/{tenant_id}/customer-imports"}


def failures_of(app, headers: dict) -> tuple[int, list[str]]:
    """Every operation of the app's document, fuzzed: how many, and one line per operation that failed."""
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    fuzzed, failures = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in NOT_GENERATED:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def call(case):
            if "tenant_id" in (case.path_parameters or {}):
                case.path_parameters["tenant_id"] = TENANT
            case.call_and_validate(headers=headers, excluded_checks=NOT_CLAIMED)

        fuzzed += 1
        try:
            call()
        except Exception as failure:  # noqa: BLE001 - the report names the operation and what broke
            failures.append(f"{operation.label}: {str(failure)[:1500]}")
    return fuzzed, failures


@pytest.mark.parametrize("service", ["identity", "invitations", "notifications", "documents"])
def test_no_generated_request_gets_a_5xx_or_an_answer_outside_the_document(service, request, staff_headers):
    app = request.getfixturevalue(f"{service}_app")
    fuzzed, failures = failures_of(app, staff_headers(TENANT))
    print(f"{service}: {fuzzed} operations, {EXAMPLES} examples each")
    assert fuzzed >= 3 and not failures, "\n\n".join(failures)
