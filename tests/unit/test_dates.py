"""Tests for pathway.rules.dates: calendar months, birthdays and working days."""

from datetime import date

import pytest

from pathway.rules.dates import (
    add_months,
    add_working_days,
    age_on,
    bank_holidays,
    birthday,
    is_working_day,
    long_date,
    working_days_between,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2026, 5, 15), 2, date(2026, 7, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 2, 28), 1, date(2026, 3, 28)),
    ],
)
def test_add_months_uses_calendar_months_and_clamps_month_ends(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("dob", "years", "expected"),
    [
        (date(2008, 2, 29), 16, date(2024, 2, 29)),
        (date(2008, 2, 29), 17, date(2025, 2, 28)),
        (date(2008, 2, 29), 18, date(2026, 2, 28)),
        (date(2008, 2, 29), 21, date(2029, 2, 28)),
        (date(2008, 2, 29), 25, date(2033, 2, 28)),
        (date(2010, 2, 28), 16, date(2026, 2, 28)),
        (date(2010, 3, 1), 16, date(2026, 3, 1)),
        (date(2009, 6, 15), 14, date(2023, 6, 15)),
    ],
)
def test_birthday_puts_29_february_on_28_february_in_non_leap_years(
    dob, years, expected
):
    assert birthday(dob, years) == expected


@pytest.mark.parametrize(
    ("dob", "today", "expected"),
    [
        (date(2008, 2, 29), date(2026, 2, 27), 17),
        (date(2008, 2, 29), date(2026, 2, 28), 18),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 28), 19),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
        (date(2009, 6, 15), date(2025, 6, 14), 15),
        (date(2009, 6, 15), date(2025, 6, 15), 16),
        (date(2009, 6, 15), date(2025, 6, 16), 16),
        (date(2009, 6, 15), date(2009, 6, 15), 0),
    ],
)
def test_age_on_counts_completed_years(dob, today, expected):
    assert age_on(dob, today) == expected


def test_age_on_refuses_a_date_before_birth():
    with pytest.raises(ValueError):
        age_on(date(2009, 6, 15), date(2009, 6, 14))


def test_bank_holidays_2026_are_the_england_and_wales_list():
    assert bank_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 4),  # Early May
        date(2026, 5, 25),  # Spring
        date(2026, 8, 31),  # Summer
        date(2026, 12, 25),
        date(2026, 12, 26),  # Boxing Day, a Saturday
        date(2026, 12, 28),  # substitute day for Boxing Day
    }


def test_bank_holidays_2027_include_both_christmas_substitute_days():
    holidays_2027 = bank_holidays(2027)
    assert {date(2027, 3, 26), date(2027, 3, 29)} <= holidays_2027  # Easter
    assert {date(2027, 12, 27), date(2027, 12, 28)} <= holidays_2027
    assert not is_working_day(date(2027, 12, 27))
    assert not is_working_day(date(2027, 12, 28))
    assert is_working_day(date(2027, 12, 29))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 24), True),  # Thursday
        (date(2026, 12, 25), False),  # Christmas Day, Friday
        (date(2026, 12, 26), False),  # Saturday
        (date(2026, 12, 28), False),  # Boxing Day substitute, Monday
        (date(2026, 12, 29), True),
        (date(2026, 1, 2), True),  # a bank holiday in Scotland only
        (date(2026, 3, 17), True),  # a bank holiday in Northern Ireland only
        (date(2026, 11, 30), True),  # St Andrew's Day: Scotland only
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2027, 3, 30), True),
        (date(2026, 11, 22), False),  # Sunday
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 12, 23), 1, date(2026, 12, 24)),
        (date(2026, 12, 23), 2, date(2026, 12, 29)),
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # 1 January is a bank holiday
        (date(2027, 3, 25), 1, date(2027, 3, 30)),  # over Easter 2027
        (date(2027, 3, 25), 2, date(2027, 3, 31)),
        (date(2027, 12, 24), 1, date(2027, 12, 29)),  # 27 and 28 Dec are substitutes
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday to Monday
        (date(2026, 11, 21), 1, date(2026, 11, 23)),  # from a Saturday
        (date(2026, 11, 16), 5, date(2026, 11, 23)),
        (date(2026, 12, 1), 28, date(2027, 1, 13)),
    ],
)
def test_add_working_days_skips_weekends_and_bank_holidays(start, n, expected):
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize(
    "start", [date(2026, 11, 18), date(2026, 11, 21), date(2026, 12, 25)]
)
def test_add_zero_working_days_returns_the_same_date(start):
    assert add_working_days(start, 0) == start


def test_add_working_days_refuses_negative_counts():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 18), -1)


@pytest.mark.parametrize("n", [0, 1, 2, 10, 28])
def test_working_days_between_inverts_add_working_days(n):
    start = date(2026, 12, 18)
    assert working_days_between(start, add_working_days(start, n)) == n


def test_working_days_between_is_zero_when_end_is_not_after_start():
    assert working_days_between(date(2026, 12, 29), date(2026, 12, 29)) == 0
    assert working_days_between(date(2026, 12, 29), date(2026, 12, 1)) == 0


def test_long_date_has_no_leading_zero():
    assert long_date(date(2027, 5, 3)) == "3 May 2027"
