"""The events an import decides from valid rows match their published contracts by construction.

EventStore.append_staged appends an import's chunk without validating it again (store.py says why);
this is the proof it leans on: random rows that import validation accepts, planned as a new customer
and then as a change to it, give only events the compiled validators (contracts/schemas/) accept, as
identity's sealing store writes them (upcast to the latest version, a person's values sealed).
"""
import os
import uuid
from datetime import datetime, timezone

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import contracts
from contracts.jsonschema import SCHEMA_DIR
from eventkit.envelope import StoredEvent
from eventkit.set_apply import encode
from eventkit.validation import CompiledContracts
from identity.domain.customer import Customer, customer_id_for, evolve
from identity.domain.import_plan import plan_group
from identity.adapters.sealing_store import subject_of
from identity.domain.import_rows import ADDRESS_PARTS, ADDRESSES, read_row
from contracts.personal import seal_data
from eventkit.personal import seal

COMPILED = CompiledContracts(contracts.catalogue(), SCHEMA_DIR)
CATALOGUE = contracts.catalogue()
WORDS = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), min_size=1, max_size=40)
MAYBE = st.none() | WORDS
ADDRESS = st.emails().filter(lambda e: len(e) <= 100)


def _customer_cells(code: str):
    address = {f"{a}_{p}": (st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2) if p == "country" else MAYBE)
               for a in ADDRESSES for p in ADDRESS_PARTS}
    return st.fixed_dictionaries({
        "record_type": st.sampled_from(["company", "individual"]), "customer_code": st.just(code),
        "name": WORDS, "receivable_account": WORDS},
        optional={"customer_type": MAYBE, "sales_rep": MAYBE, "price_list": MAYBE, "phone": MAYBE,
                  "emails": st.lists(ADDRESS, max_size=3).map(";".join), **address})


def _contact_cells(code: str):
    return st.fixed_dictionaries({
        "record_type": st.just("contact"), "customer_code": st.just(code), "first_name": WORDS,
        "last_name": WORDS, "email": ADDRESS}, optional={"phone": MAYBE, "title": MAYBE})


def _rows(cells: list[dict]):
    read = [read_row(n, c) for n, c in enumerate(cells, start=2)]
    return [row for row, _ in read if row is not None]


def _as_stored(event) -> tuple[int, dict]:
    """What the sealing store writes for a decided event: its latest version, a person's values sealed."""
    upcast = CATALOGUE.upcast(event)
    latest, data, version = CATALOGUE.latest(event.type), dict(upcast.data), upcast.version
    subject = subject_of(event.type, data, set())
    if subject is not None:
        key = os.urandom(32)
        data = seal_data(data, latest.schema, subject, lambda s, field, value: seal(key, "t1", s, field, value))
    return version, data


def _history(events) -> list[StoredEvent]:
    """The events as a consumer receives them: JSON, at consecutive versions of the stream."""
    return [StoredEvent(n, "customer-x", "customer", n, uuid.uuid4(), e.type, version, "t1",
                        datetime.now(timezone.utc), "importer", uuid.uuid4(), None, None,
                        orjson.loads(encode(data)), "/portico/identity")
            for n, (e, (version, data)) in enumerate(((e, _as_stored(e)) for e in events), 1)]


def _assert_valid(events) -> None:
    for event in _history(events):
        assert CATALOGUE.latest(event.type).version == event.version  # so the compiled schema is the one used
        COMPILED.read(event)  # raises ContractViolation naming the field otherwise


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(first=_customer_cells("A1"), again=_customer_cells("A1"), contacts=st.lists(_contact_cells("A1"), max_size=3),
       changed=st.lists(_contact_cells("A1"), max_size=3))
def test_events_an_import_decides_from_valid_rows_pass_the_compiled_validators(first, again, contacts, changed):
    customer_id = customer_id_for("t1", "A1")
    created = plan_group(None, customer_id, "A1", _rows([first, *contacts]))
    _assert_valid(created.events)
    existing: Customer | None = None
    for event in created.events:  # the aggregate folds what it decided, in clear
        existing = evolve(existing, event.type, orjson.loads(encode(dict(event.data))))
    updated = plan_group(existing, customer_id, "A1", _rows([again, *contacts[:1], *changed]))
    _assert_valid(updated.events)
