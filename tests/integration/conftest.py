"""Integration tier: the services wired to the real broker and database."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def pipeline(identity_loops, invitations_loops, documents_loops, notifications_loops):
    """Every service's relay and consumers running, so events flow end to end."""
