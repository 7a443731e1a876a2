"""The documents tests' world: one tenant, identity's real API, the documents API with an ERP key."""
from __future__ import annotations

import pytest

from .world import World


@pytest.fixture
def world(tenant, identity, documents, identity_app, staff_headers, erp_headers, pipeline) -> World:
    return World(tenant, identity, documents, identity_app, staff_headers, erp_headers)
