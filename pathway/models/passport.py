"""The passport to independence: a council-edited list of skills and documents, and each young
person's answers to it. Answers are append-only: a new answer never overwrites the old one, so
progress over time can be shown. The current answer for an item is the newest row.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathway.extensions import db
from pathway.models.people import User
from pathway.models.types import UTCDateTime, utcnow


def _enum(cls, length: int = 30):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class PassportGroup(enum.Enum):
    MONEY = "money"
    DOCUMENTS = "documents"
    HOME = "home"
    HEALTH = "health"
    WORK_LEARNING = "work_learning"
    RELATIONSHIPS_SAFETY = "relationships_safety"
    CIVIC = "civic"

    @property
    def label(self) -> str:
        return {"money": "Money", "documents": "Documents", "home": "Home", "health": "Health",
                "work_learning": "Work and learning", "relationships_safety": "Relationships and safety",
                "civic": "Civic life"}[self.value]


class PassportStatus(enum.Enum):
    NOT_STARTED = "not_started"
    LEARNING = "learning"
    CAN_DO = "can_do"
    NOT_RELEVANT = "not_relevant"

    @property
    def label(self) -> str:
        return {"not_started": "Not started", "learning": "Learning", "can_do": "I can do this",
                "not_relevant": "Not relevant to me"}[self.value]

    @property
    def staff_label(self) -> str:
        return {"not_started": "Not started", "learning": "Learning", "can_do": "Can do it",
                "not_relevant": "Not relevant to them"}[self.value]

    @property
    def is_done(self) -> bool:
        return self in (PassportStatus.CAN_DO, PassportStatus.NOT_RELEVANT)


class AnsweredBy(enum.Enum):
    YOUNG_PERSON = "young_person"
    ADVISER = "adviser"


class PassportItem(db.Model):
    """One skill or document on the council's list. Retired (active=False) rather than deleted."""

    __tablename__ = "passport_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    group: Mapped[PassportGroup] = mapped_column(_enum(PassportGroup), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    is_document: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class PassportAnswer(db.Model):
    """One answer about one item for one young person. Never updated: the newest row is current."""

    __tablename__ = "passport_answer"
    __table_args__ = (Index("ix_passport_answer_person_item_created", "young_person_id", "item_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("passport_item.id"), index=True)
    status: Mapped[PassportStatus] = mapped_column(_enum(PassportStatus))
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    by_role: Mapped[AnsweredBy] = mapped_column(_enum(AnsweredBy, 20))
    # True when the personal adviser set the answer or confirmed the young person's.
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    # Documents only: do they have it, where is it kept, when does it expire.
    held: Mapped[bool | None] = mapped_column(Boolean)
    where_kept: Mapped[str | None] = mapped_column(String(200))
    expires_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[PassportItem] = relationship()
    answered_by: Mapped[User] = relationship()
