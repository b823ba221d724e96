"""Server-side sessions and single-use tokens (invitations and password resets)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathway.extensions import db
from pathway.models.people import User
from pathway.models.types import UTCDateTime, utcnow


class AuthSession(db.Model):
    """One signed-in browser. The cookie carries the token; we keep only its hash."""

    __tablename__ = "auth_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Why it ended: "timeout", "sign_out" or "revoked" (password change, deactivation).
    end_reason: Mapped[str | None] = mapped_column(String(20))
    user_agent: Mapped[str | None] = mapped_column(String(255))

    user: Mapped[User] = relationship()


class TokenPurpose(enum.Enum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose, not a password # nosec B105


class OneTimeToken(db.Model):
    """A single-use link: 256 random bits in the email, their SHA-256 here."""

    __tablename__ = "one_time_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(
        Enum(TokenPurpose, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class TwoFactor(db.Model):
    """A staff member's authenticator app (TOTP). The secret is stored encrypted with a key derived
    from SECRET_KEY (pathway.services.two_factor), and never shown again once set up."""

    __tablename__ = "two_factor"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    # The encrypted secret of the app in use. (One being set up waits, encrypted, in the browser's
    # signed session until a code confirms it.)
    secret: Mapped[str | None] = mapped_column(String(255))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The 30-second step of the last code accepted: that code, and any earlier one, is refused.
    last_used_step: Mapped[int | None] = mapped_column(Integer)
    # Wrong codes (from the app or recovery codes) in a row; MAX_FAILURES locks the second step.
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()

    @property
    def enabled(self) -> bool:
        return self.secret is not None and self.confirmed_at is not None


class RecoveryCode(db.Model):
    """A single-use recovery code, for when the phone is lost. Only a keyed hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
