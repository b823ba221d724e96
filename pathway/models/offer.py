"""The local offer: entitlements (with the history of their terms), claims, payments, questions, My money."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathway.extensions import db
from pathway.models.people import User, YoungPerson
from pathway.models.types import UTCDateTime, utcnow


def _enum(cls, length: int = 20):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class CouncilSetting(db.Model):
    """A setting a council changes without a code change (for example its postcode districts)."""

    __tablename__ = "council_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class Scope(enum.Enum):
    NATIONAL = "national"
    LOCAL = "local"


class Frequency(enum.Enum):
    ONE_OFF = "one_off"
    YEARLY = "yearly"
    PER_CLAIM = "per_claim"

    @property
    def label(self) -> str:
        return {"one_off": "One-off", "yearly": "Each year", "per_claim": "Each time you claim"}[self.value]


class Entitlement(db.Model):
    """An entitlement's identity. Its terms live in versions, so past awards keep the terms that applied."""

    __tablename__ = "entitlement"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("entitlement_version.id", use_alter=True, name="fk_entitlement_current_version"))

    current: Mapped[EntitlementVersion | None] = relationship(foreign_keys=[current_version_id], post_update=True)


class EntitlementVersion(db.Model):
    """The terms of an entitlement from a date. Never edited: a change makes a new version."""

    __tablename__ = "entitlement_version"
    __table_args__ = (UniqueConstraint("entitlement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entitlement_id: Mapped[int] = mapped_column(ForeignKey("entitlement.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    scope: Mapped[Scope] = mapped_column(_enum(Scope))
    amount_pence: Mapped[int | None] = mapped_column(Integer)  # None = varies
    cap_pence: Mapped[int | None] = mapped_column(Integer)  # most that can be claimed in all; None = no cap
    frequency: Mapped[Frequency] = mapped_column(_enum(Frequency))
    how_to_claim: Mapped[str] = mapped_column(Text)
    # Conditions (pathway.rules.offer.Conditions).
    age_from: Mapped[int | None] = mapped_column(Integer)
    age_under: Mapped[int | None] = mapped_column(Integer)
    categories: Mapped[str | None] = mapped_column(String(200))  # comma-separated Category values; empty = any
    in_area_only: Mapped[bool] = mapped_column(Boolean, default=False)
    activities: Mapped[str | None] = mapped_column(String(100))  # comma-separated SSDA903 activity codes
    needs_independent_move: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_pa_decision: Mapped[bool] = mapped_column(Boolean, default=False)
    age_on_reference: Mapped[str | None] = mapped_column(String(5))  # "08-31": age counted on the last 31 August
    min_continuous_care_days: Mapped[int | None] = mapped_column(Integer)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    entitlement: Mapped[Entitlement] = relationship(foreign_keys=[entitlement_id])


class ClaimStatus(enum.Enum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {"requested": "Asked for", "approved": "Approved", "declined": "Not approved"}[self.value]


class Claim(db.Model):
    __tablename__ = "claim"
    __table_args__ = (Index("ix_claim_person_entitlement", "young_person_id", "entitlement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"))
    entitlement_id: Mapped[int] = mapped_column(ForeignKey("entitlement.id"), index=True)
    entitlement_version_id: Mapped[int] = mapped_column(ForeignKey("entitlement_version.id"))
    status: Mapped[ClaimStatus] = mapped_column(_enum(ClaimStatus), default=ClaimStatus.REQUESTED)
    requested_on: Mapped[date] = mapped_column(Date)
    request_note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_pence: Mapped[int | None] = mapped_column(Integer)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The hidden token of the form that saved this row: the same form posted twice saves one row.
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    terms: Mapped[EntitlementVersion] = relationship(foreign_keys=[entitlement_version_id])
    payments: Mapped[list[Payment]] = relationship(back_populates="claim", order_by="Payment.paid_on, Payment.id")


class Payment(db.Model):
    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount_pence: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="payments")


class OfferQuestion(db.Model):
    """ "Ask about this": a young person's question about one entitlement, for their PA."""

    __tablename__ = "offer_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    entitlement_id: Mapped[int] = mapped_column(ForeignKey("entitlement.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The hidden token of the form that saved this row: the same form posted twice saves one row.
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)

    entitlement: Mapped[Entitlement] = relationship()
    young_person: Mapped[YoungPerson] = relationship()
    answered_by: Mapped[User | None] = relationship()


class MoneyPeriod(enum.Enum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class MoneyPlan(db.Model):
    """My money: a young person's income and costs, in pence per period."""

    __tablename__ = "money_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), unique=True)
    period: Mapped[MoneyPeriod] = mapped_column(_enum(MoneyPeriod), default=MoneyPeriod.WEEKLY)
    wages: Mapped[int] = mapped_column(Integer, default=0)
    universal_credit: Mapped[int] = mapped_column(Integer, default=0)
    bursaries: Mapped[int] = mapped_column(Integer, default=0)
    other_income: Mapped[int] = mapped_column(Integer, default=0)
    rent: Mapped[int] = mapped_column(Integer, default=0)
    energy: Mapped[int] = mapped_column(Integer, default=0)
    food: Mapped[int] = mapped_column(Integer, default=0)
    phone: Mapped[int] = mapped_column(Integer, default=0)
    travel: Mapped[int] = mapped_column(Integer, default=0)
    debts: Mapped[int] = mapped_column(Integer, default=0)
    other_costs: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    INCOME = ("wages", "universal_credit", "bursaries", "other_income")
    COSTS = ("rent", "energy", "food", "phone", "travel", "debts", "other_costs")
