"""Query strings and bodies of the documents API, validated with marshmallow before any handler runs.

The ERP's document bodies are the contracts' own schemas (contracts/document_fields.py), so whatever
the API accepts is exactly what the events carry.
"""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from contracts.documents import RequestedLine
from eventkit.consistency import ReadAfterQuery

from ..domain.documents import KIND_OF_AREA


class Strict(Schema):
    class Meta:
        unknown = RAISE


class ReadAfter(Strict, ReadAfterQuery):
    """A read that waits for the caller's own writes (`after`), and nothing else."""


class DocumentQuery(ReadAfter):
    """Search, filters and paging of a portal user's document list."""

    area = fields.String(load_default=None, validate=validate.OneOf(tuple(KIND_OF_AREA)),
                         metadata={"description": "only this kind: quotes, orders, invoices, ar_statements, shipments"})
    status = fields.String(load_default=None, validate=validate.Length(min=1, max=50),
                           metadata={"description": "the status the customer sees"})
    q = fields.String(load_default=None, validate=validate.Length(min=1, max=100),
                      metadata={"description": "matches number, reference, item code or description, tracking"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class WithdrawBody(Strict):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class QuoteRequestBody(Strict):
    lines = fields.List(fields.Nested(RequestedLine), required=True, validate=validate.Length(min=1, max=200))
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=2000))


class RequestQuery(ReadAfter):
    """Paging of the requests for quote the caller may see."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=25, validate=validate.Range(min=1, max=200))


class VisibilityQuery(Strict):
    user_id = fields.UUID(required=True, metadata={"description": "the user whose view is explained"})


class VisibilityAtQuery(ReadAfter):
    at = fields.AwareDateTime(required=True, metadata={
        "description": "the instant asked about, with its time zone", "examples": ["2026-03-14T12:00:00+01:00"]})
