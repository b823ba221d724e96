"""Date arithmetic shared by every rule (DOMAIN.md "Date arithmetic").

- Months are calendar months (dateutil ``relativedelta``): 31 August + 6 months is 28 February
  (29 February in a leap year), never a count of weeks.
- Birthdays: a 29 February birthday falls on 28 February in non-leap years.
- Working days skip Saturdays, Sundays and England & Wales bank holidays, taken from the
  ``holidays`` package (``country_holidays("GB", subdiv="ENG")``), which includes substitute days
  and one-off bank holidays (for example the 2023 coronation).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays
from dateutil.relativedelta import relativedelta

HOLIDAY_COUNTRY = "GB"
HOLIDAY_SUBDIVISION = "ENG"

_ONE_DAY = timedelta(days=1)


def add_months(d: date, n: int) -> date:
    """Return ``d`` plus ``n`` calendar months, clamped to the end of a shorter month.

    31 January + 1 month is 28 February (29 in a leap year); 31 August + 6 months likewise.
    """
    return d + relativedelta(months=n)


def add_days(d: date, n: int) -> date:
    """Return ``d`` plus ``n`` calendar days ("within N days of X" is due on or before X + N)."""
    return d + timedelta(days=n)


def birthday(dob: date, years: int) -> date:
    """Return the date of the ``years``-th birthday of someone born on ``dob``.

    A 29 February birthday falls on 28 February in a non-leap year (DOMAIN.md "Birthdays").
    """
    return dob + relativedelta(years=years)


def age_on(dob: date, today: date) -> int:
    """Return the age in completed years on ``today``, using ``birthday`` for 29 February births.

    Raises ``ValueError`` if ``today`` is before ``dob``.
    """
    if today < dob:
        raise ValueError(
            f"{today.isoformat()} is before the date of birth {dob.isoformat()}"
        )
    years = today.year - dob.year
    if today < birthday(dob, years):
        years -= 1
    return years


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """Return England & Wales bank holidays in ``year``, with substitute days (cached)."""
    calendar = holidays.country_holidays(
        HOLIDAY_COUNTRY, subdiv=HOLIDAY_SUBDIVISION, years=year
    )
    return frozenset(day for day in calendar if day.year == year)


def is_bank_holiday(d: date) -> bool:
    """Return True if ``d`` is an England & Wales bank holiday."""
    return d in bank_holidays(d.year)


def is_working_day(d: date) -> bool:
    """Return True if ``d`` is Monday to Friday and not an England & Wales bank holiday."""
    return d.weekday() < 5 and not is_bank_holiday(d)


def add_working_days(d: date, n: int) -> date:
    """Return the date ``n`` working days after ``d``.

    Counting starts the day after ``d``; ``d`` itself need not be a working day. ``n == 0``
    returns ``d``. Raises ``ValueError`` for negative ``n``.
    """
    if n < 0:
        raise ValueError(f"n must be zero or more, not {n}")
    current = d
    remaining = n
    while remaining:
        current += _ONE_DAY
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Return how many working days fall after ``start`` up to and including ``end``.

    The inverse of ``add_working_days``: ``working_days_between(d, add_working_days(d, n)) == n``.
    Returns 0 when ``end`` is on or before ``start``.
    """
    count = 0
    current = start
    while current < end:
        current += _ONE_DAY
        if is_working_day(current):
            count += 1
    return count


def long_date(d: date) -> str:
    """Format a date the GOV.UK way, for reasons and messages: "3 May 2027"."""
    return f"{d.day} {d:%B %Y}"
