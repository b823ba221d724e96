"""Jinja filters: dates and ages the GOV.UK way ("5 January 2026")."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from markupsafe import Markup, escape

LONDON = ZoneInfo("Europe/London")


def govuk_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def govuk_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{local.day} {local:%B %Y} at {hour}{minutes}{suffix}"


def nl2br(value: str | None) -> Markup:
    """Escape text typed by a person and keep its line breaks (for values passed to GOV.UK macros)."""
    if not value:
        return Markup("")
    return Markup("<br>").join(escape(line) for line in str(value).splitlines())


def pounds(pence: int | None) -> str:
    """£3,000 or £12.50."""
    if pence is None:
        return ""
    pounds_, pennies = divmod(abs(pence), 100)
    sign = "-" if pence < 0 else ""
    return f"{sign}£{pounds_:,}" + (f".{pennies:02d}" if pennies else "")


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["nl2br"] = nl2br
    app.jinja_env.filters["pounds"] = pounds
    app.jinja_env.filters["govuk_date"] = govuk_date
    app.jinja_env.filters["govuk_datetime"] = govuk_datetime
