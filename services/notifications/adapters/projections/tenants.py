"""Projection: what the invitations service says about each tenant: its username administrators
(who review new usernames, seed 004) and the company name its customers know it by."""
from __future__ import annotations

from contracts.topics import INVITATIONS
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Row, Statement, last_write_wins

TABLE = "tenants_v1"
NAME = "notifications.tenants.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id                 text    PRIMARY KEY,
    username_administrators   text[]  NOT NULL DEFAULT '{}',
    company_name              text
);
"""


ADMINISTRATORS = Statement(
    "INSERT INTO {table} (tenant_id, username_administrators) SELECT tenant_id, emails FROM {rows}"
    " ON CONFLICT (tenant_id) DO UPDATE SET username_administrators = EXCLUDED.username_administrators",
    columns={"tenant_id": "text", "emails": "text[]"}, key=("tenant_id",), merge=last_write_wins)
COMPANY_NAME = Statement(
    "INSERT INTO {table} (tenant_id, company_name) SELECT tenant_id, company_name FROM {rows}"
    " ON CONFLICT (tenant_id) DO UPDATE SET company_name = EXCLUDED.company_name",
    columns={"tenant_id": "text", "company_name": "text"}, key=("tenant_id",), merge=last_write_wins)


def administrators_changed(event: StoredEvent) -> list[Row]:
    return [ADMINISTRATORS.row(tenant_id=event.tenant_id, emails=[e.lower() for e in event.data["emails"]])]


def settings_changed(event: StoredEvent) -> list[Row]:
    if "company_name" not in event.data["changes"]:
        return []
    return [COMPANY_NAME.row(tenant_id=event.tenant_id, company_name=event.data["changes"]["company_name"])]


PROJECTION = Projection(
    name=NAME,
    topics=[INVITATIONS],
    reducers={
        "portico.invitations.settings.username_administrators_changed": administrators_changed,
        "portico.invitations.settings.changed": settings_changed,
    },
    table=TABLE,
    schema=SCHEMA,
)
