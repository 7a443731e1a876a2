"""Password-reset requests: at most three links per user within an hour."""
from datetime import datetime, timedelta, timezone

from identity.domain.passwords import RESET_LINKS_PER_HOUR, reset_allowed

NOW = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)


def test_a_fourth_reset_link_within_the_hour_is_not_sent_and_an_hour_later_it_is():
    recent = [NOW - timedelta(minutes=m) for m in (1, 20, 59)]
    assert RESET_LINKS_PER_HOUR == 3
    assert reset_allowed(recent[:2], NOW)
    assert not reset_allowed(recent, NOW)
    assert reset_allowed(recent, NOW + timedelta(minutes=2))
    assert reset_allowed([], NOW)
