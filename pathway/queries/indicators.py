"""Loading the facts the manager's indicators are worked out from (pathway.rules.indicators).

Set-based, for all 12 chart dates at once: eight queries however many young people, contacts and
moves there are, and however many dates (none when the teams have no advisers). Columns are selected
with Core (no ORM entities) and the young people are chosen by a subquery, not a list of ids (but
for 7 and 8, where the list is of the few who need it):

1. the advisers of the teams (active or not);
2. the young people with an allocation to one of them at some point in the 12 months charted;
3. all their allocations (to any adviser, ever: a change is an allocation that is not the first);
4. their signed-off plan dates (those that matter to the chart); 5. their moves up to the date;
6. their contacts in the window (below) up to the date, only those that matter: a visit that saw
   them, or a contact that recorded an in touch or activity code;
7. and 8. the latest in touch status and the latest activity recorded before that window, for the
   young people who need it (no code in the window on or before the first chart date): a correlated
   subquery on the contact index for each of them, in one query.

The window: in touch, activity and the 56-day contact standard need contacts from 56 days before
the first chart date (11 months and 56 days before the date). The 7-day post-move visit on the first
chart date looks at moves up to 12 months earlier, so visits (only) are loaded from 23 months before
the date. ``months`` (default 12) sets how many chart dates: 1 loads what one date needs.

Indexes used: contact (young_person_id, contact_at), accommodation_move (young_person_id,
move_in), allocation (young_person_id) and (adviser_id, end_date), pathway_plan (young_person_id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from sqlalchemy import DateTime, String, and_, func, or_, select, type_coerce
from sqlalchemy.orm import aliased

from pathway.extensions import db
from pathway.models import AccommodationMove, Allocation, Contact, PathwayPlan, Role, User, YoungPerson
from pathway.queries.plans import SIGNED_OFF
from pathway.rules import indicators as rules
from pathway.rules.contacts import LOCAL_TIME_ZONE, VISIT_KINDS, local_date
from pathway.rules.dates import add_days, add_months
from pathway.rules.reviews import REVIEW_INTERVAL_MONTHS
from pathway.rules.visits import CONTACT_STANDARD_DAYS


def _start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in England, as an aware datetime (compared with UTC columns)."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TIME_ZONE)


def list_advisers(team_ids: Sequence[int]) -> list[rules.AdviserFacts]:
    """The advisers of these teams, active or not, by name. One query."""
    if not team_ids:
        return []
    rows = db.session.execute(
        select(User.id, User.name, User.active, User.team_id)
        .where(User.team_id.in_(team_ids), User.role == Role.ADVISER)
        .order_by(func.lower(User.name), User.id)
    )
    return [rules.AdviserFacts(row.id, row.name, bool(row.active), row.team_id) for row in rows]


def window_starts(on: date, months: int = rules.SERIES_MONTHS) -> tuple[date, date]:
    """(contacts from, visits from): the first days of the contacts and of the visits loaded for ``on``'s chart.

    Contacts from 56 days before the first chart date (the contact standard; in touch and activity
    codes recorded before then come from ``_latest_before``); visits from 12 months before it (the
    7-day post-move visit for moves in the 12 months up to the first chart date).
    """
    first_chart_date = add_months(on, -(months - 1))
    contacts_from = add_days(first_chart_date, -CONTACT_STANDARD_DAYS)
    visits_from = add_months(first_chart_date, -rules.LOOKBACK_MONTHS)
    return contacts_from, min(visits_from, contacts_from)


def load_people_facts(adviser_ids: Sequence[int], on: date, months: int = rules.SERIES_MONTHS) -> list[rules.PersonFacts]:
    """The facts of every young person allocated to one of these advisers at some time in the ``months``
    calendar months up to ``on`` (whatever their age), by name. Seven queries."""
    if not adviser_ids:
        return []
    first_chart_date = add_months(on, -(months - 1))
    cohort = (
        select(Allocation.young_person_id)
        .where(Allocation.adviser_id.in_(adviser_ids), Allocation.start_date <= on,
               or_(Allocation.end_date.is_(None), Allocation.end_date > first_chart_date))
        .scalar_subquery()
    )
    general_from, visits_from = window_starts(on, months)
    until = _start_of(add_days(on, 1))
    # Core execution on the session's connection: plain rows, without the ORM's result layer (which
    # costs more than the SQL itself on thousands of contacts); .all() fetches them in one call.
    conn = db.session.connection()

    people = conn.execute(
        select(YoungPerson.id, YoungPerson.given_name, YoungPerson.preferred_name, YoungPerson.family_name,
               YoungPerson.date_of_birth, YoungPerson.main_activity)
        .where(YoungPerson.id.in_(cohort))
        .order_by(func.lower(YoungPerson.family_name), func.lower(YoungPerson.given_name), YoungPerson.id)
    ).all()

    allocations: dict[int, list[rules.AllocationFact]] = defaultdict(list)
    AllocationFact, MoveFact = rules.AllocationFact, rules.MoveFact  # noqa: N806 - local names in loops
    for person_id, *allocation in conn.execute(
        select(Allocation.young_person_id, Allocation.id, Allocation.adviser_id, Allocation.start_date,
               Allocation.end_date)
        .where(Allocation.young_person_id.in_(cohort))
    ).all():
        allocations[person_id].append(AllocationFact(*allocation))

    # Plans: those that can be the latest on a chart date and still in date (from 6 months before the
    # first chart date), and the first version (whether there was any plan, before the first is due).
    # The status is read as text and checked here: filtering on it in SQL makes SQLite use its index,
    # which reads every plan in the council.
    signed_off = {status.value for status in SIGNED_OFF}
    plans: dict[int, list[date]] = defaultdict(list)
    for person_id, plan_date, status in conn.execute(
        select(PathwayPlan.young_person_id, PathwayPlan.plan_date, type_coerce(PathwayPlan.status, String()))
        .where(PathwayPlan.young_person_id.in_(cohort), PathwayPlan.plan_date <= on,
               or_(PathwayPlan.plan_date >= add_months(first_chart_date, -REVIEW_INTERVAL_MONTHS),
                   PathwayPlan.number == 1))
    ).all():
        if status in signed_off:
            plans[person_id].append(plan_date)

    moves: dict[int, list[rules.MoveFact]] = defaultdict(list)
    for person_id, *move in conn.execute(
        select(AccommodationMove.young_person_id, AccommodationMove.move_in, AccommodationMove.code,
               AccommodationMove.suitable)
        .where(AccommodationMove.young_person_id.in_(cohort), AccommodationMove.move_in <= on)
        .order_by(AccommodationMove.young_person_id, AccommodationMove.move_in, AccommodationMove.id)
    ).all():
        moves[person_id].append(MoveFact(*move))

    visit = and_(Contact.kind.in_([str(k) for k in VISIT_KINDS]), Contact.reached.is_(True))
    general_start = _start_of(general_from)
    contacts: dict[int, list[rules.ContactFact]] = defaultdict(list)
    ContactFact = rules.ContactFact  # noqa: N806 - a local name in the loop
    for person_id, at, kind, reached, in_touch, activity in conn.execute(
        select(Contact.young_person_id, type_coerce(Contact.contact_at, DateTime()).label("contact_at"),
               Contact.kind, Contact.reached, Contact.in_touch, Contact.activity)
        .where(Contact.young_person_id.in_(cohort), Contact.contact_at >= _start_of(visits_from),
               Contact.contact_at < until,
               or_(visit, and_(Contact.contact_at >= general_start,
                               or_(Contact.in_touch.is_not(None), Contact.activity.is_not(None)))))
        .order_by(Contact.young_person_id, Contact.contact_at, Contact.id)
    ).all():
        day = _day(at)
        if day >= general_from:
            contacts[person_id].append(ContactFact(day, kind, bool(reached), in_touch, activity))
        else:  # only the visit counts this far back: the codes before come from _latest_before
            contacts[person_id].append(ContactFact(day, kind, bool(reached)))

    # The codes recorded before the window matter only to those with none recorded in the window on
    # or before the first chart date (for everyone else a later code in the window wins on every date).
    person_ids = [row.id for row in people]
    in_touch_before = _latest_before(
        conn, _without_code_by(contacts, person_ids, first_chart_date, 3), lambda c: c.in_touch, general_start
    )
    activity_before = _latest_before(
        conn, _without_code_by(contacts, person_ids, first_chart_date, 4), lambda c: c.activity, general_start
    )

    return [
        rules.PersonFacts(
            id=row.id, name=f"{row.preferred_name or row.given_name} {row.family_name}",
            date_of_birth=row.date_of_birth,
            allocations=tuple(allocations[row.id]), plan_dates=tuple(plans[row.id]), moves=tuple(moves[row.id]),
            contacts=tuple(contacts[row.id]), in_touch_before=in_touch_before.get(row.id),
            activity_before=activity_before.get(row.id), main_activity=row.main_activity,
        )
        for row in people
    ]


def _without_code_by(contacts: dict[int, list[rules.ContactFact]], person_ids: list[int], by: date,
                     field: int) -> list[int]:
    """The young people with no contact recording the code (ContactFact field ``field``) on or before ``by``."""
    return [
        pid for pid in person_ids
        if not any(contact[field] for contact in contacts.get(pid, ()) if contact.day <= by)
    ]


def _latest_before(conn, person_ids: list[int], column, before: datetime) -> dict[int, tuple[date, str]]:
    """{young person id: (date, code)} of the latest contact before ``before`` that recorded ``column``.

    One query (also when ``person_ids`` is empty): for each young person, a correlated subquery finds that
    contact's id by walking the (young_person_id, contact_at) index back from ``before`` (about five
    times faster on SQLite than row_number() over a partition, which sorts every earlier contact).
    """
    earlier = aliased(Contact)
    latest = (
        select(earlier.id)
        .where(earlier.young_person_id == YoungPerson.id, earlier.contact_at < before, column(earlier).is_not(None))
        .order_by(earlier.contact_at.desc(), earlier.id.desc())
        .limit(1)
        .correlate(YoungPerson)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(Contact.young_person_id, type_coerce(Contact.contact_at, DateTime()).label("at"), column(Contact))
        .where(Contact.id.in_(select(latest).where(YoungPerson.id.in_(person_ids))))
    ).all()
    return {person_id: (_day(at), code) for person_id, at, code in rows}


def _day(at: datetime) -> date:
    """The date in England of a stored time: aware (PostgreSQL), or naive UTC (SQLite, read without the
    UTCDateTime conversion, which costs more than the rest of loading on a large caseload). England is
    UTC or UTC+1, so only a time from 23:00 UTC can fall on the next day."""
    if at.tzinfo is not None:
        return local_date(at)
    if at.hour < 23:
        return at.date()
    return local_date(at.replace(tzinfo=UTC))
