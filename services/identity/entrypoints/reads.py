"""Read-your-writes for identity's queries: which read model each one reads, and waiting for it.

Reads of one customer, its history and the settings come from the event store (or tables written
with it), which shows identity's own writes as soon as they commit; lists come from projections fed
over Kafka, which may lag: `after` makes such a read wait for the caller's write (eventkit.consistency).
"""
from __future__ import annotations

from flask import current_app

from contracts.topics import IDENTITY
from eventkit.consistency import Projected, Stored
from eventkit.read_your_writes import wait

from ..adapters.projections import customers


def _identity():
    return current_app.extensions["identity"]


def after_in_store(token: str | None) -> None:
    """Wait for a position in identity's own store (immediate unless it is not one of ours)."""
    identity = _identity()
    wait(identity.pool, Stored.of(identity.config["TOPIC_PREFIX"], IDENTITY), token)


def after_in_customer_list(token: str | None) -> None:
    """Wait until the customers read model has applied the position."""
    identity = _identity()
    wait(identity.pool, Projected.of(customers.PROJECTION, identity.config["TOPIC_PREFIX"]), token)
