"""Logins per second per core at Keycloak's argon2id cost, beside a bare argon2-cffi verify loop at that cost.

`python -m bench.logins` (run by `make bench`). Both are measured in this run on this machine:
- bare: argon2-cffi verifying one hash in a loop, the floor a login cannot go below;
- login: identity's whole log_in handler (failure row lock, user stream, argon2id, JWT, refresh
  token) against a fresh PostgreSQL database, Kafka not needed.
"Per core" divides by the CPU time this process used (argon2 lanes run on threads), so the figure
does not depend on how many cores the machine has; PostgreSQL's own CPU is not in it.
"""
from __future__ import annotations

import os
import time
import uuid

import psycopg
from argon2 import PasswordHasher

from eventkit.envelope import Metadata
from identity import config
from identity.bootstrap import bootstrap, migrate
from identity.domain.user_commands import CreateStaffUser
from identity.service_layer.auth import log_in
from identity.service_layer.staff import create_staff_user

from .customer_import import fresh_keys

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
ADMIN_DSN = os.environ.get("PORTICO_PG_ADMIN_DSN", "postgresql://portico_admin:portico_admin@127.0.0.1:54329/postgres")
PASSWORD = "benchmark passphrase 42"
# Keycloak's default argon2id cost (5 passes over 7 MiB, one lane), which issue 15 asks logins to afford;
# identity's default since. The former default (OWASP's), for the note: what the change cost a login.
KEYCLOAK = {"ARGON2_TIME_COST": 5, "ARGON2_MEMORY_COST_KIB": 7 * 1024, "ARGON2_PARALLELISM": 1}
FORMER = {"ARGON2_TIME_COST": 2, "ARGON2_MEMORY_COST_KIB": 19 * 1024, "ARGON2_PARALLELISM": 1}


def _measure(operation) -> dict:
    operation()  # warm up
    count, wall, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - wall < SECONDS:
        operation()
        count += 1
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"per_second": count / wall, "per_core_second": count / cpu, "ms_each": 1000 * wall / count}


def bare(settings: dict) -> dict:
    hasher = PasswordHasher(settings["ARGON2_TIME_COST"], settings["ARGON2_MEMORY_COST_KIB"],
                            parallelism=settings["ARGON2_PARALLELISM"])
    digest = hasher.hash(PASSWORD)
    return _measure(lambda: hasher.verify(digest, PASSWORD))


def logins(settings: dict) -> dict:
    migrate(settings)
    identity = bootstrap(settings)
    tenant = "bench"
    try:
        create_staff_user(CreateStaffUser(Metadata(tenant, "bench"), None, "bench.admin", "Bench", [],
                                          ["system-administrator"], None, PASSWORD),
                          identity.users_uow(), identity.security)
        meta = Metadata(tenant, "bench.admin")
        return _measure(lambda: log_in(meta, "bench.admin", PASSWORD, identity.users_uow(), identity.security))
    finally:
        identity.close()


def run() -> list[dict]:
    """The login figure beside the bare argon2id loop (bench/__init__.py says the row's shape)."""
    name = f"bench_{uuid.uuid4().hex[:8]}_identity"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    settings = config.load({"DATABASE_URL": psycopg.conninfo.make_conninfo(ADMIN_DSN, dbname=name), **fresh_keys(),
                            **KEYCLOAK})
    try:
        cost = (f"argon2id t={settings['ARGON2_TIME_COST']} m={settings['ARGON2_MEMORY_COST_KIB'] // 1024}MiB "
                f"p={settings['ARGON2_PARALLELISM']}")
        floor, login, former = bare(settings), logins(settings), bare({**settings, **FORMER})
        default = all(config.DEFAULTS[k] == v for k, v in KEYCLOAK.items())
        return [{"benchmark": "identity logins", "value": round(login["per_core_second"], 1),
                 "unit": "logins/s per core", "baseline": round(floor["per_core_second"], 1),
                 "baseline_name": "bare argon2-cffi verify loop",
                 "notes": f"{cost} ({'identity' if default else 'NOT identity'}'s default); login "
                          f"{login['ms_each']:.1f} ms, bare verify {floor['ms_each']:.1f} ms (wall, one thread); "
                          f"CPU per bare verify {1000 / floor['per_core_second']:.1f} ms, at the former default "
                          f"t=2 m=19MiB {1000 / former['per_core_second']:.1f} ms"}]
    finally:
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    print(run())
