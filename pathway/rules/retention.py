"""How long a young person's record is kept (issue 8 section 8).

The Care Leavers (England) Regulations 2010 require a care leaver's case record to be kept until
their 75th birthday (DOMAIN.md). So a record may be deleted on or after the 75th birthday and never
before it. The 75th birthday is worked out like every other birthday (``rules.dates.birthday``,
dateutil's relativedelta). For someone born on 29 February it is always 28 February: a leap year
plus 75 (an odd number) is never a leap year (29 February 2008 -> 28 February 2083), so the record
may be deleted from 28 February of that year, as DOMAIN.md says for every birthday (not 1 March).

A record without a date of birth is kept: nobody can show that its retention period is over.
Every function takes ``today``; nothing here reads the clock or the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pathway.rules.dates import birthday, long_date

RETENTION_YEARS = 75


class RetentionNotDue(Exception):
    """A deletion was asked for before the record's retention period ended. ``str()`` says why."""


@dataclass(frozen=True)
class Retention:
    """Whether a record may be deleted on ``today``."""

    keep_until: date | None  # the 75th birthday: deletion is allowed on and after this date
    due: bool  # the retention period is over: a person may decide to delete the record
    days_past: int  # days since keep_until (0 on the day itself, and when not due)
    message: str  # what to tell the person who asked


def keep_until(date_of_birth: date | None) -> date | None:
    """The date from which the record may be deleted: the 75th birthday (None without a date of birth)."""
    if date_of_birth is None:
        return None
    return birthday(date_of_birth, RETENTION_YEARS)


def retention_for(date_of_birth: date | None, today: date) -> Retention:
    """The retention decision for a record with this date of birth, on ``today``."""
    until = keep_until(date_of_birth)
    if until is None:
        return Retention(None, False, 0, "This record has no date of birth, so it must be kept: "
                                         "we cannot tell when its retention period ends.")
    if today < until:
        return Retention(until, False, 0, f"This record must be kept until {long_date(until)}, the young person's "
                                          f"{RETENTION_YEARS}th birthday. It cannot be deleted before then.")
    return Retention(until, True, (today - until).days,
                     f"This record's retention period ended on {long_date(until)}, the young person's "
                     f"{RETENTION_YEARS}th birthday. It may be deleted.")


def check_can_delete(date_of_birth: date | None, today: date) -> Retention:
    """The decision if deletion is allowed on ``today``; otherwise raise RetentionNotDue with the reason."""
    decision = retention_for(date_of_birth, today)
    if not decision.due:
        raise RetentionNotDue(decision.message)
    return decision


def latest_due_date_of_birth(today: date) -> date:
    """A date of birth on or before which a record *may* be due on ``today`` (a coarse database filter).

    Every record that is due has a date of birth on or before this date; a few near it may not be
    due yet (29 February births), so callers apply ``retention_for`` to what the filter returns.
    """
    # today - 75 years, plus one day for the 29 February birthday moved to 28 February.
    return date.fromordinal(birthday(today, -RETENTION_YEARS).toordinal() + 1)
