"""Break-glass cover: a personal adviser opens a colleague's young person's record, with a reason.

A grant is tied to the allocation it was given under: it ends when it expires or when that young
person is reallocated, whichever comes first. Managers review every grant.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathway.extensions import db
from pathway.models.people import Allocation, Team, User, YoungPerson
from pathway.models.types import UTCDateTime, utcnow


class BreakGlassGrant(db.Model):
    __tablename__ = "break_glass_grant"
    __table_args__ = (
        # The access check: this adviser's grants under the young person's current allocation.
        Index("ix_break_glass_grant_adviser_allocation", "adviser_id", "allocation_id"),
        # The manager's review list: a team's grants, newest first.
        Index("ix_break_glass_grant_team_granted", "team_id", "granted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("allocation.id"))
    # The adviser's team when access was given: that team's managers review it.
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    reason: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    adviser: Mapped[User] = relationship(foreign_keys=[adviser_id])
    young_person: Mapped[YoungPerson] = relationship()
    allocation: Mapped[Allocation] = relationship()
    team: Mapped[Team] = relationship()
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
