from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select

from pathway.access import roles_required
from pathway.extensions import db
from pathway.me import bp
from pathway.models import Role, YoungPerson
from pathway.queries.audit import list_record_access
from pathway.queries.caseloads import get_current_adviser
from pathway.services import audit


def _me() -> YoungPerson:
    person = db.session.scalar(select(YoungPerson).where(YoungPerson.user_id == current_user.id))
    if person is None:
        abort(404)
    return person


@bp.route("/me")
@roles_required(Role.YOUNG_PERSON)
def home():
    person = _me()
    audit.record("view", "young_person", person.id, young_person_id=person.id)
    db.session.commit()
    adviser = get_current_adviser(person)
    return render_template("me/home.html", person=person, adviser=adviser, title="Your leaving care support")


@bp.route("/me/who-has-seen-my-record")
@roles_required(Role.YOUNG_PERSON)
def access_log():
    person = _me()
    events = list_record_access(person.id, staff_only=True)
    return render_template("me/access_log.html", person=person, events=events, title="Who has seen your record")
