"""The young person's offer on their phone: what they can get now, later, or not and why; what they have
had; asking their personal adviser about one entitlement; and My money.

There is no id in these URLs: a young person only ever reaches their own offer, questions and money plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import roles_required
from pathway.extensions import db
from pathway.integrity import AlreadySaved
from pathway.me import bp
from pathway.me.offer_forms import QUESTION_MAX, AskAboutForm, MoneyPlanForm
from pathway.me.routes import _me
from pathway.models import MoneyPeriod, Role
from pathway.queries.caseloads import get_current_adviser
from pathway.queries.offer_questions import get_active_entitlement, list_questions_for_person
from pathway.rules.offer import Outcome
from pathway.services import money as money_service
from pathway.services.offer import OfferLine, offer_for
from pathway.services.offer_questions import ask_about as ask_about_service
from pathway.services.page_cache import cached_page, versions_for


def _today() -> date:
    return date.today()


@dataclass
class OfferSections:
    now: list[OfferLine] = field(default_factory=list)
    later: list[OfferLine] = field(default_factory=list)
    cannot: list[OfferLine] = field(default_factory=list)


def group_offer(lines: list[OfferLine]) -> OfferSections:
    sections = OfferSections()
    for line in lines:
        outcome = line.decision.outcome
        if outcome in (Outcome.ELIGIBLE, Outcome.NEEDS_PA_DECISION):
            sections.now.append(line)
        elif outcome is Outcome.LATER:
            sections.later.append(line)
        else:
            sections.cannot.append(line)
    sections.later.sort(key=lambda line: line.decision.available_from or date.max)
    return sections


# --- My offer ----------------------------------------------------------------------------------------

@bp.route("/me/offer")
@roles_required(Role.YOUNG_PERSON)
def my_offer():
    """Everything in the council's offer, decided for them. A fixed number of queries."""
    person = _me()
    today = _today()

    def render() -> tuple[str, None]:
        lines = offer_for(person, today)
        open_questions = {}
        for question in list_questions_for_person(person.id):
            if question.answered_at is None:
                open_questions.setdefault(question.entitlement_id, question)
        return render_template("me/offer.html", person=person, sections=group_offer(lines),
                               open_questions=open_questions, title="Your care leaver offer"), None

    return cached_page((today, versions_for([person.id])), render)[0]


# --- Ask about this ------------------------------------------------------------------------------------

@bp.route("/me/offer/<slug>/ask", methods=["GET", "POST"])
@roles_required(Role.YOUNG_PERSON)
def ask_about(slug: str):
    person = _me()
    entitlement = get_active_entitlement(slug)
    form = AskAboutForm()
    if form.validate_on_submit():
        try:
            ask_about_service(person, entitlement, by=current_user, message=form.message.data or "",
                              adviser=get_current_adviser(person), form_token=form.submitted_token())
        except AlreadySaved:
            flash("We already have this question, so we have not sent it twice.", "info")
        return redirect(url_for("me.asked_about", slug=entitlement.slug), code=303)
    questions = [q for q in list_questions_for_person(person.id) if q.entitlement_id == entitlement.id]
    return render_template("me/offer_ask.html", person=person, entitlement=entitlement, form=form,
                           questions=questions, max_length=QUESTION_MAX,
                           title=f"Ask about {entitlement.current.name}")


@bp.route("/me/offer/<slug>/asked")
@roles_required(Role.YOUNG_PERSON)
def asked_about(slug: str):
    person = _me()
    entitlement = get_active_entitlement(slug)
    questions = list_questions_for_person(person.id)
    if not any(q.entitlement_id == entitlement.id for q in questions):
        return redirect(url_for("me.ask_about", slug=entitlement.slug), code=303)
    adviser = get_current_adviser(person)
    title = "We have told your personal adviser" if adviser and adviser.active else "We have saved your question"
    return render_template("me/offer_asked.html", person=person, entitlement=entitlement, questions=questions,
                           adviser=adviser if adviser and adviser.active else None, title=title)


# --- My money ----------------------------------------------------------------------------------------

def _money_context(person, plan, summary) -> dict:
    """What the money page shows besides the form: the totals and, when money is short or tight,
    the entitlements they can get now that could help."""
    help_lines, emergency = [], None
    if summary is not None and summary.state != "ok":
        help_lines, emergency = money_service.entitlements_that_could_help(offer_for(person, _today()))
    return {"person": person, "plan": plan, "summary": summary, "help_lines": help_lines, "emergency": emergency}


@bp.route("/me/money", methods=["GET", "POST"])
@roles_required(Role.YOUNG_PERSON)
def money():
    person = _me()
    plan = money_service.get_money_plan(person)
    form = MoneyPlanForm()
    conflict = False
    status = 200
    if request.method == "GET":
        form.load(plan.period if plan else MoneyPeriod.WEEKLY, money_service.amounts_of(plan),
                  plan.version if plan else None)
    elif form.validate_on_submit():
        try:
            money_service.save_money_plan(person, expected_version=form.expected_version(),
                                          period=form.chosen_period(), amounts=form.amounts(), by=current_user)
        except money_service.Conflict:
            db.session.rollback()
            plan = money_service.get_money_plan(person)
            # Keep what they typed; the next save goes on top of what is saved now.
            form.set_version(plan.version if plan else None)
            conflict, status = True, 409
        else:
            flash("Your money plan has been saved. Your personal adviser can see it.", "success")
            return redirect(url_for("me.money", _anchor="what-is-left"), code=303)
    summary = money_service.money_summary(person, plan) if plan else None
    return render_template("me/money.html", form=form, conflict=conflict, title="Your money",
                           **_money_context(person, plan, summary)), status
