"""The young person's plan, on their phone: reading it, adding their own words while it is being
reviewed, asking for a review, and downloading it as a PDF.

There is no id in these URLs: a young person only ever reaches their own plan. Nothing here
accepts an adviser's field (how things are now, targets, contingencies).
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import roles_required
from pathway.extensions import db, htmx
from pathway.me import bp
from pathway.me.plan_forms import REVIEW_MESSAGE_MAX, WORDS_MAX, ReviewRequestForm, YourWordsForm, fingerprint
from pathway.me.routes import _me
from pathway.models import PathwayPlan, PlanAreaEntry, Role, User, YoungPerson
from pathway.queries.caseloads import get_current_adviser
from pathway.queries.passport import get_passport_summary
from pathway.queries.plans import get_active_plan, get_working_plan, list_open_review_requests
from pathway.rules.plan_areas import PLAN_AREAS, PlanArea
from pathway.services import audit
from pathway.services import plan_pdf as plan_pdf_service
from pathway.services import plans as plan_service
from pathway.services.page_cache import cached_page, versions_for
from pathway.services.review_requests import ask_for_review
from pathway.views.plan_copy import build_plan_copy


def _today() -> date:
    return date.today()


def _area(value: str) -> PlanArea:
    try:
        return PlanArea(value)
    except ValueError:
        abort(404)


def _entry(plan: PathwayPlan | None, area: PlanArea) -> PlanAreaEntry | None:
    if plan is None:
        return None
    return next((e for e in plan.areas if e.area is area), None)


def _plan_context(person: YoungPerson, *, today: date) -> dict:
    """Everything "My plan" shows, in a fixed number of queries whatever the size of the plan."""
    active = get_active_plan(person.id)
    working = get_working_plan(person.id)
    return {
        "person": person,
        "plan": active,
        "copy": build_plan_copy(active, today=today) if active else None,
        "working": working,
        "working_entries": {e.area: e for e in working.areas} if working else {},
        "adviser": get_current_adviser(person),
        "plan_areas": PLAN_AREAS,
        "today": today,
        "passport_summary": get_passport_summary(person.id),  # for part 7, practical skills: one query
    }


# --- My plan -------------------------------------------------------------------------------------

@bp.route("/me/plan")
@roles_required(Role.YOUNG_PERSON)
def my_plan():
    person = _me()
    today = _today()

    def render() -> tuple[str, int | None]:
        context = _plan_context(person, today=today)
        html = render_template("me/plan.html", requests=list_open_review_requests(person.id),
                               title="Your pathway plan", **context)
        return html, context["plan"].id if context["plan"] is not None else None

    page, plan_id = cached_page((today, versions_for([person.id])), render)
    # Audited after rendering, so the commit does not expire (and reload) what the page used.
    if plan_id is not None:
        audit.record("view", "pathway_plan", plan_id, young_person_id=person.id)
        db.session.commit()
    return page


# --- In your words ---------------------------------------------------------------------------------

def _save_words(entry: PlanAreaEntry, form: YourWordsForm, *, by: User) -> None:
    """Save through the service. If the row moved on but their words did not (their adviser saved
    "how things are now" in the same area), nothing of theirs would be lost: save on the new version."""
    try:
        plan_service.update_young_person_words(entry, expected_version=form.expected_version(), by=by,
                                               words=form.words.data or "")
    except plan_service.Conflict:
        db.session.rollback()
        if not form.started_from.data or form.started_from.data != fingerprint(entry.young_person_words):
            raise
        plan_service.update_young_person_words(entry, expected_version=entry.version, by=by,
                                               words=form.words.data or "")


def _words_response(template: str, status: int = 200, **context):
    """The words form as a page, or for htmx the form fragment, put back where the form was."""
    context.setdefault("max_length", WORDS_MAX)
    if htmx:
        response = make_response(render_template("me/_words_form.html", inline=True, **context), status)
        if request.method == "POST":
            response.headers["HX-Retarget"] = f"#words-form-{context['area'].value}"
            response.headers["HX-Reswap"] = "outerHTML"
        return response
    return make_response(render_template(template, inline=False, **context), status)


@bp.route("/me/plan/your-words/<area>", methods=["GET", "POST"])
@roles_required(Role.YOUNG_PERSON)
def edit_words(area: str):
    plan_area = _area(area)
    person = _me()
    working = get_working_plan(person.id)
    entry = _entry(working, plan_area)
    form = YourWordsForm()
    form.words.id = f"words-{plan_area.value}"  # unique on "My plan", where several areas' forms can be open
    title = f"In your words: {plan_area.title}"
    if entry is None:
        # Nothing is being reviewed: say so, and give back anything they typed.
        db.session.rollback()
        return _words_response("me/plan_words_closed.html", 409 if request.method == "POST" else 200,
                               area=plan_area, form=form, closed=True, typed=form.words.data or "",
                               title="You cannot add your words at the moment")
    if request.method == "GET":
        form.load(entry.young_person_words or "", entry.version)
    elif form.validate_on_submit():
        try:
            _save_words(entry, form, by=current_user)
        except plan_service.Conflict:
            db.session.rollback()
            saved_now = entry.young_person_words or ""
            form.set_version(entry.version, saved_now)
            return _words_response("me/plan_words.html", 409, area=plan_area, form=form, entry=entry,
                                   conflict=True, saved_now=saved_now,
                                   title="Your words were changed somewhere else")
        except plan_service.PlanProblem as problem:
            db.session.rollback()
            form.words.errors.append(str(problem))
            return _words_response("me/plan_words.html", 409, area=plan_area, form=form, entry=entry,
                                   title=title)
        if htmx:
            context = _plan_context(person, today=_today())
            area_copy = next((a for a in context["copy"].areas if a.area is plan_area), None) if context["copy"] else None
            return render_template("me/_plan_area.html", area=plan_area, area_copy=area_copy, saved=True, **context)
        flash(f"Your words about {plan_area.title.lower()} have been saved. Your personal adviser can read them.",
              "success")
        return redirect(url_for("me.my_plan", _anchor=f"area-{plan_area.value}"), code=303)
    return _words_response("me/plan_words.html", area=plan_area, form=form, entry=entry, title=title)


# --- Ask for a review --------------------------------------------------------------------------------

@bp.route("/me/plan/ask-for-review", methods=["GET", "POST"])
@roles_required(Role.YOUNG_PERSON)
def request_review():
    person = _me()
    form = ReviewRequestForm()
    if form.validate_on_submit():
        ask_for_review(person, by=current_user, message=form.message.data or "", adviser=get_current_adviser(person))
        return redirect(url_for("me.review_requested"), code=303)
    return render_template("me/plan_ask_for_review.html", form=form, person=person,
                           requests=list_open_review_requests(person.id), working=get_working_plan(person.id),
                           max_length=REVIEW_MESSAGE_MAX, title="Ask for a review of your plan")


@bp.route("/me/plan/review-requested")
@roles_required(Role.YOUNG_PERSON)
def review_requested():
    person = _me()
    requests = list_open_review_requests(person.id)
    if not requests:
        return redirect(url_for("me.request_review"), code=303)
    adviser = get_current_adviser(person)
    title = "We have told your personal adviser" if adviser else "We have saved your request"
    return render_template("me/plan_review_requested.html", person=person, requests=requests, adviser=adviser,
                           title=title)


# --- The PDF -------------------------------------------------------------------------------------------

@bp.route("/me/plan/pdf")
@roles_required(Role.YOUNG_PERSON)
def plan_pdf():
    person = _me()
    plan = get_active_plan(person.id)
    if plan is None:
        abort(404)
    pdf = plan_pdf_service.plan_pdf(plan, person, get_current_adviser(person), today=_today())
    audit.record("download_pdf", "pathway_plan", plan.id, young_person_id=person.id)
    db.session.commit()
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{plan_pdf_service.FILENAME}"'
    response.headers["Cache-Control"] = "no-store"
    return response
