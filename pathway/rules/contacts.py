"""Contacts and visits: which count, in touch status, and when a young person is unreachable.

Sources: CLR 2010 reg 8 and Children Act 1989 ss23B, 23C(2) (personal adviser visits); DOMAIN.md
"Visits and contact" (an attempted visit that did not see the young person does not meet a visit
duty; the local contact standard, *configurable*, default 56 days; lost contact makes in touch NO)
and "In touch and activity" (SSDA903 in touch codes and their rules); issue 5 sections 2 and 3.

- A VISIT is a home visit or a visit elsewhere that saw the young person. Office meetings, calls,
  video calls and messages are contacts, not visits.
- A SUCCESSFUL CONTACT is any contact that reached the young person. An attempted visit never does,
  and nor does any contact recorded as not reached (an unanswered call, a message with no reply).
- Unreachable (issue 5 section 3): the latest two contacts in a row did not reach them, or there has
  been no successful contact within the local standard.
- Contact times may be datetimes: an aware datetime (stored in UTC) is read as its date in England
  (Europe/London), so a call at 00:30 on a Saturday in summer is a Saturday contact.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from pathway.rules.accommodation import parse_accommodation_code
from pathway.rules.dates import add_days, long_date
from pathway.rules.offer import ACTIVITY_CODES
from pathway.rules.visits import CONTACT_STANDARD_DAYS, contact_due

LOCAL_TIME_ZONE = ZoneInfo("Europe/London")
UNREACHED_IN_A_ROW = 2
"""Contacts in a row that did not reach the young person before they count as unreachable."""


class ContactKind(StrEnum):
    """The kinds of contact a personal adviser records (issue 5 section 2)."""

    HOME_VISIT = "home_visit"
    VISIT_ELSEWHERE = "visit_elsewhere"
    OFFICE = "office"
    PHONE = "phone"
    VIDEO = "video"
    MESSAGE = "message"
    ATTEMPTED_VISIT = "attempted_visit"

    @property
    def label(self) -> str:
        """Human name, for example "Attempted visit - not seen"."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ContactKind.HOME_VISIT: "Home visit",
    ContactKind.VISIT_ELSEWHERE: "Visit elsewhere",
    ContactKind.OFFICE: "Office",
    ContactKind.PHONE: "Phone",
    ContactKind.VIDEO: "Video call",
    ContactKind.MESSAGE: "Message",
    ContactKind.ATTEMPTED_VISIT: "Attempted visit - not seen",
}

VISIT_KINDS = frozenset({ContactKind.HOME_VISIT, ContactKind.VISIT_ELSEWHERE})
"""Kinds that meet a visit duty when they saw the young person (CLR 2010 reg 8)."""


class InTouch(StrEnum):
    """SSDA903 in touch codes (DOMAIN.md "In touch and activity")."""

    YES = "YES"
    NO = "NO"
    DIED = "DIED"
    REFU = "REFU"
    NREQ = "NREQ"
    RHOM = "RHOM"

    @property
    def label(self) -> str:
        """Human meaning, for example "Refuses contact"."""
        return _IN_TOUCH_LABELS[self]


_IN_TOUCH_LABELS = {
    InTouch.YES: "In touch",
    InTouch.NO: "Not in touch",
    InTouch.DIED: "Died",
    InTouch.REFU: "Refuses contact",
    InTouch.NREQ: "No longer requires services",
    InTouch.RHOM: "Returned home for 6 months or more",
}

DECIDED_STATUSES = frozenset({InTouch.DIED, InTouch.REFU, InTouch.NREQ, InTouch.RHOM})
"""Statuses a person decides and records; contacts never change them automatically."""


def local_date(when: date | datetime) -> date:
    """Return the calendar date in England of a date or datetime.

    An aware datetime is converted to Europe/London first; a naive one is taken as local already.
    """
    if isinstance(when, datetime):
        if when.tzinfo is not None:
            when = when.astimezone(LOCAL_TIME_ZONE)
        return when.date()
    return when


def _kind(kind: str) -> ContactKind:
    try:
        return ContactKind(kind)
    except ValueError:
        raise ValueError(f'"{kind}" is not a kind of contact') from None


def is_visit(kind: str, reached: bool) -> bool:
    """Return True if the contact is a visit that saw the young person (meets a visit duty)."""
    return _kind(kind) in VISIT_KINDS and reached


def is_successful_contact(kind: str, reached: bool) -> bool:
    """Return True if the contact reached the young person. An attempted visit never does."""
    return _kind(kind) is not ContactKind.ATTEMPTED_VISIT and reached


@dataclass(frozen=True)
class Contact:
    """One recorded contact. ``on`` is a date or a datetime (UTC-aware from the database).

    ``reached`` is False for an attempted visit whatever was recorded.
    """

    on: date | datetime
    kind: str
    reached: bool = True

    def __post_init__(self) -> None:
        _kind(self.kind)

    @property
    def day(self) -> date:
        """The date of the contact in England."""
        return local_date(self.on)

    @property
    def is_visit(self) -> bool:
        return is_visit(self.kind, self.reached)

    @property
    def is_successful(self) -> bool:
        return is_successful_contact(self.kind, self.reached)


def in_order(contacts: Iterable[Contact], today: date | None = None) -> list[Contact]:
    """Return the contacts oldest first (stable), leaving out any dated after ``today``."""
    kept = [c for c in contacts if today is None or c.day <= today]
    return sorted(kept, key=lambda c: (c.day, _time_key(c.on)))


def _time_key(when: date | datetime) -> tuple[int, int, int, int]:
    if isinstance(when, datetime):
        local = when.astimezone(LOCAL_TIME_ZONE) if when.tzinfo is not None else when
        return (local.hour, local.minute, local.second, local.microsecond)
    return (0, 0, 0, 0)


def last_visit(contacts: Iterable[Contact], today: date) -> date | None:
    """Return the date of the latest visit that saw the young person, on or before ``today``."""
    days = [c.day for c in contacts if c.is_visit and c.day <= today]
    return max(days) if days else None


def last_successful_contact(contacts: Iterable[Contact], today: date) -> date | None:
    """Return the date of the latest contact that reached the young person, up to ``today``."""
    days = [c.day for c in contacts if c.is_successful and c.day <= today]
    return max(days) if days else None


@dataclass(frozen=True)
class Unreachable:
    """A spell when the young person could not be reached.

    ``due`` is the day it happened: the second unsuccessful contact in a row, or the last day of the
    contact standard. ``reason`` says which. ``resolved_on`` is the day a contact reached them.
    """

    due: date
    raised_on: date
    reason: str
    resolved_on: date | None = None
    resolution: str | None = None


def unreachable_spells(
    contacts: Sequence[Contact],
    today: date,
    *,
    since: date | None = None,
    standard_days: int = CONTACT_STANDARD_DAYS,
) -> list[Unreachable]:
    """Return every spell of being unreachable, oldest first; only the last can still be open.

    A spell starts when two contacts in a row do not reach the young person (due and raised on the
    day of the second), or when there has been no successful contact within ``standard_days``
    (due on the last day of the standard, ``contact_due``; raised the day after). The standard is
    counted from the last successful contact, or from ``since`` (for example the day the case was
    allocated) before there is one; with neither there is no standard to miss. It ends on the day
    a later contact reaches them.
    """
    spells: list[Unreachable] = []
    current: Unreachable | None = None
    baseline = since
    failures = 0

    for contact in in_order(contacts, today):
        day = contact.day
        if current is None:
            current = _lapse(baseline, day, standard_days)
        if contact.is_successful:
            if current is not None:
                kind = _kind(contact.kind).label.lower()
                spells.append(
                    Unreachable(
                        current.due,
                        current.raised_on,
                        current.reason,
                        resolved_on=day,
                        resolution=f"Reached ({kind}) on {long_date(day)}",
                    )
                )
                current = None
            failures = 0
            baseline = day
            continue
        failures += 1
        if current is None and failures >= UNREACHED_IN_A_ROW:
            current = Unreachable(
                due=day,
                raised_on=day,
                reason=f"{UNREACHED_IN_A_ROW} contacts in a row did not reach them",
            )
    if current is None:
        current = _lapse(baseline, today, standard_days)
    if current is not None:
        spells.append(current)
    return spells


def _lapse(baseline: date | None, on: date, standard_days: int) -> Unreachable | None:
    """The spell that started if the standard counted from ``baseline`` had run out by ``on``."""
    if baseline is None:
        return None
    due = contact_due(baseline, standard_days)
    if on <= due:
        return None
    return Unreachable(
        due=due,
        raised_on=add_days(due, 1),
        reason=f"No successful contact for more than {standard_days} days",
    )


def validate_in_touch(
    status: str | None, activity: str | None, accommodation: str | None
) -> list[str]:
    """Check an SSDA903 in touch status with the main activity and accommodation codes.

    Returns GOV.UK-style error messages, empty if the combination is valid. DOMAIN.md "In touch and
    activity": YES needs both an activity and an accommodation; DIED and RHOM need neither. Choices
    made where DOMAIN.md is silent:

    - DIED: activity and accommodation must be left blank (there is nothing current to record).
    - RHOM, NO, REFU, NREQ: both optional. The council may still know what a young person who
      refuses contact, no longer needs services or has gone home is doing; if it does not (NO,
      usually), leaving them blank is right.
    - Any code given must be a real SSDA903 code; an accommodation code needs its suitability
      suffix (1 or 2), as the return does.
    """
    errors: list[str] = []
    code = (status or "").strip().upper()
    activity = (activity or "").strip().upper() or None
    accommodation = (accommodation or "").strip().upper() or None
    if not code:
        errors.append("Select whether they are in touch")
    elif code not in InTouch.__members__:
        errors.append("Choose an in touch status from the list")
    if activity is not None and activity not in ACTIVITY_CODES:
        errors.append("Choose a main activity from the list")
    if accommodation is not None:
        try:
            parsed = parse_accommodation_code(accommodation)
        except ValueError as error:
            errors.append(str(error))
        else:
            if parsed.suitable is None:
                errors.append("Select whether their accommodation is suitable (1) or unsuitable (2)")
    if code == InTouch.YES:
        if activity is None:
            errors.append("Select their main activity: they are in touch")
        if accommodation is None:
            errors.append("Select their accommodation: they are in touch")
    elif code == InTouch.DIED:
        if activity is not None:
            errors.append("Leave the main activity blank: the young person has died")
        if accommodation is not None:
            errors.append("Leave the accommodation blank: the young person has died")
    return errors


def in_touch_after_contact(current: str | None, reached: bool) -> InTouch | None:
    """Return the in touch status after one contact.

    A contact that reached the young person makes them YES, unless a decided status (DIED, REFU,
    NREQ, RHOM) is recorded, which only a person changes. One unsuccessful contact changes nothing
    (use ``in_touch_from_contacts`` for the unreachable rule).
    """
    status = InTouch(current) if current else None
    if status in DECIDED_STATUSES:
        return status
    return InTouch.YES if reached else status


def in_touch_from_contacts(
    current: str | None,
    contacts: Sequence[Contact],
    today: date,
    *,
    since: date | None = None,
    standard_days: int = CONTACT_STANDARD_DAYS,
) -> InTouch | None:
    """Derive the in touch status from the contact history on ``today``.

    Decided statuses (DIED, REFU, NREQ, RHOM) are kept. Otherwise: NO while the young person is
    unreachable (DOMAIN.md "Lost contact: in-touch becomes NO"), YES if they have been reached, and
    the current status if there is nothing to go on.
    """
    status = InTouch(current) if current else None
    if status in DECIDED_STATUSES:
        return status
    spells = unreachable_spells(contacts, today, since=since, standard_days=standard_days)
    if spells and spells[-1].resolved_on is None:
        return InTouch.NO
    if last_successful_contact(contacts, today) is not None:
        return InTouch.YES
    return status
