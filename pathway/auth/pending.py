"""The half-way state between a correct password and a correct code.

It lives in the signed session cookie with a short expiry and is not a signed-in session: Flask-Login
knows nothing of it, so every route that needs sign-in still sends the browser to the sign-in page.
Only the second-step pages read it.
"""

from __future__ import annotations

from datetime import timedelta

from flask import session

from pathway.extensions import db
from pathway.models import User
from pathway.models.types import utcnow

KEY = "two_factor_pending"
NEW_SECRET_KEY = "two_factor_new_secret"  # noqa: S105 - a session key's name # nosec B105
EXPIRES_AFTER = timedelta(minutes=10)


def start(user: User, next_url: str | None) -> None:
    session.clear()  # a fresh cookie: nothing from before the password survives
    session[KEY] = {"user": user.id, "at": int(utcnow().timestamp()), "next": next_url}


def pending_user() -> User | None:
    """The person part-way through signing in, or None (nothing pending, expired, or deactivated)."""
    state = session.get(KEY)
    if not isinstance(state, dict):
        return None
    started = state.get("at")
    if not isinstance(started, int) or utcnow().timestamp() - started > EXPIRES_AFTER.total_seconds():
        clear()
        return None
    user = db.session.get(User, state.get("user"))
    if user is None or not user.active:
        clear()
        return None
    return user


def next_url() -> str | None:
    state = session.get(KEY)
    return state.get("next") if isinstance(state, dict) else None


def expired() -> bool:
    """True when a pending state was there but has run out (to say so on the sign-in page)."""
    state = session.get(KEY)
    return isinstance(state, dict) and pending_user() is None


def clear() -> None:
    session.pop(KEY, None)
    session.pop(NEW_SECRET_KEY, None)
