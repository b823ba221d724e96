"""Tests for pathway.rules.retention: records are kept until the 75th birthday (issue 8 section 8)."""

from datetime import date, timedelta

import pytest

from pathway.rules.retention import (
    RetentionNotDue,
    check_can_delete,
    keep_until,
    latest_due_date_of_birth,
    retention_for,
)


def test_kept_until_the_75th_birthday():
    assert keep_until(date(2007, 5, 17)) == date(2082, 5, 17)


def test_29_february_birthday_ends_on_28_february():
    # 2008 + 75 = 2083, not a leap year: the birthday falls on 28 February, as for every birthday.
    assert keep_until(date(2008, 2, 29)) == date(2083, 2, 28)
    assert not retention_for(date(2008, 2, 29), date(2083, 2, 27)).due
    assert retention_for(date(2008, 2, 29), date(2083, 2, 28)).due


@pytest.mark.parametrize("born", [date(1948, 2, 29), date(1952, 2, 29), date(2000, 2, 29), date(2024, 2, 29)])
def test_every_29_february_birthday_ends_on_28_february(born):
    assert keep_until(born) == date(born.year + 75, 2, 28)


def test_day_before_the_birthday_is_refused_and_the_birthday_is_allowed():
    dob = date(1950, 12, 31)
    before = retention_for(dob, date(2025, 12, 30))
    assert not before.due and before.days_past == 0
    assert before.message == ("This record must be kept until 31 December 2025, the young person's 75th birthday. "
                              "It cannot be deleted before then.")
    on = retention_for(dob, date(2025, 12, 31))
    assert on.due and on.days_past == 0
    assert retention_for(dob, date(2026, 1, 10)).days_past == 10


def test_no_date_of_birth_is_kept():
    decision = retention_for(None, date(2200, 1, 1))
    assert not decision.due and decision.keep_until is None
    assert "no date of birth" in decision.message
    with pytest.raises(RetentionNotDue, match="no date of birth"):
        check_can_delete(None, date(2200, 1, 1))


def test_check_can_delete_refuses_before_and_allows_after():
    with pytest.raises(RetentionNotDue, match="must be kept until 17 May 2082"):
        check_can_delete(date(2007, 5, 17), date(2082, 5, 16))
    assert check_can_delete(date(2007, 5, 17), date(2082, 5, 17)).due


@pytest.mark.parametrize("today", [date(2083, 2, 28), date(2084, 2, 29), date(2084, 3, 1), date(2025, 12, 31),
                                   date(2026, 1, 1), date(2100, 2, 28)])
def test_database_filter_never_misses_a_due_record(today):
    """Every date of birth from 3 years either side: due ones are always inside the coarse filter."""
    limit = latest_due_date_of_birth(today)
    start = date(today.year - 78, 1, 1)
    for n in range(365 * 6 + 2):
        dob = start + timedelta(days=n)
        if retention_for(dob, today).due:
            assert dob <= limit, (dob, today)
    assert (limit - birthday_minus_75(today)).days <= 1


def birthday_minus_75(today: date) -> date:
    from dateutil.relativedelta import relativedelta

    return today - relativedelta(years=75)
