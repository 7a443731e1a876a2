"""Projection: every version of each document as the ERP sent it, valid from its event's time.

documents.py holds the latest version, which portal users read; this table answers staff's question
"what could this user see on that day?" (issue 17) with the facts the visibility rules look at, as
they were then. A withdrawal is a version too: from then on nobody sees the document.
"""
from __future__ import annotations

from contracts.documents import KINDS
from contracts.topics import DOCUMENTS
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Row, Statement

from .documents import customer_status

TABLE = "document_versions_v1"
NAME = "documents.document_versions.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id          text        NOT NULL,
    document_id        uuid        NOT NULL,
    version            integer     NOT NULL,
    valid_from         timestamptz NOT NULL,
    kind               text        NOT NULL,
    number             text        NOT NULL,
    receivable_account text        NOT NULL,
    status             text,
    placed_by          uuid,
    issued_on          date,
    withdrawn          boolean     NOT NULL,
    PRIMARY KEY (tenant_id, document_id, version)
);
CREATE INDEX IF NOT EXISTS {table}_by_account ON {table} (tenant_id, receivable_account, valid_from);
"""
COLUMNS = {"tenant_id": "text", "document_id": "uuid", "version": "integer", "at": "timestamptz", "kind": "text",
           "number": "text", "receivable_account": "text", "status": "text", "placed_by": "uuid",
           "issued_on": "date", "withdrawn": "boolean"}
_NAMES = [c for c in COLUMNS if c != "at"]

VERSION = Statement(
    f"INSERT INTO {{table}} ({', '.join(_NAMES)}, valid_from) SELECT {', '.join(_NAMES)}, at FROM {{rows}}"
    " ON CONFLICT (tenant_id, document_id, version) DO NOTHING",
    columns=COLUMNS, key=("tenant_id", "document_id"))


def _version(event: StoredEvent, **values) -> Row:
    d = event.data
    return VERSION.row(tenant_id=event.tenant_id, document_id=d["document_id"], version=event.stream_version,
                       at=event.occurred_at, kind=event.type.split(".")[2], number=d["number"], **values)


def stored(event: StoredEvent) -> list[Row]:
    content = event.data["document"]
    kind = event.type.split(".")[2]
    return [_version(event, receivable_account=content["receivable_account"], status=customer_status(kind, content),
                     placed_by=content.get("placed_by_user_id"), issued_on=content["issued_on"], withdrawn=False)]


def withdrawn(event: StoredEvent) -> list[Row]:
    return [_version(event, receivable_account=event.data["receivable_account"], status=None, placed_by=None,
                     issued_on=None, withdrawn=True)]


REDUCERS = {}
for _kind in KINDS:
    REDUCERS.update({f"portico.documents.{_kind}.published": stored, f"portico.documents.{_kind}.updated": stored,
                     f"portico.documents.{_kind}.withdrawn": withdrawn})

PROJECTION = Projection(name=NAME, topics=[DOCUMENTS], reducers=REDUCERS, table=TABLE, schema=SCHEMA)
