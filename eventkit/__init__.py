"""Portico's event kit: event store, outbox relay, consumer runner and the HTTP error shape.

Every service uses it the same way; nothing in here knows about any one service's domain.
"""
