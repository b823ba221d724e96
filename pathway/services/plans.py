"""Writing, reviewing and signing off pathway plans. Each function is one user action:
it checks the rules, changes the plan, writes the audit trail and commits.

Concurrency: every editable row carries a version counter. A save names the version the
user started from; if someone else saved since, Conflict is raised and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm.exc import StaleDataError

from pathway.extensions import db
from pathway.models import (
    Contingency,
    PathwayPlan,
    PlanAreaEntry,
    PlanStatus,
    ReviewReason,
    ReviewRequest,
    Role,
    Target,
    TargetStatus,
    User,
    YoungPerson,
)
from pathway.models.types import utcnow
from pathway.queries.plans import get_active_plan, get_working_plan
from pathway.rules.plan_areas import PLAN_AREAS, PlanArea
from pathway.rules.plan_quality import (
    AreaDraft,
    ContingencyDraft,
    QualityReport,
    TargetDraft,
    check_plan_quality,
)
from pathway.services import audit


class PlanProblem(Exception):
    """An action the plan's state does not allow; the message is shown to the user."""


@dataclass
class Conflict(Exception):
    """Someone else saved this since the user opened it."""

    record: object
    current_version: int


def _check_version(record, expected_version: int | None) -> None:
    if expected_version is None or record.version != expected_version:
        raise Conflict(record, record.version)


def _require_draft(plan: PathwayPlan) -> None:
    if plan.status is not PlanStatus.DRAFT:
        raise PlanProblem("This plan has been sent for sign-off or signed off, so it cannot be changed")


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise PlanProblem("Someone else saved this at the same moment. Reload the page and try again") from None


# --- starting a plan or a review -------------------------------------------------------------

def start_plan(person: YoungPerson, *, by: User, today: date) -> PathwayPlan:
    """The first plan, or a review of the active plan. Commits."""
    if get_working_plan(person.id) is not None:
        raise PlanProblem("A plan or review is already in progress")
    active = get_active_plan(person.id)
    number = 1 + max((p.number for p in db.session.query(PathwayPlan.number).filter_by(young_person_id=person.id)), default=0)
    plan = PathwayPlan(
        young_person_id=person.id, number=number, status=PlanStatus.DRAFT,
        reason=ReviewReason.SIX_MONTHLY if active else ReviewReason.FIRST_PLAN,
        plan_date=today, created_by_id=by.id, based_on_id=active.id if active else None,
    )
    db.session.add(plan)
    db.session.flush()
    previous = {a.area: a for a in active.areas} if active else {}
    for position, area in enumerate(PLAN_AREAS):
        before = previous.get(area)
        db.session.add(PlanAreaEntry(
            plan_id=plan.id, area=area, position=position,
            current_situation=before.current_situation if before else "",
            young_person_words=before.young_person_words if before else "",
            young_person_words_at=before.young_person_words_at if before else None,
        ))
    if active:
        for target in active.targets:
            if not target.status.is_closed:
                db.session.add(Target(plan_id=plan.id, area=target.area, position=target.position, what=target.what,
                                      responsible=target.responsible, responsible_name=target.responsible_name,
                                      due_on=target.due_on, how_we_know=target.how_we_know, status=target.status))
        for c in active.contingencies:
            db.session.add(Contingency(plan_id=plan.id, area=c.area, what_might_go_wrong=c.what_might_go_wrong,
                                       what_we_will_do=c.what_we_will_do, who=c.who))
    audit.record("start_review" if active else "start_plan", "pathway_plan", plan.id, young_person_id=person.id,
                 user=by)
    _commit()
    return plan


# --- editing a draft --------------------------------------------------------------------------

def update_details(plan: PathwayPlan, *, expected_version: int, by: User, plan_date: date, reason: ReviewReason,
                   participants: str, young_person_view: str) -> None:
    _require_draft(plan)
    _check_version(plan, expected_version)
    changed = audit.changed_fields(plan, {"plan_date": plan_date, "reason": reason, "participants": participants,
                                          "young_person_view": young_person_view})
    if changed:
        audit.record("update", "pathway_plan", plan.id, young_person_id=plan.young_person_id, fields=changed, user=by)
    _commit()


def update_area(entry: PlanAreaEntry, *, expected_version: int, by: User, current_situation: str) -> None:
    """The adviser's "how things are now" for one area."""
    _require_draft(entry.plan)
    _check_version(entry, expected_version)
    changed = audit.changed_fields(entry, {"current_situation": current_situation})
    if changed:
        audit.record("update", "plan_area", entry.id, young_person_id=entry.plan.young_person_id, fields=changed, user=by)
    _commit()


def update_young_person_words(entry: PlanAreaEntry, *, expected_version: int, by: User, words: str) -> None:
    """The young person's own words for one area, written on their phone."""
    if by.role is not Role.YOUNG_PERSON:
        raise PlanProblem("Only the young person can write in their own words")
    if entry.plan.status not in (PlanStatus.DRAFT, PlanStatus.SUBMITTED):
        raise PlanProblem("Your plan is not being reviewed at the moment. Ask your personal adviser for a review")
    _check_version(entry, expected_version)
    if entry.young_person_words != words:
        entry.young_person_words = words
        entry.young_person_words_at = utcnow()
        audit.record("update", "plan_area", entry.id, young_person_id=entry.plan.young_person_id,
                     fields=["young_person_words"], user=by)
    _commit()


@dataclass
class TargetFields:
    area: PlanArea
    what: str
    responsible: object
    responsible_name: str | None
    due_on: date
    how_we_know: str
    status: TargetStatus
    status_reason: str | None


def add_target(plan: PathwayPlan, fields: TargetFields, *, by: User) -> Target:
    _require_draft(plan)
    target = Target(plan_id=plan.id, position=len(plan.targets), **vars(fields))
    db.session.add(target)
    db.session.flush()
    audit.record("create", "plan_target", target.id, young_person_id=plan.young_person_id,
                 fields=[k for k, v in vars(fields).items() if v is not None], user=by)
    _commit()
    return target


def update_target(target: Target, fields: TargetFields, *, expected_version: int, by: User) -> None:
    _require_draft(target.plan)
    _check_version(target, expected_version)
    changed = audit.changed_fields(target, vars(fields))
    if changed:
        audit.record("update", "plan_target", target.id, young_person_id=target.plan.young_person_id,
                     fields=changed, user=by)
    _commit()


def remove_target(target: Target, *, by: User) -> None:
    _require_draft(target.plan)
    audit.record("delete", "plan_target", target.id, young_person_id=target.plan.young_person_id, user=by)
    db.session.delete(target)
    _commit()


@dataclass
class ContingencyFields:
    area: PlanArea
    what_might_go_wrong: str
    what_we_will_do: str
    who: str


def add_contingency(plan: PathwayPlan, fields: ContingencyFields, *, by: User) -> Contingency:
    _require_draft(plan)
    contingency = Contingency(plan_id=plan.id, **vars(fields))
    db.session.add(contingency)
    db.session.flush()
    audit.record("create", "plan_contingency", contingency.id, young_person_id=plan.young_person_id,
                 fields=list(vars(fields)), user=by)
    _commit()
    return contingency


def update_contingency(contingency: Contingency, fields: ContingencyFields, *, expected_version: int, by: User) -> None:
    _require_draft(contingency.plan)
    _check_version(contingency, expected_version)
    changed = audit.changed_fields(contingency, vars(fields))
    if changed:
        audit.record("update", "plan_contingency", contingency.id, young_person_id=contingency.plan.young_person_id,
                     fields=changed, user=by)
    _commit()


def remove_contingency(contingency: Contingency, *, by: User) -> None:
    _require_draft(contingency.plan)
    audit.record("delete", "plan_contingency", contingency.id, young_person_id=contingency.plan.young_person_id,
                 user=by)
    db.session.delete(contingency)
    _commit()


# --- quality, submission and sign-off ----------------------------------------------------------

def quality_report(plan: PathwayPlan, *, today: date) -> QualityReport:
    return check_plan_quality(
        [AreaDraft(a.area, a.current_situation or "", a.young_person_words or "") for a in plan.areas],
        [TargetDraft(t.area, t.what, t.responsible.value if t.responsible else "", t.due_on, t.how_we_know,
                     t.status.value) for t in plan.targets],
        [ContingencyDraft(c.area, c.what_might_go_wrong, c.what_we_will_do, c.who) for c in plan.contingencies],
        today,
    )


def submit(plan: PathwayPlan, *, expected_version: int, by: User, today: date) -> QualityReport:
    """Send for a manager's sign-off. Refused while the plan has hard gaps."""
    _require_draft(plan)
    _check_version(plan, expected_version)
    report = quality_report(plan, today=today)
    if not report.can_submit:
        raise PlanProblem("Fix the problems listed before sending the plan for sign-off")
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = utcnow()
    plan.submitted_by_id = by.id
    audit.record("submit", "pathway_plan", plan.id, young_person_id=plan.young_person_id, fields=["status"], user=by)
    _commit()
    return report


def _require_submitted(plan: PathwayPlan, manager: User) -> None:
    if manager.role is not Role.MANAGER:
        raise PlanProblem("Only a manager can sign off a plan")
    if plan.status is not PlanStatus.SUBMITTED:
        raise PlanProblem("This plan is not waiting for sign-off")


def sign_off(plan: PathwayPlan, *, expected_version: int, manager: User, today: date) -> None:
    """A manager of the adviser's team signs the plan off: it becomes the plan in force, unchangeable."""
    _require_submitted(plan, manager)
    _check_version(plan, expected_version)
    previous = get_active_plan(plan.young_person_id)
    if previous is not None and previous.id != plan.id:
        previous.status = PlanStatus.SUPERSEDED
        audit.record("supersede", "pathway_plan", previous.id, young_person_id=plan.young_person_id,
                     fields=["status"], user=manager)
    now = utcnow()
    plan.status = PlanStatus.ACTIVE
    plan.signed_off_at = now
    plan.signed_off_on = today
    plan.signed_off_by_id = manager.id
    plan.decided_by_id = manager.id
    for request in db.session.query(ReviewRequest).filter_by(young_person_id=plan.young_person_id, resolved_at=None):
        request.resolved_at = now
        request.resolved_by_id = manager.id
        request.resolved_by_plan_id = plan.id
    audit.record("sign_off", "pathway_plan", plan.id, young_person_id=plan.young_person_id,
                 fields=["status", "signed_off_at"], user=manager)
    _commit()


def return_plan(plan: PathwayPlan, *, expected_version: int, manager: User, comments: str) -> None:
    """Send the plan back to the adviser with comments; it becomes a draft again."""
    _require_submitted(plan, manager)
    _check_version(plan, expected_version)
    plan.status = PlanStatus.DRAFT
    plan.returned_at = utcnow()
    plan.return_comments = comments
    plan.decided_by_id = manager.id
    audit.record("return", "pathway_plan", plan.id, young_person_id=plan.young_person_id,
                 fields=["status", "return_comments"], user=manager)
    _commit()


# --- the young person asking for a review --------------------------------------------------------

def request_review(person: YoungPerson, *, by: User, message: str) -> ReviewRequest:
    request = ReviewRequest(young_person_id=person.id, message=message)
    db.session.add(request)
    db.session.flush()
    audit.record("request_review", "review_request", request.id, young_person_id=person.id, user=by)
    _commit()
    return request
