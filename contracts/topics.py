"""Kafka topics: one per publishing service, keyed by stream id, plus one for dead letters.

Six partitions leave room for six consumers per group without repartitioning, which would
reshuffle keys and break per-stream order.
"""
from eventkit.kafka import TopicSpec

IDENTITY = "portico.identity"
INVITATIONS = "portico.invitations"
NOTIFICATIONS = "portico.notifications"
DOCUMENTS = "portico.documents"
DEAD_LETTERS = "portico.deadletter"

_KEEP_FOREVER = {"retention.ms": "-1", "cleanup.policy": "delete"}

TOPICS = [
    TopicSpec(IDENTITY, 6, _KEEP_FOREVER),
    TopicSpec(INVITATIONS, 6, _KEEP_FOREVER),
    TopicSpec(NOTIFICATIONS, 6, _KEEP_FOREVER),
    TopicSpec(DOCUMENTS, 6, _KEEP_FOREVER),
    TopicSpec(DEAD_LETTERS, 1, {"retention.ms": str(30 * 24 * 3600 * 1000)}),
]
