"""Demo management oversight (issue 6): a recent reallocation with a handover note, supervision that is
in date for one adviser and overdue for two, and oversight notes of each kind on the record."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from pathway.extensions import db
from pathway.models import Allocation, OversightKind, OversightNote, Supervision, User, YoungPerson

HANDOVER_NOTE = (
    "Moved to Sam from Priya because Sam works from the Harbour Road office, ten minutes from where "
    "Amira lives now.\n"
    "She is anxious about new workers: meet her at the library café, not at home, for the first visit.\n"
    "Her housing benefit claim is waiting on a letter confirming care leaver status: please chase it."
)


def load_demo_oversight(people: list[YoungPerson], advisers: list[User], manager: User, today: date) -> None:
    dan, sam, priya = advisers
    # Amira: reallocated from Priya to Sam ten days ago, with a handover note Sam sees first.
    moved = people[7]
    current = db.session.scalar(
        select(Allocation).where(Allocation.young_person_id == moved.id, Allocation.end_date.is_(None)))
    handover_on = today - timedelta(days=10)
    db.session.add(Allocation(young_person_id=moved.id, adviser_id=priya.id, start_date=current.start_date,
                              end_date=handover_on, reason=current.reason))
    current.start_date = handover_on
    current.reason = "Closer to where she lives now"
    current.handover_note = HANDOVER_NOTE
    current.allocated_by_id = manager.id

    # Supervision: Dan in date; Sam (in his first year: every 4 weeks) and Priya (every 6) overdue.
    for adviser, days_ago, notes in ((dan, 20, "Caseload reviewed; two plan reviews due next month."),
                                     (sam, 33, "First-year check-in: training plan agreed."),
                                     (priya, 50, "Discussed the young people in supported accommodation.")):
        db.session.add(Supervision(adviser_id=adviser.id, held_on=today - timedelta(days=days_ago), notes=notes,
                                   by_id=manager.id))

    # Oversight on records, one of each kind.
    jo = people[0]
    db.session.add_all([
        OversightNote(young_person_id=jo.id, kind=OversightKind.CASE_DIRECTION.value, noted_on=today - timedelta(days=6),
                      note="Agree the setting up home allowance before Jo's move. Review the budget together first.",
                      adviser_id=dan.id, by_id=manager.id),
        OversightNote(young_person_id=people[3].id, kind=OversightKind.SUPERVISION.value,
                      noted_on=today - timedelta(days=20), adviser_id=dan.id, by_id=manager.id,
                      note="Discussed in supervision: contingency plan only covers housing. Add what happens "
                           "if the college place falls through."),
        OversightNote(young_person_id=people[11].id, kind=OversightKind.AUDIT.value, noted_on=today - timedelta(days=2),
                      adviser_id=priya.id, by_id=manager.id,
                      note="Case audit: bed and breakfast beyond two working days. Find suitable accommodation "
                           "today and record the suitability assessment."),
    ])
