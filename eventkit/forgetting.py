"""A projection's answer to a person forgotten (issue 17): one set-based UPDATE that replaces the person's
values in its table with markers, from the `portico.identity.subject.forgotten` event.

A rebuild needs it too: the person's values opened to markers anyway (their key is gone), but events
written before sealing hold clear values, and the forgotten event, which follows them in the person's
stream, marks what they left.
"""
from __future__ import annotations

from typing import Mapping

from .envelope import StoredEvent
from .personal import FORGOTTEN
from .projection import Reducer, Statement, last_write_wins

FORGOTTEN_EVENT = "portico.identity.subject.forgotten"
MARKER = "'" + FORGOTTEN.replace("'", "''") + "'"  # the marker as an SQL literal, for text columns
EMPTY = "'{{}}'::text[]"  # an empty array: no e-mail address left to write to
KEEP_NULL = "CASE WHEN t.{column} IS NULL THEN NULL ELSE " + MARKER + " END"  # an optional text column


def forgetting(kinds: tuple[str, ...], id_column: str, markers: Mapping[str, str]) -> Reducer:
    """The reducer of the forgotten event for people of these kinds ('user', 'customer', 'contact') whose id
    is `id_column` of the table; `markers`: column -> the SQL value that replaces it ({column} filled in)."""
    assignments = ", ".join(f"{column} = {value.format(column=column)}" for column, value in markers.items())
    statement = Statement(
        f"UPDATE {{table}} AS t SET {assignments} FROM {{rows}}"
        f" WHERE t.tenant_id = rows.tenant_id AND t.{id_column} = rows.subject_id",
        columns={"tenant_id": "text", "subject_id": "uuid"}, key=("tenant_id", "subject_id"), merge=last_write_wins)

    def subject_forgotten(event: StoredEvent):
        data = event.data
        return [statement.row(tenant_id=event.tenant_id, subject_id=data["subject_id"])] \
            if data["subject_kind"] in kinds else []
    return subject_forgotten
