"""The ERP's commands decided in memory: publish, replace, repeat, withdraw; and a portal user's RFQ."""
import uuid

import pytest

import contracts
from documents.domain import documents
from documents.domain.commands import PublishDocument, RequestQuote, WithdrawDocument
from documents.domain.errors import DocumentNotFound, DuplicateRequest, QuotesAreaRequired
from documents.domain.visibility import Reader
from documents.service_layer.documents import publish_document, withdraw_document
from documents.service_layer.rfqs import request_quote
from eventkit.envelope import Metadata
from eventkit.testing import FakeUnitOfWork
from tests.documents_samples import content

META = Metadata("acme", "erp:main")


@pytest.fixture
def uow():
    return FakeUnitOfWork(contracts.catalogue())


def publish(uow, kind="invoice", number="INV-1", **fields):
    return publish_document(PublishDocument(META, kind, number, content(kind, **fields)), uow)


def test_a_new_number_is_published_with_the_whole_document(uow):
    outcome = publish(uow)
    assert (outcome.created, outcome.changed) == (True, True)
    assert [e.type for e in uow.appended] == ["portico.documents.invoice.published"]
    assert uow.appended[0].stream_id == f"invoice-{documents.document_id('acme', 'invoice', 'INV-1')}"


def test_the_same_body_again_appends_nothing(uow):
    publish(uow)
    outcome = publish(uow)
    assert (outcome.created, outcome.changed, outcome.position) == (False, False, None)
    assert len(uow.appended) == 1


def test_a_changed_body_is_an_update_that_names_what_changed(uow):
    publish(uow)
    publish(uow, status="paid", amount_paid="29.75", balance_due="0.00")
    updated = uow.appended[-1]
    assert updated.type == "portico.documents.invoice.updated"
    assert updated.data["changed"] == ["amount_paid", "balance_due", "status"]
    assert updated.data["document"]["status"] == "paid"


def test_the_same_number_in_another_kind_or_tenant_is_another_document():
    assert documents.document_id("acme", "invoice", "1") != documents.document_id("acme", "order", "1")
    assert documents.document_id("acme", "invoice", "1") != documents.document_id("globex", "invoice", "1")


def test_withdrawing_twice_changes_nothing_and_publishing_again_brings_it_back(uow):
    publish(uow, kind="quote", number="Q-1")
    for _ in range(2):
        withdraw_document(WithdrawDocument(META, "quote", "Q-1", "superseded"), uow)
    publish(uow, kind="quote", number="Q-1")
    assert [e.type.rsplit(".", 1)[1] for e in uow.appended] == ["published", "withdrawn", "published"]


def test_withdrawing_what_was_never_published_is_not_found(uow):
    with pytest.raises(DocumentNotFound):
        withdraw_document(WithdrawDocument(META, "quote", "Q-404", None), uow)


BUYER = Reader("acme", str(uuid.uuid4()), "portal", "management", "1200-ACME", frozenset({"quotes"}),
               username="buyer", customer_id=str(uuid.uuid4()))
LINES = [{"line_number": 1, "item_code": None, "description": "Stainless M8 bolts", "quantity": "500",
          "unit": "pcs", "needed_by": "2026-03-01"}]


def rfq(uow, requester=BUYER, key="k-1", lines=LINES):
    return request_quote(RequestQuote(Metadata("acme", "user:buyer"), requester, lines, "urgent", key), uow)


def test_a_request_for_quote_becomes_quote_requested_once_per_idempotency_key(uow):
    first, second = rfq(uow), rfq(uow)
    assert first[0] == second[0] and second[1] is None
    [event] = uow.appended
    assert event.type == "portico.documents.quote.requested"
    assert event.data["requested_by"] == {"user_id": BUYER.user_id, "username": "buyer"}
    assert event.data["receivable_account"] == "1200-ACME"


def test_the_same_key_with_another_request_is_refused(uow):
    rfq(uow)
    with pytest.raises(DuplicateRequest):
        rfq(uow, lines=[{**LINES[0], "quantity": "600"}])


@pytest.mark.parametrize("requester", [None, Reader("acme", "u", "portal", "management", "1200", frozenset({"orders"})),
                                       Reader("acme", "u", "portal", "management", "1200", frozenset({"quotes"}),
                                              disabled=True)])
def test_only_an_active_user_with_the_quotes_area_may_request_quotes(uow, requester):
    with pytest.raises(QuotesAreaRequired):
        rfq(uow, requester=requester)
