"""What a young person's record page needs, loaded in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from pathway.extensions import db
from pathway.models import Allocation, CareEpisode, PathwayPlan, PlanStatus, YoungPerson


@dataclass
class RecordData:
    person: YoungPerson
    episodes: list[CareEpisode]
    last_signed_off_plan_date: date | None


def list_care_episodes_for(person_id: int) -> list[CareEpisode]:
    """The young person's care episodes, oldest first. One query."""
    return list(
        db.session.scalars(
            select(CareEpisode)
            .where(CareEpisode.young_person_id == person_id)
            .order_by(CareEpisode.start_date, CareEpisode.id)
        )
    )


def get_care_episode_for(person_id: int, episode_id: int) -> CareEpisode | None:
    """One of this young person's care episodes, or None (an id that belongs to someone else is None too)."""
    return db.session.scalar(
        select(CareEpisode).where(CareEpisode.id == episode_id, CareEpisode.young_person_id == person_id)
    )


def get_last_signed_off_plan_date(person_id: int) -> date | None:
    """The plan date of the young person's signed-off plan in force (status active), or None. One query."""
    return db.session.scalar(
        select(func.max(PathwayPlan.plan_date)).where(
            PathwayPlan.young_person_id == person_id, PathwayPlan.status == PlanStatus.ACTIVE
        )
    )


def get_record_data(person_id: int) -> RecordData:
    """Everything the record page shows. Four queries, however many episodes or advisers.

    The person with their account (one query), their adviser history with each adviser (one),
    their care episodes (one) and the date of their signed-off plan (one).
    """
    person = db.session.scalar(
        select(YoungPerson)
        .where(YoungPerson.id == person_id)
        .options(
            joinedload(YoungPerson.user),
            selectinload(YoungPerson.allocations).options(
                joinedload(Allocation.adviser), joinedload(Allocation.allocated_by)
            ),
        )
        .execution_options(populate_existing=True)
    )
    return RecordData(
        person=person,
        episodes=list_care_episodes_for(person_id),
        last_signed_off_plan_date=get_last_signed_off_plan_date(person_id),
    )
