"""Management oversight (issue 6 section 4): notes on a record, and each adviser's supervision.

Nothing here is edited or deleted once written: a correction is a new note.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathway.extensions import db
from pathway.models.people import User
from pathway.models.types import UTCDateTime, utcnow


class OversightKind(enum.Enum):
    SUPERVISION = "supervision"
    CASE_DIRECTION = "case_direction"
    AUDIT = "audit"

    @property
    def label(self) -> str:
        return {
            OversightKind.SUPERVISION: "Supervision discussion",
            OversightKind.CASE_DIRECTION: "Case direction",
            OversightKind.AUDIT: "Case audit",
        }[self]


class OversightNote(db.Model):
    """A manager's note on a young person's record, dated and attributed."""

    __tablename__ = "oversight_note"
    __table_args__ = (Index("ix_oversight_note_person_date", "young_person_id", "noted_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"))
    kind: Mapped[str] = mapped_column(String(20))  # OversightKind value
    noted_on: Mapped[date] = mapped_column(Date)  # the date of the discussion, direction or audit
    note: Mapped[str] = mapped_column(Text)
    # The personal adviser allocated when the note was written (a supervision discussion supervises them).
    adviser_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    by: Mapped[User] = relationship(foreign_keys=[by_id])
    adviser: Mapped[User | None] = relationship(foreign_keys=[adviser_id])


class Supervision(db.Model):
    """A supervision session between a manager and a personal adviser."""

    __tablename__ = "supervision"
    __table_args__ = (Index("ix_supervision_adviser_date", "adviser_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    held_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    adviser: Mapped[User] = relationship(foreign_keys=[adviser_id])
    by: Mapped[User] = relationship(foreign_keys=[by_id])


class FlagCache(db.Model):
    """Each young person's open flags and next due dates, as computed for one day.

    Derived data, never case data: pathway.services.flag_cache writes it and bumps ``history_version``
    whenever anything the flags are computed from changes (a session listener), so a row is used only
    when ``computed_version == history_version`` and ``computed_for`` is today.
    """

    __tablename__ = "flag_cache"

    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), primary_key=True)
    history_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    computed_version: Mapped[int | None] = mapped_column(Integer)
    computed_for: Mapped[date | None] = mapped_column(Date)
    payload: Mapped[str | None] = mapped_column(Text)
