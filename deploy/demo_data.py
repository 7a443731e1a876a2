"""Demo data for `make up`: the demo tenant's first administrator, the portal registered as its OpenID Connect
client, some customers, a username administrator,
a portal user for Acme and Acme's documents as an ERP would publish them (and one of Beta's, which the
Acme user must never see).

Everything goes through the services' public APIs (the administrator through identity's operator CLI,
as a real tenant's first one would), so running it again changes nothing.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import requests

from frontend.oidc import registration

TENANT = os.environ.get("PORTICO_DEMO_TENANT", "demo")
ADMIN = os.environ.get("PORTICO_DEMO_ADMIN", "admin")
PASSWORD = os.environ.get("PORTICO_DEMO_PASSWORD", "Portico demo 2026")
IDENTITY = os.environ.get("PORTICO_IDENTITY_URL", "http://127.0.0.1:8101")
INVITATIONS = os.environ.get("PORTICO_INVITATIONS_URL", "http://127.0.0.1:8102")
DOCUMENTS = os.environ.get("PORTICO_DOCUMENTS_URL", "http://127.0.0.1:8104")
WEB = os.environ.get("PORTICO_WEB_URL", "http://127.0.0.1:8100")
PORTAL_USER = "acme.buyer"
PORTAL_PASSWORD = os.environ.get("PORTICO_DEMO_PORTAL_PASSWORD", "Portal demo 2026")
# The demo ERP's key is shown once when made; kept here (outside git) so a second `make up` reuses it.
ERP_KEY_FILE = Path(os.environ.get("PORTICO_STATE", ".portico")) / "demo-erp-key"

_LINE = {"line_number": 1, "item_code": "BOLT-M8", "description": "Hex bolt M8x40", "quantity": "400",
         "unit": "pcs", "unit_price": "0.25", "discount": "0.00", "amount": "100.00"}
_PRICED = {"currency": "EUR", "lines": [_LINE], "subtotal": "100.00", "tax": "19.00", "total": "119.00",
           "customer_reference": "PO-1042"}
DOCUMENTS_OF = [  # (area, number, body)
    ("quotes", "Q-1001", {**_PRICED, "receivable_account": "1200-ACME", "issued_on": "2026-11-02",
                          "status": "pending", "valid_until": "2026-12-31"}),
    ("quotes", "Q-1002", {**_PRICED, "receivable_account": "1200-ACME", "issued_on": "2026-11-20",
                          "status": "draft", "valid_until": "2026-12-31"}),  # a draft: never shown
    ("orders", "SO-2001", {**_PRICED, "receivable_account": "1200-ACME", "issued_on": "2026-11-05",
                           "internal_status": "credit hold", "customer_status": "Processing",
                           "placed_by_user_id": None, "due_on": "2026-11-30"}),
    ("invoices", "INV-3001", {**_PRICED, "receivable_account": "1200-ACME", "issued_on": "2026-11-10",
                              "status": "open", "due_on": "2026-12-10", "order_numbers": ["SO-2001"],
                              "amount_paid": "0.00", "balance_due": "119.00"}),
    ("ar_statements", "ST-ACME-2026-11", {
        "receivable_account": "1200-ACME", "issued_on": "2026-11-27", "currency": "EUR",
        "period_from": "2026-11-01", "opening_balance": "0.00", "closing_balance": "119.00",
        "entries": [{"entry_date": "2026-11-10", "reference": "INV-3001", "description": "Invoice",
                     "debit": "119.00", "credit": None, "balance": "119.00"}],
        "aging": {"current": "119.00", "days_1_30": "0.00", "days_31_60": "0.00", "days_61_90": "0.00",
                  "over_90": "0.00"}}),
    ("shipments", "SH-4001", {"receivable_account": "1200-ACME", "issued_on": "2026-11-12", "status": "shipped",
                              "order_number": "SO-2001", "carrier": "DHL", "tracking_numbers": ["JD0146000123"],
                              "packing_slips": [{"number": "PS-4001",
                                                 "url": "https://erp.example/slips/PS-4001.pdf"}],
                              "lines": [{k: _LINE[k] for k in ("line_number", "item_code", "description",
                                                               "quantity", "unit")}]}),
    ("invoices", "INV-3002", {**_PRICED, "receivable_account": "1200-BETA", "issued_on": "2026-11-11",
                              "status": "open", "due_on": "2026-12-11", "order_numbers": [],
                              "amount_paid": "0.00", "balance_due": "119.00"}),  # Beta's: not Acme's to see
]

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


def ensure_portal_user(headers: dict) -> None:
    """Acme's buyer, with every area; the initial password must be changed at the first login."""
    answer = requests.post(f"{IDENTITY}/v1/tenants/{TENANT}/users", headers=headers, timeout=30, json={
        "customer_code": "ACME", "username": PORTAL_USER,
        "emails": ["buyer@acme.example"], "areas": ["ALL"], "send_welcome_email": False,
        "initial_password": PORTAL_PASSWORD})
    if answer.status_code != 409:  # 409: made by an earlier `make up`
        answer.raise_for_status()


def ensure_portal_client(headers: dict) -> None:
    """The reference portal, a public client of the tenant (it logs in with the code flow and PKCE); an
    earlier `make up`'s registration gets this run's addresses."""
    body = registration(WEB, os.environ.get("PORTICO_WEB_CLIENT_ID", "portal"))
    clients = f"{IDENTITY}/v1/tenants/{TENANT}/oidc/clients"
    answer = requests.post(clients, json=body, headers=headers, timeout=30)
    if answer.status_code == 409:
        changeable = {k: body[k] for k in ("name", "redirect_uris", "post_logout_redirect_uris", "sign_up_uri")}
        answer = requests.put(f"{clients}/{body['client_id']}", json=changeable, headers=headers, timeout=30)
    answer.raise_for_status()


def erp_headers() -> dict:
    if not ERP_KEY_FILE.exists():
        made = subprocess.run([sys.executable, "-m", "documents.entrypoints.admin_cli", "erp-key-create",
                               "--tenant", TENANT, "--name", "demo ERP"],
                              env=service_env("documents"), check=True, capture_output=True, text=True).stdout
        key = next(line.split(" ", 1)[1] for line in made.splitlines() if line.startswith("key "))
        ERP_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        ERP_KEY_FILE.write_text(key)
        ERP_KEY_FILE.chmod(0o600)
    return {"Authorization": f"Bearer {ERP_KEY_FILE.read_text().strip()}"}


def publish_documents(headers: dict) -> None:
    """PUT by number: publishing the same body again changes nothing."""
    for area, number, body in DOCUMENTS_OF:
        requests.put(f"{DOCUMENTS}/v1/tenants/{TENANT}/documents/{area}/{number}", json=body, headers=headers,
                     timeout=30).raise_for_status()


def main() -> None:
    ensure_administrator()
    staff = login()
    load(staff)
    ensure_portal_client(staff)
    ensure_portal_user(staff)
    publish_documents(erp_headers())
    print(f"demo tenant '{TENANT}': staff login {ADMIN} / {PASSWORD!r}, {len(CUSTOMERS)} customers, "
          f"one username administrator; portal login {PORTAL_USER} / {PORTAL_PASSWORD!r} (change it at the "
          f"first login), {len(DOCUMENTS_OF)} documents from the demo ERP")


if __name__ == "__main__":
    main()
