"""Saving safely when two people, two tabs or two taps act at once (issue 8 section 6).

Two tools, shared by every form that needs them:

- **Version counters** (optimistic concurrency). An edit form carries the version of the row it was
  loaded from in a hidden ``version`` field (``VersionedForm``). The save names that version; if the row
  has moved on, nothing is written and the view answers 409 with the conflict page
  (``conflict_page``): what is saved now next to what this user typed, so nothing is lost.
  Rows with ``version_id_col`` also get ``UPDATE ... WHERE version = :expected`` from SQLAlchemy, so a
  save racing another between the check and the commit fails with StaleDataError instead of
  overwriting it.
- **Form tokens** (idempotency keys). A form that creates a row (a visit, a claim, a question, a
  request for help) carries a random hidden ``form_token``, stored on the row under a unique
  constraint. Posting the same form again (a double tap, the back button, a retry after a time-out)
  finds the row already saved and says so instead of saving it twice (``AlreadySaved``).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from flask import render_template
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField

from pathway.extensions import db

CONFLICT_TITLE = "Someone else changed this while you were editing"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


# --- version counters -----------------------------------------------------------------------------

def parse_version(raw: str | None) -> int | None:
    """The version a form was loaded from; None if it is missing or not a small whole number."""
    value = (raw or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


class VersionedForm:
    """Mixin for a FlaskForm: a hidden ``version``, the version of the row the form was loaded from."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        """The version posted with the form. Only what was posted counts: a form built with ``obj=row``
        would otherwise fill a missing field from the row itself, and a form that lost its version
        would overwrite blindly."""
        raw = self.version.raw_data
        return parse_version(raw[0] if raw else None)

    def set_version(self, version: int) -> None:
        self.version.data = str(version)
        self.version.raw_data = [str(version)]


def differences(theirs: dict[str, str], yours: dict[str, str]) -> list[tuple[str, str, str]]:
    """(label, saved now, yours) for each answer that differs, in the order of ``theirs``."""
    return [(label, theirs[label], yours.get(label, "")) for label in theirs if theirs[label] != yours.get(label, "")]


def conflict_page(template: str, *, theirs: dict[str, str], yours: dict[str, str], cancel_url: str,
                  title: str = CONFLICT_TITLE, **context):
    """The 409 answer to a stale save: ``template`` (the edit page) with ``conflict`` rows.

    The template includes ``components/conflict_changes.html`` when ``conflict`` is not None; the form
    below it keeps what the user typed and carries the version saved now, so saving again is a choice.
    """
    return render_template(template, conflict=differences(theirs, yours), cancel_url=cancel_url, title=title,
                           **context), 409


# --- form tokens ----------------------------------------------------------------------------------

def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class FormTokenForm:
    """Mixin for a FlaskForm that creates a row: a hidden random ``form_token`` issued with the form."""

    form_token = HiddenField(default=new_form_token)

    def submitted_token(self) -> str | None:
        """The token posted with the form, if it looks like one we issued (else None: no de-duplication)."""
        value = self.form_token.data or ""
        return value if _TOKEN.fullmatch(value) else None


class AlreadySaved(Exception):
    """This form was already saved once: ``row`` is what it saved. Nothing new was written."""

    def __init__(self, row):
        super().__init__("already saved")
        self.row = row


def check_not_saved(model, token: str | None) -> None:
    """Raise AlreadySaved if a row of ``model`` was already saved with this form token."""
    if token is None:
        return
    row = db.session.scalar(select(model).where(model.form_token == token))
    if row is not None:
        raise AlreadySaved(row)


def flush_once(model, token: str | None) -> None:
    """Flush a new row that carries ``token``. If the same form was saved at the same moment by
    another request (the unique constraint refuses the second), roll back and raise AlreadySaved."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        check_not_saved(model, token)
        raise


def models_with_version_counter() -> Iterable[type]:
    """Every mapped class whose rows carry a version counter (for the tests that check coverage)."""
    for mapper in db.Model.registry.mappers:
        if mapper.version_id_col is not None:
            yield mapper.class_
