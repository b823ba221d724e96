"""The personal adviser's worklist: next visit and contact due, and the order of the rows.

Sources: CLR 2010 reg 8 and Children Act 1989 ss23B, 23C(2) (visit within 7 days of a move, before
each plan review, and at intervals of not more than 2 months); DOMAIN.md "Visits and contact" (an
attempted visit does not meet a visit duty; local contact standard 56 days, *configurable*; custody
visit within 10 working days, *unconfirmed*) and "Pathway plan" (review every 6 months and within 28
working days of a move); issue 5 sections 2 and 5.

Choices made here:

- The local standard (56 days) is a *contact* standard: ``next_contact_due`` counts it from the last
  contact that reached the young person, by any means (the unreachable flag uses the same test).
  ``next_visit_due`` uses the statutory visit rules only; a council whose standard is "seen in
  person every N days" passes ``standard_days=N`` to it as well. Applying 56 days to visits by
  default would make the 2-month rule meaningless.
- "Before each plan review": the next review is the earlier of 6 months after the last review and
  28 working days after any move since it (``next_review``, unless the caller knows the booked date).
  The duty is met by a visit since the last review.
- Worklist order: rows with an overdue open flag first, most days overdue first; then rows with an
  open flag due in the next 7 days (today included), soonest first; then everyone else by next visit
  due, soonest first, with no date last. Ties: next visit due (soonest first, none last), then
  name (ignoring case), then the order the rows were given (the sort is stable).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import NamedTuple, Protocol, TypeVar

from pathway.rules.accommodation import CUSTODY
from pathway.rules.contacts import Contact, last_successful_contact
from pathway.rules.dates import add_days, long_date
from pathway.rules.flags import Flag, FlagKind, Move, days_overdue
from pathway.rules.reviews import REVIEW_AFTER_MOVE_WORKING_DAYS, next_review_due, review_due_after_move
from pathway.rules.visits import (
    CONTACT_STANDARD_DAYS,
    CUSTODY_VISIT_WORKING_DAYS,
    contact_due,
    custody_visit_due,
    post_move_visit_due,
    statutory_visit_due,
)

DUE_SOON_DAYS = 7
"""Flags due within this many days of today come second on the worklist."""


class Due(NamedTuple):
    """A due date and the rule that set it, for example "Within 7 days of the move on 2 March 2026"."""

    on: date
    reason: str


def _visit_days(contacts: Iterable[Contact], today: date) -> list[date]:
    return sorted(c.day for c in contacts if c.is_visit and c.day <= today)


def next_review(
    moves: Sequence[Move],
    reviews: Sequence[date],
    today: date,
    *,
    review_working_days: int = REVIEW_AFTER_MOVE_WORKING_DAYS,
) -> Due | None:
    """Return when the next plan review is due: 6 months after the last, or sooner after a move.

    None if there has been no review and no move to count from.
    """
    done = [r for r in reviews if r <= today]
    last = max(done) if done else None
    candidates: list[Due] = []
    if last is not None:
        candidates.append(Due(next_review_due(last), f"6 months after the review on {long_date(last)}"))
    for move in moves:
        if move.move_in <= today and (last is None or move.move_in > last):
            candidates.append(
                Due(
                    review_due_after_move(move.move_in, review_working_days),
                    f"Within {review_working_days} working days of the move on {long_date(move.move_in)}",
                )
            )
    return min(candidates, key=lambda d: d.on) if candidates else None


def next_visit_due(
    moves: Sequence[Move],
    contacts: Sequence[Contact],
    reviews: Sequence[date],
    today: date,
    *,
    standard_days: int | None = None,
    upcoming_review: date | None = None,
    since: date | None = None,
    custody_working_days: int = CUSTODY_VISIT_WORKING_DAYS,
    review_working_days: int = REVIEW_AFTER_MOVE_WORKING_DAYS,
) -> Due | None:
    """Return the earliest visit duty not yet met, which may be in the past (overdue).

    CLR 2010 reg 8: within 7 days of each move not yet followed by a visit (10 working days of a first
    detention in custody instead); before the next plan review if there has been no visit since the
    last review (``upcoming_review`` if booked, else ``next_review``); not more than 2 months after
    the last visit (or after ``since``, such as the allocation date, before any visit); and, if
    ``standard_days`` is given, within that many days of the last visit. Only a visit that saw the
    young person counts: an attempted visit does not meet a visit duty. None if there is nothing to
    count from. Ties go to the duty listed first.
    """
    visits = _visit_days(contacts, today)
    last_visit = visits[-1] if visits else None
    history = sorted((m for m in moves if m.move_in <= today), key=lambda m: m.move_in)
    candidates: list[Due] = []
    for index, move in enumerate(history):
        if last_visit is not None and last_visit >= move.move_in:
            continue
        if move.type == CUSTODY:
            if index and history[index - 1].type == CUSTODY:
                continue
            candidates.append(
                Due(
                    custody_visit_due(move.move_in, custody_working_days),
                    f"Within {custody_working_days} working days of detention on {long_date(move.move_in)}",
                )
            )
        else:
            candidates.append(
                Due(post_move_visit_due(move.move_in), f"Within 7 days of the move on {long_date(move.move_in)}")
            )
    done = [r for r in reviews if r <= today]
    last_review = max(done) if done else None
    if last_visit is None or (last_review is not None and last_visit <= last_review):
        review = (
            Due(upcoming_review, f"Before the plan review on {long_date(upcoming_review)}")
            if upcoming_review is not None
            else next_review(history, done, today, review_working_days=review_working_days)
        )
        if review is not None:
            candidates.append(Due(review.on, f"Before the plan review due on {long_date(review.on)}"))
    base = last_visit if last_visit is not None else since
    if base is not None:
        what = "last visit" if last_visit is not None else "start"
        candidates.append(Due(statutory_visit_due(base), f"2 months after the {what} on {long_date(base)}"))
        if standard_days is not None:
            candidates.append(
                Due(contact_due(base, standard_days), f"{standard_days} days after the {what} on {long_date(base)}")
            )
    return min(candidates, key=lambda d: d.on) if candidates else None


def next_contact_due(
    contacts: Sequence[Contact],
    today: date,
    *,
    since: date | None = None,
    standard_days: int = CONTACT_STANDARD_DAYS,
) -> Due | None:
    """Return when the young person must next be reached under the local contact standard.

    ``standard_days`` (default 56, 8 weeks) after the last contact that reached them, or after
    ``since`` (such as the allocation date) if none has. Attempted visits and contacts that did not
    reach them do not count. None if there is nothing to count from.
    """
    last = last_successful_contact(contacts, today)
    if last is not None:
        return Due(contact_due(last, standard_days), f"{standard_days} days after they were last reached, on {long_date(last)}")
    if since is not None:
        return Due(contact_due(since, standard_days), f"{standard_days} days after {long_date(since)}")
    return None


class Urgency(IntEnum):
    """The worklist groups, in order."""

    OVERDUE = 0
    DUE_SOON = 1
    OTHER = 2


class WorklistItem(Protocol):
    """What ``worklist_order`` needs from a row."""

    @property
    def name(self) -> str: ...

    @property
    def flags(self) -> Sequence[Flag]: ...

    @property
    def next_visit_due(self) -> date | None: ...


_Row = TypeVar("_Row", bound=WorklistItem)


@dataclass(frozen=True)
class WorklistRow:
    """One young person on the worklist."""

    person_id: int
    name: str
    flags: tuple[Flag, ...] = ()
    next_visit_due: date | None = None
    next_contact_due: date | None = None


def _open(row: WorklistItem) -> list[Flag]:
    return [f for f in row.flags if f.is_open]


def most_days_overdue(row: WorklistItem, today: date) -> int:
    """Return the largest number of days any open flag of the row is overdue (0 if none)."""
    return max((days_overdue(f, today) for f in _open(row)), default=0)


def urgency(row: WorklistItem, today: date, *, soon_days: int = DUE_SOON_DAYS) -> Urgency:
    """Return the row's group: an overdue open flag, an open flag due within ``soon_days``, or other."""
    flags = _open(row)
    if any(days_overdue(f, today) > 0 for f in flags):
        return Urgency.OVERDUE
    horizon = add_days(today, soon_days)
    if any(today <= f.due <= horizon for f in flags):
        return Urgency.DUE_SOON
    return Urgency.OTHER


def _visit_key(row: WorklistItem) -> tuple[int, date]:
    due = row.next_visit_due
    return (1, date.max) if due is None else (0, due)


def worklist_key(row: WorklistItem, today: date, *, soon_days: int = DUE_SOON_DAYS) -> tuple:
    """Return the sort key of a row (see the module docstring for the order and the tie-breakers)."""
    group = urgency(row, today, soon_days=soon_days)
    if group is Urgency.OVERDUE:
        first: tuple = (-most_days_overdue(row, today),)
    elif group is Urgency.DUE_SOON:
        first = (min(f.due for f in _open(row) if f.due >= today),)
    else:
        first = ()
    return (group, *first, _visit_key(row), row.name.casefold())


def worklist_order(rows: Iterable[_Row], today: date, *, soon_days: int = DUE_SOON_DAYS) -> list[_Row]:
    """Return the rows in worklist order (stable: equal rows keep the order given)."""
    return sorted(rows, key=lambda row: worklist_key(row, today, soon_days=soon_days))


def filter_rows(
    rows: Iterable[_Row], today: date, *, overdue_only: bool = False, kind: FlagKind | str | None = None
) -> list[_Row]:
    """Keep the rows with an overdue open flag (``overdue_only``) and/or an open flag of ``kind``."""
    wanted = None if kind is None else FlagKind(kind)
    kept = []
    for row in rows:
        flags = _open(row)
        if overdue_only:
            flags = [f for f in flags if days_overdue(f, today) > 0]
            if not flags:
                continue
        if wanted is not None and not any(f.kind is wanted for f in flags):
            continue
        kept.append(row)
    return kept
