"""Schemathesis against every service's own OpenAPI document, as its command line runs it: the coverage,
fuzzing and stateful phases with every check, so generated requests, valid and not, never get a 5xx,
invalid ones are refused with a 4xx, a request without its credential gets a 401 before its input is
looked at, and every answer's status, headers, content type and body are the document's.

Requests carry a system administrator's token for a tenant of this run only, and every generated
`tenant_id` is that tenant, so operations are exercised past authentication rather than stopping at 403.
"""
from __future__ import annotations

import os
import random
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events
from schemathesis.generation.meta import CoveragePhaseData
from werkzeug.serving import make_server

# The suite's time budget: examples per operation in the fuzzing phase (twice as many stateful steps), and
# coverage cases per operation and kind of case (a wrong type, a missing field, a bound, an unexpected
# method...) where the coverage phase alone would send some 700 requests per service.
# PORTICO_FUZZ_EXAMPLES=100 PORTICO_FUZZ_COVERAGE=1000 for a long run.
EXAMPLES = int(os.environ.get("PORTICO_FUZZ_EXAMPLES", "3"))
COVERAGE = int(os.environ.get("PORTICO_FUZZ_COVERAGE", "1"))
PHASES = ("coverage", "fuzzing", "stateful")
# Every check schemathesis has runs but these, which are not claimed:
NOT_CLAIMED = {
    "positive_data_acceptance": "The documents describe shapes, not every business rule (a filter or customer "
                                "ids, an area the tenant has), so a request the schema allows may rightly be "
                                "refused with a 4xx problem.",
    "max_response_time": "Timing is measured by make bench, never asserted in a test on a shared machine "
                         "(schemathesis runs it only when given a limit).",
}
# How an invalid request may be refused: schemathesis's own list and 413, the answer to a body over the
# service's MAX_CONTENT_LENGTH (a string past its maxLength can be longer than the whole body may be).
# A 5xx stays in the list here because not_a_server_error fails it on its own.
REFUSALS = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]
# Services whose document gives the stateful phase no transition to follow, and why.
NO_TRANSITIONS = {
    "documents": "Its operations are keyed by what the ERP names (area and number in the path), never by a value "
                 "an earlier answer returns, so schemathesis links none of them.",
}


def run(app, token: str, tenant: str, seed: int) -> tuple[dict, list[str]]:
    """Every operation of the app's document through the three phases: counts, and one line per failure."""
    config = SchemathesisConfig.from_dict({
        "seed": seed,
        "headers": {"Authorization": token},
        "parameters": {"tenant_id": tenant},
        "generation": {"max-examples": EXAMPLES, "database": "none"},
        "checks": {"positive_data_acceptance": {"enabled": False},
                   "negative_data_rejection": {"expected-statuses": REFUSALS}},
        "phases": {"examples": {"enabled": False}, **{name: {"enabled": True} for name in PHASES},
                   "stateful": {"enabled": True, "max-steps": 2 * EXAMPLES}},
    })
    with serving(app) as base_url:
        schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json", config=config)
        schema.hook(_coverage_sample())
        return _execute(schema)


def _coverage_sample():
    """A filter_case hook keeping the first COVERAGE coverage cases of each kind and operation."""
    kept = Counter()

    def filter_case(context, case) -> bool:
        data = case.meta.phase.data if case.meta is not None else None
        if not isinstance(data, CoveragePhaseData):
            return True
        kind = (case.operation.label, data.scenario)
        kept[kind] += 1
        return kept[kind] <= COVERAGE
    return filter_case


def _execute(schema) -> tuple[dict, list[str]]:
    counts, failures, started = {phase: 0 for phase in PHASES}, [], time.monotonic()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.PhaseFinished):
            print(f"  {event.phase.name.value}: {time.monotonic() - started:.1f} s")
        if isinstance(event, events.ScenarioFinished):
            counts[event.phase.value] = counts.get(event.phase.value, 0) + len(event.recorder.cases)
            failures += _failures(event)
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            error = getattr(event, "value", None) or getattr(event, "exception", None)
            failures.append(f"{getattr(event, 'label', 'the run')}: {error!r}")
    return counts, failures


def _failures(event: events.ScenarioFinished) -> list[str]:
    lines = []
    for case_id, checks in event.recorder.checks.items():
        for check in checks:
            if check.status == Status.FAILURE and check.failure_info is not None:
                case = event.recorder.cases[case_id].value
                failure = check.failure_info.failure
                lines.append(f"{event.phase.value} {case.method} {case.formatted_path} {check.name}: "
                             f"{failure.title}: {str(failure.message)[:600]}\n    {check.failure_info.code_sample}")
    return lines


@contextmanager
def serving(app):
    """The app over real HTTP on a free port, as the schemathesis command line reaches a service."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.mark.parametrize("service", ["identity", "invitations", "notifications", "documents"])
def test_no_generated_request_gets_a_5xx_or_an_answer_outside_the_document(service, request, staff_headers):
    app, tenant = request.getfixturevalue(f"{service}_app"), f"t-fuzz-{uuid.uuid4().hex[:8]}"
    started, seed = time.monotonic(), int(os.environ.get("PORTICO_FUZZ_SEED") or random.getrandbits(32))
    counts, failures = run(app, staff_headers(tenant)["Authorization"], tenant, seed)
    print(f"{service}: {counts} requests in {time.monotonic() - started:.1f} s, {EXAMPLES} examples each, "
          f"PORTICO_FUZZ_SEED={seed}")
    expected = {phase for phase in PHASES if not (phase == "stateful" and service in NO_TRANSITIONS)}
    assert {phase for phase in PHASES if counts[phase]} == expected, counts
    report = "\n\n".join(sorted(set(failures))[:40])
    assert not failures, f"PORTICO_FUZZ_SEED={seed}: {len(failures)} failures:\n{report}"
