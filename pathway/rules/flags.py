"""Automatic risk flags, computed from a young person's history and ``today``.

Sources: issue 5 section 3; CLR 2010 reg 8 and Children Act 1989 ss23B, 23C(2) (visit within 7 days
of a move); DOMAIN.md "Pathway plan" (review within 28 working days of a move, *configurable*),
"Visits and contact" (custody visit within 10 working days, *unconfirmed*; an attempted visit does
not meet a visit duty; local contact standard 56 days, *configurable*) and "Accommodation" (bed and
breakfast at most 2 working days; Ofsted-registered providers for 16-17 year olds, Supported
Accommodation (England) Regulations 2023; suitability, CLR 2010 Schedule 2).

``risk_flags`` recomputes every flag, open and resolved, from the moves, contacts, reviews and help
requests. Nothing is stored by a job, so a time-based flag is right on any date, also when nobody
opened the app that day. A flag resolves itself when the duty is met; closing a flag by hand (with a
reason) is recorded by the service layer against ``Flag.key``.

Rules, one flag each:

- Every move: "Visit within 7 days of the move", due move-in + 7 days. Resolved by the first visit
  that saw the young person on or after the move-in date, even a late one (``in_time`` says which).
  A visit dated before the move never resolves it. A move into custody (X) gets the custody flag
  instead, because the custody rule is the one written for detention.
- Every move: "Plan review within 28 working days of the move" (``review_due_after_move``),
  resolved by the first review on or after the move-in date.
- Custody (X), on the first detention (a move into X from anything other than X): "Visit within 10
  working days of detention" (``custody_visit_due``), resolved by a visit on or after detention.
- Bed and breakfast (W): "Bed and breakfast beyond 2 working days", counted from the first day in
  bed and breakfast (moving between bed and breakfasts does not restart the count). Raised the day
  after the limit, due on the limit, only if they were still there after it; resolved by the move
  out.
- 16 or 17 in accommodation that needs a registered provider, provider not registered: due on the
  move-in date; resolved by the next move or the 18th birthday. A provider whose registration was
  not recorded (None) raises nothing: the form asks the question.
- Unsuitable accommodation (``Move.suitable`` False, or the code's suffix 2 when ``suitable`` is
  None): due on the move-in date; resolved by the next move.
- Unreachable: two contacts in a row that did not reach them (due the day of the second) or no
  successful contact within the standard (due on its last day); resolved by a contact that reaches
  them (``contacts.unreachable_spells``).
- A help request: due 1 working day after the day it was made, or that same day if they said they do
  not feel safe; resolved when answered.

Moves, contacts, reviews and help requests dated after ``today`` are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from pathway.rules.accommodation import (
    BED_AND_BREAKFAST,
    CUSTODY,
    REGISTRATION_REQUIRED,
    needs_registered_provider,
    parse_accommodation_code,
)
from pathway.rules.contacts import Contact, in_order, local_date, unreachable_spells
from pathway.rules.dates import add_days, add_working_days, birthday, long_date
from pathway.rules.reviews import REVIEW_AFTER_MOVE_WORKING_DAYS, review_due_after_move
from pathway.rules.visits import (
    CONTACT_STANDARD_DAYS,
    CUSTODY_VISIT_WORKING_DAYS,
    bed_and_breakfast_limit,
    custody_visit_due,
    post_move_visit_due,
)

HELP_REPLY_WORKING_DAYS = 1
"""Local standard (configurable): reply to a help request within 1 working day (same day if unsafe)."""

__all__ = [
    "Contact",
    "Flag",
    "FlagKind",
    "HelpRequest",
    "Move",
    "days_overdue",
    "help_request_due",
    "open_flags",
    "overdue",
    "risk_flags",
]


class FlagKind(StrEnum):
    """The kinds of automatic risk flag (issue 5 section 3)."""

    POST_MOVE_VISIT = "post_move_visit"
    PLAN_REVIEW_AFTER_MOVE = "plan_review_after_move"
    CUSTODY_VISIT = "custody_visit"
    BED_AND_BREAKFAST = "bed_and_breakfast"
    UNREGISTERED_PROVIDER = "unregistered_provider"
    UNSUITABLE_ACCOMMODATION = "unsuitable_accommodation"
    UNREACHABLE = "unreachable"
    HELP_REQUEST = "help_request"

    @property
    def label(self) -> str:
        """Short name for filters, for example "Post-move visit"."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    FlagKind.POST_MOVE_VISIT: "Post-move visit",
    FlagKind.PLAN_REVIEW_AFTER_MOVE: "Plan review after a move",
    FlagKind.CUSTODY_VISIT: "Custody visit",
    FlagKind.BED_AND_BREAKFAST: "Bed and breakfast",
    FlagKind.UNREGISTERED_PROVIDER: "Unregistered provider",
    FlagKind.UNSUITABLE_ACCOMMODATION: "Unsuitable accommodation",
    FlagKind.UNREACHABLE: "Unreachable",
    FlagKind.HELP_REQUEST: "Help request",
}
_KIND_ORDER = {kind: index for index, kind in enumerate(FlagKind)}


@dataclass(frozen=True)
class Move:
    """One move into accommodation. ``code`` is an SSDA903 care leaver code ("U1", "W2", "X").

    ``suitable`` is the suitability assessment (None: not assessed, then the code's suffix is used).
    ``registered_provider``: is the provider Ofsted-registered (None: not asked or not known).
    """

    move_in: date
    code: str
    suitable: bool | None = None
    registered_provider: bool | None = None

    def __post_init__(self) -> None:
        parse_accommodation_code(self.code)

    @property
    def type(self) -> str:
        """The accommodation type letter, for example "U"."""
        return parse_accommodation_code(self.code).type

    @property
    def unsuitable(self) -> bool:
        """True if assessed unsuitable, or, with no assessment, coded unsuitable (suffix 2)."""
        if self.suitable is not None:
            return not self.suitable
        return parse_accommodation_code(self.code).suitable is False


@dataclass(frozen=True)
class HelpRequest:
    """An "I need help" request from the young person (issue 5 section 4).

    ``made_at`` and ``answered_at`` are datetimes (UTC-aware from the database); the day counts in
    England. ``answered`` may be given without ``answered_at``; then the flag is resolved with no
    date.
    """

    made_at: datetime
    unsafe: bool = False
    answered: bool = False
    answered_at: datetime | None = None

    @property
    def is_answered(self) -> bool:
        return self.answered or self.answered_at is not None


@dataclass(frozen=True)
class Flag:
    """One risk flag.

    ``due``: the last day to meet the duty. ``raised_on``: the day the flag started. ``rule``: the
    rule that raised it. ``resolved_on`` and ``resolution`` are set when the duty was met (the flag is
    open while ``resolution`` is None). ``in_time`` is whether a met duty was met by ``due`` (None if
    not met, or not a duty with a deadline). ``detail`` says more (why they are unreachable).
    ``key`` identifies the flag across recomputations, for closing it by hand.
    """

    kind: FlagKind
    title: str
    due: date
    raised_on: date
    rule: str
    resolved_on: date | None = None
    resolution: str | None = None
    in_time: bool | None = None
    detail: str | None = None
    key: str = field(default="", compare=False)

    @property
    def is_open(self) -> bool:
        return self.resolution is None


def open_flags(flags: Iterable[Flag]) -> list[Flag]:
    """Return the flags that are still open, in the order given."""
    return [flag for flag in flags if flag.is_open]


def days_overdue(flag: Flag, today: date) -> int:
    """Return how many days an open flag is past its due date on ``today`` (0 if not, or resolved)."""
    if not flag.is_open:
        return 0
    return max(0, (today - flag.due).days)


def overdue(flag: Flag, today: date) -> bool:
    """Return True if the flag is open and ``today`` is after its due date."""
    return days_overdue(flag, today) > 0


def risk_flags(
    dob: date,
    moves: Sequence[Move],
    contacts: Sequence[Contact],
    today: date,
    *,
    reviews: Sequence[date] = (),
    help_requests: Sequence[HelpRequest] = (),
    contact_since: date | None = None,
    standard_days: int = CONTACT_STANDARD_DAYS,
    review_working_days: int = REVIEW_AFTER_MOVE_WORKING_DAYS,
    custody_working_days: int = CUSTODY_VISIT_WORKING_DAYS,
    help_reply_working_days: int = HELP_REPLY_WORKING_DAYS,
    registration_codes: frozenset[str] = REGISTRATION_REQUIRED,
) -> list[Flag]:
    """Return every risk flag, open and resolved, on ``today``, ordered by due date.

    ``reviews`` are the dates plan reviews took place. ``contact_since`` starts the contact
    standard before any successful contact (for example the day the case was allocated); without
    it the first move is used. The keyword standards are the configurable local ones. See the module
    docstring for each rule.
    """
    history = sorted((m for m in moves if m.move_in <= today), key=lambda m: m.move_in)
    seen = in_order(contacts, today)
    visits = [c.day for c in seen if c.is_visit]
    done_reviews = sorted(r for r in reviews if r <= today)
    flags: list[Flag] = []
    for index, move in enumerate(history):
        previous = history[index - 1] if index else None
        moved_out = _moved_out(history, index)
        if move.type != CUSTODY:
            flags.append(_post_move_visit(move, visits))
        elif previous is None or previous.type != CUSTODY:
            flags.append(_custody_visit(move, visits, custody_working_days))
        flags.append(_plan_review(move, done_reviews, review_working_days))
        if move.type == BED_AND_BREAKFAST and (previous is None or previous.type != BED_AND_BREAKFAST):
            flag = _bed_and_breakfast(move, history, index, today)
            if flag is not None:
                flags.append(flag)
        if move.registered_provider is False and needs_registered_provider(
            dob, move.move_in, move.code, registration_codes
        ):
            flags.append(_unregistered(move, moved_out, birthday(dob, 18), today))
        if move.unsuitable:
            flags.append(_unsuitable(move, moved_out))
    since = contact_since if contact_since is not None else (history[0].move_in if history else None)
    flags += _unreachable(seen, today, since, standard_days)
    flags += [
        _help_request(request, help_reply_working_days)
        for request in help_requests
        if local_date(request.made_at) <= today
    ]
    flags.sort(key=lambda f: (f.due, f.raised_on, _KIND_ORDER[f.kind]))
    return flags


def _moved_out(history: Sequence[Move], index: int) -> date | None:
    return history[index + 1].move_in if index + 1 < len(history) else None


def _first_on_or_after(days: Iterable[date], start: date) -> date | None:
    later = [d for d in days if d >= start]
    return min(later) if later else None


def _met(what: str, day: date, due: date) -> str:
    late = (day - due).days
    if late <= 0:
        return f"{what} on {long_date(day)}, in time"
    return f"{what} on {long_date(day)}, {late} day{'s' if late != 1 else ''} late"


def _post_move_visit(move: Move, visits: Sequence[date]) -> Flag:
    """CLR 2010 reg 8: visit within 7 days of the move-in date."""
    due = post_move_visit_due(move.move_in)
    visited = _first_on_or_after(visits, move.move_in)
    return Flag(
        FlagKind.POST_MOVE_VISIT,
        "Visit within 7 days of the move",
        due=due,
        raised_on=move.move_in,
        rule="CLR 2010 reg 8: visit within 7 days of the move",
        resolved_on=visited,
        resolution=None if visited is None else _met("Visited", visited, due),
        in_time=None if visited is None else visited <= due,
        key=f"{FlagKind.POST_MOVE_VISIT}:{move.move_in.isoformat()}",
    )


def _custody_visit(move: Move, visits: Sequence[date], working_days: int) -> Flag:
    """DOMAIN.md "Visits and contact": custody visit within 10 working days (*unconfirmed*)."""
    due = custody_visit_due(move.move_in, working_days)
    visited = _first_on_or_after(visits, move.move_in)
    return Flag(
        FlagKind.CUSTODY_VISIT,
        f"Visit within {working_days} working days of detention",
        due=due,
        raised_on=move.move_in,
        rule=(
            f"Local standard (unconfirmed for England): visit within {working_days} working "
            "days of detention"
        ),
        resolved_on=visited,
        resolution=None if visited is None else _met("Visited", visited, due),
        in_time=None if visited is None else visited <= due,
        key=f"{FlagKind.CUSTODY_VISIT}:{move.move_in.isoformat()}",
    )


def _plan_review(move: Move, reviews: Sequence[date], working_days: int) -> Flag:
    """DOMAIN.md "Pathway plan": review within 28 working days of a move (*configurable*)."""
    due = review_due_after_move(move.move_in, working_days)
    reviewed = _first_on_or_after(reviews, move.move_in)
    return Flag(
        FlagKind.PLAN_REVIEW_AFTER_MOVE,
        f"Plan review within {working_days} working days of the move",
        due=due,
        raised_on=move.move_in,
        rule=f"Local standard: review the pathway plan within {working_days} working days of a move",
        resolved_on=reviewed,
        resolution=None if reviewed is None else _met("Plan reviewed", reviewed, due),
        in_time=None if reviewed is None else reviewed <= due,
        key=f"{FlagKind.PLAN_REVIEW_AFTER_MOVE}:{move.move_in.isoformat()}",
    )


def _bed_and_breakfast(move: Move, history: Sequence[Move], index: int, today: date) -> Flag | None:
    """DOMAIN.md "Accommodation": bed and breakfast only in an emergency, at most 2 working days."""
    limit = bed_and_breakfast_limit(move.move_in)
    left = next((m.move_in for m in history[index + 1 :] if m.type != BED_AND_BREAKFAST), None)
    if today <= limit or (left is not None and left <= limit):
        return None
    return Flag(
        FlagKind.BED_AND_BREAKFAST,
        "Bed and breakfast beyond 2 working days",
        due=limit,
        raised_on=add_days(limit, 1),
        rule="Bed and breakfast only in an emergency, and for at most 2 working days",
        resolved_on=left,
        resolution=None if left is None else f"Moved out of bed and breakfast on {long_date(left)}",
        key=f"{FlagKind.BED_AND_BREAKFAST}:{move.move_in.isoformat()}",
    )


def _unregistered(move: Move, moved_out: date | None, d18: date, today: date) -> Flag:
    """Supported Accommodation (England) Regulations 2023: registered providers for 16-17s."""
    resolved_on: date | None = None
    resolution: str | None = None
    if moved_out is not None and moved_out <= d18:
        resolved_on, resolution = moved_out, f"Moved on {long_date(moved_out)}"
    elif d18 <= today:
        resolved_on, resolution = d18, f"Turned 18 on {long_date(d18)}"
    return Flag(
        FlagKind.UNREGISTERED_PROVIDER,
        "Provider not registered with Ofsted",
        due=move.move_in,
        raised_on=move.move_in,
        rule=(
            "Supported Accommodation (England) Regulations 2023: 16 and 17 year olds in "
            "supported accommodation need an Ofsted-registered provider"
        ),
        resolved_on=resolved_on,
        resolution=resolution,
        key=f"{FlagKind.UNREGISTERED_PROVIDER}:{move.move_in.isoformat()}",
    )


def _unsuitable(move: Move, moved_out: date | None) -> Flag:
    """CLR 2010 Schedule 2: accommodation must be suitable."""
    return Flag(
        FlagKind.UNSUITABLE_ACCOMMODATION,
        "Unsuitable accommodation",
        due=move.move_in,
        raised_on=move.move_in,
        rule="CLR 2010 Schedule 2: accommodation must be suitable",
        resolved_on=moved_out,
        resolution=None if moved_out is None else f"Moved on {long_date(moved_out)}",
        key=f"{FlagKind.UNSUITABLE_ACCOMMODATION}:{move.move_in.isoformat()}",
    )


def _unreachable(
    contacts: Sequence[Contact], today: date, since: date | None, standard_days: int
) -> list[Flag]:
    """Issue 5 section 3: two unsuccessful contacts in a row, or none within the standard."""
    rule = (
        f"Local contact standard: reach them at least every {standard_days} days; "
        "2 unsuccessful contacts in a row"
    )
    return [
        Flag(
            FlagKind.UNREACHABLE,
            "Not reached: make contact",
            due=spell.due,
            raised_on=spell.raised_on,
            rule=rule,
            resolved_on=spell.resolved_on,
            resolution=spell.resolution,
            detail=spell.reason,
            key=f"{FlagKind.UNREACHABLE}:{spell.raised_on.isoformat()}",
        )
        for spell in unreachable_spells(contacts, today, since=since, standard_days=standard_days)
    ]


def help_request_due(made_on: date, unsafe: bool, working_days: int = HELP_REPLY_WORKING_DAYS) -> date:
    """Return the reply deadline: the same day if they do not feel safe, else 1 working day after."""
    return made_on if unsafe else add_working_days(made_on, working_days)


def _help_request(request: HelpRequest, working_days: int) -> Flag:
    """Issue 5 section 3: reply in 1 working day, or the same day if they are not safe."""
    made_on = local_date(request.made_at)
    due = help_request_due(made_on, request.unsafe, working_days)
    answered_on = None if request.answered_at is None else local_date(request.answered_at)
    resolution: str | None = None
    if answered_on is not None:
        resolution = _met("Answered", answered_on, due)
    elif request.answered:
        resolution = "Answered"
    return Flag(
        FlagKind.HELP_REQUEST,
        (
            "Help request: they do not feel safe, reply today"
            if request.unsafe
            else f"Help request: reply within {_working_days(working_days)}"
        ),
        due=due,
        raised_on=made_on,
        rule=(
            f"Local standard: reply within {_working_days(working_days)}, the same day if they "
            "do not feel safe"
        ),
        resolved_on=answered_on,
        resolution=resolution,
        in_time=None if answered_on is None else answered_on <= due,
        detail="They said they do not feel safe" if request.unsafe else None,
        key=f"{FlagKind.HELP_REQUEST}:{request.made_at.isoformat()}",
    )


def _working_days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"
