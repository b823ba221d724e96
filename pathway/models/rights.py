"""The register of records deleted at the end of their retention period (issue 8 section 8)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathway.extensions import db
from pathway.models.people import User
from pathway.models.types import UTCDateTime, utcnow


class RecordDeletion(db.Model):
    """One young person's record deleted after their 75th birthday: what went, when, who decided and why.

    Holds no personal data about the young person: their record number is a plain number (the
    record it named is gone), with the date the retention period ended and how many rows went from
    which tables. The reason is what the person deleting typed (the form asks for no names).
    """

    __tablename__ = "record_deletion"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(Integer, index=True)  # no foreign key: the record is gone
    kept_until: Mapped[date] = mapped_column(Date)
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # None: from the command line
    reason: Mapped[str] = mapped_column(Text)
    rows_deleted: Mapped[int] = mapped_column(Integer)
    tables: Mapped[str] = mapped_column(Text)  # "table:count" pairs, comma-separated; never values

    deleted_by: Mapped[User | None] = relationship()
