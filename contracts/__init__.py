"""Portico's event catalogue: every event a service publishes, its topic, key and schema.

This package is the public API for systems that consume Portico's events. Services import it;
they never import each other.
"""
from .catalogue import Catalogue, EventContract
from .topics import DEAD_LETTERS, TOPICS
from . import documents, identity, identity_clients, identity_users, invitations, notifications


def catalogue() -> Catalogue:
    """The whole catalogue, every version of every event."""
    return Catalogue(identity.CONTRACTS + identity_users.CONTRACTS + identity_clients.CONTRACTS + documents.CONTRACTS + invitations.CONTRACTS
                     + notifications.CONTRACTS)


__all__ = ["Catalogue", "EventContract", "TOPICS", "DEAD_LETTERS", "catalogue"]
