"""Council settings: what a council changes without a code change (its area, the supervision standard,
the care leaver return's information window). Stored as text in ``council_setting``; each caller
parses its own values and falls back to its default. Read them with pathway.queries.settings."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from pathway.extensions import db
from pathway.models import CouncilSetting, User
from pathway.models.types import utcnow
from pathway.queries.settings import get_settings_version
from pathway.services import audit


class SettingsConflict(Exception):
    """Someone else saved these settings after the form was loaded. Nothing was saved."""


def save_settings(values: Mapping[str, object], *, by: User, expected_version: int | None = None) -> None:
    """Store these values (as text), audited as one change by ``by``. Commits.

    ``expected_version``: what get_settings_version gave for these keys when the form was loaded (the
    admin pages always send it; None for scripts). If they were saved since, SettingsConflict and
    nothing is saved; a save racing this one fails on the version counters (or, for a first save,
    the primary key) instead of overwriting it.
    """
    if expected_version is not None and get_settings_version(values) != expected_version:
        raise SettingsConflict
    for key, value in values.items():
        setting = db.session.get(CouncilSetting, key)
        if setting is None:
            db.session.add(CouncilSetting(key=key, value=str(value), updated_by_id=by.id))
        else:
            setting.value, setting.updated_by_id, setting.updated_at = str(value), by.id, utcnow()
    audit.record("update", "council_setting", None, fields=list(values), user=by)
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise SettingsConflict from None
