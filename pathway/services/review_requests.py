"""A young person asking for their pathway plan to be reviewed, from their phone.

The request is stored (and audited) by pathway.services.plans.request_review, which commits;
the email to their personal adviser then follows in a second commit. If that second step
failed, the request would still be there for the adviser to see on the plan page.
"""

from __future__ import annotations

from flask import current_app

from pathway.extensions import db
from pathway.models import ReviewRequest, User, YoungPerson
from pathway.services import plans as plan_service
from pathway.services.email import external_url, send_email


def ask_for_review(person: YoungPerson, *, by: User, message: str, adviser: User | None) -> ReviewRequest:
    """Store the request and tell their personal adviser by email. Commits."""
    request = plan_service.request_review(person, by=by, message=message)
    if adviser is not None and adviser.active:
        send_email(adviser.email, review_request_subject(person), _body(person, adviser))
        db.session.commit()
    return request


def review_request_subject(person: YoungPerson) -> str:
    return f"{person.display_name} has asked for a pathway plan review"


def _body(person: YoungPerson, adviser: User) -> str:
    # What they wrote stays in the service: email is not the place for it.
    service = current_app.config["SERVICE_NAME"]
    return (
        f"Hello {adviser.name},\n\n{person.display_name} has asked for their pathway plan to be reviewed.\n\n"
        f"Sign in to {service} to read their request and start the review:\n\n{external_url('plans.view_plan', person_id=person.id)}\n"
    )
