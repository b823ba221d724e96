from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from pathway.access import roles_required
from pathway.extensions import db
from pathway.integrity import conflict_page
from pathway.me import bp
from pathway.me.forms import ABOUT_ME_MAX, AboutMeForm
from pathway.models import Role, YoungPerson
from pathway.queries.audit import list_record_access
from pathway.queries.caseloads import get_current_adviser
from pathway.services import audit, records


def _me() -> YoungPerson:
    person = db.session.scalar(select(YoungPerson).where(YoungPerson.user_id == current_user.id))
    if person is None:
        abort(404)
    return person


@bp.route("/me")
@roles_required(Role.YOUNG_PERSON)
def home():
    person = _me()
    page = render_template("me/home.html", person=person, adviser=get_current_adviser(person),
                           title="Your leaving care support")
    audit.record("view", "young_person", person.id, young_person_id=person.id)  # after rendering: see my_plan
    db.session.commit()
    return page


@bp.route("/me/who-has-seen-my-record")
@roles_required(Role.YOUNG_PERSON)
def access_log():
    person = _me()
    events = list_record_access(person.id, staff_only=True)
    return render_template("me/access_log.html", person=person, events=events, title="Who has seen your record")


@bp.route("/me/about-me", methods=["GET", "POST"])
@roles_required(Role.YOUNG_PERSON)
def about_me():
    person = _me()
    form = AboutMeForm(data=None if request.method == "POST" else {
        "about_me": person.about_me or "", "version": str(person.about_me_version)})
    if form.validate_on_submit():
        try:
            records.update_about_me(person, form.about_me.data, now=datetime.now(UTC),
                                    expected_version=form.expected_version())
        except records.AboutMeConflict:
            db.session.rollback()
            person = _me()
            db.session.refresh(person)
            form.set_version(person.about_me_version)
            return conflict_page("me/about_me.html", theirs={"About me": person.about_me or ""},
                                 yours={"About me": form.about_me.data or ""}, cancel_url=url_for("me.home"),
                                 title="Your story was changed somewhere else", form=form, person=person,
                                 max_length=ABOUT_ME_MAX)
        flash("Your story has been saved. Your personal adviser can read it.", "success")
        return redirect(url_for("me.home"), code=303)
    return render_template("me/about_me.html", form=form, person=person, max_length=ABOUT_ME_MAX, title="About me",
                           conflict=None)


# "My plan" (issue 3, section 4): reading the plan, adding their words, asking for a review, the PDF.
# The passport to independence (issue 4, section 6): ticking skills and recording documents.
from pathway.me import passport_routes  # noqa: E402,F401
from pathway.me import plan_routes  # noqa: E402,F401

# The care leaver offer (issue 4, sections 3 and 5): "Your offer", "Ask about this" and "Your money".
from pathway.me import offer_routes  # noqa: E402,F401

# "I need help" (issue 5, section 4).
from pathway.me import help_routes  # noqa: E402,F401
