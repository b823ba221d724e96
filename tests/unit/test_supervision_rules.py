"""The supervision standard: 4 weeks in a personal adviser's first year in the role, 6 weeks after."""

from __future__ import annotations

from datetime import date

from pathway.rules.supervision import (
    in_first_year,
    supervision_due,
    supervision_overdue,
    supervision_standard_weeks,
)

STARTED = date(2025, 3, 10)  # first anniversary 10 March 2026


def test_first_year_ends_exactly_one_year_after_starting():
    assert in_first_year(STARTED, date(2026, 3, 9))
    assert not in_first_year(STARTED, date(2026, 3, 10))
    assert supervision_standard_weeks(STARTED, date(2026, 3, 9)) == 4
    assert supervision_standard_weeks(STARTED, date(2026, 3, 10)) == 6


def test_first_year_from_the_first_day():
    assert supervision_standard_weeks(STARTED, STARTED) == 4


def test_unknown_start_date_uses_the_longer_standard():
    assert not in_first_year(None, date(2026, 1, 1))
    assert supervision_standard_weeks(None, date(2026, 1, 1)) == 6


def test_29_february_start_has_its_anniversary_on_28_february():
    started = date(2024, 2, 29)
    assert supervision_standard_weeks(started, date(2025, 2, 27)) == 4
    assert supervision_standard_weeks(started, date(2025, 2, 28)) == 6


def test_configured_weeks_are_used():
    assert supervision_standard_weeks(STARTED, date(2025, 6, 1), first_year_weeks=2, weeks=8) == 2
    assert supervision_standard_weeks(STARTED, date(2026, 6, 1), first_year_weeks=2, weeks=8) == 8


def test_first_year_due_four_weeks_after_last_and_overdue_the_day_after():
    last = date(2025, 6, 2)
    assert supervision_due(last, STARTED, date(2025, 6, 20)) == date(2025, 6, 30)  # 2 June + 28 days
    assert not supervision_overdue(last, STARTED, date(2025, 6, 30))
    assert supervision_overdue(last, STARTED, date(2025, 7, 1))


def test_after_first_year_due_six_weeks_after_last_and_overdue_the_day_after():
    last = date(2026, 5, 4)
    assert supervision_due(last, STARTED, date(2026, 5, 20)) == date(2026, 6, 15)  # 4 May + 42 days
    assert not supervision_overdue(last, STARTED, date(2026, 6, 15))
    assert supervision_overdue(last, STARTED, date(2026, 6, 16))


def test_five_weeks_is_overdue_in_the_first_year_but_not_after():
    last_first_year = date(2025, 6, 2)
    assert supervision_overdue(last_first_year, STARTED, date(2025, 7, 7))  # 35 days, standard 28
    last_later = date(2026, 6, 1)
    assert not supervision_overdue(last_later, STARTED, date(2026, 7, 6))  # 35 days, standard 42


def test_the_standard_on_today_applies_so_the_anniversary_moves_the_due_date():
    last = date(2026, 2, 2)
    assert supervision_due(last, STARTED, date(2026, 3, 9)) == date(2026, 3, 2)  # 4 weeks: overdue
    assert supervision_overdue(last, STARTED, date(2026, 3, 9))
    assert supervision_due(last, STARTED, date(2026, 3, 10)) == date(2026, 3, 16)  # 6 weeks: not overdue
    assert not supervision_overdue(last, STARTED, date(2026, 3, 10))


def test_never_supervised_counts_from_the_start_date():
    started = date(2026, 1, 5)
    assert supervision_due(None, started, date(2026, 1, 20)) == date(2026, 2, 2)  # 5 January + 28 days
    assert not supervision_overdue(None, started, date(2026, 2, 2))
    assert supervision_overdue(None, started, date(2026, 2, 3))


def test_never_supervised_long_serving_adviser_counts_six_weeks_from_start():
    started = date(2020, 1, 6)
    assert supervision_due(None, started, date(2026, 1, 1)) == date(2020, 2, 17)
    assert supervision_overdue(None, started, date(2026, 1, 1))


def test_never_supervised_with_no_start_date_has_no_due_date_and_is_overdue():
    assert supervision_due(None, None, date(2026, 1, 1)) is None
    assert supervision_overdue(None, None, date(2026, 1, 1))


def test_supervised_with_no_start_date_uses_six_weeks():
    last = date(2026, 1, 5)
    assert supervision_due(last, None, date(2026, 1, 6)) == date(2026, 2, 16)
    assert not supervision_overdue(last, None, date(2026, 2, 16))
    assert supervision_overdue(last, None, date(2026, 2, 17))
