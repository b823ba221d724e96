"""Creating young people, inviting them to sign in, and allocating advisers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from pathway.extensions import db
from pathway.models import Allocation, Role, TokenPurpose, User, YoungPerson
from pathway.services import audit
from pathway.services.accounts import find_user_by_email, issue_link


def create_young_person(*, adviser: User, today: date, **fields) -> YoungPerson:
    """Add a young person allocated to this adviser from today. Commits."""
    person = YoungPerson(**fields)
    db.session.add(person)
    db.session.flush()
    db.session.add(Allocation(young_person_id=person.id, adviser_id=adviser.id, start_date=today, reason="Added by their adviser"))
    audit.record("create", "young_person", person.id, young_person_id=person.id, fields=[k for k, v in fields.items() if v is not None])
    db.session.commit()
    return person


class InvitationProblem(Exception):
    pass


def invite_young_person(person: YoungPerson, *, invited_by: User) -> User:
    """Create (or reuse) the young person's account and email them a link. Commits."""
    if not person.email:
        raise InvitationProblem("Add their email address before inviting them")
    user = person.user
    if user is None:
        existing = find_user_by_email(person.email)
        if existing is not None:
            raise InvitationProblem("That email address is already used by another account: check it with them")
        user = User(email=person.email, name=person.display_name, role=Role.YOUNG_PERSON, active=True)
        db.session.add(user)
        db.session.flush()
        person.user_id = user.id
        audit.record("create_account", "young_person", person.id, young_person_id=person.id, fields=["user_id"], user=invited_by)
    elif user.password_hash is not None:
        raise InvitationProblem("They have already set a password. If they have forgotten it, they can reset it from the sign-in page")
    issue_link(user, TokenPurpose.INVITATION, created_by=invited_by)
    audit.record("invite", "young_person", person.id, young_person_id=person.id, user=invited_by)
    db.session.commit()
    return user


def current_allocation(person_id: int) -> Allocation | None:
    return db.session.scalar(
        select(Allocation).where(Allocation.young_person_id == person_id, Allocation.end_date.is_(None))
    )
