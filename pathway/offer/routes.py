from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import get_young_person_for, roles_required
from pathway.extensions import db
from pathway.integrity import AlreadySaved, conflict_page
from pathway.models import ClaimStatus, Role
from pathway.offer import bp
from pathway.offer.forms import (
    ACTIVITIES,
    APPROVE,
    DECLINE,
    IN_AREA,
    NOT_IN_AREA,
    USE_POSTCODE,
    ClaimDecisionForm,
    ClaimRequestForm,
    OfferFactsForm,
    PaymentForm,
)
from pathway.rules.offer import format_pounds
from pathway.services import audit
from pathway.services import claims as claim_service
from pathway.services.money import money_summary
from pathway.services.offer import council_area, list_catalogue, lives_in_area, offer_for
from pathway.views.formatting import govuk_date

STAFF = (Role.ADVISER, Role.MANAGER)


def _today() -> date:
    return date.today()


def _back(person, anchor: str | None = None):
    return redirect(url_for("offer.view_offer", person_id=person.id, _anchor=anchor), code=303)


def _claim(person, claim_id: int):
    claim = claim_service.get_claim_for(person, claim_id)
    if claim is None:
        abort(404)
    return claim


def _yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: "Unknown"}[value]


# --- the offer page ---------------------------------------------------------------------------------

@bp.route("")
@roles_required(*STAFF)
def view_offer(person_id: int):
    person = get_young_person_for(current_user, person_id)
    today = _today()
    area_name, districts = council_area()
    lines = offer_for(person, today)
    page = render_template(
        "offer/offer.html", person=person, today=today, lines=lines, area_name=area_name,
        past_claims=claim_service.list_claims_outside(person, {line.entitlement.id for line in lines}),
        lives_in_area=_yes_no(lives_in_area(person, districts)), activities=ACTIVITIES,
        money=money_summary(person), title=f"Local offer and claims: {person.display_name}",
    )
    # Audited after rendering, so the commit does not expire what the page used.
    audit.record("view", "offer", None, young_person_id=person.id)
    db.session.commit()
    return page


# --- the facts the decisions rest on ------------------------------------------------------------------

def _facts_shown(person, area_name: str) -> dict[str, str]:
    override = {True: f"Lives in {area_name}", False: f"Does not live in {area_name}"}.get(
        person.in_area_override, "Use the postcode")
    return {
        "Home postcode": person.home_postcode or "Not given",
        f"Do they live in {area_name}?": override,
        "Why the postcode is overridden": person.in_area_override_reason or "",
        "Main activity": f"{person.main_activity}: {ACTIVITIES.get(person.main_activity, '')}"
        if person.main_activity else "Not recorded",
        "Moved into their first independent home on": govuk_date(person.independent_move_on) or "Not moved",
    }


def _facts_yours(form: OfferFactsForm, area_name: str) -> dict[str, str]:
    facts = form.facts()
    override = {True: f"Lives in {area_name}", False: f"Does not live in {area_name}"}.get(
        facts["in_area_override"], "Use the postcode")
    return {
        "Home postcode": facts["home_postcode"] or "Not given",
        f"Do they live in {area_name}?": override,
        "Why the postcode is overridden": facts["in_area_override_reason"] or "",
        "Main activity": f"{facts['main_activity']}: {ACTIVITIES.get(facts['main_activity'], '')}"
        if facts["main_activity"] else "Not recorded",
        "Moved into their first independent home on": govuk_date(facts["independent_move_on"]) or "Not moved",
    }


@bp.route("/facts", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_facts(person_id: int):
    person = get_young_person_for(current_user, person_id)
    area_name, _ = council_area()
    data = None
    if request.method == "GET":
        data = {
            "home_postcode": person.home_postcode or "",
            "in_area": {True: IN_AREA, False: NOT_IN_AREA}.get(person.in_area_override, USE_POSTCODE),
            "in_area_reason": person.in_area_override_reason or "",
            "main_activity": person.main_activity or "",
            "independent_move_on": person.independent_move_on,
            "version": str(person.version),
        }
    form = OfferFactsForm(today=_today(), area_name=area_name, date_of_birth=person.date_of_birth, data=data)
    if form.validate_on_submit():
        try:
            changed = claim_service.update_facts(person, expected_version=form.expected_version(), by=current_user,
                                                 facts=form.facts())
        except claim_service.Conflict:
            db.session.rollback()
            person = get_young_person_for(current_user, person_id)
            db.session.refresh(person)
            theirs, yours = _facts_shown(person, area_name), _facts_yours(form, area_name)
            differences = [(label, theirs[label], yours[label]) for label in theirs if theirs[label] != yours[label]]
            form.set_version(person.version)
            return render_template("offer/facts_form.html", person=person, form=form, conflict=differences,
                                   title="Someone else changed this record while you were editing"), 409
        if changed:
            flash("The facts have been saved. The offer below has been worked out again.", "success")
        return _back(person, "facts")
    return render_template("offer/facts_form.html", person=person, form=form, conflict=None,
                           title="Change the facts the offer depends on")


# --- claims -------------------------------------------------------------------------------------------

@bp.route("/claims/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def record_claim(person_id: int):
    person = get_young_person_for(current_user, person_id)
    catalogue = {e.slug: e for e in list_catalogue()}
    slug = request.args.get("entitlement", "")
    form = ClaimRequestForm(today=_today(), choices=[(s, e.current.name) for s, e in catalogue.items()],
                            data={"entitlement": slug if slug in catalogue else ""} if request.method == "GET" else None)
    if form.validate_on_submit():
        entitlement = catalogue.get(form.entitlement.data)
        if entitlement is None:  # not in the choices: validate_on_submit has already refused it
            abort(404)
        try:
            claim_service.request_claim(person, entitlement, by=current_user, requested_on=form.requested_on.data,
                                        note=form.note.data, form_token=form.submitted_token())
        except AlreadySaved as saved:
            flash("This request had already been recorded, so it has not been recorded twice.", "info")
            return _back(person, f"claim-{saved.row.id}" if saved.row.young_person_id == person.id else None)
        except claim_service.ClaimProblem as problem:
            form.entitlement.errors = [*form.entitlement.errors, problem.message]
        else:
            flash(f"The request for {entitlement.current.name} has been recorded.", "success")
            return _back(person, f"entitlement-{entitlement.slug}")
    return render_template("offer/claim_form.html", person=person, form=form, title="Record a request")


def _decision_form(claim) -> ClaimDecisionForm:
    if request.method != "GET":
        return ClaimDecisionForm()
    remaining = claim_service.remaining_for(claim)
    suggested = claim.terms.amount_pence
    if remaining is not None:
        suggested = remaining if suggested is None else min(suggested, remaining)
    form = ClaimDecisionForm(data={"amount": format_pounds(suggested).lstrip("£") if suggested else ""})
    form.set_version(claim.version)
    return form


def _shown_decision(decision: str, amount: str, reason: str) -> dict[str, str]:
    return {"Decision": decision, "Amount approved": amount, "Why it is not approved": reason}


def _decision_conflict(person, claim_id: int, form: ClaimDecisionForm):
    """409: someone else decided (or changed) the request after this form was opened. A decision is final,
    so theirs stands; what this user entered is shown beside it so nothing they typed is lost."""
    db.session.rollback()
    claim = _claim(person, claim_id)
    db.session.refresh(claim)
    form.set_version(claim.version)
    theirs = _shown_decision(claim.status.label, format_pounds(claim.approved_pence) if claim.approved_pence else "",
                             claim.decline_reason or "")
    yours = _shown_decision({APPROVE: "Approved", DECLINE: "Not approved"}.get(form.decision.data or "", "Not chosen"),
                            (form.amount.data or "") if form.decision.data == APPROVE else "",
                            (form.decline_reason.data or "") if form.decision.data == DECLINE else "")
    return conflict_page("offer/decision_form.html", theirs=theirs, yours=yours, person=person, claim=claim, form=form,
                         remaining=claim_service.remaining_for(claim), final=claim.status is not ClaimStatus.REQUESTED,
                         cancel_url=url_for("offer.view_offer", person_id=person.id, _anchor=f"claim-{claim.id}"),
                         title="Someone else decided this request while you were looking at it")


@bp.route("/claims/<int:claim_id>/decision", methods=["GET", "POST"])
@roles_required(*STAFF)
def decide_claim(person_id: int, claim_id: int):
    person = get_young_person_for(current_user, person_id)
    claim = _claim(person, claim_id)
    if claim.status is not ClaimStatus.REQUESTED:
        if request.method == "POST":  # a decision from a form opened before someone else decided
            return _decision_conflict(person, claim_id, ClaimDecisionForm())
        flash("This request has already been decided.", "info")
        return _back(person, f"claim-{claim.id}")
    form = _decision_form(claim)
    status = 200
    if form.validate_on_submit():
        try:
            if form.decision.data == APPROVE:
                claim_service.approve_claim(claim, expected_version=form.expected_version(), by=current_user,
                                            amount_pence=form.amount_pence, today=_today())
                flash(f"Approved: {format_pounds(form.amount_pence)} of {claim.terms.name}.", "success")
            else:
                claim_service.decline_claim(claim, expected_version=form.expected_version(), by=current_user,
                                            reason=form.decline_reason.data or "", today=_today())
                flash(f"The request for {claim.terms.name} has not been approved. They will see why.", "success")
        except claim_service.ClaimProblem as problem:
            getattr(form, problem.field or "decision").errors.append(problem.message)
            status = 400
        except claim_service.Conflict:
            return _decision_conflict(person, claim_id, form)
        else:
            return _back(person, f"claim-{claim.id}")
    return render_template("offer/decision_form.html", person=person, claim=claim, form=form,
                           remaining=claim_service.remaining_for(claim), title="Decide on the request"), status


@bp.route("/claims/<int:claim_id>/payments/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def record_payment(person_id: int, claim_id: int):
    person = get_young_person_for(current_user, person_id)
    claim = _claim(person, claim_id)
    if claim.status is not ClaimStatus.APPROVED:
        flash("Payments can only be recorded on an approved request.", "info")
        return _back(person, f"claim-{claim.id}")
    form = PaymentForm(today=_today(), requested_on=claim.requested_on)
    status = 200
    if form.validate_on_submit():
        try:
            claim_service.record_payment(claim, by=current_user, paid_on=form.paid_on.data,
                                         amount_pence=form.amount_pence, note=form.note.data)
        except claim_service.ClaimProblem as problem:
            getattr(form, problem.field or "amount").errors.append(problem.message)
            status = 400
        else:
            flash(f"A payment of {format_pounds(form.amount_pence)} has been recorded.", "success")
            return _back(person, f"claim-{claim.id}")
    return render_template("offer/payment_form.html", person=person, claim=claim, form=form,
                           unpaid=claim_service.unpaid_pence(claim), title="Record a payment"), status
