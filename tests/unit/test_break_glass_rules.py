"""Break-glass cover rules: how long cover lasts and when it is current."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pathway.rules import break_glass as rules

T = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # the night the clocks go forward in the UK


def test_cover_lasts_24_hours_by_default_in_real_hours():
    assert rules.expires_at(T) == T + timedelta(hours=24)
    assert rules.expires_at(T, 2) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_cover_lasts_at_least_an_hour():
    with pytest.raises(ValueError):
        rules.expires_at(T, 0)


@pytest.mark.parametrize(("now", "current"), [
    (T - timedelta(seconds=1), False),  # not yet given
    (T, True),
    (T + timedelta(hours=23, minutes=59, seconds=59), True),
    (T + timedelta(hours=24), False),  # the end is exclusive
    (T + timedelta(days=3), False),
])
def test_cover_is_current_from_the_moment_it_is_given_until_it_expires(now, current):
    assert rules.is_current(T, rules.expires_at(T), now) is current


def test_cover_ends_with_the_allocation_it_was_given_under():
    assert rules.is_current(T, rules.expires_at(T), T + timedelta(hours=1), allocation_ended=True) is False


def test_managers_review_the_last_30_days():
    assert rules.review_window_start(T) == T - timedelta(days=30)


def test_the_reason_is_stored_without_surrounding_space():
    assert rules.clean_reason("  Covering for Sam\n\n") == "Covering for Sam"
    assert rules.clean_reason(None) == ""
