"""Signing in and out, server-side sessions, invitations and password resets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from pathway.extensions import db
from pathway.models import AuthSession, OneTimeToken, Role, TokenPurpose, User
from pathway.models.types import utcnow
from pathway.services import audit
from pathway.services.email import external_url, send_email
from pathway.services.passwords import hash_password, needs_rehash, verify_password
from pathway.services.tokens import hash_token, new_token


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


@dataclass
class SignInResult:
    user: User | None
    token: str | None = None
    # The password was right, but a second step (two-factor) comes before a session is opened.
    pending: bool = False


def sign_in(email: str, password: str, *, user_agent: str | None = None,
            second_step: Callable[[User], bool] | None = None) -> SignInResult:
    """Check the password and open a server-side session. Commits.

    Unknown email, wrong password, locked or inactive account all return
    SignInResult(None) so the caller gives one response for all of them. When ``second_step(user)``
    is true no session is opened: SignInResult(user, pending=True).
    """
    config = current_app.config
    now = utcnow()
    user = find_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None:
        return SignInResult(None)
    if user.locked_until and user.locked_until > now:
        audit.record("sign_in_refused_locked", "user", user.id, user=user)
        db.session.commit()
        return SignInResult(None)
    if not ok or not user.active:
        user.failed_sign_ins = (user.failed_sign_ins or 0) + 1
        fields = ["failed_sign_ins"]
        if user.failed_sign_ins >= config["SIGNIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=config["SIGNIN_LOCK_MINUTES"])
            user.failed_sign_ins = 0
            fields.append("locked_until")
        audit.record("sign_in_failed", "user", user.id, user=user, fields=fields)
        db.session.commit()
        return SignInResult(None)
    user.failed_sign_ins = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if second_step is not None and second_step(user):
        audit.record("sign_in_password_accepted", "user", user.id, user=user)
        db.session.commit()
        return SignInResult(user, pending=True)
    token = open_session(user, user_agent=user_agent)
    audit.record("sign_in", "user", user.id, user=user)
    db.session.commit()
    return SignInResult(user, token)


def open_session(user: User, *, user_agent: str | None = None) -> str:
    token = new_token()
    db.session.add(
        AuthSession(token_hash=hash_token(token), user_id=user.id, user_agent=(user_agent or "")[:255])
    )
    user.session_token = token
    return token


def load_session_user(token: str) -> User | None:
    """The user behind a session cookie, or None when the session is unknown, revoked or timed out."""
    config = current_app.config
    auth_session = db.session.scalar(  # with its user: one query for every signed-in request
        select(AuthSession).options(joinedload(AuthSession.user)).where(AuthSession.token_hash == hash_token(token))
    )
    if auth_session is None or auth_session.revoked_at is not None:
        return None
    now = utcnow()
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=config["SESSION_ABSOLUTE_HOURS"])
    if now - auth_session.last_seen_at > idle or now - auth_session.created_at > absolute:
        auth_session.revoked_at = now
        auth_session.end_reason = "timeout"
        db.session.commit()
        return None
    user = auth_session.user
    if not user.active:
        return None
    # Keep the idle clock moving, without a write on every request.
    if now - auth_session.last_seen_at > timedelta(seconds=30):
        auth_session.last_seen_at = now
        db.session.commit()
    user.session_token = token
    return user


def sign_out(user: User) -> None:
    """Revoke this browser's session on the server. Commits."""
    if user.session_token:
        auth_session = db.session.scalar(
            select(AuthSession).where(AuthSession.token_hash == hash_token(user.session_token))
        )
        if auth_session and auth_session.revoked_at is None:
            auth_session.revoked_at = utcnow()
            auth_session.end_reason = "sign_out"
    audit.record("sign_out", "user", user.id, user=user)
    db.session.commit()


def revoke_all_sessions(user: User) -> None:
    now = utcnow()
    for auth_session in db.session.scalars(
        select(AuthSession).where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
    ):
        auth_session.revoked_at = now
        auth_session.end_reason = "revoked"


# Invitations and password resets share one mechanism: a single-use link.

def issue_link(user: User, purpose: TokenPurpose, *, created_by: User | None = None) -> str:
    """Create a single-use link for user, email it, and return the raw token. No commit."""
    token = new_token()
    days = current_app.config["INVITATION_DAYS"]
    if purpose is TokenPurpose.PASSWORD_RESET:
        days = 1
    db.session.add(
        OneTimeToken(
            token_hash=hash_token(token),
            user_id=user.id,
            purpose=purpose,
            created_by_id=created_by.id if created_by else None,
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    link = external_url("auth.set_password", token=token)
    council = current_app.config["COUNCIL_NAME"]
    service = current_app.config["SERVICE_NAME"]
    if purpose is TokenPurpose.INVITATION:
        who = "your personal adviser" if user.role is Role.YOUNG_PERSON else "an administrator"
        subject = f"You have been invited to {service}"
        body = (
            f"Hello {user.name},\n\n{who.capitalize()} at {council} has set up a {service} account for you.\n\n"
            f"Choose your password using this link. It works once and stops working in {days} days:\n\n"
            f"{link}\n\nIf you were not expecting this email, you can ignore it."
        )
    else:
        subject = f"Reset your {service} password"
        body = (
            f"Hello {user.name},\n\nSomeone asked to reset the password for your {service} account.\n\n"
            f"Choose a new password using this link. It works once and stops working in 24 hours:\n\n"
            f"{link}\n\nIf you did not ask for this, you can ignore this email: your password has not changed."
        )
    send_email(user.email, subject, body)
    audit.record(f"{purpose.value}_sent", "user", user.id, user=created_by or user)
    return token



class LinkProblem(Exception):
    """The link is unknown, used or expired. .reason is 'unknown', 'used' or 'expired'."""

    def __init__(self, reason: str, token: OneTimeToken | None = None):
        super().__init__(reason)
        self.reason = reason
        self.token = token


def check_link(raw_token: str) -> OneTimeToken:
    token = db.session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == hash_token(raw_token)))
    if token is None:
        raise LinkProblem("unknown")
    if token.used_at is not None:
        raise LinkProblem("used", token)
    if token.expires_at <= utcnow():
        raise LinkProblem("expired", token)
    if not token.user.active:
        raise LinkProblem("unknown")
    return token


def use_link(raw_token: str, password: str) -> User:
    """Set the password from a valid link, mark it used, end other sessions. Commits."""
    token = check_link(raw_token)
    user = token.user
    now = utcnow()
    token.used_at = now
    user.password_hash = hash_password(password)
    user.failed_sign_ins = 0
    user.locked_until = None
    revoke_all_sessions(user)
    # Other unused links for the same user stop working too.
    for other in db.session.scalars(
        select(OneTimeToken).where(OneTimeToken.user_id == user.id, OneTimeToken.used_at.is_(None))
    ):
        other.used_at = now
    audit.record("password_set", "user", user.id, user=user, fields=["password_hash"])
    db.session.commit()
    return user
