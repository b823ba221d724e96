from __future__ import annotations

from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import roles_required
from pathway.adviser import bp
from pathway.adviser.forms import YoungPersonCreateForm
from pathway.models import Role
from pathway.queries.offer_questions import get_offer_question_for, list_open_questions_for_adviser
from pathway.queries.plans import list_review_requests_for_adviser
from pathway.rules.flags import FlagKind
from pathway.services import offer_questions, people
from pathway.services.flags import worklist_for
from pathway.services.page_cache import cached_page, versions_for_caseload
from pathway.views.render import render_page_or_fragment


@bp.route("/caseload")
@roles_required(Role.ADVISER)
def home():
    """The worklist: most urgent first, with search and filters (page, or the fragment for htmx)."""
    today = date.today()
    search = (request.args.get("q") or "").strip()[:100]
    overdue_only = request.args.get("overdue") == "1"
    kind = request.args.get("kind") or None
    if kind not in {k.value for k in FlagKind}:
        kind = None

    def render() -> tuple[str, None]:
        rows = worklist_for(current_user, today, overdue_only=overdue_only, kind=kind, search=search)
        return render_page_or_fragment(
            "adviser/home.html", "adviser/_worklist.html",
            rows=rows, search=search, today=today, title="Your caseload",
            overdue_only=overdue_only, kind=kind, kinds=list(FlagKind),
            kind_label=FlagKind(kind).label if kind else None,
            filter_url=_filter_url(search), record_visit_url=_record_visit_url,
            review_requests=list_review_requests_for_adviser(current_user),
            offer_questions=list_open_questions_for_adviser(current_user),
        ), None

    # The worklist shows the caseload's young people (flags, visits, help and review requests, questions).
    return cached_page((today, versions_for_caseload(current_user.id)), render)[0]


def _filter_url(search: str):
    def build(*, overdue: bool = False, kind: str | None = None) -> str:
        args = {"q": search or None, "overdue": "1" if overdue else None, "kind": kind}
        return url_for("adviser.home", **{k: v for k, v in args.items() if v})
    return build


def _record_visit_url(person_id: int) -> str:
    if "contacts.record_contact" in current_app.view_functions:
        return url_for("contacts.record_contact", person_id=person_id)
    return f"/young-people/{person_id}/contacts/new"


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
