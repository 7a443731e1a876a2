"""Operator commands for identity.

  python -m identity.entrypoints.admin_cli create-staff --tenant demo --username admin --name "Ada Admin" \\
      --email ada@distributor.example --role system-administrator [--password-stdin]
  python -m identity.entrypoints.admin_cli signing-key     # a new JWT_SIGNING_KEY (Ed25519 private JWK)

create-staff makes a tenant's first system administrator; without a password it gets a set-password link.
"""
from __future__ import annotations

import argparse
import json
import sys

from contracts.identity_users import STAFF_ROLES
from eventkit.envelope import Metadata

from .. import config
from ..adapters.signing import generate_signing_key
from ..bootstrap import bootstrap
from ..domain.errors import DomainError
from ..domain.user_commands import CreateStaffUser
from ..service_layer.staff import create_staff_user


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m identity.entrypoints.admin_cli")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-staff", help="create a staff user (e.g. the first system administrator)")
    create.add_argument("--tenant", required=True)
    create.add_argument("--username", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--email", action="append", default=[])
    create.add_argument("--role", action="append", choices=STAFF_ROLES, default=[])
    create.add_argument("--sales-rep")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    commands.add_parser("signing-key", help="print a new Ed25519 private JWK for PORTICO_JWT_SIGNING_KEY")
    return parser


def create_staff(args) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    identity = bootstrap(config.load())
    try:
        cmd = CreateStaffUser(Metadata(args.tenant, "admin-cli"), None, args.username, args.name, args.email,
                              args.role or ["system-administrator"], args.sales_rep, password)
        user = create_staff_user(cmd, identity.users_uow(), identity.security)
    except DomainError as error:
        print(f"refused ({error.code}): {error}", file=sys.stderr)
        return 1
    finally:
        identity.close()
    print(json.dumps(user.as_dict()))
    return 0


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "signing-key":
        print(json.dumps(generate_signing_key()))
        return 0
    return create_staff(args)


if __name__ == "__main__":
    sys.exit(main())
