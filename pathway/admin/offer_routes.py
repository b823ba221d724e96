"""The offer catalogue and the council's area, for administrators."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from pathway.access import roles_required
from pathway.admin import bp
from pathway.admin.offer_forms import CouncilAreaForm, EntitlementForm
from pathway.extensions import db
from pathway.integrity import conflict_page
from pathway.models import Entitlement, EntitlementVersion, Frequency, Role, Scope
from pathway.queries.settings import get_settings_version
from pathway.rules import offer as rules
from pathway.rules.postcodes import parse_districts
from pathway.services import offer as offer_service
from pathway.services.settings import SettingsConflict


def _terms(form: EntitlementForm) -> dict | None:
    """The form's terms, or None with errors added to the form."""
    amounts = {}
    for field_name in ("amount", "cap"):
        field = getattr(form, field_name)
        if not field.data or field.data.lower() == "varies":
            amounts[field_name] = None
            continue
        try:
            amounts[field_name] = rules.parse_money(field.data)
        except ValueError as error:
            field.errors.append(str(error))
    if form.errors or any(getattr(form, f).errors for f in ("amount", "cap")):
        return None
    return {
        "name": form.name.data, "description": form.description.data, "scope": Scope(form.scope.data),
        "amount_pence": amounts["amount"], "cap_pence": amounts["cap"], "frequency": Frequency(form.frequency.data),
        "how_to_claim": form.how_to_claim.data,
        "age_from": int(form.age_from.data) if form.age_from.data else None,
        "age_under": int(form.age_under.data) if form.age_under.data else None,
        "categories": ",".join(form.categories.data or []) or None,
        "activities": ",".join(form.activities.data or []) or None,
        "in_area_only": bool(form.in_area_only.data), "needs_independent_move": bool(form.needs_independent_move.data),
        "needs_pa_decision": bool(form.needs_pa_decision.data), "age_on_reference": None,
        "min_continuous_care_days": None, "starts_on": None, "ends_on": None,
    }


@bp.route("/offer")
@roles_required(Role.ADMIN)
def list_offer():
    return render_template("admin/offer.html", entitlements=offer_service.list_catalogue(include_inactive=True),
                           area=offer_service.council_area(), title="The care leaver offer")


@bp.route("/offer/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def add_entitlement():
    form = EntitlementForm()
    if form.validate_on_submit():
        if not (form.slug.data or "").strip():
            form.slug.errors.append("Enter a short name for links")
        terms = _terms(form)
        if terms is not None and not form.slug.errors:
            try:
                entitlement = offer_service.create_entitlement(slug=form.slug.data.strip(), by=current_user,
                                                               position=len(offer_service.list_catalogue(include_inactive=True)), **terms)
                db.session.commit()
            except offer_service.OfferProblem as problem:
                db.session.rollback()
                form.slug.errors.append(str(problem))
            else:
                flash(f"{entitlement.current.name} has been added to the offer.", "success")
                return redirect(url_for("admin.list_offer"), code=303)
    return render_template("admin/entitlement_form.html", form=form, entitlement=None, versions=[],
                           title="Add an entitlement")


@bp.route("/offer/<int:entitlement_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_entitlement(entitlement_id: int):
    entitlement = db.session.get(Entitlement, entitlement_id)
    if entitlement is None:
        abort(404)
    current = entitlement.current
    form = EntitlementForm(data=None if request.method == "POST" else {
        "name": current.name, "slug": entitlement.slug, "description": current.description, "scope": current.scope.value,
        "amount": f"{current.amount_pence / 100:.2f}" if current.amount_pence is not None else "",
        "cap": f"{current.cap_pence / 100:.2f}" if current.cap_pence is not None else "",
        "frequency": current.frequency.value, "how_to_claim": current.how_to_claim,
        "age_from": str(current.age_from) if current.age_from is not None else "",
        "age_under": str(current.age_under) if current.age_under is not None else "",
        "categories": (current.categories or "").split(",") if current.categories else [],
        "activities": (current.activities or "").split(",") if current.activities else [],
        "in_area_only": current.in_area_only, "needs_independent_move": current.needs_independent_move,
        "needs_pa_decision": current.needs_pa_decision, "version": str(current.number),
    })
    if form.validate_on_submit():
        terms = _terms(form)
        if terms is not None:
            # Conditions the form does not show are kept as they are.
            for kept in ("age_on_reference", "min_continuous_care_days", "starts_on", "ends_on"):
                terms[kept] = getattr(current, kept)
            try:
                if form.expected_version() is None:
                    raise offer_service.TermsConflict
                version = offer_service.change_terms(entitlement, by=current_user,
                                                     expected_number=form.expected_version(), **terms)
            except offer_service.TermsConflict:
                return _terms_conflict(entitlement_id, form, terms)
            flash("No changes to save." if version is None else
                  f"The new terms of {terms['name']} apply from now. Earlier awards keep the terms they were made under.",
                  "success")
            return redirect(url_for("admin.list_offer"), code=303)
    versions = db.session.scalars(select(EntitlementVersion).where(EntitlementVersion.entitlement_id == entitlement.id)
                                  .order_by(EntitlementVersion.number.desc())).all()
    return render_template("admin/entitlement_form.html", form=form, entitlement=entitlement, versions=versions,
                           title=f"Change {current.name}")


def _shown_terms(name, description, amount_pence, cap_pence, frequency, how_to_claim, **_) -> dict[str, str]:
    def money(pence):
        return "Varies" if pence is None else rules.format_pounds(pence)
    return {"Name": name, "What it is": description, "Amount": money(amount_pence),
            "The most that can be claimed in all": money(cap_pence), "How often": frequency.label,
            "How to claim": how_to_claim}


def _terms_conflict(entitlement_id: int, form: EntitlementForm, yours: dict):
    """409: the terms were changed by someone else; theirs next to yours, and the form keeps yours."""
    db.session.rollback()
    entitlement = db.session.get(Entitlement, entitlement_id)
    db.session.refresh(entitlement)
    current = entitlement.current
    form.set_version(current.number)
    theirs = _shown_terms(**{name: getattr(current, name) for name in offer_service.TERM_FIELDS})
    versions = db.session.scalars(select(EntitlementVersion).where(EntitlementVersion.entitlement_id == entitlement.id)
                                  .order_by(EntitlementVersion.number.desc())).all()
    return conflict_page("admin/entitlement_form.html", theirs=theirs, yours=_shown_terms(**yours),
                         cancel_url=url_for("admin.list_offer"), form=form, entitlement=entitlement, versions=versions)


@bp.route("/offer/<int:entitlement_id>/withdraw", methods=["POST"])
@roles_required(Role.ADMIN)
def toggle_entitlement(entitlement_id: int):
    from pathway.services import audit

    entitlement = db.session.get(Entitlement, entitlement_id)
    if entitlement is None:
        abort(404)
    entitlement.active = not entitlement.active
    audit.record("update", "entitlement", entitlement.id, fields=["active"])
    db.session.commit()
    flash(f"{entitlement.current.name} is {'back in' if entitlement.active else 'no longer part of'} the offer.", "success")
    return redirect(url_for("admin.list_offer"), code=303)


@bp.route("/council-area", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def council_area():
    name, _ = offer_service.council_area()
    districts = offer_service.get_setting(offer_service.AREA_DISTRICTS)
    from flask import current_app

    keys = (offer_service.AREA_NAME, offer_service.AREA_DISTRICTS)
    form = CouncilAreaForm(data=None if request.method == "POST" else {
        "name": name, "districts": districts or current_app.config["COUNCIL_AREA_DISTRICTS"],
        "version": str(get_settings_version(keys))})
    if form.validate_on_submit():
        try:
            parse_districts(form.districts.data)
            if form.expected_version() is None:
                raise SettingsConflict
            offer_service.set_council_area(name=form.name.data, districts=form.districts.data, by=current_user,
                                           expected_version=form.expected_version())
        except ValueError as error:
            form.districts.errors.append(str(error))
        except SettingsConflict:
            db.session.rollback()
            form.set_version(get_settings_version(keys))
            saved_name, _ = offer_service.council_area()
            theirs = {"Name": saved_name, "Postcode districts": offer_service.get_setting(offer_service.AREA_DISTRICTS)
                      or current_app.config["COUNCIL_AREA_DISTRICTS"]}
            return conflict_page("admin/council_area.html", theirs=theirs, yours={
                "Name": form.name.data or "", "Postcode districts": form.districts.data or ""},
                cancel_url=url_for("admin.list_offer"), form=form)
        else:
            flash("The council's area has been saved.", "success")
            return redirect(url_for("admin.list_offer"), code=303)
    return render_template("admin/council_area.html", form=form, title="The council's area")
