"""Loading contacts and visits for pages: a fixed number of queries however long the history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from pathway.extensions import db
from pathway.models import AccommodationMove, Allocation, Contact, PathwayPlan, PlanStatus, YoungPerson
from pathway.queries import moves as moves_queries
from pathway.rules import contacts as contact_rules
from pathway.rules.flags import Move
from pathway.rules.worklist import Due, next_contact_due, next_visit_due

SIGNED_OFF = (PlanStatus.ACTIVE, PlanStatus.SUPERSEDED)


def list_contacts_for(person_id: int) -> list[Contact]:
    """A young person's contacts, newest first, with who recorded them. One query."""
    return list(db.session.scalars(
        select(Contact).where(Contact.young_person_id == person_id)
        .options(joinedload(Contact.recorded_by))
        .order_by(Contact.contact_at.desc(), Contact.id.desc())
    ))


def last_contacts_for(person_ids: Iterable[int]) -> dict[int, Contact]:
    """The latest contact of each young person (of any kind), keyed by person id. One query.

    People with no contacts are left out. Ties on the time go to the one recorded last.
    """
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    ranked = (
        select(Contact.id, func.row_number().over(
            partition_by=Contact.young_person_id,
            order_by=(Contact.contact_at.desc(), Contact.id.desc()),
        ).label("rank"))
        .where(Contact.young_person_id.in_(ids))
        .subquery()
    )
    rows = db.session.scalars(select(Contact).join(ranked, ranked.c.id == Contact.id).where(ranked.c.rank == 1))
    return {row.young_person_id: row for row in rows}


def list_moves_oldest_first(person_id: int) -> list[AccommodationMove]:
    """A young person's moves, oldest first (the order the rules read them in). One query."""
    return list(reversed(moves_queries.list_moves_for(person_id)))


def list_review_dates_for(person_id: int) -> list[date]:
    """The dates of a young person's signed-off plans and reviews. One query."""
    return list(db.session.scalars(
        select(PathwayPlan.plan_date).where(PathwayPlan.young_person_id == person_id,
                                            PathwayPlan.status.in_(SIGNED_OFF))
    ))


def allocated_since(person_id: int) -> date | None:
    """The start of the current allocation (the visit and contact clocks start here). One query."""
    return db.session.scalar(
        select(Allocation.start_date).where(Allocation.young_person_id == person_id, Allocation.end_date.is_(None))
        .order_by(Allocation.start_date.desc()).limit(1)
    )


def rule_contacts(rows: Sequence[Contact]) -> list[contact_rules.Contact]:
    """The database rows as the rules' contacts (an attempted visit never reached them)."""
    return [contact_rules.Contact(on=row.contact_at, kind=row.kind, reached=bool(row.reached)) for row in rows]


def rule_moves(rows: Sequence[AccommodationMove]) -> list[Move]:
    moves = []
    for row in rows:
        try:
            moves.append(Move(move_in=row.move_in, code=row.code, suitable=row.suitable,
                              registered_provider=row.registered_provider))
        except ValueError:  # an unreadable code on an old row: left out rather than a 500
            continue
    return moves


def current_accommodation_code(moves: Sequence[AccommodationMove], today: date) -> str | None:
    """The code of the latest move on or before ``today`` (where they live now), or None."""
    current = [m for m in moves if m.move_in <= today]
    return current[-1].code if current else None


@dataclass(frozen=True)
class ContactSummary:
    """What the top of the contacts page says."""

    in_touch: contact_rules.InTouch | None
    main_activity: str | None
    last_visit: date | None
    next_visit: Due | None
    next_contact: Due | None
    accommodation: str | None


@dataclass(frozen=True)
class ContactsPage:
    contacts: list[Contact]
    summary: ContactSummary


def current_in_touch(contacts_newest_first: Sequence[Contact]) -> contact_rules.InTouch | None:
    """The in touch status recorded on the latest contact that recorded one."""
    for row in contacts_newest_first:
        if row.in_touch:
            try:
                return contact_rules.InTouch(row.in_touch)
            except ValueError:
                return None
    return None


def summarise(person: YoungPerson, contacts: Sequence[Contact], moves: Sequence[AccommodationMove],
              reviews: Sequence[date], since: date | None, today: date) -> ContactSummary:
    as_rules = rule_contacts(contacts)
    move_rules = rule_moves(moves)
    return ContactSummary(
        in_touch=current_in_touch(contacts),
        main_activity=person.main_activity,
        last_visit=contact_rules.last_visit(as_rules, today),
        next_visit=next_visit_due(move_rules, as_rules, reviews, today, since=since),
        next_contact=next_contact_due(as_rules, today, since=since),
        accommodation=current_accommodation_code(moves, today),
    )


def contacts_page(person: YoungPerson, today: date) -> ContactsPage:
    """Everything the contacts page shows, in a fixed number of queries."""
    contacts = list_contacts_for(person.id)
    summary = summarise(person, contacts, list_moves_oldest_first(person.id), list_review_dates_for(person.id),
                        allocated_since(person.id), today)
    return ContactsPage(contacts=contacts, summary=summary)


def contact_form_context(person: YoungPerson, today: date) -> tuple[contact_rules.InTouch | None, str | None]:
    """The current in touch status and accommodation code, for the contact form's checks. Two queries."""
    latest = last_contacts_for([person.id]).get(person.id)
    status = current_in_touch([latest]) if latest is not None else None
    return status, current_accommodation_code(list_moves_oldest_first(person.id), today)
