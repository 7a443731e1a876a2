"""Kafka records as an operator sees them: CloudEvents attributes, data, and what they are about."""
from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: str | None
    headers: dict[str, str]
    value: bytes | None

    @classmethod
    def of(cls, record) -> "Record":
        headers = {name: raw.decode(errors="replace") for name, raw in record.headers or ()}
        key = record.key.decode(errors="replace") if record.key is not None else None
        return cls(record.topic, record.partition, record.offset, key, headers, record.value)

    def ce(self, attribute: str, default: str = "") -> str:
        return self.headers.get(f"ce_{attribute}", default)

    @property
    def data(self):
        try:
            return json.loads(self.value) if self.value else None
        except ValueError:
            return None

    def is_about(self, kind: str, ident: str) -> bool:
        """Whether this event concerns that customer or user: its stream, or its data names it."""
        data = self.data if isinstance(self.data, dict) else {}
        return self.ce("subject") == f"{kind}-{ident}" or str(data.get(f"{kind}_id", "")) == ident


@dataclass(frozen=True)
class Filters:
    types: tuple[str, ...] = ()     # exact types or globs: portico.identity.customer.*
    tenant: str | None = None
    customer: str | None = None
    user: str | None = None

    def match(self, record: Record) -> bool:
        if self.types and not any(fnmatch.fnmatchcase(record.ce("type"), t) for t in self.types):
            return False
        if self.tenant and record.ce("tenantid") != self.tenant:
            return False
        if self.customer and not record.is_about("customer", self.customer):
            return False
        return not (self.user and not record.is_about("user", self.user))


def in_time_order(records: Iterable[Record]) -> list[Record]:
    """Oldest first by the CloudEvents time; the producing store's position breaks ties."""
    return sorted(records, key=lambda r: (r.ce("time"), r.ce("source"), int(r.ce("position", "0") or 0)))
