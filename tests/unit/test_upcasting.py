"""Old versions of an event are upcast to the current one when read, so history is never rewritten.

The fixture catalogue holds v1 and v2 of one event: v2 split v1's `name` into a legal name and the
name shown in the portal."""
import uuid

import pytest
from marshmallow import fields

from contracts import asyncapi
from contracts.catalogue import Catalogue, EventContract
from contracts.fields import StrictSchema
from contracts.topics import TOPICS
from eventkit.envelope import StoredEvent, now
from eventkit.errors import ContractViolation

TYPE = "portico.identity.customer.renamed"


class RenamedV1(StrictSchema):
    customer_id = fields.UUID(required=True)
    name = fields.String(required=True)


class RenamedV2(StrictSchema):
    customer_id = fields.UUID(required=True)
    legal_name = fields.String(required=True)
    display_name = fields.String(required=True)


def v1_to_v2(data: dict) -> dict:
    return {"customer_id": data["customer_id"], "legal_name": data["name"], "display_name": data["name"]}


def contract(version, schema, upcast=None) -> EventContract:
    return EventContract(type=TYPE, version=version, owner="identity", topic="portico.identity",
                         key="stream id: customer-<customer_id>", schema=schema,
                         description=f"v{version} of a rename", upcast=upcast)


CATALOGUE = Catalogue([contract(1, RenamedV1, v1_to_v2), contract(2, RenamedV2)])
CUSTOMER = str(uuid.uuid4())


def event(version: int, data: dict) -> StoredEvent:
    return StoredEvent(position=7, stream_id=f"customer-{CUSTOMER}", stream_type="customer", stream_version=3,
                       id=uuid.uuid4(), type=TYPE, version=version, tenant_id="acme", occurred_at=now(),
                       actor="staff-1", correlation_id=uuid.uuid4(), causation_id=None, traceparent=None,
                       data=data, source="/portico/identity")


def test_a_v1_event_is_read_as_v2():
    read = CATALOGUE.read(event(1, {"customer_id": CUSTOMER, "name": "Acme Tools Ltd"}))

    assert read.version == 2
    assert read.data == {"customer_id": CUSTOMER, "legal_name": "Acme Tools Ltd", "display_name": "Acme Tools Ltd"}
    assert (read.position, read.stream_version) == (7, 3)


def test_a_v2_event_is_read_unchanged():
    data = {"customer_id": CUSTOMER, "legal_name": "Acme Tools Ltd", "display_name": "Acme"}
    original = event(2, data)
    assert CATALOGUE.read(original) == original


def test_an_invalid_v1_event_is_refused_before_upcasting():
    with pytest.raises(ContractViolation):
        CATALOGUE.read(event(1, {"customer_id": CUSTOMER}))


def test_an_old_version_without_an_upcaster_is_refused():
    no_upcaster = Catalogue([contract(1, RenamedV1), contract(2, RenamedV2)])
    with pytest.raises(ContractViolation, match="no upcaster"):
        no_upcaster.read(event(1, {"customer_id": CUSTOMER, "name": "Acme"}))


def test_an_upcaster_whose_output_breaks_v2_is_refused():
    broken = Catalogue([contract(1, RenamedV1, lambda d: {"customer_id": d["customer_id"]}), contract(2, RenamedV2)])
    with pytest.raises(ContractViolation):
        broken.read(event(1, {"customer_id": CUSTOMER, "name": "Acme"}))


def test_both_versions_are_messages_of_the_asyncapi_document():
    document = asyncapi.document(CATALOGUE, TOPICS)
    messages = document["channels"]["portico.identity"]["messages"]
    assert set(messages) == {f"{TYPE}.v1", f"{TYPE}.v2"}
