"""Tests for pathway.rules.visits: post-move, statutory, contact, custody and B&B limits."""

from datetime import date, timedelta

import pytest

from pathway.rules.visits import (
    CONTACT_STANDARD_DAYS,
    bed_and_breakfast_limit,
    contact_due,
    custody_visit_due,
    post_move_visit_due,
    post_move_visit_in_time,
    statutory_visit_due,
)

MOVE_IN = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("move_in", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 9)),
        (date(2026, 2, 25), date(2026, 3, 4)),
        (date(2028, 2, 25), date(2028, 3, 3)),
        (date(2026, 12, 28), date(2027, 1, 4)),
    ],
)
def test_post_move_visit_due_is_move_in_plus_7_days(move_in, expected):
    assert post_move_visit_due(move_in) == expected


@pytest.mark.parametrize(
    ("days_after_move", "in_time"),
    [(-1, False), (0, True), (1, True), (6, True), (7, True), (8, False)],
)
def test_post_move_visit_on_the_7th_day_is_in_time_and_the_8th_is_late(
    days_after_move, in_time
):
    visited_on = MOVE_IN + timedelta(days=days_after_move)
    assert post_move_visit_in_time(MOVE_IN, visited_on) is in_time
    if days_after_move >= 0:
        assert (visited_on <= post_move_visit_due(MOVE_IN)) is in_time


@pytest.mark.parametrize(
    ("last_visit", "expected"),
    [
        (date(2026, 12, 31), date(2027, 2, 28)),
        (date(2027, 12, 31), date(2028, 2, 29)),
        (date(2026, 8, 31), date(2026, 10, 31)),
        (date(2026, 10, 31), date(2026, 12, 31)),
        (date(2026, 1, 1), date(2026, 3, 1)),
    ],
)
def test_statutory_visit_due_is_two_calendar_months(last_visit, expected):
    assert statutory_visit_due(last_visit) == expected


def test_contact_due_is_56_days_by_default():
    assert CONTACT_STANDARD_DAYS == 56
    assert contact_due(date(2026, 1, 1)) == date(2026, 2, 26)


def test_contact_standard_is_configurable():
    assert contact_due(date(2026, 1, 1), standard_days=28) == date(2026, 1, 29)
    assert contact_due(date(2026, 1, 1), 42) == date(2026, 2, 12)


def test_eight_weeks_and_two_months_are_different():
    assert contact_due(date(2026, 1, 1)) == date(2026, 2, 26)
    assert statutory_visit_due(date(2026, 1, 1)) == date(2026, 3, 1)


@pytest.mark.parametrize(
    ("detained_on", "expected"),
    [
        # Over Christmas and New Year: 25 and 28 Dec 2026, 1 Jan 2027 are bank holidays.
        (date(2026, 12, 18), date(2027, 1, 6)),
        # Over Easter 2027: Good Friday 26 March, Easter Monday 29 March.
        (date(2027, 3, 22), date(2027, 4, 7)),
        (date(2026, 11, 2), date(2026, 11, 16)),
    ],
)
def test_custody_visit_due_is_10_working_days(detained_on, expected):
    assert custody_visit_due(detained_on) == expected


def test_custody_visit_standard_is_configurable():
    assert custody_visit_due(date(2026, 12, 18), working_days=5) == date(2026, 12, 29)


@pytest.mark.parametrize(
    ("placed_on", "expected"),
    [
        (date(2026, 11, 20), date(2026, 11, 24)),  # Friday: Monday and Tuesday
        (date(2027, 3, 25), date(2027, 3, 31)),  # Thursday before Easter 2027
        (date(2026, 12, 23), date(2026, 12, 29)),  # Christmas 2026
    ],
)
def test_bed_and_breakfast_limit_is_2_working_days(placed_on, expected):
    assert bed_and_breakfast_limit(placed_on) == expected
