"""Reallocating a young person to another personal adviser (issue 6 section 3).

One user action: check, lock the young person, end the current allocation, start the new one,
audit both and commit; then tell the new adviser by email. The handover note stays in the service:
the email only says there is a new young person and where to read the note.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from pathway.extensions import db
from pathway.models import Allocation, Role, User, YoungPerson
from pathway.queries.allocations import get_current_allocation
from pathway.rules.dates import long_date
from pathway.services import audit
from pathway.services.email import external_url, send_email
from pathway.services.flag_cache import entries_for_adviser

log = logging.getLogger(__name__)


class ReallocationProblem(ValueError):
    """The reallocation was refused. ``field`` is the form field the message belongs to. Nothing was saved."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _lock_person(person: YoungPerson) -> None:
    """Serialise reallocations of one young person (PostgreSQL row lock; SQLite locks on write)."""
    db.session.execute(select(YoungPerson.id).where(YoungPerson.id == person.id).with_for_update())


def _refuse(field: str, message: str) -> None:
    db.session.rollback()
    raise ReallocationProblem(field, message)


def reallocate(person: YoungPerson, new_adviser: User, *, by: User, reason: str, handover_note: str | None,
               today: date) -> Allocation:
    """Make ``new_adviser`` the young person's personal adviser from ``today``. Commits, then emails them.

    The current allocation ends on ``today`` and the new one starts the same day (a second
    reallocation on one day ends the first on the day it started). Raises ReallocationProblem,
    having changed nothing, when the adviser is not an active adviser or is already theirs.
    """
    if new_adviser.role is not Role.ADVISER:
        raise ReallocationProblem("adviser_id", f"{new_adviser.name} is not a personal adviser: choose a personal adviser")
    if not new_adviser.active:
        raise ReallocationProblem("adviser_id",
                                  f"{new_adviser.name} is no longer an active personal adviser: choose someone else")
    reason = (reason or "").strip()
    if not reason:
        raise ReallocationProblem("reason", "Enter why they are being reallocated")
    handover_note = (handover_note or "").strip() or None

    _lock_person(person)
    current = get_current_allocation(person.id)  # read under the lock: another manager may just have moved them
    if current is not None and current.adviser_id == new_adviser.id:
        _refuse("adviser_id", f"{new_adviser.name} is already {person.display_name}'s personal adviser")
    if current is not None:
        if current.start_date > today:
            _refuse("adviser_id", f"{person.display_name}'s current allocation starts after today: try again tomorrow")
        current.end_date = today
        audit.record("update", "allocation", current.id, young_person_id=person.id, fields=["end_date"], user=by)
        db.session.flush()  # ended before the new one is written: only one current allocation at a time
    allocation = Allocation(young_person_id=person.id, adviser_id=new_adviser.id, start_date=today,
                            reason=reason, handover_note=handover_note, allocated_by_id=by.id)
    db.session.add(allocation)
    try:
        db.session.flush()
        audit.record("create", "allocation", allocation.id, young_person_id=person.id, user=by,
                     fields=["adviser_id", "start_date", "reason", "allocated_by_id"]
                     + (["handover_note"] if handover_note else []))
        db.session.commit()
    except IntegrityError:  # uq_allocation_current: someone reallocated them at the same moment
        db.session.rollback()
        raise ReallocationProblem(
            "adviser_id", f"Someone else reallocated {person.display_name} at the same time. Check who their "
                          "personal adviser is now and try again.") from None
    _email_new_adviser(new_adviser, allocation, has_note=handover_note is not None, today=today)
    return allocation


def _email_new_adviser(adviser: User, allocation: Allocation, *, has_note: bool, today: date) -> None:
    """Tell the new adviser. A failure is logged: the reallocation is already saved."""
    try:
        link = external_url("records.view_record", person_id=allocation.young_person_id)
        service = current_app.config["SERVICE_NAME"]
        read = "their record and the handover note" if has_note else "their record"
        body = (
            f"Dear {adviser.name},\n\n"
            f"A young person has been allocated to you as their personal adviser from {long_date(today)}.\n\n"
            f"Read {read} in {service}:\n{link}\n"
        )
        send_email(adviser.email, "You have a new young person on your caseload", body)
        db.session.commit()
    except Exception:  # noqa: BLE001 - the reallocation is saved; the adviser sees them on their worklist
        db.session.rollback()
        log.exception("could not email adviser %s about allocation %s", adviser.id, allocation.id)


# --- One adviser's caseload, as their manager sees it ----------------------------------------------------

@dataclass(frozen=True)
class CaseloadLine:
    person: YoungPerson
    allocated_on: date | None
    next_visit_due: date | None
    open_flags: int
    overdue_flags: int


def caseload_for(adviser: User, today: date) -> list[CaseloadLine]:
    """The adviser's current young people by name, with their next visit and flag counts.

    One query when their flags are cached for today (pathway.services.flag_cache), a fixed few more when not.
    """
    lines = []
    for entry in entries_for_adviser(adviser, today):
        lines.append(CaseloadLine(
            person=entry.person, allocated_on=entry.allocated_on, next_visit_due=entry.next_visit_due,
            open_flags=len(entry.open_flags),
            overdue_flags=sum(1 for flag in entry.open_flags if flag.days_overdue(today) > 0),
        ))
    return lines
