"""Pathway plans (CLR 2010 Schedule 1): ten areas, SMART targets, contingencies, versions and sign-off."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathway.extensions import db
from pathway.models.people import User, YoungPerson
from pathway.models.types import UTCDateTime, utcnow
from pathway.rules.plan_areas import PlanArea


def _enum(cls, length: int = 30):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class PlanStatus(enum.Enum):
    DRAFT = "draft"  # being written (or returned by a manager with comments)
    SUBMITTED = "submitted"  # waiting for a manager's sign-off
    ACTIVE = "active"  # signed off: the plan in force; immutable
    SUPERSEDED = "superseded"  # signed off, then replaced by a later version; immutable

    @property
    def label(self) -> str:
        return {"draft": "Draft", "submitted": "Waiting for sign-off", "active": "Signed off",
                "superseded": "Replaced by a later version"}[self.value]


class ReviewReason(enum.Enum):
    FIRST_PLAN = "first_plan"
    SIX_MONTHLY = "six_monthly"
    YOUNG_PERSON_ASKED = "young_person_asked"
    CHANGE_OF_CIRCUMSTANCES = "change_of_circumstances"
    MOVE = "move"

    @property
    def label(self) -> str:
        return {"first_plan": "First pathway plan", "six_monthly": "Six-monthly review",
                "young_person_asked": "You asked for a review", "change_of_circumstances": "Change of circumstances",
                "move": "Moving home"}[self.value]


class Responsible(enum.Enum):
    YOUNG_PERSON = "young_person"
    ADVISER = "adviser"
    OTHER = "other"


class TargetStatus(enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_NEEDED = "not_needed"

    @property
    def label(self) -> str:
        return {"not_started": "Not started", "in_progress": "In progress", "done": "Done",
                "not_needed": "No longer needed"}[self.value]

    @property
    def is_closed(self) -> bool:
        return self in (TargetStatus.DONE, TargetStatus.NOT_NEEDED)


class PathwayPlan(db.Model):
    """One version of a young person's pathway plan. Signed-off versions never change."""

    __tablename__ = "pathway_plan"
    __table_args__ = (UniqueConstraint("young_person_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1 for the first plan, 2 for the first review...
    status: Mapped[PlanStatus] = mapped_column(_enum(PlanStatus), index=True)
    reason: Mapped[ReviewReason] = mapped_column(_enum(ReviewReason))
    plan_date: Mapped[date] = mapped_column(Date)  # the date of the plan or review meeting
    participants: Mapped[str | None] = mapped_column(Text)
    young_person_view: Mapped[str | None] = mapped_column(Text)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("pathway_plan.id"))

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_comments: Mapped[str | None] = mapped_column(Text)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    signed_off_on: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    young_person: Mapped[YoungPerson] = relationship()
    areas: Mapped[list[PlanAreaEntry]] = relationship(back_populates="plan", order_by="PlanAreaEntry.position")
    targets: Mapped[list[Target]] = relationship(back_populates="plan", order_by="Target.position, Target.id")
    contingencies: Mapped[list[Contingency]] = relationship(back_populates="plan", order_by="Contingency.id")
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_editable(self) -> bool:
        return self.status is PlanStatus.DRAFT

    @property
    def was_returned(self) -> bool:
        return self.status is PlanStatus.DRAFT and self.returned_at is not None


class PlanAreaEntry(db.Model):
    """One of the ten Schedule 1 areas of one plan version."""

    __tablename__ = "plan_area"
    __table_args__ = (UniqueConstraint("plan_id", "area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("pathway_plan.id"), index=True)
    area: Mapped[PlanArea] = mapped_column(_enum(PlanArea))
    position: Mapped[int] = mapped_column(Integer)
    current_situation: Mapped[str] = mapped_column(Text, default="")
    young_person_words: Mapped[str] = mapped_column(Text, default="")
    young_person_words_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[PathwayPlan] = relationship(back_populates="areas")


class Target(db.Model):
    """A SMART target: what, who, by when, how we will know."""

    __tablename__ = "plan_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("pathway_plan.id"), index=True)
    area: Mapped[PlanArea] = mapped_column(_enum(PlanArea))
    position: Mapped[int] = mapped_column(Integer, default=0)
    what: Mapped[str] = mapped_column(Text)
    responsible: Mapped[Responsible] = mapped_column(_enum(Responsible))
    responsible_name: Mapped[str | None] = mapped_column(String(120))  # when someone else is responsible
    due_on: Mapped[date] = mapped_column(Date)
    how_we_know: Mapped[str] = mapped_column(Text)
    status: Mapped[TargetStatus] = mapped_column(_enum(TargetStatus), default=TargetStatus.NOT_STARTED)
    status_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[PathwayPlan] = relationship(back_populates="targets")

    def who_label(self, person: YoungPerson | None = None, adviser_name: str | None = None, *, to_them: bool = False) -> str:
        if self.responsible is Responsible.YOUNG_PERSON:
            return "You" if to_them else (person.display_name if person else "Young person")
        if self.responsible is Responsible.ADVISER:
            return f"Your personal adviser{f' ({adviser_name})' if adviser_name else ''}" if to_them else (
                f"Personal adviser{f' ({adviser_name})' if adviser_name else ''}")
        return self.responsible_name or "Someone else"


class Contingency(db.Model):
    """What we will do if things go wrong, in one area."""

    __tablename__ = "plan_contingency"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("pathway_plan.id"), index=True)
    area: Mapped[PlanArea] = mapped_column(_enum(PlanArea))
    what_might_go_wrong: Mapped[str] = mapped_column(Text)
    what_we_will_do: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[PathwayPlan] = relationship(back_populates="contingencies")


class ReviewRequest(db.Model):
    """A young person asking for their plan to be reviewed."""

    __tablename__ = "review_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    resolved_by_plan_id: Mapped[int | None] = mapped_column(ForeignKey("pathway_plan.id"))
