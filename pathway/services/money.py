"""My money: a young person's weekly or monthly income and costs, and what is left.

One plan per young person, saved whole (every amount at once) with a version check, so a save
from an old page on another phone never overwrites newer figures without the person seeing them.
money_summary() gives the totals for any page that shows the plan (the young person's, or the
personal adviser's view of it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from pathway.extensions import db
from pathway.models import MoneyPeriod, MoneyPlan, User, YoungPerson
from pathway.models.types import utcnow
from pathway.rules.offer import Outcome
from pathway.services import audit

INCOME = MoneyPlan.INCOME
COSTS = MoneyPlan.COSTS
FIELDS = INCOME + COSTS

TIGHT_WEEKLY_PENCE = 2000
"""Less than £20 a week left after costs is tight."""

WEEKS_IN_YEAR = Decimal(52)
MONTHS_IN_YEAR = Decimal(12)


class Conflict(Exception):
    """The plan was saved somewhere else since this form was opened."""


@dataclass(frozen=True)
class MoneySummary:
    period: MoneyPeriod
    income_pence: int
    costs_pence: int
    weekly_left_pence: int
    monthly_left_pence: int
    updated_at: datetime | None

    @property
    def left_pence(self) -> int:
        """What is left in the plan's own period."""
        return self.left_for(self.period)

    def left_for(self, period: MoneyPeriod) -> int:
        return self.weekly_left_pence if period is MoneyPeriod.WEEKLY else self.monthly_left_pence

    @property
    def short(self) -> bool:
        return self.weekly_left_pence < 0

    @property
    def tight(self) -> bool:
        return 0 <= self.weekly_left_pence < TIGHT_WEEKLY_PENCE

    @property
    def state(self) -> str:
        return "short" if self.short else "tight" if self.tight else "ok"


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def weekly_and_monthly(pence: int, period: MoneyPeriod) -> tuple[int, int]:
    """An amount per week and per month (a month is a twelfth of 52 weeks)."""
    amount = Decimal(pence)
    if period is MoneyPeriod.WEEKLY:
        return pence, _round(amount * WEEKS_IN_YEAR / MONTHS_IN_YEAR)
    return _round(amount * MONTHS_IN_YEAR / WEEKS_IN_YEAR), pence


def summarise(period: MoneyPeriod, amounts: dict[str, int], updated_at: datetime | None = None) -> MoneySummary:
    income = sum(amounts.get(name) or 0 for name in INCOME)
    costs = sum(amounts.get(name) or 0 for name in COSTS)
    weekly, monthly = weekly_and_monthly(income - costs, period)
    return MoneySummary(period=period, income_pence=income, costs_pence=costs, weekly_left_pence=weekly,
                        monthly_left_pence=monthly, updated_at=updated_at)


def get_money_plan(person: YoungPerson) -> MoneyPlan | None:
    return db.session.scalar(select(MoneyPlan).where(MoneyPlan.young_person_id == person.id))


def money_summary(person: YoungPerson, plan: MoneyPlan | None = None) -> MoneySummary | None:
    """The totals of a young person's money plan, or None when they have not made one. One query
    (none if the plan is passed in)."""
    plan = plan if plan is not None else get_money_plan(person)
    if plan is None:
        return None
    return summarise(plan.period, {name: getattr(plan, name) for name in FIELDS}, plan.updated_at)


def save_money_plan(person: YoungPerson, *, expected_version: int | None, period: MoneyPeriod,
                    amounts: dict[str, int], by: User) -> MoneyPlan:
    """Save every amount (pence per period) at once. Commits, with an audit event.

    expected_version is the version the form was opened at (None when there was no plan then).
    Raises Conflict, with nothing saved, when the plan has changed since.
    """
    plan = get_money_plan(person)
    current = plan.version if plan is not None else None
    if current != expected_version:
        raise Conflict
    data = {"period": period, **{name: int(amounts.get(name) or 0) for name in FIELDS}}
    if any(value < 0 for name, value in data.items() if name != "period"):
        raise ValueError("amounts cannot be negative")
    try:
        if plan is None:
            plan = MoneyPlan(young_person_id=person.id, **data)
            db.session.add(plan)
            db.session.flush()
            audit.record("create", "money_plan", plan.id, young_person_id=person.id, fields=list(data), user=by)
        else:
            changed = audit.changed_fields(plan, data)
            if not changed:
                return plan
            plan.updated_at = utcnow()
            db.session.flush()
            audit.record("update", "money_plan", plan.id, young_person_id=person.id, fields=changed, user=by)
        db.session.commit()
    except (IntegrityError, StaleDataError) as error:
        # Saved at the same moment somewhere else (a second plan, or a newer version): nothing of this is kept.
        db.session.rollback()
        raise Conflict from error
    return plan


EMERGENCY_PAYMENT_SLUG = "emergency-payment"


def entitlements_that_could_help(lines) -> tuple[list, object | None]:
    """From a person's offer (pathway.services.offer.offer_for): what they can get now and have not
    used up, and separately the emergency payment if it is in the offer and they can get it."""
    now = [line for line in lines if line.decision.outcome in (Outcome.ELIGIBLE, Outcome.NEEDS_PA_DECISION)
           and line.remaining_pence != 0]
    emergency = next((line for line in now if line.entitlement.slug == EMERGENCY_PAYMENT_SLUG), None)
    return [line for line in now if line is not emergency], emergency


def amounts_of(plan: MoneyPlan | None) -> dict[str, int]:
    return {name: (getattr(plan, name) if plan is not None else 0) for name in FIELDS}


__all__ = [
    "COSTS", "Conflict", "EMERGENCY_PAYMENT_SLUG", "FIELDS", "INCOME", "entitlements_that_could_help", "MoneySummary", "TIGHT_WEEKLY_PENCE", "amounts_of", "get_money_plan",
    "money_summary", "save_money_plan", "summarise", "weekly_and_monthly",
]
