"""Queries for "Ask about this": a young person's questions about the offer, and their PA's list of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pathway.access import get_young_person_for, visible_young_people
from pathway.extensions import db
from pathway.models import Entitlement, EntitlementVersion, OfferQuestion, User

MAX_ID = 2**31 - 1


def get_active_entitlement(slug: str) -> Entitlement:
    """The active entitlement with this slug (with its current terms); otherwise 404."""
    # Slugs are letters, numbers and hyphens (pathway.services.offer_file); anything else cannot match,
    # and some characters (NUL) PostgreSQL would refuse outright.
    if not slug or len(slug) > 80 or not all(c.isalnum() or c == "-" for c in slug):
        abort(404)
    entitlement = db.session.scalar(
        select(Entitlement).options(joinedload(Entitlement.current))
        .where(Entitlement.slug == slug, Entitlement.active.is_(True))
    )
    if entitlement is None or entitlement.current is None:
        abort(404)
    return entitlement


def list_questions_for_person(person_id: int) -> list[OfferQuestion]:
    """A young person's questions, newest first, with each entitlement's current name. One query."""
    return list(db.session.scalars(
        select(OfferQuestion)
        .options(joinedload(OfferQuestion.entitlement).joinedload(Entitlement.current))
        .where(OfferQuestion.young_person_id == person_id)
        .order_by(OfferQuestion.created_at.desc(), OfferQuestion.id.desc())
    ).unique())


@dataclass(frozen=True)
class OpenQuestion:
    question: OfferQuestion
    person_name: str
    entitlement_name: str

    @property
    def id(self) -> int:
        return self.question.id

    @property
    def young_person_id(self) -> int:
        return self.question.young_person_id

    @property
    def created_at(self) -> datetime:
        return self.question.created_at


def list_open_questions_for_adviser(adviser: User) -> list[OpenQuestion]:
    """Unanswered questions from the young people this adviser may see, oldest first. One query."""
    visible = visible_young_people(adviser).subquery()
    rows = db.session.execute(
        select(OfferQuestion, visible.c.given_name, visible.c.preferred_name, visible.c.family_name,
               EntitlementVersion.name)
        .join(visible, visible.c.id == OfferQuestion.young_person_id)
        .join(Entitlement, Entitlement.id == OfferQuestion.entitlement_id)
        .join(EntitlementVersion, EntitlementVersion.id == Entitlement.current_version_id)
        .where(OfferQuestion.answered_at.is_(None))
        .order_by(OfferQuestion.created_at, OfferQuestion.id)
    ).all()
    return [OpenQuestion(question, f"{preferred or given} {family}", name)
            for question, given, preferred, family, name in rows]


def get_offer_question_for(user: User, question_id: int) -> OfferQuestion:
    """A question from a young person this user may see; otherwise 404 (the same as a question that does not exist)."""
    if not 0 < question_id <= MAX_ID:  # PostgreSQL refuses a larger integer: that is not a 500
        abort(404)
    question = db.session.get(OfferQuestion, question_id)
    if question is None:
        abort(404)
    get_young_person_for(user, question.young_person_id)
    return question
