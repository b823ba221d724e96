"""The append-only audit trail. A database trigger refuses UPDATE and DELETE (see migrations).

``user_id`` and ``young_person_id`` are plain numbers, not foreign keys (migration 0010_rights): the
trail must outlive the records it describes, so a young person's record can be deleted at the end
of its retention period while every event about it stays, unchanged.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathway.extensions import db
from pathway.models.people import User
from pathway.models.types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_young_person_at", "young_person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int | None]
    # Which young person's record this touches, so "who has looked at this record" is one query.
    young_person_id: Mapped[int | None] = mapped_column(Integer)
    changed_fields: Mapped[str | None] = mapped_column(Text)  # comma-separated field names, never values
    request_id: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User | None] = relationship(primaryjoin="foreign(AuditEvent.user_id) == User.id", viewonly=True)

    @property
    def changed_field_list(self) -> list[str]:
        return [f for f in (self.changed_fields or "").split(",") if f]
