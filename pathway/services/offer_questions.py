""""Ask about this": a young person's question to their personal adviser about one entitlement.

The question is stored and audited in one commit; the email to their personal adviser follows in a
second. If sending failed, the question would still be on the adviser's caseload page, so the
young person is not told something went wrong when it did not.
"""

from __future__ import annotations

import logging

from flask import current_app

from pathway.extensions import db
from pathway.integrity import check_not_saved, flush_once
from pathway.models import Entitlement, OfferQuestion, User, YoungPerson
from pathway.models.types import utcnow
from pathway.services import audit
from pathway.services.email import external_url, send_email

log = logging.getLogger(__name__)


def ask_about(person: YoungPerson, entitlement: Entitlement, *, by: User, message: str,
              adviser: User | None, form_token: str | None = None) -> OfferQuestion:
    """Store the question and tell their personal adviser by email. Commits.

    The same form sent twice (same ``form_token``: a double tap) raises pathway.integrity.AlreadySaved:
    one question, one email."""
    check_not_saved(OfferQuestion, form_token)
    question = OfferQuestion(young_person_id=person.id, entitlement_id=entitlement.id, message=message or "",
                             form_token=form_token)
    db.session.add(question)
    flush_once(OfferQuestion, form_token)
    audit.record("create", "offer_question", question.id, young_person_id=person.id,
                 fields=["entitlement_id", "message"], user=by)
    db.session.commit()
    if adviser is not None and adviser.active:
        try:
            send_email(adviser.email, question_subject(person), _body(person, adviser, entitlement))
            db.session.commit()
        except Exception:  # noqa: BLE001 - the question is saved and on the adviser's caseload page
            db.session.rollback()
            log.exception("could not email the personal adviser about offer question %s", question.id)
    return question


def mark_answered(question: OfferQuestion, *, by: User) -> bool:
    """Mark a question answered (once). Commits. Returns False if it had already been answered."""
    if question.answered_at is not None:
        return False
    question.answered_at = utcnow()
    question.answered_by_id = by.id
    audit.record("update", "offer_question", question.id, young_person_id=question.young_person_id,
                 fields=["answered_at", "answered_by_id"], user=by)
    db.session.commit()
    return True


def question_subject(person: YoungPerson) -> str:
    return f"{person.display_name} has a question about the care leaver offer"


def _body(person: YoungPerson, adviser: User, entitlement: Entitlement) -> str:
    # What they wrote stays in the service: email is not the place for it.
    service = current_app.config["SERVICE_NAME"]
    return (
        f"Hello {adviser.name},\n\n{person.display_name} has asked about {entitlement.current.name}.\n\n"
        f"Sign in to {service} to read their question. It is on your caseload page:\n\n{external_url('adviser.home')}\n\n"
        "Please reply to them within 5 working days.\n"
    )
