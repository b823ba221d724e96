"""Reading council settings (pathway.services.settings writes them)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import CouncilSetting


def get_settings_version(keys: Iterable[str]) -> int:
    """The version a settings page is loaded from: the sum of its settings' version counters (0 for a
    setting never saved). Every save of the page raises it, so a form opened before a save is stale."""
    return int(db.session.scalar(
        select(func.coalesce(func.sum(CouncilSetting.version), 0)).where(CouncilSetting.key.in_(tuple(keys)))) or 0)


def get_settings(keys: Iterable[str]) -> dict[str, str]:
    """The stored values of these keys (keys never set are left out). One query."""
    return dict(db.session.execute(
        select(CouncilSetting.key, CouncilSetting.value).where(CouncilSetting.key.in_(tuple(keys)))
    ).all())
