"""The batches table: durable work for the invitations worker, and the progress staff read."""
from __future__ import annotations

import json

import psycopg

BATCH_CHANNEL = "portico_invitation_batches"
_PROGRESS = "batch_id, tenant_id, requested_by, state, total, sent, skipped, requested_at, finished_at"


class Batches:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def add(self, batch_id: str, tenant_id: str, requested_by: dict, meta, customers: list[tuple[str, list | None]]):
        """Queue a batch: its customers in order, each with the addresses given for it (None: its default)."""
        self.conn.execute(
            "INSERT INTO invitation_batches (batch_id, tenant_id, requested_by, correlation_id, traceparent, total)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (batch_id, tenant_id, json.dumps(requested_by), meta.correlation_id, meta.traceparent, len(customers)))
        with self.conn.cursor().copy("COPY invitation_batch_customers (batch_id, seq, customer_id, emails)"
                                     " FROM STDIN") as copy:
            for seq, (cid, emails) in enumerate(customers):
                copy.write_row((batch_id, seq, cid, emails))
        self.conn.execute(f"NOTIFY {BATCH_CHANNEL}")

    def take_next(self) -> dict | None:
        """The oldest unfinished batch that no other worker holds, locked until the caller commits."""
        return self.conn.execute(
            "SELECT batch_id, tenant_id, requested_by, correlation_id, traceparent, sent, skipped"
            " FROM invitation_batches WHERE state <> 'done' ORDER BY requested_at"
            " LIMIT 1 FOR UPDATE SKIP LOCKED").fetchone()

    def waiting_customers(self, batch_id, limit: int) -> list[dict]:
        return self.conn.execute(
            "SELECT seq, customer_id, emails FROM invitation_batch_customers"
            " WHERE batch_id = %s AND outcome IS NULL ORDER BY seq LIMIT %s", (batch_id, limit)).fetchall()

    def record(self, batch_id, outcomes: list[tuple], sent: int, skipped: int, done: bool) -> None:
        """outcomes: (seq, outcome, invitation_id, customer_code, customer_name) for each customer handled."""
        seqs, kinds, invitations, codes, names = map(list, zip(*outcomes)) if outcomes else ([],) * 5
        self.conn.execute(
            "UPDATE invitation_batch_customers c SET outcome = o.outcome, invitation_id = o.invitation_id,"
            " customer_code = o.code, customer_name = o.name"
            " FROM unnest(%s::int[], %s::text[], %s::uuid[], %s::text[], %s::text[]) AS o(seq, outcome,"
            " invitation_id, code, name) WHERE c.batch_id = %s AND c.seq = o.seq",
            (seqs, kinds, invitations, codes, names, batch_id))
        self.conn.execute(
            "UPDATE invitation_batches SET sent = sent + %s, skipped = skipped + %s,"
            " state = CASE WHEN %s THEN 'done' ELSE 'running' END,"
            " finished_at = CASE WHEN %s THEN now() END WHERE batch_id = %s",
            (sent, skipped, done, done, batch_id))

    def progress(self, tenant_id: str, batch_id) -> dict | None:
        return self.conn.execute(f"SELECT {_PROGRESS} FROM invitation_batches WHERE tenant_id = %s AND batch_id = %s",
                                 (tenant_id, batch_id)).fetchone()

    def skipped(self, batch_id, limit: int, offset: int) -> list[dict]:
        return self.conn.execute(
            "SELECT customer_id, customer_code, customer_name, outcome AS reason_code"
            " FROM invitation_batch_customers WHERE batch_id = %s AND outcome IS NOT NULL AND outcome <> 'sent'"
            " ORDER BY seq LIMIT %s OFFSET %s", (batch_id, limit, offset)).fetchall()
