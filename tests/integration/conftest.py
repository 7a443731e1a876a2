"""The services wired to the real broker and database, with their background loops running."""
from __future__ import annotations

import pytest

from identity.entrypoints.app import create_app as create_identity
from invitations.entrypoints.app import create_app as create_invitations

from ..conftest import Loops


def _settings(infra, database, topic_prefix, service):
    return {"DATABASE_URL": database(service), "KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
            "TOPIC_PREFIX": topic_prefix, "TESTING": True}


@pytest.fixture(scope="session")
def identity_app(infra, database, topic_prefix):
    app = create_identity(_settings(infra, database, topic_prefix, "identity"))
    yield app
    app.extensions["identity"].close()


@pytest.fixture(scope="session")
def invitations_app(infra, database, topic_prefix):
    app = create_invitations(_settings(infra, database, topic_prefix, "invitations"))
    yield app
    app.extensions["invitations"].close()


@pytest.fixture(scope="session")
def pipeline(identity_app, invitations_app):
    """Identity's relay and the invitations service's relay and consumers, running in threads."""
    loops = Loops()
    identity = identity_app.extensions["identity"]
    invitations = invitations_app.extensions["invitations"]
    loops.start("identity-relay", identity.relay().run)
    loops.start("invitations-relay", invitations.relay().run)
    for projection in invitations.projections:
        loops.start(projection.name, invitations.consumer(projection).run)
    yield loops
    loops.close()


@pytest.fixture
def identity(identity_app):
    return identity_app.test_client()


@pytest.fixture
def invitations(invitations_app):
    return invitations_app.test_client()
