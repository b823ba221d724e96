"""Council settings: what a council changes without a code change (its area, the supervision standard,
the care leaver return's information window). Stored as text in ``council_setting``; each caller
parses its own values and falls back to its default. Read them with pathway.queries.settings."""

from __future__ import annotations

from collections.abc import Mapping

from pathway.extensions import db
from pathway.models import CouncilSetting, User
from pathway.models.types import utcnow
from pathway.services import audit


def save_settings(values: Mapping[str, object], *, by: User) -> None:
    """Store these values (as text), audited as one change by ``by``. Commits."""
    for key, value in values.items():
        setting = db.session.get(CouncilSetting, key)
        if setting is None:
            db.session.add(CouncilSetting(key=key, value=str(value), updated_by_id=by.id))
        else:
            setting.value, setting.updated_by_id, setting.updated_at = str(value), by.id, utcnow()
    audit.record("update", "council_setting", None, fields=list(values), user=by)
    db.session.commit()
