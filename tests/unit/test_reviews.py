"""Tests for pathway.rules.reviews and pathway.rules.keydates."""

from datetime import date

import pytest

from pathway.rules.keydates import KeyDate, key_dates
from pathway.rules.reviews import (
    REVIEW_AFTER_MOVE_WORKING_DAYS,
    needs_assessment_due,
    next_review_due,
    review_due_after_move,
)


@pytest.mark.parametrize(
    ("last_review", "expected"),
    [
        (date(2026, 8, 31), date(2027, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),
        (date(2026, 1, 15), date(2026, 7, 15)),
        (date(2026, 12, 31), date(2027, 6, 30)),
        (date(2027, 2, 28), date(2027, 8, 28)),
    ],
)
def test_next_review_due_is_six_calendar_months(last_review, expected):
    assert next_review_due(last_review) == expected


@pytest.mark.parametrize(
    ("move_in", "expected"),
    [
        # Dec 2026: 25th and 28th are bank holidays; 1 Jan 2027 too.
        (date(2026, 12, 1), date(2027, 1, 13)),
        # Easter 2027 (26 and 29 March) inside the span.
        (date(2027, 3, 1), date(2027, 4, 12)),
        (date(2026, 6, 1), date(2026, 7, 9)),
    ],
)
def test_review_due_after_move_is_28_working_days(move_in, expected):
    assert REVIEW_AFTER_MOVE_WORKING_DAYS == 28
    assert review_due_after_move(move_in) == expected


def test_review_due_after_move_standard_is_configurable():
    assert review_due_after_move(date(2026, 12, 23), working_days=2) == date(
        2026, 12, 29
    )
    assert review_due_after_move(date(2026, 12, 23), working_days=0) == date(
        2026, 12, 23
    )


@pytest.mark.parametrize(
    ("dob", "became_eligible", "expected"),
    [
        (date(2010, 5, 10), None, date(2026, 8, 10)),
        (date(2010, 5, 10), date(2026, 11, 30), date(2027, 2, 28)),
        (date(2010, 5, 10), date(2026, 1, 1), date(2026, 8, 10)),  # before 16: use d16
        (date(2010, 5, 10), date(2026, 5, 10), date(2026, 8, 10)),
        (date(2008, 11, 30), None, date(2025, 2, 28)),
        (date(2008, 2, 29), None, date(2024, 5, 29)),
    ],
)
def test_needs_assessment_due_is_three_months_after_16_or_eligibility(
    dob, became_eligible, expected
):
    assert needs_assessment_due(dob, became_eligible) == expected


def test_key_dates_in_date_order_with_past_flags():
    result = key_dates(
        date(2008, 2, 29),
        today=date(2029, 2, 28),
        last_review=date(2028, 12, 31),
    )
    assert result == [
        KeyDate("Needs assessment due", date(2024, 5, 29), True),
        KeyDate("18th birthday", date(2026, 2, 28), True),
        KeyDate("21st birthday", date(2029, 2, 28), False),
        KeyDate("Next review due", date(2029, 6, 30), False),
        KeyDate("25th birthday", date(2033, 2, 28), False),
    ]


def test_key_dates_unpack_as_tuples_and_skip_review_when_unknown():
    result = key_dates(
        date(2010, 5, 10), date(2026, 1, 1), became_eligible=date(2026, 11, 30)
    )
    labels = [label for label, _, _ in result]
    assert labels == [
        "Needs assessment due",
        "18th birthday",
        "21st birthday",
        "25th birthday",
    ]
    label, when, is_past = result[0]
    assert (label, when, is_past) == ("Needs assessment due", date(2027, 2, 28), False)
