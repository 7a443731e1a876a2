"""Read-your-writes: a command answers with where its events went; a query passes that back as
`?after=` and waits, bounded, until the read model it reads has applied them.

The token, in the `Portico-Position` header of every command that wrote something, is a list of
`<topic>:<partition>:<position>`, one per partition written to, with the highest position there.

Why per partition, and why that is enough (the guarantee):
- Positions come from the writing service's event store, which commits in position order (store.py).
- The relay publishes in position order with an idempotent producer, so along one partition every
  event's first copy follows all lower positions of that partition: a failed batch fails the later
  ones of the same partition and they are retried in order. A redelivery repeats, never skips.
- A consumer runner applies a partition in offset order and records, in the same transaction as
  the projection's change, the highest source position it applied there (consumer_positions).
- So `source_position >= P` for (consumer, topic, partition) means every event of that partition
  up to P is in the read model. A stream's events share one partition (the key is the stream id).
- Positions cannot be compared across partitions: a quiet partition never reaches a later position,
  and a busy one reaching it says nothing of the others. Hence the token names the partitions.
The partition is murmur2(key) % partitions, the choice of the relay's producer (kafka-python's
default partitioner, as Java's), with the counts ensure_topics creates (contracts/topics.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Protocol

from kafka.partitioner.default import murmur2
from marshmallow import Schema, fields

from .envelope import StoredEvent
from .patterns import FullMatch

HEADER = "Portico-Position"
TOKEN = re.compile(r"^[A-Za-z0-9._-]+:\d{1,9}:\d{1,18}(,[A-Za-z0-9._-]+:\d{1,9}:\d{1,18})*$")


@dataclass(frozen=True, order=True)
class Mark:
    topic: str
    partition: int
    position: int

    def __str__(self) -> str:
        return f"{self.topic}:{self.partition}:{self.position}"


def partition_for(key: str, partitions: int) -> int:
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def marks(events: Iterable[tuple[str, StoredEvent]], partitions: Mapping[str, int], prefix: str = "") -> list[Mark]:
    """The highest position written to each (topic, partition); events come with their topic."""
    highest: dict[tuple[str, int], int] = {}
    for topic, event in events:
        where = (prefix + topic, partition_for(event.stream_id, partitions[topic]))
        highest[where] = max(highest.get(where, 0), event.position)
    return sorted(Mark(t, p, position) for (t, p), position in highest.items())


def encode(written: Iterable[Mark]) -> str:
    return ",".join(str(m) for m in written)


def decode(token: str) -> list[Mark]:
    """The marks in a token; raise ValueError if it is not one."""
    if not TOKEN.fullmatch(token or ""):
        raise ValueError(f"not a position token: {token!r}")
    return [Mark(t, int(p), int(n)) for t, p, n in (item.rsplit(":", 2) for item in token.split(","))]


class ReadAfterQuery(Schema):
    """Query parameters of a read that can wait for the caller's own writes."""

    after = fields.String(load_default=None, validate=FullMatch(TOKEN, error="Not a position token."),
                          metadata={"description": f"The `{HEADER}` header of your command's answer: wait "
                                                   "(a few seconds at most) until this read shows that write."})


class ReadModel(Protocol):
    topics: frozenset[str]

    def behind(self, conn, wanted: list[Mark]) -> list[Mark]:
        """The wanted marks this read model has not reached yet."""


@dataclass(frozen=True)
class Projected:
    """A projection fed by a consumer runner; where it stands is in consumer_positions."""

    consumer: str
    topics: frozenset[str]

    @classmethod
    def of(cls, projection, prefix: str = "") -> "Projected":
        return cls(projection.name, frozenset(prefix + t for t in projection.topics))

    def behind(self, conn, wanted: list[Mark]) -> list[Mark]:
        rows = conn.execute("SELECT topic, kafka_partition AS partition, source_position FROM consumer_positions"
                            " WHERE consumer = %s", (self.consumer,)).fetchall()
        reached = {(r["topic"], r["partition"]): r["source_position"] for r in rows}
        return [m for m in wanted if reached.get((m.topic, m.partition), 0) < m.position]


@dataclass(frozen=True)
class Stored:
    """The service's own event store (and tables written with it): its writes are visible once
    committed, so only a position it never wrote (another environment's, or invented) waits."""

    topics: frozenset[str]

    @classmethod
    def of(cls, prefix: str, *topics: str) -> "Stored":
        return cls(frozenset(prefix + t for t in topics))

    def behind(self, conn, wanted: list[Mark]) -> list[Mark]:
        head = conn.execute("SELECT coalesce(max(position), 0) AS head FROM events").fetchone()["head"]
        return [m for m in wanted if m.position > head]
