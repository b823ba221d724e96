"""Reading council settings (pathway.services.settings writes them)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from pathway.extensions import db
from pathway.models import CouncilSetting


def get_settings(keys: Iterable[str]) -> dict[str, str]:
    """The stored values of these keys (keys never set are left out). One query."""
    return dict(db.session.execute(
        select(CouncilSetting.key, CouncilSetting.value).where(CouncilSetting.key.in_(tuple(keys)))
    ).all())
