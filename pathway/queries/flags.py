"""Loading what the risk flags are computed from, for one young person or a whole caseload.

Set-based: the moves, contacts, help requests, flag actions and signed-off plan dates of every young
person asked for are loaded in one query each (five queries, however many young people and however
long their histories). pathway.services.flags then computes the flags in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import Allocation, PathwayPlan, Role, User, YoungPerson
from pathway.models.contact import AccommodationMove, Contact, FlagAction, HelpRequest
from pathway.queries.plans import SIGNED_OFF
from pathway.rules import contacts as contact_rules
from pathway.rules import flags as flag_rules


@dataclass
class History:
    """Everything the flags of one young person are computed from."""

    person: YoungPerson
    allocated_on: date | None = None
    moves: list[flag_rules.Move] = field(default_factory=list)
    contacts: list[contact_rules.Contact] = field(default_factory=list)
    reviews: list[date] = field(default_factory=list)
    help_requests: list[HelpRequest] = field(default_factory=list)
    actions: list[FlagAction] = field(default_factory=list)


def _move(row) -> flag_rules.Move | None:
    try:
        return flag_rules.Move(row.move_in, row.code, suitable=row.suitable, registered_provider=row.registered_provider)
    except ValueError:  # an unknown code never reaches the database through the forms; never 500 on one
        return None


def _contact(row) -> contact_rules.Contact | None:
    try:
        return contact_rules.Contact(row.contact_at, row.kind, reached=bool(row.reached))
    except ValueError:
        return None


def load_histories(people: Sequence[tuple[YoungPerson, date | None]]) -> list[History]:
    """The histories of these young people (with their allocation dates), in the order given. Five queries."""
    histories = {person.id: History(person, allocated_on) for person, allocated_on in people}
    ids = list(histories)
    if not ids:
        return []
    for row in db.session.execute(
        select(AccommodationMove.young_person_id, AccommodationMove.move_in, AccommodationMove.code,
               AccommodationMove.suitable, AccommodationMove.registered_provider)
        .where(AccommodationMove.young_person_id.in_(ids))
        .order_by(AccommodationMove.move_in, AccommodationMove.id)
    ):
        move = _move(row)
        if move is not None:
            histories[row.young_person_id].moves.append(move)
    for row in db.session.execute(
        select(Contact.young_person_id, Contact.contact_at, Contact.kind, Contact.reached)
        .where(Contact.young_person_id.in_(ids))
        .order_by(Contact.contact_at, Contact.id)
    ):
        contact = _contact(row)
        if contact is not None:
            histories[row.young_person_id].contacts.append(contact)
    for person_id, plan_date in db.session.execute(
        select(PathwayPlan.young_person_id, PathwayPlan.plan_date)
        .where(PathwayPlan.young_person_id.in_(ids), PathwayPlan.status.in_(SIGNED_OFF))
    ):
        histories[person_id].reviews.append(plan_date)
    for request in db.session.scalars(
        select(HelpRequest).where(HelpRequest.young_person_id.in_(ids)).order_by(HelpRequest.created_at, HelpRequest.id)
    ):
        histories[request.young_person_id].help_requests.append(request)
    for action in db.session.scalars(
        select(FlagAction).where(FlagAction.young_person_id.in_(ids)).order_by(FlagAction.created_at, FlagAction.id)
    ):
        histories[action.young_person_id].actions.append(action)
    return list(histories.values())


def list_histories_for_adviser(adviser: User) -> list[History]:
    """The histories of the adviser's current young people. Six queries."""
    rows = db.session.execute(
        select(YoungPerson, Allocation.start_date)
        .join(Allocation, Allocation.young_person_id == YoungPerson.id)
        .where(Allocation.adviser_id == adviser.id, Allocation.end_date.is_(None))
        .order_by(func.lower(YoungPerson.family_name), func.lower(YoungPerson.given_name), YoungPerson.id)
    ).all()
    return load_histories([(person, start) for person, start in rows])


def get_history(person: YoungPerson) -> History:
    """One young person's history (six queries)."""
    allocation = db.session.scalar(
        select(Allocation.start_date).where(Allocation.young_person_id == person.id, Allocation.end_date.is_(None))
    )
    return load_histories([(person, allocation)])[0]


def list_active_advisers() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role == Role.ADVISER, User.active.is_(True)).order_by(User.id)
    ))


def get_help_request_for(person: YoungPerson, request_id: int) -> HelpRequest | None:
    return db.session.scalar(
        select(HelpRequest).where(HelpRequest.id == request_id, HelpRequest.young_person_id == person.id)
    )


def list_help_requests_for(person_id: int) -> list[HelpRequest]:
    """A young person's help requests, newest first."""
    return list(db.session.scalars(
        select(HelpRequest).where(HelpRequest.young_person_id == person_id)
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
    ))
