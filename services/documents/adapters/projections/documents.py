"""Projection: the documents portal users list, search, page and open (the ERP's last version of each).

The columns the visibility rules filter on (account, kind, status, placed_by) sit beside the whole
document. `status` is what a customer may see: a quote's status, an order's customer-facing status;
an order's internal status has a column of its own that no portal query reads.
"""
from __future__ import annotations

from contracts.documents import KINDS
from contracts.topics import DOCUMENTS
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Row, Statement, last_write_wins

TABLE = "documents_v1"
NAME = "documents.documents.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id          text        NOT NULL,
    document_id        uuid        NOT NULL,
    kind               text        NOT NULL,
    number             text        NOT NULL,
    receivable_account text        NOT NULL,
    status             text,
    internal_status    text,
    placed_by          uuid,
    issued_on          date        NOT NULL,
    search_text        text        NOT NULL,
    content            jsonb       NOT NULL,
    version            integer     NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, document_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS {table}_by_number ON {table} (tenant_id, kind, number);
-- The list's order, with the columns the visibility rules filter on: a page and its count read the index.
CREATE INDEX IF NOT EXISTS {table}_page ON {table} (tenant_id, receivable_account, issued_on DESC, number DESC, kind)
    INCLUDE (status, placed_by, document_id);
-- How many documents each group of the columns the visibility rules filter on holds, so that a list's total
-- is a sum over a few groups rather than a count(*) per request. Kept by statement triggers with transition
-- tables: a set-based upsert does not tell its reducer which group a document left, the old row does, and
-- the trigger sees every statement's old and new rows in the statement's own transaction, so the counts
-- commit with the rows they count (or not at all).
CREATE TABLE IF NOT EXISTS {table}_counts (
    tenant_id          text   NOT NULL,
    receivable_account text   NOT NULL,
    kind               text   NOT NULL,
    status             text,
    placed_by          uuid,
    n                  bigint NOT NULL,
    UNIQUE NULLS NOT DISTINCT (tenant_id, receivable_account, kind, status, placed_by)
);
-- One function for every copy of the table: it writes the counts beside the table that fired it.
CREATE OR REPLACE FUNCTION count_documents_by_group() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cols CONSTANT text := 'tenant_id, receivable_account, kind, status, placed_by';
    moved text := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT %s, 1 AS d FROM new_rows', cols)
        WHEN 'DELETE' THEN format('SELECT %s, -1 AS d FROM old_rows', cols)
        ELSE format('SELECT %s, 1 AS d FROM new_rows UNION ALL SELECT %s, -1 FROM old_rows', cols, cols) END;
BEGIN
    EXECUTE format('INSERT INTO %I AS c (%s, n) SELECT %s, sum(d) FROM (%s) moved GROUP BY %s'
                   ' HAVING sum(d) <> 0 ON CONFLICT (%s) DO UPDATE SET n = c.n + EXCLUDED.n',
                   TG_TABLE_NAME || '_counts', cols, cols, moved, cols, cols);
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER {table}_counted_inserts AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_documents_by_group();
CREATE OR REPLACE TRIGGER {table}_counted_updates AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION count_documents_by_group();
CREATE OR REPLACE TRIGGER {table}_counted_deletes AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_documents_by_group();
-- Documents stored before the counts were kept are counted once, under the triggers' lock on the table.
INSERT INTO {table}_counts (tenant_id, receivable_account, kind, status, placed_by, n)
SELECT tenant_id, receivable_account, kind, status, placed_by, count(*) FROM {table}
WHERE NOT EXISTS (SELECT FROM {table}_counts) GROUP BY tenant_id, receivable_account, kind, status, placed_by;
"""
COLUMNS = {"kind": "text", "number": "text", "receivable_account": "text", "status": "text",
           "internal_status": "text", "placed_by": "uuid", "issued_on": "date", "search_text": "text",
           "content": "jsonb"}
KEY = {"tenant_id": "text", "document_id": "uuid"}

STORED = Statement(
    f"INSERT INTO {{table}} (tenant_id, document_id, {', '.join(COLUMNS)}, version, updated_at)"
    f" SELECT tenant_id, document_id, {', '.join(COLUMNS)}, version, at FROM {{rows}}"
    f" ON CONFLICT (tenant_id, document_id) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in COLUMNS)},"
    " version = EXCLUDED.version, updated_at = EXCLUDED.updated_at WHERE {table}.version < EXCLUDED.version",
    columns={**KEY, **COLUMNS, "version": "integer", "at": "timestamptz"}, key=tuple(KEY), merge=last_write_wins)
WITHDRAWN = Statement(
    "DELETE FROM {table} AS t USING {rows} WHERE t.tenant_id = rows.tenant_id AND t.document_id = rows.document_id",
    columns=KEY, key=tuple(KEY), merge=last_write_wins)


def search_text(content: dict, number: str) -> str:
    """What a search matches: numbers, references, items and tracking. Never an amount or an internal
    status: a search that matched them would tell a reader what it may not see."""
    words = [number, content.get("customer_reference"), content.get("order_number"), content.get("carrier"),
             *(content.get("order_numbers") or ()), *(content.get("tracking_numbers") or ())]
    for line in content.get("lines") or ():
        words += [line.get("item_code"), line.get("description")]
    return " ".join(w for w in words if w).lower()


def customer_status(kind: str, content: dict) -> str | None:
    return content.get("customer_status") if kind == "order" else content.get("status")


def stored(event: StoredEvent) -> list[Row]:
    kind, d = event.type.split(".")[2], event.data
    content = d["document"]
    return [STORED.row(
        tenant_id=event.tenant_id, document_id=d["document_id"], kind=kind, number=d["number"],
        receivable_account=content["receivable_account"], status=customer_status(kind, content),
        internal_status=content.get("internal_status"), placed_by=content.get("placed_by_user_id"),
        issued_on=content["issued_on"], search_text=search_text(content, d["number"]), content=content,
        version=event.stream_version, at=event.occurred_at)]


def withdrawn(event: StoredEvent) -> list[Row]:
    return [WITHDRAWN.row(tenant_id=event.tenant_id, document_id=event.data["document_id"])]


REDUCERS = {}
for _kind in KINDS:
    REDUCERS.update({f"portico.documents.{_kind}.published": stored, f"portico.documents.{_kind}.updated": stored,
                     f"portico.documents.{_kind}.withdrawn": withdrawn})

PROJECTION = Projection(name=NAME, topics=[DOCUMENTS], reducers=REDUCERS, table=TABLE, schema=SCHEMA,
                        companions=("{table}_counts",))
