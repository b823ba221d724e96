"""Staff, teams, young people and who is allocated to whom."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathway.extensions import db
from pathway.models.types import UTCDateTime, utcnow


class Role(enum.Enum):
    ADVISER = "adviser"
    MANAGER = "manager"
    YOUNG_PERSON = "young_person"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            Role.ADVISER: "Personal adviser",
            Role.MANAGER: "Manager",
            Role.YOUNG_PERSON: "Young person",
            Role.ADMIN: "Administrator",
        }[self]


def _enum(cls):
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (Index("uq_user_email_lower", func.lower(text("email")), unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(_enum(Role))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Advisers belong to one team; managers manage teams through TeamManager.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    # The version counter of the user's team and managed teams (what the admin edits). Not a mapper
    # version_id_col: sign-in writes to this row too, and must not make an open admin form stale.
    teams_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_role_on: Mapped[date | None] = mapped_column(Date)

    team: Mapped[Team | None] = relationship(back_populates="advisers", foreign_keys=[team_id])
    managed_teams: Mapped[list[Team]] = relationship(
        secondary="team_manager", back_populates="managers", order_by="Team.name"
    )

    # Set at sign-in and by the user loader: the server-side session this request runs under.
    session_token = None  # str | None; not a column

    def get_id(self) -> str | None:  # Flask-Login stores the session token, not the user id
        return self.session_token

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.ADVISER, Role.MANAGER, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class Team(db.Model):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    advisers: Mapped[list[User]] = relationship(
        back_populates="team", foreign_keys=[User.team_id], order_by="User.name"
    )
    managers: Mapped[list[User]] = relationship(
        secondary="team_manager", back_populates="managed_teams", order_by="User.name"
    )


class TeamManager(db.Model):
    __tablename__ = "team_manager"

    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)


class YoungPerson(db.Model):
    __tablename__ = "young_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    pronouns: Mapped[str | None] = mapped_column(String(40))
    first_language: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    # "About me": the young person's own story, in their words. It stays with them when their PA changes.
    about_me: Mapped[str | None] = mapped_column(Text)
    about_me_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # About me's own version counter (only the young person writes it, so it is not ``version``:
    # their writing must not make an adviser's open edit of the details a conflict).
    about_me_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Facts the local offer depends on (issue 4). The postcode is where they live now; a PA can
    # override "lives in the council's area" with a reason (for example, placed just over the border).
    home_postcode: Mapped[str | None] = mapped_column(String(10))
    in_area_override: Mapped[bool | None] = mapped_column(Boolean)
    in_area_override_reason: Mapped[str | None] = mapped_column(Text)
    main_activity: Mapped[str | None] = mapped_column(String(4))  # SSDA903 activity code
    independent_move_on: Mapped[date | None] = mapped_column(Date)  # moved into a first independent home
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    allocations: Mapped[list[Allocation]] = relationship(
        back_populates="young_person", order_by="Allocation.start_date.desc(), Allocation.id.desc()"
    )

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def current_allocation(self) -> Allocation | None:
        return next((a for a in self.allocations if a.end_date is None), None)


class Allocation(db.Model):
    """A young person's personal adviser over a period. Exactly one is current (end_date null)."""

    __tablename__ = "allocation"
    __table_args__ = (
        # At most one current allocation per young person, enforced by the database.
        Index(
            "uq_allocation_current",
            "young_person_id",
            unique=True,
            sqlite_where=text("end_date IS NULL"),
            postgresql_where=text("end_date IS NULL"),
        ),
        Index("ix_allocation_adviser_current", "adviser_id", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(500))
    # A reallocation's handover note: the new adviser sees it first on the record (issue 6 section 3).
    handover_note: Mapped[str | None] = mapped_column(Text)
    allocated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    young_person: Mapped[YoungPerson] = relationship(back_populates="allocations")
    adviser: Mapped[User] = relationship(foreign_keys=[adviser_id])
    allocated_by: Mapped[User | None] = relationship(foreign_keys=[allocated_by_id])
