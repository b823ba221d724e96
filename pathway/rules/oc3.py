"""The DfE care leaver return (SSDA903 "OC3"): who is in it, what each row says, and its checks.

Sources: DOMAIN.md "In touch and activity" (SSDA903 in touch and activity codes; information
collected on or around the 17th to 21st birthdays, window *configurable*; 22 to 25 year olds in
contact), "Accommodation" (care leaver accommodation codes with the suitability suffix; staying put
never at 17) and "Who is a care leaver" (pathway.rules.category); issue 6 section 5.

Choices made here (documented so they can be checked; the page says them too):

- The collection year is named by the year it ends in: 2026 is 1 April 2025 to 31 March 2026.
  Years from 2000 to next calendar year are accepted; anything else is refused with a message.
- Included: each young person whose 17th, 18th, 19th, 20th or 21st birthday falls in the year and
  who is relevant or former relevant on that birthday (``care_leaver_category`` from their care
  episodes); plus those whose 22nd, 23rd, 24th or 25th birthday falls in the year, who are former
  relevant (on the 25th birthday status ends, so it is read the day before) and had a contact that
  reached them (``is_successful_contact``) in the information window. A birthday falls once a year,
  so a young person has at most one row.
- The information window runs from 3 months before to 1 month after the birthday, both days
  included (CouncilSetting ``oc3_months_before`` / ``oc3_months_after``). The default is this
  service's and is for the council to confirm.
- The information is the latest contact in the window, up to today, that recorded an in touch
  status; its date is INFO_DATE. ACTIV is that contact's activity, or the latest activity recorded
  on a contact before it. ACCOM is the code of the latest move into accommodation on or before
  INFO_DATE. For DIED and RHOM the return wants ACTIV and ACCOM blank, so they are left blank.
- With no such contact in the window, IN_TOUCH, ACTIV, ACCOM and INFO_DATE are blank and the row
  fails its check: "No information recorded between ... and ...".
- Checks (``validate_row``): the in touch rules of ``pathway.rules.contacts.validate_in_touch``
  (real codes; YES needs ACTIV and ACCOM; DIED needs both blank; an accommodation code needs its
  suffix), plus RHOM needs both blank, staying put (Z) is never valid at the 17th birthday, and
  INFO_DATE must fall inside the window. Every accommodation letter takes a suffix 1 or 2 in
  ``pathway.rules.accommodation``, so none is exempt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from pathway.rules.accommodation import STAYING_PUT, parse_accommodation_code
from pathway.rules.category import CareEpisode, Category, care_leaver_category
from pathway.rules.contacts import (
    LOCAL_TIME_ZONE,
    InTouch,
    is_successful_contact,
    local_date,
    validate_in_touch,
)
from pathway.rules.dates import add_months, birthday, long_date

HEADER = ("CHILD", "DOB", "BIRTHDAY_AGE", "IN_TOUCH", "ACTIV", "ACCOM", "INFO_DATE")
"""The return's columns, in order (the header row of the file)."""

CORE_AGES = (17, 18, 19, 20, 21)
"""Birthdays every relevant or former relevant young person is in the return for."""
IN_CONTACT_AGES = (22, 23, 24, 25)
"""Birthdays a former relevant young person is in the return for if they were in contact."""
CARE_LEAVER_CATEGORIES = frozenset({Category.RELEVANT, Category.FORMER_RELEVANT})

FIRST_YEAR = 2000
MONTHS_BEFORE_SETTING = "oc3_months_before"
MONTHS_AFTER_SETTING = "oc3_months_after"
DEFAULT_MONTHS_BEFORE = 3
DEFAULT_MONTHS_AFTER = 1
MAX_WINDOW_MONTHS = 12

BLANK_ACTIVITY_AND_ACCOMMODATION = frozenset({InTouch.DIED, InTouch.RHOM})

_ONE_DAY = timedelta(days=1)


# --- the collection year -------------------------------------------------------------------------

def collection_year(year: int) -> tuple[date, date]:
    """Return the first and last day of the collection year ending 31 March ``year``.

    ``collection_year(2026)`` is (1 April 2025, 31 March 2026).
    """
    return date(year - 1, 4, 1), date(year, 3, 31)


def collection_year_containing(day: date) -> int:
    """Return the collection year ``day`` falls in: 31 March 2026 -> 2026, 1 April 2026 -> 2027."""
    return day.year + 1 if day.month >= 4 else day.year


def latest_year(today: date) -> int:
    """The latest year that may be asked for: next calendar year."""
    return today.year + 1


def check_year(value: str | int | None, today: date) -> int:
    """Read a collection year typed by a person; raise ``ValueError`` with a GOV.UK-style message.

    Accepts whole numbers from 2000 to next calendar year.
    """
    text = str(value).strip() if value is not None else ""
    last = latest_year(today)
    if not text:
        raise ValueError("Enter the year the collection year ends in, for example 2026")
    if not re.fullmatch(r"-?[0-9]+", text):
        raise ValueError("The year must be a number, like 2026")
    year = int(text) if len(text) <= 6 else 0
    if not FIRST_YEAR <= year <= last:
        raise ValueError(f"The year must be between {FIRST_YEAR} and {last}")
    return year


def window_months(value: str | None, default: int) -> int:
    """Read a council's window setting: whole months from 0 to 12, otherwise ``default``."""
    text = (value or "").strip()
    if re.fullmatch(r"[0-9]{1,2}", text) and int(text) <= MAX_WINDOW_MONTHS:
        return int(text)
    return default


def information_window(
    birthday_on: date,
    months_before: int = DEFAULT_MONTHS_BEFORE,
    months_after: int = DEFAULT_MONTHS_AFTER,
) -> tuple[date, date]:
    """Return the first and last day (both included) information may be dated for a birthday.

    Calendar months (DOMAIN.md "Date arithmetic"): a birthday on 31 May gives 28 February (29 in a
    leap year) to 30 June with the defaults.
    """
    return add_months(birthday_on, -months_before), add_months(birthday_on, months_after)


# --- the facts rows are made from ----------------------------------------------------------------

@dataclass(frozen=True)
class ContactFact:
    """A contact as the return reads it. ``on`` is a date or a datetime (UTC-aware from the database).

    ``order`` breaks ties between contacts at the same time (the database id: recorded later wins).
    """

    on: date | datetime
    kind: str
    reached: bool = True
    in_touch: str | None = None
    activity: str | None = None
    order: int = 0

    @property
    def day(self) -> date:
        return local_date(self.on)

    @property
    def is_successful(self) -> bool:
        """True if it reached the young person; a kind the rules do not know never counts."""
        try:
            return is_successful_contact(self.kind, self.reached)
        except ValueError:
            return False

    def sort_key(self) -> tuple[date, tuple[int, int, int, int], int]:
        when = self.on
        if isinstance(when, datetime):
            local = when.astimezone(LOCAL_TIME_ZONE) if when.tzinfo is not None else when
            clock = (local.hour, local.minute, local.second, local.microsecond)
        else:
            clock = (0, 0, 0, 0)
        return (self.day, clock, self.order)


@dataclass(frozen=True)
class MoveFact:
    """A move into accommodation: the date and the code as recorded (for example "U1")."""

    move_in: date
    code: str
    order: int = 0


@dataclass(frozen=True)
class Oc3Row:
    """One row of the return, with the birthday and window it was worked out for."""

    child: str
    dob: date
    birthday_age: int
    birthday: date
    window: tuple[date, date]
    in_touch: str | None = None
    activity: str | None = None
    accommodation: str | None = None
    info_date: date | None = None

    def cells(self) -> tuple[str, ...]:
        """The row as the file has it, in ``HEADER`` order; dates DD/MM/YYYY, blanks empty."""
        return (
            self.child,
            format_date(self.dob),
            str(self.birthday_age),
            self.in_touch or "",
            self.activity or "",
            self.accommodation or "",
            format_date(self.info_date),
        )


def format_date(value: date | None) -> str:
    """DD/MM/YYYY, as the return wants; empty for None."""
    return value.strftime("%d/%m/%Y") if value else ""


# --- who is in the return ------------------------------------------------------------------------

def birthday_in_year(dob: date, year: int) -> tuple[int, date] | None:
    """Return (age, date) of the 17th to 25th birthday that falls in the collection year, if any.

    A 29 February birthday falls on 28 February in a year that is not a leap year.
    """
    start, end = collection_year(year)
    for age in CORE_AGES + IN_CONTACT_AGES:
        on = birthday(dob, age)
        if start <= on <= end:
            return age, on
    return None


def _category_on(dob: date, episodes: Sequence[CareEpisode], age: int, on: date) -> Category:
    # Care leaver status ends on the 25th birthday: read it on the day before.
    day = on - _ONE_DAY if age == IN_CONTACT_AGES[-1] else on
    return care_leaver_category(dob, episodes, day).category


def qualifying_birthdays(
    dob: date,
    episodes: Sequence[CareEpisode],
    contacts: Iterable[ContactFact],
    year: int,
    *,
    today: date,
    months_before: int = DEFAULT_MONTHS_BEFORE,
    months_after: int = DEFAULT_MONTHS_AFTER,
) -> list[tuple[int, date]]:
    """Return the (age, birthday) pairs in the year that put this young person in the return.

    17th to 21st: relevant or former relevant on the birthday. 22nd to 25th: former relevant and a
    contact that reached them in the window, on or before ``today``. At most one pair (one birthday
    a year), but a list so callers need not special-case it.
    """
    found = birthday_in_year(dob, year)
    if found is None:
        return []
    age, on = found
    category = _category_on(dob, episodes, age, on)
    if age in CORE_AGES:
        return [found] if category in CARE_LEAVER_CATEGORIES else []
    if category is not Category.FORMER_RELEVANT:
        return []
    start, end = information_window(on, months_before, months_after)
    reached = any(c.is_successful and start <= c.day <= min(end, today) for c in contacts)
    return [found] if reached else []


# --- what each row says --------------------------------------------------------------------------

def _clean(code: str | None) -> str | None:
    return (code or "").strip().upper() or None


def derive_row(
    child: str,
    dob: date,
    age: int,
    birthday_on: date,
    contacts: Iterable[ContactFact],
    moves: Iterable[MoveFact],
    *,
    today: date,
    months_before: int = DEFAULT_MONTHS_BEFORE,
    months_after: int = DEFAULT_MONTHS_AFTER,
) -> Oc3Row:
    """Work out one row from the contacts and moves (see the module docstring for the rules)."""
    window = information_window(birthday_on, months_before, months_after)
    start, end = window
    ordered = sorted((c for c in contacts if c.day <= today), key=ContactFact.sort_key)
    informed = [c for c in ordered if start <= c.day <= end and _clean(c.in_touch)]
    row = Oc3Row(child=child, dob=dob, birthday_age=age, birthday=birthday_on, window=window)
    if not informed:
        return row
    info = informed[-1]
    status = _clean(info.in_touch)
    info_date = info.day
    if status in BLANK_ACTIVITY_AND_ACCOMMODATION:
        return replace(row, in_touch=status, info_date=info_date)
    upto = ordered[: ordered.index(info) + 1]
    activity = next((_clean(c.activity) for c in reversed(upto) if _clean(c.activity)), None)
    housed = [m for m in moves if m.move_in <= info_date]
    latest = max(housed, key=lambda m: (m.move_in, m.order), default=None)
    accommodation = _clean(latest.code) if latest else None
    return replace(row, in_touch=status, activity=activity, accommodation=accommodation, info_date=info_date)


# --- checks --------------------------------------------------------------------------------------

def validate_row(row: Oc3Row) -> list[str]:
    """Check a row against the SSDA903 rules; return one plain message per problem (empty if fine)."""
    start, end = row.window
    status = _clean(row.in_touch)
    if status is None and row.info_date is None:
        return [f"No information recorded between {long_date(start)} and {long_date(end)}"]
    errors = validate_in_touch(status, row.activity, row.accommodation)
    if status == InTouch.RHOM:
        if _clean(row.activity):
            errors.append("Leave the main activity blank: they have returned home for 6 months or more")
        if _clean(row.accommodation):
            errors.append("Leave the accommodation blank: they have returned home for 6 months or more")
    if _clean(row.accommodation) and row.birthday_age == 17:
        try:
            letter = parse_accommodation_code(row.accommodation).type
        except ValueError:
            letter = None
        if letter == STAYING_PUT:
            errors.append("Staying put (Z) is never valid at the 17th birthday: choose another type of accommodation")
    if row.info_date is None:
        errors.append("Enter the date of the information")
    elif not start <= row.info_date <= end:
        errors.append(
            f"The information is dated {long_date(row.info_date)}: it must be between {long_date(start)} "
            f"and {long_date(end)}"
        )
    return errors
