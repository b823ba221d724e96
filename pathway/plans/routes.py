from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import get_young_person_for, roles_required
from pathway.extensions import db, htmx
from pathway.models import PlanStatus, Responsible, ReviewReason, Role, TargetStatus
from pathway.plans import bp
from pathway.plans.forms import (
    AreaForm,
    ContingencyForm,
    DecisionForm,
    DetailsForm,
    RemoveForm,
    StartPlanForm,
    SubmitPlanForm,
    TargetForm,
)
from pathway.queries.caseloads import get_current_adviser
from pathway.queries.passport import get_passport_summary
from pathway.queries.plans import (
    get_current_plan,
    get_plan,
    get_working_plan,
    list_open_review_requests,
    list_plans_for,
)
from pathway.rules.plan_areas import PlanArea
from pathway.rules.reviews import next_review_due
from pathway.services import audit
from pathway.services import plans as plan_service
from pathway.services.saved_forms import restorable, restore_kwargs, restored_formdata
from pathway.views.plan_diff import compare_plans

STAFF = (Role.ADVISER, Role.MANAGER)


def _today() -> date:
    return date.today()


def _working(person):
    plan = get_working_plan(person.id)
    if plan is None:
        abort(404)
    return plan


def _draft(person):
    plan = _working(person)
    if plan.status is not PlanStatus.DRAFT:
        flash("This plan is waiting for sign-off, so it cannot be changed.", "error")
        abort(redirect(url_for("plans.view_plan", person_id=person.id), code=303))
    return plan


def _entry(plan, area_value: str):
    try:
        area = PlanArea(area_value)
    except ValueError:
        abort(404)
    return next(e for e in plan.areas if e.area is area)


def _find(items, item_id: int):
    found = next((i for i in items if i.id == item_id), None)
    if found is None:
        abort(404)
    return found


def _back(person, anchor: str | None = None):
    url = url_for("plans.view_plan", person_id=person.id)
    return redirect(f"{url}#{anchor}" if anchor else url, code=303)


def _conflict(person, plan, form, theirs: dict[str, str], current_version: int, template_title: str):
    form.version.data = str(current_version)
    db.session.rollback()
    page = render_template("plans/conflict.html", person=person, plan=plan, form=form, theirs=theirs,
                           title=template_title, action=request.path)
    if htmx:
        # An in-place save (a plan area): show the conflict page's <main> instead of the plan's,
        # not the whole page inside the area's section.
        return page, 409, {"HX-Retarget": "#main-content", "HX-Reswap": "outerHTML", "HX-Reselect": "#main-content"}
    return page, 409


def _plan_context(person, plan, today):
    report = plan_service.quality_report(plan, today=today) if plan and plan.status in (
        PlanStatus.DRAFT, PlanStatus.SUBMITTED) else None
    by_area = {}
    if plan:
        for entry in plan.areas:
            by_area[entry.area] = {"entry": entry, "targets": [], "contingencies": [], "issues": []}
        for target in plan.targets:
            by_area[target.area]["targets"].append(target)
        for contingency in plan.contingencies:
            by_area[contingency.area]["contingencies"].append(contingency)
        if report:
            for issue in report.issues:
                if issue.area in by_area:
                    by_area[issue.area]["issues"].append(issue)
    # The passport summary for area 7 (practical and independent living skills): one query.
    return {"report": report, "by_area": by_area, "passport_summary": get_passport_summary(person.id) if plan else []}


# --- the plan page ----------------------------------------------------------------------------

@bp.route("")
@roles_required(*STAFF)
def view_plan(person_id: int):
    person = get_young_person_for(current_user, person_id)
    today = _today()
    plan = get_current_plan(person.id)
    active = plan if plan is not None and plan.status is PlanStatus.ACTIVE else None
    page = render_template(
        "plans/plan.html", person=person, plan=plan, today=today, is_active_view=active is not None,
        adviser=get_current_adviser(person), requests=list_open_review_requests(person.id),
        next_review=next_review_due(plan.plan_date) if plan and plan.status is PlanStatus.ACTIVE else None,
        start_form=StartPlanForm(), title=f"Pathway plan: {person.display_name}",
        **_plan_context(person, plan, today),
    )
    # Audited after rendering, so the commit does not expire (and reload) everything the page used.
    audit.record("view", "pathway_plan", plan.id if plan else None, young_person_id=person.id)
    db.session.commit()
    return page


@bp.route("/start", methods=["POST"])
@roles_required(Role.ADVISER)
def start_plan(person_id: int):
    person = get_young_person_for(current_user, person_id)
    form = StartPlanForm()
    if form.validate_on_submit():
        try:
            plan = plan_service.start_plan(person, by=current_user, today=_today())
        except plan_service.PlanProblem as problem:
            flash(str(problem), "error")
        else:
            flash("The first pathway plan has been started." if plan.number == 1 else
                  "The review has started from the current plan. Open targets and contingency plans have been carried over.",
                  "success")
    return _back(person)


@bp.route("/details", methods=["GET", "POST"])
@roles_required(Role.ADVISER)
@restorable
def edit_details(person_id: int):
    person = get_young_person_for(current_user, person_id)
    plan = _draft(person)
    today = _today()
    restored = restored_formdata(current_user)
    form = DetailsForm(**restore_kwargs(restored), today=today, obj=None if restored else plan,
                       data=None if restored else {"reason": plan.reason.value, "version": str(plan.version)})
    if form.validate_on_submit():
        try:
            plan_service.update_details(
                plan, expected_version=form.expected_version(), by=current_user, plan_date=form.plan_date.data,
                reason=ReviewReason(form.reason.data), participants=form.participants.data or "",
                young_person_view=form.young_person_view.data or "")
        except plan_service.Conflict as conflict:
            return _conflict(person, plan, form, {
                "Date of the plan": f"{plan.plan_date:%d/%m/%Y}", "Why": plan.reason.label,
                "Who took part": plan.participants or "", "The young person's view": plan.young_person_view or "",
            }, conflict.current_version, "Someone else changed the plan details")
        flash("The plan details have been saved.", "success")
        return _back(person, "plan-details")
    return render_template("plans/details_form.html", person=person, plan=plan, form=form,
                           title="Plan details")


# --- areas (htmx: edited in place on the plan page) --------------------------------------------

@bp.route("/areas/<area>", methods=["GET", "POST"])
@roles_required(Role.ADVISER)
@restorable
def edit_area(person_id: int, area: str):
    person = get_young_person_for(current_user, person_id)
    plan = _draft(person)
    entry = _entry(plan, area)
    restored = restored_formdata(current_user)
    form = AreaForm(**restore_kwargs(restored), data=None if restored else {
        "current_situation": entry.current_situation, "version": str(entry.version)})
    if form.validate_on_submit():
        try:
            plan_service.update_area(entry, expected_version=form.expected_version(), by=current_user,
                                     current_situation=form.current_situation.data or "")
        except plan_service.Conflict as conflict:
            return _conflict(person, plan, form, {"How things are now": entry.current_situation},
                             conflict.current_version, f"Someone else changed {entry.area.title}")
        if htmx:
            plan = get_working_plan(person.id)
            context = _plan_context(person, plan, _today())
            body = render_template("plans/_area_saved.html", person=person, plan=plan, today=_today(),
                                   section=context["by_area"][entry.area], report=context["report"], editable=True,
                                   passport_summary=context["passport_summary"],
                                   adviser=get_current_adviser(person))
            # Replace the whole area section (the form sat inside it); the quality panel updates out of band.
            return body, 200, {"HX-Retarget": f"#area-{entry.area.value}", "HX-Reswap": "outerHTML"}
        flash(f"{entry.area.title} has been saved.", "success")
        return _back(person, f"area-{entry.area.value}")
    template = "plans/_area_form.html" if htmx else "plans/area_form.html"
    return render_template(template, person=person, plan=plan, entry=entry, form=form,
                           title=f"{entry.area.number}. {entry.area.title}")


# --- targets ------------------------------------------------------------------------------------

def _target_fields(form: TargetForm) -> plan_service.TargetFields:
    responsible = Responsible(form.responsible.data)
    status = TargetStatus(form.status.data)
    return plan_service.TargetFields(
        area=PlanArea(form.area.data), what=form.what.data, responsible=responsible,
        responsible_name=(form.responsible_name.data or None) if responsible is Responsible.OTHER else None,
        due_on=form.due_on.data, how_we_know=form.how_we_know.data, status=status,
        status_reason=(form.status_reason.data or None) if status is TargetStatus.NOT_NEEDED else None,
    )


@bp.route("/targets/new", methods=["GET", "POST"])
@roles_required(Role.ADVISER)
@restorable
def add_target(person_id: int):
    person = get_young_person_for(current_user, person_id)
    plan = _draft(person)
    area = request.args.get("area", "")
    restored = restored_formdata(current_user)
    form = TargetForm(**restore_kwargs(restored), plan_date=plan.plan_date,
                      data=None if restored else {"area": area if area in {a.value for a in PlanArea} else None})
    if form.validate_on_submit():
        target = plan_service.add_target(plan, _target_fields(form), by=current_user)
        flash("The target has been added.", "success")
        return _back(person, f"area-{target.area.value}")
    return render_template("plans/target_form.html", person=person, plan=plan, form=form, target=None,
                           title="Add a target")


@bp.route("/targets/<int:target_id>", methods=["GET", "POST"])
@roles_required(Role.ADVISER)
@restorable
def edit_target(person_id: int, target_id: int):
    person = get_young_person_for(current_user, person_id)
    plan = _draft(person)
    target = _find(plan.targets, target_id)
    restored = restored_formdata(current_user)
    form = TargetForm(**restore_kwargs(restored), plan_date=plan.plan_date, obj=None if restored else target, data=None if restored else {
        "area": target.area.value, "responsible": target.responsible.value, "status": target.status.value,
        "version": str(target.version)})
    if form.validate_on_submit():
        try:
            plan_service.update_target(target, _target_fields(form), expected_version=form.expected_version(),
                                       by=current_user)
        except plan_service.Conflict as conflict:
            return _conflict(person, plan, form, {
                "What will happen": target.what, "Who": target.who_label(person),
                "Done by": f"{target.due_on:%d/%m/%Y}", "How we will know": target.how_we_know,
                "Progress": target.status.label}, conflict.current_version, "Someone else changed this target")
        flash("The target has been saved.", "success")
        return _back(person, f"area-{target.area.value}")
    return render_template("plans/target_form.html", person=person, plan=plan, form=form, target=target,
                           title="Change a target")


@bp.route("/targets/<int:target_id>/remove", methods=["GET", "POST"])
@roles_required(Role.ADVISER)
def remove_target(person_id: int, target_id: int):
    person = get_young_person_for(current_user, person_id)
    plan = _draft(person)
    target = _find(plan.targets, target_id)
    form = RemoveForm()
    if form.validate_on_submit():
        plan_service.remove_target(target, by=current_user)
        flash("The target has been removed.", "success")
        return _back(person, f"area-{target.area.value}")
    return render_template("plans/confirm_remove.html", person=person, plan=plan, form=form,
                           what=target.what, kind="target", title="Remove this target?")


# --- contingencies ------------------------------------------------------------------------------

def _contingency_fields(form: ContingencyForm) -> plan_service.ContingencyFields:
    return plan_service.ContingencyFields(area=PlanArea(form.area.data), what_might_go_wrong=form.what_might_go_wrong.data,
                                          what_we_will_do=form.what_we_will_do.data, who=form.who.data)


@bp.route("/contingencies/new", methods=["GET", "POST"])
@roles_required(Role.ADVISER)
@restorable
def add_contingency(person_id: int):
    person = get_young_person_for(current_user, person_id)
    plan = _draft(person)
    area = request.args.get("area", "")
    restored = restored_formdata(current_user)
    form = ContingencyForm(**restore_kwargs(restored),
                           data=None if restored else {"area": area if area in {a.value for a in PlanArea} else None})
    if form.validate_on_submit():
        contingency = plan_service.add_contingency(plan, _contingency_fields(form), by=current_user)
        flash("The contingency plan has been added.", "success")
        return _back(person, f"area-{contingency.area.value}")
    return render_template("plans/contingency_form.html", person=person, plan=plan, form=form, contingency=None,
                           title="Add a contingency plan")


@bp.route("/contingencies/<int:contingency_id>", methods=["GET", "POST"])
@roles_required(Role.ADVISER)
@restorable
def edit_contingency(person_id: int, contingency_id: int):
    person = get_young_person_for(current_user, person_id)
    plan = _draft(person)
    contingency = _find(plan.contingencies, contingency_id)
    restored = restored_formdata(current_user)
    form = ContingencyForm(**restore_kwargs(restored), obj=None if restored else contingency,
                           data=None if restored else {"area": contingency.area.value, "version": str(contingency.version)})
    if form.validate_on_submit():
        try:
            plan_service.update_contingency(contingency, _contingency_fields(form),
                                            expected_version=form.expected_version(), by=current_user)
        except plan_service.Conflict as conflict:
            return _conflict(person, plan, form, {
                "What might go wrong": contingency.what_might_go_wrong, "What we will do": contingency.what_we_will_do,
                "Who": contingency.who}, conflict.current_version, "Someone else changed this contingency plan")
        flash("The contingency plan has been saved.", "success")
        return _back(person, f"area-{contingency.area.value}")
    return render_template("plans/contingency_form.html", person=person, plan=plan, form=form,
                           contingency=contingency, title="Change a contingency plan")


@bp.route("/contingencies/<int:contingency_id>/remove", methods=["GET", "POST"])
@roles_required(Role.ADVISER)
def remove_contingency(person_id: int, contingency_id: int):
    person = get_young_person_for(current_user, person_id)
    plan = _draft(person)
    contingency = _find(plan.contingencies, contingency_id)
    form = RemoveForm()
    if form.validate_on_submit():
        plan_service.remove_contingency(contingency, by=current_user)
        flash("The contingency plan has been removed.", "success")
        return _back(person, f"area-{contingency.area.value}")
    return render_template("plans/confirm_remove.html", person=person, plan=plan, form=form,
                           what=contingency.what_might_go_wrong, kind="contingency plan",
                           title="Remove this contingency plan?")


# --- submit, sign off, return -------------------------------------------------------------------

@bp.route("/submit", methods=["GET", "POST"])
@roles_required(Role.ADVISER)
def submit_plan(person_id: int):
    person = get_young_person_for(current_user, person_id)
    plan = _draft(person)
    today = _today()
    form = SubmitPlanForm(data={"version": str(plan.version)} if request.method == "GET" else None)
    report = plan_service.quality_report(plan, today=today)
    status = 200
    if form.validate_on_submit():
        try:
            plan_service.submit(plan, expected_version=form.expected_version(), by=current_user, today=today)
        except plan_service.Conflict:
            db.session.rollback()
            flash("The plan changed while you were checking it. Check it again, then send it.", "error")
            return redirect(url_for("plans.submit_plan", person_id=person.id), code=303)
        except plan_service.PlanProblem as problem:
            db.session.rollback()
            form.version.errors.append(str(problem))
            status = 400
        else:
            flash("The plan has been sent to your manager for sign-off.", "success")
            return _back(person)
    return render_template("plans/submit.html", person=person, plan=plan, form=form, report=report,
                           title="Send the plan for sign-off"), status


@bp.route("/decision", methods=["GET", "POST"])
@roles_required(Role.MANAGER)
def decide(person_id: int):
    person = get_young_person_for(current_user, person_id)
    plan = _working(person)
    if plan.status is not PlanStatus.SUBMITTED:
        flash("This plan is not waiting for sign-off.", "error")
        return _back(person)
    today = _today()
    form = DecisionForm(data={"version": str(plan.version)} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            if form.decision.data == "sign_off":
                plan_service.sign_off(plan, expected_version=form.expected_version(), manager=current_user, today=today)
                flash("The plan has been signed off. It is now the plan in force.", "success")
            else:
                plan_service.return_plan(plan, expected_version=form.expected_version(), manager=current_user,
                                         comments=form.comments.data)
                flash("The plan has been returned to the personal adviser with your comments.", "success")
        except (plan_service.Conflict, plan_service.PlanProblem):
            db.session.rollback()
            flash("The plan changed while you were reading it. Check it again.", "error")
        return _back(person)
    page = render_template("plans/decision.html", person=person, plan=plan, form=form, today=today,
                           adviser=get_current_adviser(person), title="Sign off the plan",
                           **_plan_context(person, plan, today))
    if request.method == "GET":  # audited after rendering: the commit would expire (and reload) the plan
        audit.record("view", "pathway_plan", plan.id, young_person_id=person.id)
        db.session.commit()
    return page


# --- versions -------------------------------------------------------------------------------------

@bp.route("/versions")
@roles_required(*STAFF)
def list_versions(person_id: int):
    person = get_young_person_for(current_user, person_id)
    versions = list_plans_for(person.id)
    audit.record("view_versions", "pathway_plan", None, young_person_id=person.id)
    db.session.commit()
    return render_template("plans/versions.html", person=person, versions=versions,
                           title=f"Plan versions: {person.display_name}")


@bp.route("/versions/<int:number>")
@roles_required(*STAFF)
def view_version(person_id: int, number: int):
    person = get_young_person_for(current_user, person_id)
    plan = get_plan(person.id, number)
    if plan is None:
        abort(404)
    today = _today()
    page = render_template("plans/version.html", person=person, plan=plan, today=today,
                           adviser=get_current_adviser(person), title=f"Plan version {plan.number}: {person.display_name}",
                           **_plan_context(person, plan, today))
    audit.record("view", "pathway_plan", plan.id, young_person_id=person.id)  # after rendering, as above
    db.session.commit()
    return page


@bp.route("/compare")
@roles_required(*STAFF)
def compare_versions(person_id: int):
    person = get_young_person_for(current_user, person_id)
    versions = list_plans_for(person.id)
    numbers = [p.number for p in versions]
    try:
        older_n = int(request.args.get("from", ""))
        newer_n = int(request.args.get("to", ""))
    except ValueError:
        older_n, newer_n = (numbers[1], numbers[0]) if len(numbers) >= 2 else (0, 0)
    if older_n not in numbers or newer_n not in numbers or older_n == newer_n:
        if len(numbers) < 2:
            flash("There is only one version of this plan, so there is nothing to compare.", "info")
            return redirect(url_for("plans.list_versions", person_id=person.id), code=303)
        abort(404)
    older, newer = get_plan(person.id, min(older_n, newer_n)), get_plan(person.id, max(older_n, newer_n))
    audit.record("compare", "pathway_plan", newer.id, young_person_id=person.id)
    db.session.commit()
    return render_template("plans/compare.html", person=person, older=older, newer=newer,
                           changes=compare_plans(older, newer), versions=versions,
                           title=f"Changes between versions {older.number} and {newer.number}")


@bp.route("/versions/<int:number>/pdf")
@roles_required(*STAFF)
def download_pdf(person_id: int, number: int):
    """A signed-off version as the young person's PDF copy ("Your pathway plan")."""
    from pathway.services.plan_pdf import plan_pdf

    person = get_young_person_for(current_user, person_id)
    plan = get_plan(person.id, number)
    if plan is None or plan.status not in (PlanStatus.ACTIVE, PlanStatus.SUPERSEDED):
        abort(404)
    pdf = plan_pdf(plan, person, get_current_adviser(person), today=_today())
    audit.record("download_pdf", "pathway_plan", plan.id, young_person_id=person.id)
    db.session.commit()
    filename = f"pathway-plan-{person.family_name}-v{plan.number}.pdf".replace(" ", "-")
    safe = "".join(c for c in filename if c.isalnum() or c in "-._") or "pathway-plan.pdf"
    return pdf, 200, {"Content-Type": "application/pdf", "Content-Disposition": f'attachment; filename="{safe}"'}
