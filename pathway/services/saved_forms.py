"""Nothing typed is lost to a time-out.

When a form is posted after the session has timed out, the app keeps what was typed
(for the user whose session it was, never the CSRF token), asks them to sign in again,
then takes them back to the same form filled in as they left it, to check and save.
"""

from __future__ import annotations

import json
from datetime import timedelta

from flask import current_app, request, session
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from pathway.extensions import db
from pathway.models import AuthSession, SavedForm, User
from pathway.models.types import utcnow
from pathway.services.tokens import hash_token

KEEP_FOR = timedelta(hours=24)


def restorable(view):
    """Mark a GET/POST form view whose unsent input is kept across a time-out."""
    view.restorable = True
    return view


def _ended_session() -> AuthSession | None:
    token = session.get("_user_id")
    if not token:
        return None
    return db.session.scalar(select(AuthSession).where(AuthSession.token_hash == hash_token(str(token))))


def session_timed_out() -> bool:
    """True when this browser's session ended because it timed out (not a sign-out)."""
    ended = _ended_session()
    return ended is not None and ended.end_reason == "timeout"


def keep_unsent_form() -> bool:
    """Called for a POST from a signed-out browser. True when the input was kept."""
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method != "POST" or not getattr(view, "restorable", False):
        return False
    ended = _ended_session()
    if ended is None or ended.end_reason != "timeout":
        return False
    data = {key: values for key, values in request.form.lists() if key != "csrf_token"}
    db.session.add(SavedForm(user_id=ended.user_id, path=request.path, form_data=json.dumps(data)))
    db.session.commit()
    return True


def pending_for(user: User) -> SavedForm | None:
    """The newest kept form this user has not gone back to."""
    return db.session.scalar(
        select(SavedForm)
        .where(SavedForm.user_id == user.id, SavedForm.restored_at.is_(None), SavedForm.created_at > utcnow() - KEEP_FOR)
        .order_by(SavedForm.id.desc())
    )


def restore_url(saved: SavedForm) -> str:
    return f"{saved.path}?restore={saved.id}"


def restored_formdata(user: User) -> MultiDict | None:
    """On a GET with ?restore=<id>: the kept input for this page and user, marked as restored."""
    if request.method != "GET":
        return None
    raw = request.args.get("restore", "")
    if not raw.isdigit():
        return None
    saved = db.session.scalar(
        select(SavedForm).where(SavedForm.id == int(raw), SavedForm.user_id == user.id, SavedForm.path == request.path)
    )
    if saved is None:
        return None
    if saved.restored_at is None:
        saved.restored_at = utcnow()
        db.session.commit()
    data = json.loads(saved.form_data)
    return MultiDict([(key, value) for key, values in data.items() for value in values])


def restore_kwargs(restored: MultiDict | None) -> dict:
    """Form constructor arguments: the kept input when restoring, otherwise the request as usual.

    (Passing formdata=None would make Flask-WTF ignore the POST body altogether.)
    """
    return {"formdata": restored} if restored is not None else {}
