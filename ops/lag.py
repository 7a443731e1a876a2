"""`lag`: how far each consumer group and each projection is behind the head of its topics, and which
worker process's relay holds each service's relay lock (the one that publishes)."""
from __future__ import annotations

import psycopg
from kafka import KafkaAdminClient
from psycopg.rows import dict_row

from eventkit.metrics import RELAY_HOLDER
from eventkit.offsets import Heads, topic_heads
from eventkit.outbox import RELAY_LOCK

from .settings import Settings


def consumer_groups(settings: Settings) -> list[dict]:
    """Each consumer group's committed offset, the head and the lag, per partition (Kafka's view)."""
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap, client_id="portico-ops")
    try:
        groups = sorted(g["group_id"] for g in admin.list_groups()
                        if g.get("protocol_type") in ("consumer", "") and g["group_id"].startswith(settings.prefix))
        committed = admin.list_group_offsets(groups) if groups else {}
    finally:
        admin.close()
    topics = sorted({tp.topic for offsets in committed.values() for tp in offsets})
    heads = topic_heads(settings.bootstrap, topics) if topics else {}
    rows = []
    for group in groups:
        offsets = {(tp.topic, tp.partition): o.offset for tp, o in committed.get(group, {}).items()}
        for topic in sorted({t for t, _ in offsets}):
            for (t, partition), (first, end) in sorted(heads.items()):
                if t == topic:
                    at = offsets.get((t, partition), first)
                    rows.append({"group": group, "topic": settings.short(t), "partition": partition,
                                 "committed": at, "head": end, "lag": max(end - max(at, first), 0)})
    return rows


def projections(settings: Settings) -> list[dict]:
    """Each projection's applied position per partition, from each service's consumer_positions."""
    positions = []
    for service, dsn in settings.databases.items():
        try:
            with psycopg.connect(dsn, row_factory=dict_row, connect_timeout=3) as conn:
                for row in conn.execute("SELECT consumer, topic, kafka_partition, kafka_offset, updated_at"
                                        " FROM consumer_positions ORDER BY consumer, topic, kafka_partition"):
                    if row["topic"].startswith(settings.prefix):
                        positions.append({"service": service, **row})
        except psycopg.Error as error:  # unreachable, or a service not deployed yet (no kit tables)
            positions.append({"service": service, "error": f"unavailable: {str(error).strip().splitlines()[0]}"})
    heads: Heads = topic_heads(settings.bootstrap, sorted({p["topic"] for p in positions if "topic" in p}))
    rows = [{"service": p["service"], "projection": "-", "topic": p["error"]} for p in positions if "error" in p]
    applied = {(p["service"], p["consumer"], p["topic"], p["kafka_partition"]): p for p in positions if "topic" in p}
    # Every partition of a topic the projection reads, including those it has read nothing from yet.
    for service, consumer, topic in sorted({key[:3] for key in applied}):
        for (t, partition), (first, end) in sorted(heads.items()):
            if t != topic:
                continue
            row = applied.get((service, consumer, topic, partition))
            position = row["kafka_offset"] if row else first - 1
            rows.append({"service": service, "projection": consumer, "topic": settings.short(topic),
                         "partition": partition, "position": position, "head": end,
                         "lag": max(end - (position + 1), 0),
                         "updated_at": row["updated_at"].isoformat() if row else ""})
    return rows


def relay_leaders(settings: Settings) -> list[dict]:
    """Per service, the session holding the relay's advisory lock: its process (application name),
    backend pid and client address; `holder` says `none` while no relay holds it (a takeover)."""
    rows = []
    for service, dsn in settings.databases.items():
        try:
            with psycopg.connect(dsn, row_factory=dict_row, connect_timeout=3) as conn:
                holders = conn.execute(RELAY_HOLDER, (RELAY_LOCK,)).fetchall()
        except psycopg.Error as error:
            rows.append({"service": service, "holder": f"unavailable: {str(error).strip().splitlines()[0]}"})
            continue
        rows += [{"service": service, "holder": h["application_name"] or "(unnamed)", "backend_pid": h["pid"],
                  "client": f"{h['client_addr']}:{h['client_port']}"} for h in holders]
        if not holders:
            rows.append({"service": service, "holder": "none"})
    return rows
