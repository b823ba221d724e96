"""The passport to independence: when a document (a passport, a visa, a provisional licence) needs
renewing soon. Pure: ``today`` is passed in."""

from __future__ import annotations

from datetime import date

from pathway.rules.dates import add_months

EXPIRY_WARNING_MONTHS = 3


def expiry_state(expires_on: date | None, today: date) -> str | None:
    """"expired" once the expiry date has passed; "expires_soon" from today up to and including the
    same day 3 calendar months ahead (on 22 November 2026, 22 February 2027 is soon and 23 February is not); else None."""
    if expires_on is None:
        return None
    if expires_on < today:
        return "expired"
    if expires_on <= add_months(today, EXPIRY_WARNING_MONTHS):
        return "expires_soon"
    return None
