"""The service summary (issue 6 section 6): a PDF for a corporate parenting board or an inspector.

On a chosen date: every indicator with its numerator, denominator, definition and 12-month chart, and the
flags that were overdue on that date, by personal adviser. The young people are those the indicators
count on that date (allocated then to an adviser in the manager's teams). Flags are worked out from the
history as it stood on that date (pathway.rules.flags), so a past date shows what was overdue then.

Young people appear by record number unless the manager asks for names (an inspector may need them; a
board does not). Naming them is audited against each young person named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import User, YoungPerson
from pathway.pdf import render_pdf
from pathway.queries.flags import load_histories
from pathway.rules.indicators import format_value
from pathway.services import audit
from pathway.services.flags import ShownFlag, flags_for
from pathway.services.indicators import IndicatorReport, indicator_report
from pathway.views.charts import line_chart_svg

TEMPLATE = "pdf/service_summary.html"


@dataclass(frozen=True)
class OverdueLine:
    person_id: int
    person_name: str
    flag: ShownFlag
    days_overdue: int


@dataclass
class AdviserOverdue:
    adviser_name: str
    lines: list[OverdueLine] = field(default_factory=list)


@dataclass
class ServiceSummary:
    report: IndicatorReport
    overdue: list[AdviserOverdue]
    names: bool
    produced_by: User
    produced_at: datetime

    @property
    def overdue_count(self) -> int:
        return sum(len(group.lines) for group in self.overdue)

    @property
    def people_named(self) -> list[int]:
        return sorted({line.person_id for group in self.overdue for line in group.lines}) if self.names else []


def overdue_on(report: IndicatorReport, on: date) -> list[AdviserOverdue]:
    """The flags overdue on ``on`` for the young people the report counts, most overdue first, by adviser.

    Six queries, however many young people."""
    ids = sorted(report.people)
    if not ids:
        return []
    people = list(db.session.scalars(select(YoungPerson).where(YoungPerson.id.in_(ids))))
    groups: dict[str, AdviserOverdue] = {}
    for history in load_histories([(person, None) for person in people]):
        who = report.people[history.person.id]
        for flag in flags_for(history, on):
            late = flag.days_overdue(on)
            if flag.is_open and late > 0:
                adviser = who.adviser_name or "No personal adviser"
                groups.setdefault(adviser, AdviserOverdue(adviser)).lines.append(
                    OverdueLine(history.person.id, who.name, flag, late))
    for group in groups.values():
        group.lines.sort(key=lambda line: (-line.days_overdue, line.person_id))
    return sorted(groups.values(), key=lambda g: (-len(g.lines), g.adviser_name.casefold()))


def build_summary(manager: User, on: date, *, team_id: int | None, names: bool, now: datetime) -> ServiceSummary:
    """Raises pathway.services.indicators.TeamNotManaged for a team the manager does not manage."""
    report = indicator_report(manager, on, team_id)
    return ServiceSummary(report=report, overdue=overdue_on(report, on), names=names, produced_by=manager,
                          produced_at=now)


def summary_html(summary: ServiceSummary) -> str:
    # Rendered from the Jinja environment (no request context leaks in); autoescaped, so names render as text.
    return current_app.jinja_env.get_template(TEMPLATE).render(
        summary=summary, report=summary.report, chart=line_chart_svg, format_value=format_value,
        council_name=current_app.config["COUNCIL_NAME"], service_name=current_app.config["SERVICE_NAME"],
    )


def summary_pdf(summary: ServiceSummary) -> bytes:
    """The summary as PDF/UA-1 bytes. Audits the download (and each young person named), and commits."""
    pdf = render_pdf(summary_html(summary))
    audit.record("download_pdf", "service_summary", None, fields=["on", "team", "names"], user=summary.produced_by)
    audit.record_many("download_pdf", "service_summary", summary.people_named, fields=["name", "flags"],
                      user=summary.produced_by)
    db.session.commit()
    return pdf
