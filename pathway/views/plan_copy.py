"""The young person's copy of their plan, arranged for reading: used by "My plan" and the PDF.

Everything here works on a plan already loaded with its contents (pathway.queries.plans):
it groups in Python, so the page and the PDF cost the same number of queries however many
targets the plan has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pathway.models import Contingency, PathwayPlan, PlanAreaEntry, Responsible, Target
from pathway.rules.plan_areas import PLAN_AREAS, PlanArea
from pathway.rules.reviews import next_review_due


@dataclass
class AreaCopy:
    area: PlanArea
    entry: PlanAreaEntry | None
    targets: list[Target] = field(default_factory=list)
    contingencies: list[Contingency] = field(default_factory=list)

    @property
    def current_situation(self) -> str:
        return (self.entry.current_situation or "").strip() if self.entry else ""

    @property
    def young_person_words(self) -> str:
        return (self.entry.young_person_words or "").strip() if self.entry else ""


@dataclass
class PlanCopy:
    plan: PathwayPlan
    today: date
    areas: list[AreaCopy]
    next_steps: list[Target]
    """The young person's own open targets, soonest first."""

    @property
    def next_review_due(self) -> date:
        return next_review_due(self.plan.plan_date)

    def is_overdue(self, target: Target) -> bool:
        return target_is_overdue(target, self.today)


def target_is_overdue(target: Target, today: date) -> bool:
    return target.due_on is not None and target.due_on < today and not target.status.is_closed


def build_plan_copy(plan: PathwayPlan, *, today: date) -> PlanCopy:
    """Group a loaded plan's targets and contingencies under its ten areas, in Schedule 1 order."""
    entries = {entry.area: entry for entry in plan.areas}
    areas = {area: AreaCopy(area, entries.get(area)) for area in PLAN_AREAS}
    for target in plan.targets:
        areas[target.area].targets.append(target)
    for contingency in plan.contingencies:
        areas[contingency.area].contingencies.append(contingency)
    next_steps = sorted(
        (t for t in plan.targets if t.responsible is Responsible.YOUNG_PERSON and not t.status.is_closed),
        key=lambda t: (t.due_on, t.position, t.id),
    )
    return PlanCopy(plan=plan, today=today, areas=[areas[a] for a in PLAN_AREAS], next_steps=next_steps)
