"""Operator commands for the ERP's API keys, e.g.
`python -m documents.entrypoints.admin_cli erp-key-create --tenant demo --name "Main ERP"`
prints the new key once; it is stored only as a hash. Also erp-key-list and erp-key-revoke."""
from __future__ import annotations

import argparse
import uuid

import psycopg
from psycopg.rows import dict_row

from .. import config
from ..adapters import erp_credentials
from ..bootstrap import SCHEMA


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m documents.entrypoints.admin_cli")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("erp-key-create", help="make an API key for a tenant's ERP")
    create.add_argument("--name", required=True, help="which ERP or integration uses it")
    listing = sub.add_parser("erp-key-list", help="a tenant's keys (never the keys themselves)")
    revoke = sub.add_parser("erp-key-revoke", help="stop a key from working")
    revoke.add_argument("credential_id", type=uuid.UUID)
    for command in (create, listing, revoke):
        command.add_argument("--tenant", required=True)
    return parser


def main(argv=None) -> None:
    parser = _parser()
    args = parser.parse_args(argv)
    with psycopg.connect(config.load()["DATABASE_URL"], row_factory=dict_row) as conn:
        conn.execute(SCHEMA.read_text())
        if args.command == "erp-key-create":
            credential_id, key = erp_credentials.create(conn, args.tenant, args.name)
            print(f"credential {credential_id}\nkey {key}\n(shown once: give it to the ERP; it is stored only hashed)")
        elif args.command == "erp-key-list":
            for row in erp_credentials.list_for(conn, args.tenant):
                state = "revoked" if row["revoked_at"] else "active"
                print(row["credential_id"], state, row["created_at"].isoformat(), row["name"])
        elif erp_credentials.revoke(conn, args.tenant, args.credential_id):
            print("revoked")
        else:
            parser.exit(1, "no such active credential for this tenant\n")


if __name__ == "__main__":
    main()
