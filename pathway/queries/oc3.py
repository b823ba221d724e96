"""Reading what the care leaver return (OC3) needs: a fixed number of queries for any number of people.

One query each for: the council's window settings, the young people with a 17th to 25th birthday in
the year, their care episodes, their contacts in the span the windows cover, the latest contact
with an activity before that span, and their moves up to the end of the span. The rules in
pathway.rules.oc3 do the rest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import Select, func, select

from pathway.extensions import db
from pathway.models import AccommodationMove, CareEpisode, Contact, YoungPerson
from pathway.queries.settings import get_settings
from pathway.rules import oc3 as rules
from pathway.rules.category import CareEpisode as RuleEpisode
from pathway.rules.dates import add_months

# Contacts are stored in UTC; England is at most an hour ahead, so a day either side is enough and
# the rules read each contact's date in England.
_MARGIN = timedelta(days=1)


@dataclass
class Oc3Data:
    people: list[YoungPerson]
    episodes: dict[int, list[RuleEpisode]] = field(default_factory=dict)
    contacts: dict[int, list[rules.ContactFact]] = field(default_factory=dict)
    moves: dict[int, list[rules.MoveFact]] = field(default_factory=dict)


def get_window_months() -> tuple[int, int]:
    """The council's information window: months before and after the birthday (defaults 3 and 1). One query."""
    values = get_settings((rules.MONTHS_BEFORE_SETTING, rules.MONTHS_AFTER_SETTING))
    return (
        rules.window_months(values.get(rules.MONTHS_BEFORE_SETTING), rules.DEFAULT_MONTHS_BEFORE),
        rules.window_months(values.get(rules.MONTHS_AFTER_SETTING), rules.DEFAULT_MONTHS_AFTER),
    )


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def get_oc3_data(
    year: int, *, months_before: int, months_after: int, people_select: Select | None = None
) -> Oc3Data:
    """Everything the return for ``year`` is worked out from. Five queries, however many people.

    ``people_select`` (a select of YoungPerson, such as ``visible_young_people(user)``) limits the
    return to those people; None means the whole council.
    """
    start, end = rules.collection_year(year)
    oldest, youngest = rules.IN_CONTACT_AGES[-1], rules.CORE_AGES[0]
    # Everyone with a 17th to 25th birthday in the year (a day's slack for 29 February births).
    ids = select(YoungPerson.id).where(
        YoungPerson.date_of_birth >= start - relativedelta(years=oldest) - _MARGIN,
        YoungPerson.date_of_birth <= end - relativedelta(years=youngest) + _MARGIN,
    )
    if people_select is not None:
        ids = ids.where(YoungPerson.id.in_(people_select.with_only_columns(YoungPerson.id)))
    people = list(db.session.scalars(select(YoungPerson).where(YoungPerson.id.in_(ids)).order_by(YoungPerson.id)))
    data = Oc3Data(people=people)
    if not people:
        return data

    for episode in db.session.scalars(
        select(CareEpisode).where(CareEpisode.young_person_id.in_(ids)).order_by(CareEpisode.start_date)
    ):
        data.episodes.setdefault(episode.young_person_id, []).append(episode.as_rule())

    span_start = add_months(start, -months_before)
    span_end = add_months(end, months_after)
    contacts: dict[int, list[rules.ContactFact]] = defaultdict(list)
    in_span = select(Contact).where(
        Contact.young_person_id.in_(ids),
        Contact.contact_at >= _utc_midnight(span_start - _MARGIN),
        Contact.contact_at < _utc_midnight(span_end + 2 * _MARGIN),
    )
    for row in db.session.scalars(in_span):
        contacts[row.young_person_id].append(_fact(row))
    # The activity a contact in the window may carry forward from before the span.
    ranked = (
        select(Contact.id, func.row_number().over(
            partition_by=Contact.young_person_id, order_by=(Contact.contact_at.desc(), Contact.id.desc()),
        ).label("rank"))
        .where(Contact.young_person_id.in_(ids), Contact.activity.is_not(None), Contact.activity != "",
               Contact.contact_at < _utc_midnight(span_start - _MARGIN))
        .subquery()
    )
    for row in db.session.scalars(select(Contact).join(ranked, ranked.c.id == Contact.id).where(ranked.c.rank == 1)):
        contacts[row.young_person_id].append(_fact(row))
    data.contacts = dict(contacts)

    for move in db.session.scalars(
        select(AccommodationMove).where(AccommodationMove.young_person_id.in_(ids), AccommodationMove.move_in <= span_end)
    ):
        data.moves.setdefault(move.young_person_id, []).append(
            rules.MoveFact(move_in=move.move_in, code=move.code, order=move.id)
        )
    return data


def _fact(row: Contact) -> rules.ContactFact:
    return rules.ContactFact(on=row.contact_at, kind=row.kind, reached=bool(row.reached), in_touch=row.in_touch,
                             activity=row.activity, order=row.id)
