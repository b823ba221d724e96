from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import roles_required
from pathway.adviser import bp
from pathway.adviser.forms import YoungPersonCreateForm
from pathway.models import Role
from pathway.queries.caseloads import list_caseload_for_adviser
from pathway.queries.offer_questions import get_offer_question_for, list_open_questions_for_adviser
from pathway.queries.plans import list_review_requests_for_adviser
from pathway.services import offer_questions, people
from pathway.views.render import render_page_or_fragment


@bp.route("/caseload")
@roles_required(Role.ADVISER)
def home():
    rows = list_caseload_for_adviser(current_user)
    search = (request.args.get("q") or "").strip()[:100]
    if search:
        needle = search.casefold()
        rows = [r for r in rows if needle in f"{r.person.display_name} {r.person.legal_name}".casefold()]
    return render_page_or_fragment(
        "adviser/home.html", "adviser/_caseload_table.html",
        rows=rows, search=search, today=date.today(), title="Your caseload",
        review_requests=list_review_requests_for_adviser(current_user),
        offer_questions=list_open_questions_for_adviser(current_user),
    )


@bp.route("/offer-questions/<int:question_id>/answered", methods=["POST"])
@roles_required(Role.ADVISER)
def answer_offer_question(question_id: int):
    """Mark a young person's "Ask about this" question answered (after replying to them)."""
    question = get_offer_question_for(current_user, question_id)
    if offer_questions.mark_answered(question, by=current_user):
        flash(f"{question.young_person.display_name}'s question about {question.entitlement.current.name} "
              "is marked as answered.", "success")
    return redirect(url_for("adviser.home"), code=303)


@bp.route("/young-people/new", methods=["GET", "POST"])
@roles_required(Role.ADVISER)
def add_young_person():
    today = date.today()
    form = YoungPersonCreateForm(today=today)
    if form.validate_on_submit():
        person = people.create_young_person(
            adviser=current_user,
            today=today,
            given_name=form.given_name.data,
            family_name=form.family_name.data,
            preferred_name=form.preferred_name.data or None,
            date_of_birth=form.date_of_birth.data,
            phone=form.phone.data or None,
            email=form.email.data or None,
        )
        flash(f"{person.display_name} has been added to your caseload.", "success")
        return redirect(url_for("records.view_record", person_id=person.id), code=303)
    return render_template("adviser/add_young_person.html", form=form, title="Add a young person")
