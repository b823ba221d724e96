"""Loading pathway plans for pages: a fixed number of queries however big the plan."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from pathway.extensions import db
from pathway.models import PathwayPlan, PlanStatus, ReviewRequest

SIGNED_OFF = (PlanStatus.ACTIVE, PlanStatus.SUPERSEDED)


def _with_contents():
    return (
        selectinload(PathwayPlan.areas),
        selectinload(PathwayPlan.targets),
        selectinload(PathwayPlan.contingencies),
        joinedload(PathwayPlan.signed_off_by),
        joinedload(PathwayPlan.submitted_by),
        joinedload(PathwayPlan.decided_by),
    )


def list_plans_for(person_id: int) -> list[PathwayPlan]:
    """Every version of a person's plan, newest first, without contents. One query."""
    return list(db.session.scalars(
        select(PathwayPlan).where(PathwayPlan.young_person_id == person_id).order_by(PathwayPlan.number.desc())
    ))


def get_plan(person_id: int, number: int) -> PathwayPlan | None:
    """One version with its areas, targets and contingencies (a fixed number of queries)."""
    return db.session.scalar(
        select(PathwayPlan)
        .where(PathwayPlan.young_person_id == person_id, PathwayPlan.number == number)
        .options(*_with_contents())
    )


def get_working_plan(person_id: int) -> PathwayPlan | None:
    """The draft or submitted version, if a plan or review is in progress."""
    return db.session.scalar(
        select(PathwayPlan)
        .where(PathwayPlan.young_person_id == person_id,
               PathwayPlan.status.in_((PlanStatus.DRAFT, PlanStatus.SUBMITTED)))
        .options(*_with_contents())
    )


def get_current_plan(person_id: int) -> PathwayPlan | None:
    """The version a plan page shows: the one being written or signed off if there is one, else the plan in force.
    Four queries: the plan with its people, then areas, targets and contingencies."""
    preference = case((PathwayPlan.status == PlanStatus.ACTIVE, 1), else_=0)
    return db.session.scalar(
        select(PathwayPlan)
        .where(PathwayPlan.young_person_id == person_id,
               PathwayPlan.status.in_((PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.ACTIVE)))
        .order_by(preference, PathwayPlan.number.desc())
        .limit(1)
        .options(*_with_contents())
    )


def get_active_plan(person_id: int) -> PathwayPlan | None:
    """The signed-off plan in force."""
    return db.session.scalar(
        select(PathwayPlan)
        .where(PathwayPlan.young_person_id == person_id, PathwayPlan.status == PlanStatus.ACTIVE)
        .options(*_with_contents())
    )


def list_open_review_requests(person_id: int) -> list[ReviewRequest]:
    return list(db.session.scalars(
        select(ReviewRequest)
        .where(ReviewRequest.young_person_id == person_id, ReviewRequest.resolved_at.is_(None))
        .order_by(ReviewRequest.created_at)
    ))


def list_plans_awaiting_sign_off(manager) -> list[tuple[PathwayPlan, object]]:
    """Submitted plans for young people in the manager's teams, oldest first. One query."""
    from pathway.access import visible_young_people

    visible = visible_young_people(manager).subquery()
    return list(db.session.execute(
        select(PathwayPlan, visible.c.given_name, visible.c.preferred_name, visible.c.family_name)
        .join(visible, visible.c.id == PathwayPlan.young_person_id)
        .where(PathwayPlan.status == PlanStatus.SUBMITTED)
        .order_by(PathwayPlan.submitted_at, PathwayPlan.id)
    ).all())


def count_plans_awaiting_sign_off(manager) -> int:
    """How many plans wait for sign-off in the manager's teams. One query."""
    from pathway.access import visible_young_people

    visible = visible_young_people(manager).subquery()
    return db.session.scalar(
        select(func.count(PathwayPlan.id)).join(visible, visible.c.id == PathwayPlan.young_person_id)
        .where(PathwayPlan.status == PlanStatus.SUBMITTED)
    ) or 0


def list_review_requests_for_adviser(adviser) -> list[tuple[ReviewRequest, object]]:
    """Open review requests from the adviser's young people, oldest first. One query."""
    from pathway.access import visible_young_people

    visible = visible_young_people(adviser).subquery()
    return list(db.session.execute(
        select(ReviewRequest, visible.c.given_name, visible.c.preferred_name, visible.c.family_name)
        .join(visible, visible.c.id == ReviewRequest.young_person_id)
        .where(ReviewRequest.resolved_at.is_(None))
        .order_by(ReviewRequest.created_at, ReviewRequest.id)
    ).all())
