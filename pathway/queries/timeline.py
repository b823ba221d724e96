"""A young person's timeline (issue 6 section 4): what happened on their record, newest first.

Merged from five sources: contacts and visits, accommodation moves, plans signed off or returned,
personal adviser allocations, and management oversight notes. Each source is one SELECT with the
same columns, so the full timeline runs one query per source (each limited, then merged), and the
record page runs them all as one UNION ALL query, numbered newest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    String,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, joinedload

from pathway.extensions import db
from pathway.models import AccommodationMove, Allocation, Contact, PathwayPlan, User
from pathway.models.oversight import OversightKind, OversightNote
from pathway.rules.accommodation import ACCOMMODATION_TYPES, parse_accommodation_code
from pathway.rules.contacts import ContactKind

LONDON = ZoneInfo("Europe/London")
_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)

CONTACT = "Contact or visit"
MOVE = "Accommodation move"
PLAN = "Pathway plan"
ALLOCATION = "Personal adviser"
OVERSIGHT = "Management oversight"

SOURCES = ("contacts", "moves", "plans", "allocations", "oversight")
"""The sources a timeline can be narrowed to (all of them by default)."""


@dataclass(frozen=True)
class TimelineEvent:
    """One thing that happened. ``link`` is an endpoint and its arguments, for url_for."""

    on: date
    kind: str
    title: str
    detail: str | None = None
    who: str | None = None
    link: tuple[str, dict] | None = None
    is_oversight: bool = False
    record_id: int | None = None  # the row's id in its own table (an oversight note's id)
    at: datetime = field(default=_EARLIEST, compare=False)  # tie-break within a day: recorded later is newer

    @property
    def date(self) -> date:
        return self.on


def kind_label(value: str) -> str:
    """The label of an oversight note's kind ("case_direction" -> "Case direction")."""
    try:
        return OversightKind(value).label
    except ValueError:
        return value


# --- one SELECT per source, all with the same columns ------------------------------------------------

def _row(source: str, row_id, *, on=None, at, code=None, flag=None, number=None, text=None, name=None, who=None,
         sort=None):
    """The shared columns. ``sort`` is the calendar date to order by (``on`` unless given)."""
    on_column = on if on is not None else cast(null(), Date)
    return [
        literal(source, String).label("source"),
        row_id.label("row_id"),
        on_column.label("on_date"),
        at.label("at_time"),
        (code if code is not None else cast(null(), String)).label("code"),
        (flag if flag is not None else cast(null(), Boolean)).label("flag"),
        (number if number is not None else cast(null(), Integer)).label("number"),
        (text if text is not None else cast(null(), Text)).label("text"),
        (name if name is not None else cast(null(), String)).label("name"),
        (who if who is not None else cast(null(), String)).label("who"),
        (sort if sort is not None else on_column).label("sort"),
    ]


def _contacts(person_id: int):
    recorder = aliased(User)
    return [select(*_row("contact", Contact.id, at=Contact.contact_at, code=Contact.kind, flag=Contact.reached,
                         who=recorder.name, sort=func.date(Contact.contact_at)))
            .outerjoin(recorder, recorder.id == Contact.recorded_by_id)
            .where(Contact.young_person_id == person_id)]


def _moves(person_id: int):
    recorder = aliased(User)
    return [select(*_row("move", AccommodationMove.id, on=AccommodationMove.move_in, at=AccommodationMove.created_at,
                         code=AccommodationMove.code, flag=AccommodationMove.suitable, who=recorder.name))
            .outerjoin(recorder, recorder.id == AccommodationMove.recorded_by_id)
            .where(AccommodationMove.young_person_id == person_id)]


def _plans(person_id: int):
    signer, decider = aliased(User), aliased(User)
    signed = (
        select(*_row("plan_signed", PathwayPlan.id, on=PathwayPlan.signed_off_on, at=PathwayPlan.signed_off_at,
                     number=PathwayPlan.number, who=signer.name,
                     sort=func.coalesce(PathwayPlan.signed_off_on, func.date(PathwayPlan.signed_off_at))))
        .outerjoin(signer, signer.id == PathwayPlan.signed_off_by_id)
        .where(PathwayPlan.young_person_id == person_id, PathwayPlan.signed_off_at.is_not(None))
    )
    # Who returned a plan is only known while the return is still the latest decision on that version.
    returned = (
        select(*_row("plan_returned", PathwayPlan.id, at=PathwayPlan.returned_at, number=PathwayPlan.number,
                     text=PathwayPlan.return_comments,
                     who=case((PathwayPlan.signed_off_at.is_(None), decider.name), else_=None),
                     sort=func.date(PathwayPlan.returned_at)))
        .outerjoin(decider, decider.id == PathwayPlan.decided_by_id)
        .where(PathwayPlan.young_person_id == person_id, PathwayPlan.returned_at.is_not(None))
    )
    return [signed, returned]


def _allocations(person_id: int):
    adviser, allocated_by = aliased(User), aliased(User)
    return [select(*_row("allocation", Allocation.id, on=Allocation.start_date, at=Allocation.created_at,
                         text=Allocation.reason, name=adviser.name, who=allocated_by.name))
            .join(adviser, adviser.id == Allocation.adviser_id)
            .outerjoin(allocated_by, allocated_by.id == Allocation.allocated_by_id)
            .where(Allocation.young_person_id == person_id)]


def _oversight(person_id: int):
    author = aliased(User)
    return [select(*_row("oversight", OversightNote.id, on=OversightNote.noted_on, at=OversightNote.created_at,
                         code=OversightNote.kind, text=OversightNote.note, who=author.name))
            .join(author, author.id == OversightNote.by_id)
            .where(OversightNote.young_person_id == person_id)]


_SELECTS = {
    "contacts": _contacts,
    "moves": _moves,
    "plans": _plans,
    "allocations": _allocations,
    "oversight": _oversight,
}


def _run(selects, limit: int | None) -> list[TimelineEvent]:
    """One query: the selects' rows, newest first, limited."""
    rows = union_all(*selects).subquery() if len(selects) > 1 else selects[0].subquery()
    query = select(rows).order_by(rows.c.sort.desc(), rows.c.at_time.desc(), rows.c.row_id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [_event(row) for row in db.session.execute(query)]


# --- rows into events ---------------------------------------------------------------------------------

def _local_date(value: datetime) -> date:
    return value.astimezone(LONDON).date()


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])  # SQLite gives text for a date inside a UNION


def _as_at(value) -> datetime:
    if value is None:
        return _EARLIEST
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _event(row) -> TimelineEvent:
    at = _as_at(row.at_time)
    on = _as_date(row.on_date) or _local_date(at)
    source = row.source
    if source == "contact":
        try:
            title = ContactKind(row.code).label
        except ValueError:
            title = row.code
        reached = bool(row.flag) and row.code != ContactKind.ATTEMPTED_VISIT
        return TimelineEvent(on=on, kind=CONTACT, title=title, detail=None if reached else "They were not reached.",
                             who=row.who, link=("contacts.list_contacts", {"_anchor": f"contact-{row.row_id}"}), at=at)
    if source == "move":
        try:
            parsed = parse_accommodation_code(row.code)
            meaning, suitable = ACCOMMODATION_TYPES[parsed.type], parsed.suitable
        except (ValueError, KeyError):
            meaning, suitable = row.code, None
        if row.flag is not None:
            suitable = bool(row.flag)
        detail = {True: "Suitable.", False: "Unsuitable."}.get(suitable, "Suitability not assessed.")
        return TimelineEvent(on=on, kind=MOVE, title=f"Moved into {meaning} ({row.code})", detail=detail, who=row.who,
                             link=("moves.list_moves", {"_anchor": f"move-{row.row_id}"}), at=at)
    if source in ("plan_signed", "plan_returned"):
        name = "Pathway plan" if row.number == 1 else "Pathway plan review"
        link = ("plans.view_version", {"number": row.number})
        if source == "plan_signed":
            return TimelineEvent(on=on, kind=PLAN, title=f"{name} signed off (version {row.number})", who=row.who,
                                 link=link, at=at)
        return TimelineEvent(on=on, kind=PLAN, title=f"{name} returned to the personal adviser (version {row.number})",
                             detail=row.text or None, who=row.who, link=link, at=at)
    if source == "allocation":
        return TimelineEvent(on=on, kind=ALLOCATION, title=f"Allocated to {row.name}", detail=row.text or None,
                             who=row.who, at=at)
    return TimelineEvent(on=on, kind=OVERSIGHT, title=kind_label(row.code), detail=row.text, who=row.who,
                         is_oversight=True, record_id=row.row_id, at=at)


# --- what pages call ----------------------------------------------------------------------------------

def timeline_for(person_id: int, limit: int | None = None, *, sources=SOURCES) -> list[TimelineEvent]:
    """What happened on a young person's record, newest first: one query per source, each limited, merged
    and cut to ``limit``. Links name their endpoint and arguments (person_id included) for url_for."""
    events: list[TimelineEvent] = []
    for source in sources:
        events += _run(_SELECTS[source](person_id), limit)
    return _finish(events, person_id, limit)


def _finish(events: list[TimelineEvent], person_id: int, limit: int | None) -> list[TimelineEvent]:
    events.sort(key=lambda e: (e.on, e.at), reverse=True)
    events = events[:limit] if limit is not None else events
    return [e if e.link is None else _with_person(e, person_id) for e in events]


def _with_person(event: TimelineEvent, person_id: int) -> TimelineEvent:
    endpoint, args = event.link
    return TimelineEvent(on=event.on, kind=event.kind, title=event.title, detail=event.detail, who=event.who,
                         link=(endpoint, {"person_id": person_id, **args}), is_oversight=event.is_oversight,
                         record_id=event.record_id, at=event.at)


def list_oversight_notes_for(person_id: int, limit: int | None = None) -> list[OversightNote]:
    """A young person's oversight notes, newest first, with who wrote them. One query."""
    query = (select(OversightNote).where(OversightNote.young_person_id == person_id)
             .options(joinedload(OversightNote.by))
             .order_by(OversightNote.noted_on.desc(), OversightNote.id.desc()))
    return list(db.session.scalars(query.limit(limit) if limit is not None else query))


@dataclass(frozen=True)
class RecordOversight:
    """What the record page shows under "Management oversight and timeline": the latest oversight notes
    (as timeline events: ``title`` is the kind, ``detail`` the note, ``who`` the author) and the latest events."""

    notes: list[TimelineEvent]
    events: list[TimelineEvent]


RECORD_NOTES = 3
RECORD_EVENTS = 10


def get_record_oversight(person_id: int) -> RecordOversight:
    """The latest oversight notes and the latest timeline events, for the record page. One query: every
    source in a UNION ALL, numbered newest first overall and within each source."""
    rows = union_all(*(select_ for source in SOURCES for select_ in _SELECTS[source](person_id))).subquery()
    newest = (rows.c.sort.desc(), rows.c.at_time.desc(), rows.c.row_id.desc())
    ranked = select(
        rows,
        func.row_number().over(order_by=newest).label("overall"),
        func.row_number().over(partition_by=rows.c.source, order_by=newest).label("in_source"),
    ).subquery()
    query = select(ranked).where(or_(
        ranked.c.overall <= RECORD_EVENTS,
        and_(ranked.c.source == "oversight", ranked.c.in_source <= RECORD_NOTES),
    ))
    events, notes = [], []
    for row in db.session.execute(query):
        event = _event(row)
        if row.overall <= RECORD_EVENTS:
            events.append(event)
        if row.source == "oversight" and row.in_source <= RECORD_NOTES:
            notes.append(event)
    return RecordOversight(notes=_finish(notes, person_id, RECORD_NOTES),
                           events=_finish(events, person_id, RECORD_EVENTS))
