"""`dead-letters`: records no consumer could apply, shown and sent back to their topic after a fix.

A dead letter's id is `<partition>:<offset>` on the dead-letter topic. A retry republishes the
original record (key, value, CloudEvents headers; not the dlq_* ones) to the topic it came from and
is recorded in the consuming service's `dead_letter_retries` table in the same transaction, so the
same dead letter is never sent back twice. Consumers that had applied the event already skip it
(processed_events), so only the one that failed applies it, once.
"""
from __future__ import annotations

from dataclasses import dataclass

import psycopg
from kafka import KafkaProducer
from psycopg.rows import dict_row

from eventkit.kafka import create_producer

from .events import read_topic
from .records import Record
from .settings import Settings


@dataclass(frozen=True)
class DeadLetter:
    record: Record

    @property
    def id(self) -> str:
        return f"{self.record.partition}:{self.record.offset}"

    def dlq(self, name: str) -> str:
        return self.record.headers.get(f"dlq_{name}", "")

    def summary(self, retried: dict) -> dict:
        r = self.record
        return {"id": self.id, "consumer": self.dlq("consumer"), "topic": self.dlq("topic"),
                "at": f"{self.dlq('partition')}@{self.dlq('offset')}", "tenant": r.ce("tenantid") or "?",
                "type": r.ce("type") or "?",
                "event": r.ce("id") or "?", "error": self.dlq("error")[:100],
                "retried": retried.get(self.id, "")}


class NotFound(LookupError):
    pass


def all_dead_letters(settings: Settings) -> list[DeadLetter]:
    return [DeadLetter(r) for r in read_topic(settings, settings.dead_letter_topic())]


def find(settings: Settings, dead_letter_id: str) -> DeadLetter:
    for letter in all_dead_letters(settings):
        if letter.id == dead_letter_id:
            return letter
    raise NotFound(f"no dead letter {dead_letter_id} on {settings.dead_letter_topic()}")


def retried(settings: Settings) -> dict[str, str]:
    """Dead letter id -> 'when by whom', from every reachable service database."""
    found = {}
    for dsn in settings.databases.values():
        try:
            with psycopg.connect(dsn, row_factory=dict_row, connect_timeout=3) as conn:
                for row in conn.execute("SELECT dead_letter, retried_at, retried_by FROM dead_letter_retries"
                                        " WHERE starts_with(dead_letter, %s)", (_key(settings, ""),)):
                    letter_id = row["dead_letter"][len(_key(settings, "")):]
                    found[letter_id] = f"{row['retried_at']:%Y-%m-%d %H:%M:%S} by {row['retried_by']}"
        except psycopg.Error:  # unreachable, or a service not deployed yet
            continue
    return found


def retry(settings: Settings, letter: DeadLetter, producer: KafkaProducer | None = None) -> str:
    """Send one dead letter back to its topic; 'retried' or 'already retried ...'."""
    dsn = _database_of(settings, letter.dlq("consumer"))
    own = producer is None
    producer = producer or create_producer(settings.bootstrap, "portico-ops-retry")
    try:
        with psycopg.connect(dsn, row_factory=dict_row) as conn, conn.transaction():
            claimed = conn.execute(
                "INSERT INTO dead_letter_retries (dead_letter, consumer, event_id, topic, retried_by)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (dead_letter) DO NOTHING RETURNING dead_letter",
                (_key(settings, letter.id), letter.dlq("consumer"), letter.record.ce("id") or None,
                 letter.dlq("topic"), settings.operator)).fetchone()
            if not claimed:
                return "already retried"
            headers = [(k, v.encode()) for k, v in letter.record.headers.items() if not k.startswith("dlq_")]
            key = letter.record.key.encode() if letter.record.key is not None else None
            # Wait for the broker's acknowledgement inside the transaction: no record, no claim.
            producer.send(letter.dlq("topic"), key=key, value=letter.record.value, headers=headers).get(timeout=30)
        return "retried"
    finally:
        if own:
            producer.close(timeout=5)


def _key(settings: Settings, letter_id: str) -> str:
    """Recorded as `<dead-letter topic>/<id>`: the topic (with its prefix) says which environment."""
    return f"{settings.dead_letter_topic()}/{letter_id}"


def _database_of(settings: Settings, consumer: str) -> str:
    """The database of the service that runs this consumer: the one holding its positions."""
    for dsn in settings.databases.values():
        try:
            with psycopg.connect(dsn, connect_timeout=3) as conn:
                # A rebuild's runner (`<name>~rebuild`) hands its rows to <name> when it switches.
                if conn.execute("SELECT 1 FROM consumer_positions WHERE consumer = %s"
                                " UNION ALL SELECT 1 FROM projection_tables WHERE name = split_part(%s, '~', 1)"
                                " LIMIT 1", (consumer, consumer)).fetchone():
                    return dsn
        except psycopg.Error:  # unreachable, or a service not deployed yet
            continue
    raise NotFound(f"no service database knows consumer {consumer!r}: "
                   "set PORTICO_<SERVICE>_DATABASE_URL or PORTICO_PG_ADMIN_DSN")
