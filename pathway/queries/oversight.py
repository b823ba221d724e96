"""The manager's oversight pages (issue 6 section 4): the sign-off queue and supervision.

Both load in a fixed number of queries however many plans are queued or advisers there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from pathway.extensions import db
from pathway.models import PathwayPlan, PlanStatus, Role, Team, TeamManager, User
from pathway.models.oversight import OversightKind, OversightNote, Supervision
from pathway.rules import supervision as rules
from pathway.rules.plan_quality import QualityReport

LONDON = ZoneInfo("Europe/London")
FIRST_MESSAGES = 3
"""How many quality-check messages the queue shows for each plan (hard gaps first)."""


# --- the sign-off queue --------------------------------------------------------------------------

@dataclass(frozen=True)
class QueuedPlan:
    """A plan waiting for the manager's sign-off, with its quality check."""

    plan: PathwayPlan
    person_name: str
    submitted_by: str | None
    submitted_on: date | None
    days_waiting: int | None
    report: QualityReport

    @property
    def is_review(self) -> bool:
        return self.plan.number > 1

    @property
    def first_messages(self) -> list[str]:
        return [issue.message for issue in (*self.report.blockers, *self.report.warnings)][:FIRST_MESSAGES]

    @property
    def more_messages(self) -> int:
        return max(0, len(self.report.issues) - FIRST_MESSAGES)


def list_sign_off_queue(manager: User, today: date) -> list[QueuedPlan]:
    """Submitted plans for young people the manager may see, oldest submission first.

    Four queries however many are queued: the plans (with who submitted them and the young person's
    name), then the areas, targets and contingencies of all of them at once.
    """
    from pathway.access import visible_young_people
    from pathway.services.plans import quality_report

    visible = visible_young_people(manager).subquery()
    rows = db.session.execute(
        select(PathwayPlan, visible.c.given_name, visible.c.preferred_name, visible.c.family_name)
        .join(visible, visible.c.id == PathwayPlan.young_person_id)
        .where(PathwayPlan.status == PlanStatus.SUBMITTED)
        .options(joinedload(PathwayPlan.submitted_by), selectinload(PathwayPlan.areas),
                 selectinload(PathwayPlan.targets), selectinload(PathwayPlan.contingencies))
        .order_by(PathwayPlan.submitted_at, PathwayPlan.id)
    ).unique().all()
    queue = []
    for plan, given, preferred, family in rows:
        submitted_on = plan.submitted_at.astimezone(LONDON).date() if plan.submitted_at else None
        queue.append(QueuedPlan(
            plan=plan, person_name=f"{preferred or given} {family}",
            submitted_by=plan.submitted_by.name if plan.submitted_by else None,
            submitted_on=submitted_on,
            days_waiting=(today - submitted_on).days if submitted_on else None,
            report=quality_report(plan, today=today),
        ))
    return queue


# --- supervision ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class AdviserSupervision:
    """One personal adviser's supervision against the council's standard."""

    adviser: User
    team_name: str
    last: date | None
    first_year: bool
    standard_weeks: int
    due: date | None
    overdue: bool


def last_supervision_dates(adviser_ids: Iterable[int]) -> dict[int, date]:
    """Each adviser's latest supervision: the later of their latest supervision session and the latest
    oversight note of kind "supervision discussion" written while they were the young person's adviser.
    One query; advisers never supervised are left out."""
    ids = sorted(set(adviser_ids))
    if not ids:
        return {}
    held = union_all(
        select(Supervision.adviser_id.label("adviser_id"), Supervision.held_on.label("on"))
        .where(Supervision.adviser_id.in_(ids)),
        select(OversightNote.adviser_id.label("adviser_id"), OversightNote.noted_on.label("on"))
        .where(OversightNote.adviser_id.in_(ids), OversightNote.kind == OversightKind.SUPERVISION.value),
    ).subquery()
    rows = db.session.execute(
        select(held.c.adviser_id, func.max(held.c.on)).group_by(held.c.adviser_id)
    ).all()
    return {adviser_id: _as_date(on) for adviser_id, on in rows if on is not None}


def _as_date(value) -> date:
    # SQLite returns max() over a union as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def list_supervision_for_manager(manager: User, today: date, *, first_year_weeks: int = rules.FIRST_YEAR_WEEKS,
                                 weeks: int = rules.WEEKS) -> list[AdviserSupervision]:
    """Each active personal adviser in the manager's teams, by team then name. Two queries."""
    rows = db.session.execute(
        select(User, Team.name)
        .join(Team, Team.id == User.team_id)
        .join(TeamManager, TeamManager.team_id == Team.id)
        .where(TeamManager.user_id == manager.id, User.role == Role.ADVISER, User.active.is_(True))
        .order_by(Team.name, func.lower(User.name), User.id)
    ).all()
    last = last_supervision_dates(adviser.id for adviser, _ in rows)
    standard = {"first_year_weeks": first_year_weeks, "weeks": weeks}
    result = []
    for adviser, team_name in rows:
        when = last.get(adviser.id)
        started = adviser.started_role_on
        result.append(AdviserSupervision(
            adviser=adviser, team_name=team_name, last=when,
            first_year=rules.in_first_year(started, today),
            standard_weeks=rules.supervision_standard_weeks(started, today, **standard),
            due=rules.supervision_due(when, started, today, **standard),
            overdue=rules.supervision_overdue(when, started, today, **standard),
        ))
    return result


def list_supervisions_for(adviser_id: int, limit: int = 5) -> list[Supervision]:
    """An adviser's latest supervision sessions, newest first, with who held them. One query."""
    return list(db.session.scalars(
        select(Supervision).where(Supervision.adviser_id == adviser_id)
        .options(joinedload(Supervision.by))
        .order_by(Supervision.held_on.desc(), Supervision.id.desc()).limit(limit)
    ))
