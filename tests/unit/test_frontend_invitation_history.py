"""The history offers resend and revoke once per invitation, on its newest row, while it is still open."""
from frontend.staff.invitations import _open_rows


def test_only_each_open_invitations_newest_row_offers_actions():
    rows = [{"invitation_id": "b", "happened": "resent"},    # 0: b's newest, open
            {"invitation_id": "a", "happened": "accepted"},  # 1: a is done
            {"invitation_id": "b", "happened": "sent"},      # 2: b's older row
            {"invitation_id": "a", "happened": "sent"},      # 3: a's older row
            {"invitation_id": None, "happened": "skipped"},  # 4: no invitation was made
            {"invitation_id": "c", "happened": "opened"}]    # 5: c opened, not yet accepted
    assert _open_rows(rows) == {0, 5}
