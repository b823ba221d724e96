"""The manager's indicators (issue 6 section 2): each indicator on a chosen date, its last 12 months,
and the young people behind it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, request
from flask_login import current_user

from pathway.access import roles_required
from pathway.manager import bp
from pathway.models import Role
from pathway.rules.indicators import COHORT_DEFINITION, KEYS, LABELS, SERIES_MONTHS, format_value
from pathway.services.indicators import TeamNotManaged, indicator_report, managed_teams, record_indicator_view
from pathway.services.page_cache import cached_page, versions_for_managed_teams
from pathway.views.charts import line_chart_svg
from pathway.views.render import render_page_or_fragment

EARLIEST = date(2000, 1, 1)
PARTS = ("day", "month", "year")


@dataclass
class DateChoice:
    """The date asked for with ?on-day=&on-month=&on-year= (a GOV.UK date input in a GET form)."""

    day: str = ""
    month: str = ""
    year: str = ""
    on: date | None = None
    error: str | None = None
    error_parts: tuple[str, ...] = ()

    @property
    def errors(self) -> dict[str, list[str]]:  # base.html puts "Error: " in the title when there are any
        return {"on": [self.error]} if self.error else {}

    @property
    def first_error_part(self) -> str:
        return self.error_parts[0] if self.error_parts else "day"


def parse_date_choice(args, today: date) -> DateChoice:
    """Read the date from the query string: none given means today; otherwise a real date from
    1 January 2000 to today, or an error message in GOV.UK style naming the boxes at fault."""
    values = {part: (args.get(f"on-{part}") or "").strip()[:10] for part in PARTS}
    choice = DateChoice(**values)
    if not any(values.values()):
        return DateChoice(str(today.day), str(today.month), str(today.year), on=today)
    missing = tuple(part for part in PARTS if not values[part])
    if missing:
        choice.error, choice.error_parts = f"The date must include a {' and '.join(missing)}", missing
        return choice
    if not all(values[p].isdigit() for p in PARTS) or len(values["year"]) != 4:
        choice.error, choice.error_parts = "The date must be a real date", PARTS
        return choice
    try:
        on = date(int(values["year"]), int(values["month"]), int(values["day"]))
    except ValueError:
        choice.error, choice.error_parts = "The date must be a real date", PARTS
        return choice
    if on > today:
        choice.error, choice.error_parts = "The date must be today or in the past", PARTS
    elif on < EARLIEST:
        choice.error, choice.error_parts = "The date must be on or after 1 January 2000", PARTS
    else:
        choice.on = on
    return choice


def team_id_arg() -> int | None:
    raw = (request.args.get("team") or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        abort(404)
    return int(raw)


def date_query(on: date, team_id: int | None) -> dict[str, object]:
    """The query string that asks for the same date and team (for links)."""
    query: dict[str, object] = {"on-day": on.day, "on-month": on.month, "on-year": on.year}
    if team_id is not None:
        query["team"] = team_id
    return query


def _load(template: str, fragment: str, key: str | None = None):
    today = date.today()
    team_id = team_id_arg()
    choice = parse_date_choice(request.args, today)
    context = {"choice": choice, "form": choice, "team_id": team_id, "today": today, "chart": line_chart_svg,
               "format_indicator": format_value, "cohort_definition": COHORT_DEFINITION}
    if key is not None:
        context.update(key=key, label=LABELS[key])
    title = "Indicators" if key is None else LABELS[key]
    if choice.on is None:
        teams = managed_teams(current_user)
        if team_id is not None and team_id not in {t.id for t in teams}:
            abort(404)
        return render_page_or_fragment(template, fragment, title=title, teams=teams, report=None, **context), 400, None

    def render() -> tuple[str, None]:
        try:
            report = indicator_report(current_user, choice.on, team_id, months=1 if key else SERIES_MONTHS)
        except TeamNotManaged:
            abort(404)
        context.update(report=report, teams=report.teams, query=date_query(choice.on, team_id))
        if key is not None:
            result = report.get(key)
            context.update(result=result, met=report.people_for(result.numerator_ids),
                           not_met=report.people_for(result.not_met_ids))
        return render_page_or_fragment(template, fragment, title=title, **context), None

    # Worked out from the history of everyone ever in the manager's teams: kept until any of it changes.
    page, _ = cached_page((today, versions_for_managed_teams(current_user.id)), render)
    return page, 200, True


@bp.route("/manager/indicators")
@roles_required(Role.MANAGER)
def indicators():
    """Every indicator for the manager's teams on a date (default today), each with its last 12 months."""
    page, status, _ = _load("manager/indicators.html", "manager/_indicators.html")
    return page, status


@bp.route("/manager/indicators/<key>")
@roles_required(Role.MANAGER)
def indicator_people(key: str):
    """The young people behind one indicator: those it counts as met and not met, with their adviser."""
    if key not in KEYS:
        abort(404)
    page, status, shown = _load("manager/indicator_people.html", "manager/_indicator_people.html", key)
    if shown:  # audited after rendering, as the record page is
        record_indicator_view(current_user, key)
    return page, status
