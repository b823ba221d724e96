"""Accommodation moves, contacts and visits, help requests, and flags raised or closed by hand (issue 5).

Automatic risk flags are not stored: pathway.rules.flags computes them from this history and today,
so they are right on any date. What people do to a flag (raise one by hand, close one with a reason)
is stored, keyed by the flag's stable key.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathway.extensions import db
from pathway.models.people import User
from pathway.models.types import UTCDateTime, utcnow


class AccommodationMove(db.Model):
    """A move into accommodation. The latest is where they live now; the rest is the timeline."""

    __tablename__ = "accommodation_move"
    __table_args__ = (Index("ix_accommodation_move_person_date", "young_person_id", "move_in"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"))
    move_in: Mapped[date] = mapped_column(Date)
    code: Mapped[str] = mapped_column(String(2))  # SSDA903 type letter + suitability suffix, e.g. "U1"
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(10))
    provider: Mapped[str | None] = mapped_column(String(200))
    registered_provider: Mapped[bool | None] = mapped_column(Boolean)  # asked for 16-17 in supported accommodation
    # Schedule 2 suitability factors: "yes" / "no" / empty for each, with notes.
    safety: Mapped[bool | None] = mapped_column(Boolean)
    state_of_repair: Mapped[bool | None] = mapped_column(Boolean)
    facilities: Mapped[bool | None] = mapped_column(Boolean)
    location: Mapped[bool | None] = mapped_column(Boolean)
    support: Mapped[bool | None] = mapped_column(Boolean)
    tenancy: Mapped[bool | None] = mapped_column(Boolean)
    affordability: Mapped[bool | None] = mapped_column(Boolean)
    young_persons_view: Mapped[bool | None] = mapped_column(Boolean)
    suitability_notes: Mapped[str | None] = mapped_column(Text)
    suitable: Mapped[bool | None] = mapped_column(Boolean)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Contact(db.Model):
    """A contact or visit, or an attempt that did not reach the young person."""

    __tablename__ = "contact"
    __table_args__ = (Index("ix_contact_person_at", "young_person_id", "contact_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"))
    contact_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(20))  # pathway.rules.contacts.ContactKind
    reached: Mapped[bool] = mapped_column(Boolean, default=True)
    with_whom: Mapped[str | None] = mapped_column(String(200))
    seen_alone: Mapped[bool | None] = mapped_column(Boolean)
    accommodation_seen: Mapped[bool | None] = mapped_column(Boolean)
    # For visits: the required focus on risk, need and vulnerability.
    home_safe_and_suitable: Mapped[bool | None] = mapped_column(Boolean)
    new_risks: Mapped[str | None] = mapped_column(String(200))  # comma-separated: exploitation, missing, debt...
    risk_notes: Mapped[str | None] = mapped_column(Text)
    wellbeing: Mapped[str | None] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)
    young_persons_view: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    in_touch: Mapped[str | None] = mapped_column(String(4))  # SSDA903 in touch after this contact
    activity: Mapped[str | None] = mapped_column(String(4))  # SSDA903 main activity after this contact
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The hidden token of the form that saved this row: the same form posted twice saves one row.
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)

    recorded_by: Mapped[User | None] = relationship()


class HelpRequest(db.Model):
    """ "I need help" from the young person's phone."""

    __tablename__ = "help_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    topic: Mapped[str] = mapped_column(String(20))  # money, housing, unsafe, health, other
    unsafe: Mapped[bool] = mapped_column(Boolean, default=False)
    how_to_reach: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The hidden token of the form that saved this row: the same form posted twice saves one row.
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)


class FlagAction(db.Model):
    """A flag raised by hand, or any flag closed by hand, with the reason. Never deleted."""

    __tablename__ = "flag_action"
    __table_args__ = (Index("ix_flag_action_person", "young_person_id", "flag_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"))
    flag_key: Mapped[str] = mapped_column(String(120))  # rules.flags Flag.key, or "manual:<id>" for a raised one
    action: Mapped[str] = mapped_column(String(10))  # "raise" or "close"
    title: Mapped[str | None] = mapped_column(String(200))  # for a raised flag
    due: Mapped[date | None] = mapped_column(Date)  # for a raised flag
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReminderSent(db.Model):
    """One digest per adviser per day at most (flask pathway send-reminders)."""

    __tablename__ = "reminder_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    sent_on: Mapped[date] = mapped_column(Date)
    flag_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("uq_reminder_sent_adviser_day", "adviser_id", "sent_on", unique=True),)
