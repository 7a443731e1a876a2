"""A portal user's document list under open-loop load: p50 and p99 latency at RATE requests/s, for an
account with 10,000 documents, beside the same SQL run straight against PostgreSQL at the same rate.

The documents web app runs as in production (gunicorn) on a fresh database of its own; its projections
are filled directly: DOCUMENTS documents of every kind for one receivable account among twice as many
of other accounts, and one management user holding every area. Its access tokens are verified with a
key set served on loopback, as identity's JWKS would be. A load generator process (bench/open_loop.py)
asks for random pages of 50 on keep-alive connections, REQUESTS of them due RATE a second, each timed
from when it was due. The baseline runs the list's own count and page statements (the visibility rules as
SQL, the total from the projection's counts) the same way, without HTTP.
"""
from __future__ import annotations

import http.client
import os
import random
import tempfile
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import orjson
import psycopg
from psycopg_pool import ConnectionPool

from documents import config as documents_config
from documents.adapters.projections import documents as documents_table, users as users_table
from documents.bootstrap import bootstrap, migrate
from documents.domain.visibility import Reader, scope
from documents.service_layer.document_queries import DocumentFilter, narrowing, statements
from eventkit.envelope import StoredEvent
from eventkit.set_apply import apply_events
from identity.adapters.signing import TokenSigner, generate_signing_key
from tests.documents_samples import content

from . import cpu, open_loop
from .customer_import import ADMIN_DSN, KAFKA
from .http_load import p50_p99_rows, serve_jwks, start_web

DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "10000"))
RATE = float(os.environ.get("BENCH_DOCUMENT_RATE", "300"))
REQUESTS = int(os.environ.get("BENCH_DOCUMENT_REQUESTS", "10000"))  # enough for a p99 that means something
PAGE_SIZE, TENANT, ACCOUNT = 50, "bench", "1200-BENCH"
SQL_CONNECTIONS = 16  # the baseline's; the service has 2 gunicorn processes of a pool of 10 (DB_POOL_SIZE)
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


def http_target(args: dict):
    """The load generator's client: keep-alive GETs of random pages, each answer checked."""
    def make():
        conn = http.client.HTTPConnection(args["host"], args["port"], timeout=30)
        headers = {"Authorization": f"Bearer {args['token']}"}

        def get(path: str):
            conn.request("GET", path, headers=headers)
            answer = conn.getresponse()
            return answer, answer.read()

        def call(n: int) -> str:
            page = random.randint(1, DOCUMENTS // PAGE_SIZE)
            path = f"{args['path']}?page={page}&page_size={PAGE_SIZE}"
            try:
                answer, body = get(path)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                conn.close()  # gunicorn closed the idle keep-alive connection: once more on a new one, as a browser would
                answer, body = get(path)
            if answer.status != 200 or orjson.loads(body)["total"] != DOCUMENTS:
                raise RuntimeError(f"unexpected answer {answer.status}: {body[:300]!r}")
            return str(n)
        return call
    return make, lambda: None


def sql_target(args: dict):
    """The baseline's client: the list's count and page statements, on a pool as small as the service's."""
    reader = Reader(TENANT, args["user_id"], "portal", "management", ACCOUNT, AREAS)
    clause, params = narrowing(scope(reader), DocumentFilter())
    count, page_of = statements(documents_table.TABLE, clause, counted=True)
    # Bounded like the service's pools: a connection per generator thread would exhaust the shared server.
    pool = ConnectionPool(args["dsn"], min_size=2, max_size=SQL_CONNECTIONS, kwargs={"autocommit": True}, open=True)

    def make():
        def call(n: int) -> str:
            page = random.randint(1, DOCUMENTS // PAGE_SIZE)
            with pool.connection() as conn:
                conn.execute(count, params).fetchone()
                conn.execute(page_of, {**params, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}).fetchall()
            return str(n)
        return call
    return make, pool.close


def measure(dsn: str, user_id: str, signer: TokenSigner, jwks_url: str, tmp: Path) -> tuple:
    """(the service's outcome, the direct SQL's), both open loop at RATE for REQUESTS calls."""
    database = psycopg.conninfo.conninfo_to_dict(dsn)["dbname"]
    web, url = start_web("documents", {"PORTICO_DATABASE_URL": dsn, "PORTICO_JWKS_URL": jwks_url,
                                       "PORTICO_KAFKA_BOOTSTRAP": KAFKA}, tmp / "documents-web.log")
    try:
        token = signer.issue(user_id, {"tenant": TENANT, "preferred_username": "bench-buyer",
                                       "user_type": "portal"}, datetime.now(timezone.utc))
        where_ = urlsplit(url)
        target = {"host": where_.hostname, "port": where_.port, "path": f"/v1/tenants/{TENANT}/documents",
                  "token": token}
        warm, _ = http_target(target)
        for n in range(20):  # the key set fetched, every gunicorn process's pool open
            warm()(n)
        with cpu.phase("document list through the service", REQUESTS, databases=(database,)):
            served = open_loop.run("bench.document_list:http_target", target, RATE, REQUESTS,
                                   tmp / "generator.log")
    finally:
        web.terminate()
        web.wait(timeout=30)
    with cpu.phase("document list, the same SQL direct", REQUESTS, databases=(database,)):
        direct = open_loop.run("bench.document_list:sql_target", {"dsn": dsn, "user_id": user_id}, RATE, REQUESTS,
                               tmp / "generator-sql.log")
    return served, direct


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
        with tempfile.TemporaryDirectory(prefix="portico-bench-") as tmp:
            served, direct = measure(dsn, user_id, signer, f"http://127.0.0.1:{jwks.server_port}/jwks.json",
                                     Path(tmp))
    finally:
        jwks.shutdown()
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    note = (f"{REQUESTS:,} requests for random pages of {PAGE_SIZE}, due {RATE:g}/s open loop from a generator "
            f"process on loopback ({served.pacing()}; direct SQL: {direct.pacing()}), gunicorn with production's "
            f"settings; {DOCUMENTS:,} documents of the account among {DOCUMENTS * 3:,}; {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f} at the end")
    rows = p50_p99_rows(f"document list {{}}, {DOCUMENTS:,} documents, {RATE:g} requests/s open loop",
                        served.latencies(), direct.latencies(), "the same count and page SQL, direct", note)
    return [{**row, "sustained": not served.fell_behind()} for row in rows]
