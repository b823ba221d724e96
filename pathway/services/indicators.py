"""The manager's indicators report: for the manager's teams (or one of them) on a date.

Template-agnostic: the indicators page and the PDF service summary both build on ``indicator_report``.
The definitions are in pathway.rules.indicators.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from pathway.extensions import db
from pathway.models import Team, TeamManager, User
from pathway.queries.indicators import list_advisers, load_people_facts
from pathway.rules import indicators as rules
from pathway.services import audit


class TeamNotManaged(LookupError):
    """The team asked for does not exist or is not one the manager manages (pages answer 404)."""


@dataclass(frozen=True)
class IndicatorPerson:
    """A young person behind the indicators, with their adviser on the date."""

    id: int
    name: str
    adviser_id: int | None
    adviser_name: str | None
    adviser_active: bool | None


@dataclass
class IndicatorReport:
    """Every indicator on ``on`` for ``teams`` (all the manager's teams) or ``team`` (one of them, when chosen).

    ``indicators`` are ``rules.IndicatorResult`` in the order of ``rules.KEYS``, each with ``series``
    (12 monthly points, oldest first, the last on ``on``). ``people`` names everyone the indicators
    count (by id), for the lists behind them.
    """

    on: date
    teams: list[Team]
    team: Team | None
    indicators: list[rules.IndicatorResult]
    people: dict[int, IndicatorPerson] = field(default_factory=dict)
    cohort_definition: str = rules.COHORT_DEFINITION

    def get(self, key: str) -> rules.IndicatorResult | None:
        return next((result for result in self.indicators if result.key == key), None)

    def people_for(self, ids) -> list[IndicatorPerson]:
        """These young people, in the order given (by name), skipping any unknown id."""
        return [self.people[i] for i in ids if i in self.people]


def managed_teams(manager: User) -> list[Team]:
    """The teams this manager manages, by name. One query."""
    return list(db.session.scalars(
        select(Team).join(TeamManager, TeamManager.team_id == Team.id)
        .where(TeamManager.user_id == manager.id).order_by(Team.name)
    ))


def indicator_report(manager: User, on: date, team_id: int | None = None, *,
                     months: int = rules.SERIES_MONTHS) -> IndicatorReport:
    """The indicators for the manager's teams on ``on`` (or for one team, ``team_id``). Nine queries.

    Each indicator's ``series`` has ``months`` monthly points (default 12), the last on ``on``; pass
    ``months=1`` when only the figures on ``on`` are wanted (less to load and work out).
    Raises ``TeamNotManaged`` if ``team_id`` is not a team the manager manages.
    """
    teams = managed_teams(manager)
    team = None
    if team_id is not None:
        team = next((t for t in teams if t.id == team_id), None)
        if team is None:
            raise TeamNotManaged(team_id)
    team_ids = [team.id] if team else [t.id for t in teams]
    advisers = list_advisers(team_ids)
    with _collector_paused():
        facts = load_people_facts([a.id for a in advisers], on, months)
        results = rules.report(facts, advisers, on, months)
    by_adviser = {a.id: a for a in advisers}
    people = {}
    for person in facts:
        allocation = next((a for a in person.allocations if a.covers(on) and a.adviser_id in by_adviser), None)
        adviser = by_adviser.get(allocation.adviser_id) if allocation else None
        people[person.id] = IndicatorPerson(
            person.id, person.name, adviser.id if adviser else None, adviser.name if adviser else None,
            adviser.active if adviser else None,
        )
    return IndicatorReport(on=on, teams=teams, team=team, indicators=results, people=people)


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while the report is built.

    Building it makes tens of thousands of small objects (rows, dates, tuples) that all stay alive
    until the report is done and hold no reference cycles; meanwhile the collector would walk every
    object in the process again and again (about a third of the page's time on 5,000 young people).
    Reference counting still frees everything; collection resumes at the end, also on an error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def record_indicator_view(manager: User, key: str) -> None:
    """Audit that the manager looked at the young people behind one indicator (one event), and commit."""
    audit.record("view", "indicator", None, fields=[key], user=manager)
    db.session.commit()
