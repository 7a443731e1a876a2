"""Demo data for `make up`: the demo tenant's first administrator, some customers, a username administrator.

Everything goes through the services' public APIs (the administrator through identity's operator CLI,
as a real tenant's first one would), so running it again changes nothing.
"""
from __future__ import annotations

import os
import subprocess
import sys

import requests

TENANT = os.environ.get("PORTICO_DEMO_TENANT", "demo")
ADMIN = os.environ.get("PORTICO_DEMO_ADMIN", "admin")
PASSWORD = os.environ.get("PORTICO_DEMO_PASSWORD", "Portico demo 2026")
IDENTITY = os.environ.get("PORTICO_IDENTITY_URL", "http://127.0.0.1:8101")
INVITATIONS = os.environ.get("PORTICO_INVITATIONS_URL", "http://127.0.0.1:8102")

CUSTOMERS = [
    ("ACME", "Acme Tools Ltd", "Wholesale", "rep-1", "A", "ap@acme.example;buyer@acme.example"),
    ("BETA", "Beta Bolts & Nuts", "Wholesale", "rep-2", "A", "accounts@beta.example"),
    ("CORN", "Cornerstone Hardware", "Retail", "rep-1", "B", "office@cornerstone.example"),
    ("DELT", "Delta Fixings", "Retail", "rep-2", "B", ""),
    ("ECHO", "Echo Builders Supply", "Contractor", "rep-1", "C", "purchasing@echo.example"),
]


def service_env(service: str) -> dict:
    """The environment deploy/local/services.sh gives a service (its database, its keys)."""
    lines = subprocess.run(["bash", "deploy/local/services.sh", "env", service], check=True,
                           capture_output=True, text=True).stdout.splitlines()
    return {**os.environ, **dict(line.split("=", 1) for line in lines if "=" in line)}


def ensure_administrator() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "identity.entrypoints.admin_cli", "create-staff", "--tenant", TENANT,
         "--username", ADMIN, "--name", "Demo Administrator", "--email", "admin@distributor.example",
         "--role", "system-administrator", "--role", "in-house", "--password-stdin"],
        input=PASSWORD + "\n", env=service_env("identity"), capture_output=True, text=True)
    if result.returncode != 0 and "username" not in result.stderr.lower():
        raise SystemExit(f"could not create the demo administrator: {result.stderr.strip()}")


def login() -> dict:
    answer = requests.post(f"{IDENTITY}/v1/tenants/{TENANT}/auth/login",
                           json={"username": ADMIN, "password": PASSWORD}, timeout=30)
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def load(headers: dict) -> None:
    for code, name, customer_type, rep, price_list, emails in CUSTOMERS:
        body = {"name": name, "receivable_account": f"1200-{code}", "customer_type": customer_type,
                "sales_rep": rep, "price_list": price_list, "emails": emails}
        requests.put(f"{IDENTITY}/v1/tenants/{TENANT}/customers/{code}", json=body, headers=headers,
                     timeout=30).raise_for_status()
    requests.put(f"{INVITATIONS}/v1/tenants/{TENANT}/username-administrators",
                 json={"emails": ["admin@distributor.example"]}, headers=headers, timeout=30).raise_for_status()


def main() -> None:
    ensure_administrator()
    load(login())
    print(f"demo tenant '{TENANT}': staff login {ADMIN} / {PASSWORD!r}, {len(CUSTOMERS)} customers, "
          "one username administrator")


if __name__ == "__main__":
    main()
