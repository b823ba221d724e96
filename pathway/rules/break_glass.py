"""Break-glass cover rules: how long cover access lasts and whether it is current. No Flask, no database."""

from __future__ import annotations

from datetime import datetime, timedelta

DEFAULT_HOURS = 24
REVIEW_WINDOW_DAYS = 30
REASON_MAX_LENGTH = 1000


def expires_at(granted_at: datetime, hours: int = DEFAULT_HOURS) -> datetime:
    """When cover access given at ``granted_at`` ends."""
    if hours < 1:
        raise ValueError("cover access lasts at least an hour")
    return granted_at + timedelta(hours=hours)


def is_current(granted_at: datetime, expires: datetime, now: datetime, *, allocation_ended: bool = False) -> bool:
    """Cover access is current from the moment it is given until (not including) it expires,
    and only while the allocation it was given under is still in force."""
    return not allocation_ended and granted_at <= now < expires


def review_window_start(now: datetime, days: int = REVIEW_WINDOW_DAYS) -> datetime:
    """Managers see the grants given since this time."""
    return now - timedelta(days=days)


def clean_reason(text: str | None) -> str:
    """The reason as stored: surrounding space removed, inner runs of blank lines kept."""
    return (text or "").strip()
