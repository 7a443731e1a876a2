"""Identity's check of an invitation link, on its projection's row: each dead link has its own reason."""
from datetime import datetime, timedelta, timezone

import pytest

from identity.domain.invitation_errors import (InvitationExpired, InvitationLinkReplaced, InvitationLinkUnknown,
                                               InvitationRevoked, InvitationUsed)
from identity.service_layer.invitation_tokens import check_link

NOW = datetime(2026, 11, 28, tzinfo=timezone.utc)
LIVE = {"state": "sent", "replaced": False, "used_at": None, "expires_at": NOW + timedelta(days=1)}


@pytest.mark.parametrize("row, error", [
    (None, InvitationLinkUnknown),
    ({**LIVE, "expires_at": NOW}, InvitationExpired),
    ({**LIVE, "state": "expired"}, InvitationExpired),
    ({**LIVE, "state": "revoked"}, InvitationRevoked),
    ({**LIVE, "replaced": True}, InvitationLinkReplaced),
    ({**LIVE, "used_at": NOW}, InvitationUsed),
    ({**LIVE, "state": "accepted", "replaced": True}, InvitationUsed),
])
def test_a_dead_link_is_refused_with_its_reason(row, error):
    with pytest.raises(error):
        check_link(row, NOW)


def test_a_live_link_passes():
    check_link(LIVE, NOW)
