"""Projection: the name each tenant's customers know the distributor by (the invitations service's
settings), so identity's own login pages are headed with it as the portal's are."""
from __future__ import annotations

from contracts.topics import INVITATIONS
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Row, Statement, last_write_wins

TABLE = "company_names_v1"
NAME = "identity.company_names.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id     text PRIMARY KEY,
    company_name  text NOT NULL
);
"""

NAMED = Statement(
    "INSERT INTO {table} (tenant_id, company_name) SELECT tenant_id, company_name FROM {rows}"
    " ON CONFLICT (tenant_id) DO UPDATE SET company_name = EXCLUDED.company_name",
    columns={"tenant_id": "text", "company_name": "text"}, key=("tenant_id",), merge=last_write_wins)


def settings_changed(event: StoredEvent) -> list[Row]:
    name = event.data["changes"].get("company_name")
    return [NAMED.row(tenant_id=event.tenant_id, company_name=name)] if name else []


PROJECTION = Projection(
    name=NAME,
    topics=[INVITATIONS],
    reducers={"portico.invitations.settings.changed": settings_changed},
    table=TABLE,
    schema=SCHEMA,
)
