"""Consumers validate with the schemas compiled from contracts/schemas/, reading an event as the catalogue
does: an old version checked, upcast and checked again at the latest; the catalogue's marshmallow schemas
only for a version without a schema file."""
import uuid

import pytest

import contracts
import contracts.jsonschema
from contracts.jsonschema import SCHEMA_DIR
from eventkit.envelope import StoredEvent, now
from eventkit.errors import ContractViolation
from eventkit.validation import CompiledContracts

IMPORTED = "portico.identity.customer.imported"
CUSTOMER = str(uuid.uuid4())


class Counting:
    """The real catalogue, counting the events it validates itself."""

    def __init__(self):
        self.catalogue, self.validated = contracts.catalogue(), 0

    def validate(self, *args):
        self.validated += 1
        return self.catalogue.validate(*args)

    def read(self, event, validate):
        return self.catalogue.read(event, validate)

    def __getattr__(self, name):
        return getattr(self.catalogue, name)


def imported(version: int, **changes) -> StoredEvent:
    data = {"customer_id": CUSTOMER, "code": "C-1", "kind": "company", "name": "Acme Tools Ltd",
            "receivable_account": "1200-1", "customer_type": None, "sales_rep": None, "price_list": None,
            "emails": ["ap@acme.example"], "phone": None, "billing_address": None, "shipping_address": None,
            **changes}
    return StoredEvent(position=7, stream_id=f"customer-{CUSTOMER}", stream_type="customer", stream_version=1,
                       id=uuid.uuid4(), type=IMPORTED, version=version, tenant_id="acme", occurred_at=now(),
                       actor="staff-1", correlation_id=uuid.uuid4(), causation_id=None, traceparent=None,
                       data=data, source="/portico/identity")


@pytest.fixture
def counting():
    return Counting()


def test_an_old_version_is_read_as_the_catalogue_reads_it_without_marshmallow(counting):
    old = imported(1)

    read = CompiledContracts(counting, SCHEMA_DIR).read(old)

    assert read == contracts.catalogue().read(old)
    assert read.version == contracts.catalogue().latest(IMPORTED).version > 1
    assert counting.validated == 0


def test_the_latest_version_is_read_unchanged_without_marshmallow(counting):
    latest = imported(contracts.catalogue().latest(IMPORTED).version)

    assert CompiledContracts(counting, SCHEMA_DIR).read(latest) is latest
    assert counting.validated == 0


@pytest.mark.parametrize("version", [1, 2])
def test_an_invalid_event_of_any_version_names_its_field(counting, version):
    with pytest.raises(ContractViolation) as refused:
        CompiledContracts(counting, SCHEMA_DIR).read(imported(version, receivable_account=17))

    assert list(refused.value.errors) == ["/receivable_account"]


def test_a_version_without_a_schema_file_is_validated_by_the_catalogue(counting, tmp_path):
    read = CompiledContracts(counting, tmp_path).read(imported(1))

    assert read.version == contracts.catalogue().latest(IMPORTED).version
    assert counting.validated == 2  # v1 as received, the latest after the upcast


def test_a_value_json_has_no_type_for_is_judged_by_the_catalogue_as_before(counting):
    latest = contracts.catalogue().latest(IMPORTED).version
    compiled = CompiledContracts(counting, SCHEMA_DIR)

    compiled.validate(IMPORTED, latest, imported(latest, customer_id=uuid.UUID(CUSTOMER)).data)  # a producer's UUID
    assert counting.validated == 1
    with pytest.raises(ContractViolation):
        compiled.validate(IMPORTED, latest, imported(latest, customer_id=uuid.UUID(CUSTOMER), receivable_account=17).data)


def test_a_store_uses_the_compiled_schemas_and_the_catalogue_for_everything_else():
    compiled = contracts.jsonschema.compiled(contracts.catalogue())

    assert isinstance(compiled, CompiledContracts)
    assert compiled.topic_of(IMPORTED) == contracts.catalogue().topic_of(IMPORTED)
