"""A portal user's document list under concurrent load: p50 and p99 latency, for an account with 10,000
documents, beside the same SQL run straight against PostgreSQL.

The documents web app runs as in production (gunicorn) on a fresh database of its own; its projections
are filled directly: DOCUMENTS documents of every kind for one receivable account among twice as many
of other accounts, and one management user holding every area. Its access tokens are verified with a
key set served on loopback, as identity's JWKS would be. CLIENTS threads with keep-alive sessions ask
for random pages of 50 until REQUESTS answers came or SECONDS passed. The baseline runs the list's two
statements (count and page, the visibility rules as SQL) from as many threads, without HTTP.
"""
from __future__ import annotations

import os
import random
import tempfile
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import requests

from documents import config as documents_config
from documents.adapters.projections import documents as documents_table, users as users_table
from documents.bootstrap import bootstrap, migrate
from documents.domain.visibility import Reader, scope
from documents.service_layer.document_queries import DocumentFilter, statements, where
from eventkit.envelope import StoredEvent
from eventkit.set_apply import apply_events
from identity.adapters.signing import TokenSigner, generate_signing_key
from tests.documents_samples import content

from .customer_import import ADMIN_DSN, KAFKA
from .http_load import THREADS, WORKERS, p50_p99_rows, serve_jwks, start_web, under_load

DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "10000"))
CLIENTS = int(os.environ.get("BENCH_DOCUMENT_CLIENTS", "16"))
REQUESTS = int(os.environ.get("BENCH_DOCUMENT_REQUESTS", "4000"))
SECONDS, PAGE_SIZE, TENANT, ACCOUNT = 60.0, 50, "bench", "1200-BENCH"
KINDS = ("invoice", "invoice", "order", "order", "shipment", "quote", "ar_statement")
AREAS = frozenset({"quotes", "orders", "invoices", "ar_statements", "shipments"})


def _event(type_: str, data: dict) -> StoredEvent:
    return StoredEvent(1, "bench", "x", 1, uuid.uuid4(), type_, 1, TENANT, datetime.now(timezone.utc), "bench",
                       uuid.uuid4(), None, None, data)


def seed(pool, user_id: str) -> None:
    """The reader and its DOCUMENTS documents among 2 x DOCUMENTS of other accounts, as the projections hold them."""
    events, start, made = [], datetime(2020, 1, 1), {kind: content(kind) for kind in KINDS}
    for n in range(DOCUMENTS * 3):
        kind, account = KINDS[n % len(KINDS)], ACCOUNT if n % 3 == 0 else f"1300-{n % 97}"
        issued = (start + timedelta(days=n % 2000)).date().isoformat()
        data = {"document_id": str(uuid.uuid4()), "number": f"{kind[:2].upper()}-{n:07d}",
                "document": {**made[kind], "receivable_account": account, "issued_on": issued}}
        events.append(_event(f"portico.documents.{kind}.published", data))
    user = {"user_id": user_id, "username": "bench-buyer", "kind": "management", "customer_id": str(uuid.uuid4()),
            "receivable_account": ACCOUNT, "areas": sorted(AREAS), "own_orders_only": False}
    with pool.connection() as conn:
        for first in range(0, len(events), 2000):
            apply_events(conn, documents_table.PROJECTION, events[first:first + 2000])
        apply_events(conn, users_table.PROJECTION, [_event("portico.identity.user.created", user)])


def http_client(url: str, token: str):
    def make():
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"

        def call():
            page = random.randint(1, DOCUMENTS // PAGE_SIZE)
            r = session.get(url, params={"page": page, "page_size": PAGE_SIZE}, timeout=30)
            if r.status_code != 200 or r.json()["total"] != DOCUMENTS:
                raise RuntimeError(f"unexpected answer {r.status_code}: {r.text[:300]}")
        return call
    return make


def sql_client(dsn: str, reader: Reader):
    clause, params = where(scope(reader), DocumentFilter())
    count, page_of = statements(documents_table.TABLE, clause)

    def make():
        conn = psycopg.connect(dsn, autocommit=True)

        def call():
            page = random.randint(1, DOCUMENTS // PAGE_SIZE)
            conn.execute(count, params).fetchone()
            conn.execute(page_of, {**params, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}).fetchall()
        return call
    return make


def measure(dsn: str, user_id: str, signer: TokenSigner, jwks_url: str) -> tuple[list, float, list]:
    with tempfile.TemporaryDirectory(prefix="portico-bench-") as tmp:
        web, url = start_web("documents", {"PORTICO_DATABASE_URL": dsn, "PORTICO_JWKS_URL": jwks_url,
                                           "PORTICO_KAFKA_BOOTSTRAP": KAFKA}, Path(tmp) / "documents-web.log")
        try:
            token = signer.issue(user_id, {"tenant": TENANT, "preferred_username": "bench-buyer",
                                           "user_type": "portal"}, datetime.now(timezone.utc))
            listing = http_client(f"{url}/v1/tenants/{TENANT}/documents", token)
            listing()()  # warm: the key set fetched, the pools open
            served, elapsed = under_load(listing, CLIENTS, REQUESTS, SECONDS)
        finally:
            web.terminate()
            web.wait(timeout=30)
    reader = Reader(TENANT, user_id, "portal", "management", ACCOUNT, AREAS)
    direct, _ = under_load(sql_client(dsn, reader), CLIENTS, REQUESTS, SECONDS)
    return served, elapsed, direct


def run() -> list[dict]:
    name = f"bench_{uuid.uuid4().hex[:8]}_documents"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    dsn = psycopg.conninfo.make_conninfo(ADMIN_DSN, dbname=name)
    signer = TokenSigner(generate_signing_key(), "urn:portico:identity", "portico", timedelta(hours=1))
    jwks, user_id = serve_jwks(signer.jwks()), str(uuid.uuid4())
    try:
        settings = documents_config.load({"DATABASE_URL": dsn, "KAFKA_BOOTSTRAP": KAFKA})
        migrate(settings)  # the deployment's step, before the web starts
        service = bootstrap(settings)
        try:
            seed(service.pool, user_id)
        finally:
            service.close()
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")  # what autovacuum does to a table that stopped growing
        served, elapsed, direct = measure(dsn, user_id, signer, f"http://127.0.0.1:{jwks.server_port}/jwks.json")
    finally:
        jwks.shutdown()
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    note = (f"{len(served):,} requests for random pages of {PAGE_SIZE} from {CLIENTS} clients on loopback, "
            f"{len(served) / elapsed:,.0f} requests/s, gunicorn {WORKERS} workers x {THREADS} threads; "
            f"{DOCUMENTS:,} documents of the account among {DOCUMENTS * 3:,}; {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f} at the end")
    return p50_p99_rows(f"document list {{}}, {DOCUMENTS:,} documents", served, direct,
                        "the same count and page SQL, direct", note)
