"""Crypto-shredding's two commands (issue 17): release people's data keys to a service's consumer, audited,
and forget a person for good: their key deleted, `subject.forgotten` appended to their stream, and identity's
own copies of their values (the username directory, import staging) replaced or dropped in the same
transaction."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from marshmallow import ValidationError

from eventkit.envelope import Metadata, NewEvent
from eventkit.personal import FORGOTTEN
from eventkit.store import StreamAppend

from ..adapters import subject_keys
from ..domain.errors import PersonNotFound

FORGOTTEN_EVENT = "portico.identity.subject.forgotten"
_SUBJECT = re.compile(r"^(contact|user|customer)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


def parse_subject(subject: str) -> tuple[str, str]:
    """(kind, id) of contact-<id>, user-<id> or customer-<id>; a 400 naming `subject` otherwise."""
    match = _SUBJECT.match(subject or "")
    if match is None:
        raise ValidationError({"subject": ["A person is contact-<id>, user-<id> or customer-<id> (an individual "
                                           "customer), the id in lower-case UUID form."]})
    return match.group(1), match.group(2)


def release_keys(pool, wrapper, tenant_id: str, caller: str, subjects: list[str],
                 make: bool = False) -> tuple[dict[str, bytes | None], list[str]]:
    """The data keys of those people (None: forgotten or never sealed) and who is forgotten, the release
    recorded first; `make`: a person with no key yet (their events predate sealing) gets one now."""
    with pool.connection() as conn:
        conn.execute("INSERT INTO personal_data_releases (tenant_id, caller, subjects) VALUES (%s, %s, %s)",
                     (tenant_id, caller, subjects))
        keys = subject_keys.keys_of(conn, wrapper, tenant_id, subjects)
        if make:
            keys.update(subject_keys.keys_made(conn, wrapper, tenant_id,
                                               people_among(conn, tenant_id, [s for s in subjects if s not in keys])))
        forgotten = [s for s, key in keys.items() if key is None]
    return {subject: keys.get(subject) for subject in subjects}, sorted(forgotten)


def people_among(conn, tenant_id: str, subjects: list[str]) -> set[str]:
    """Those subjects that are people identity knows: a portal user, a contact, an individual customer
    (a company's values are nobody's personal data, so it never gets a key)."""
    ids = {kind: [] for kind in ("user", "contact", "customer")}
    for subject in subjects:
        kind, subject_id = parse_subject(subject)
        ids[kind].append(subject_id)
    rows = conn.execute(
        "SELECT 'user-' || substr(stream_id, 6) AS subject FROM events WHERE tenant_id = %(t)s AND stream_id ="
        " ANY(%(users)s) AND event_type IN ('portico.identity.user.created', 'portico.identity.user.registered')"
        " UNION SELECT 'customer-' || substr(stream_id, 10) FROM events WHERE tenant_id = %(t)s AND stream_id ="
        " ANY(%(customers)s) AND event_type IN ('portico.identity.customer.created',"
        " 'portico.identity.customer.imported') AND data->>'kind' = 'individual'"
        " UNION SELECT 'contact-' || (data->>'contact_id') FROM events WHERE tenant_id = %(t)s AND %(any_contact)s"
        " AND event_type = 'portico.identity.customer.contact_added' AND data->>'contact_id' = ANY(%(contacts)s)",
        {"t": tenant_id, "users": [f"user-{i}" for i in ids["user"]],
         "customers": [f"customer-{i}" for i in ids["customer"]], "contacts": ids["contact"],
         "any_contact": bool(ids["contact"])}).fetchall()
    return {r["subject"] for r in rows}


def _stream_of(conn, tenant_id: str, kind: str, subject_id: str) -> tuple[str, str] | None:
    """The person's stream (where their values are) and the customer they belong to."""
    if kind == "contact":
        row = conn.execute("SELECT stream_id, data->>'customer_id' AS customer_id FROM events WHERE tenant_id = %s"
                           " AND event_type = 'portico.identity.customer.contact_added' AND data->>'contact_id' = %s"
                           " LIMIT 1", (tenant_id, subject_id)).fetchone()
    elif kind == "user":
        row = conn.execute("SELECT stream_id, data->>'customer_id' AS customer_id FROM events WHERE tenant_id = %s"
                           " AND stream_id = %s AND event_type IN ('portico.identity.user.created',"
                           " 'portico.identity.user.registered') LIMIT 1", (tenant_id, f"user-{subject_id}")).fetchone()
    else:
        row = conn.execute("SELECT stream_id, data->>'customer_id' AS customer_id FROM events WHERE tenant_id = %s"
                           " AND stream_id = %s AND event_type IN ('portico.identity.customer.created',"
                           " 'portico.identity.customer.imported') AND data->>'kind' = 'individual' LIMIT 1",
                           (tenant_id, f"customer-{subject_id}")).fetchone()
    return (row["stream_id"], row["customer_id"]) if row else None


def _forget_copies(conn, tenant_id: str, kind: str, subject_id: str, events) -> None:
    """Identity's own tables that hold the person's values in clear: marked, or dropped from staging."""
    if kind == "user":
        conn.execute("UPDATE usernames SET person_name = CASE WHEN person_name IS NULL THEN NULL ELSE %s END,"
                     " emails = '{}' WHERE tenant_id = %s AND user_id = %s", (FORGOTTEN, tenant_id, subject_id))
        return
    codes = {e.data.get("code") for e in events if e.data.get("code")}
    if kind == "customer":
        conn.execute("DELETE FROM import_rows WHERE customer_code = ANY(%s) AND job_id IN"
                     " (SELECT job_id FROM import_jobs WHERE tenant_id = %s)", (list(codes), tenant_id))
        return
    emails = {str(v).lower() for e in events if str(e.data.get("contact_id")) == subject_id
              for v in (e.data.get("email"), (e.data.get("changes") or {}).get("email")) if v}
    conn.execute("DELETE FROM import_rows WHERE record_type = 'contact' AND customer_code = ANY(%s)"
                 " AND lower(fields->>'email') = ANY(%s) AND job_id IN"
                 " (SELECT job_id FROM import_jobs WHERE tenant_id = %s)", (list(codes), list(emails), tenant_id))


def forget(uow, meta: Metadata, subject: str, reason: str) -> dict:
    """Forget a person (idempotent: a second time changes nothing and answers the first time's moment)."""
    kind, subject_id = parse_subject(subject)
    tenant_id = meta.tenant_id
    with uow:
        found = _stream_of(uow.conn, tenant_id, kind, subject_id)
        if found is None:
            raise PersonNotFound(kind)
        stream_id, customer_id = found
        events = uow.read_stream(stream_id)  # opened while the key still exists: what staging must drop
        if subject_keys.forget(uow.conn, tenant_id, subject, reason):
            _forget_copies(uow.conn, tenant_id, kind, subject_id, events)
            data = {"subject": subject, "subject_kind": kind, "subject_id": subject_id, "customer_id": customer_id,
                    "reason": reason, "forgotten_by": meta.actor}
            uow.append([StreamAppend(stream_id, stream_id.split("-", 1)[0], len(events),
                                     [NewEvent(FORGOTTEN_EVENT, 1, data)])], meta)
        row = uow.conn.execute("SELECT forgotten_at FROM subject_keys WHERE tenant_id = %s AND subject = %s",
                               (tenant_id, subject)).fetchone()
    return {"subject": subject, "forgotten_at": (row["forgotten_at"] or datetime.now(timezone.utc)).isoformat()}
