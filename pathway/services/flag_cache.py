"""Each young person's open flags and next due dates, computed once a day and kept until their history changes.

Flags are recomputed from the whole history (pathway.rules.flags), which is right on any date but costs
about a millisecond per young person, plus loading every contact and move. A manager's home covers
hundreds of young people, so the result for one day is kept in ``flag_cache``:

- a row is used only when it was computed for today and for the current ``history_version``;
- a session listener bumps ``history_version`` (insert or increment) in the same transaction as any
  change to what flags are computed from: moves, contacts, signed-off plans, help requests, flags raised
  or closed by hand, allocations, and the young person's own row (date of birth);
- a stale or missing row is recomputed from the history and written back only if ``history_version``
  did not move meanwhile (a conditional UPDATE; an INSERT that yields to a concurrent one), so a change
  committed while the flags were being worked out is never hidden by an older result.

The cache is derived data, not case data: deleting every row only makes the next page slower.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import bindparam, event, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pathway.extensions import db
from pathway.models import (
    AccommodationMove,
    Allocation,
    Contact,
    FlagAction,
    FlagCache,
    HelpRequest,
    PathwayPlan,
    User,
    YoungPerson,
)
from pathway.queries.flags import load_histories
from pathway.rules.flags import FlagKind
from pathway.services.flags import ShownFlag, WorklistEntry, worklist_entry

_HISTORY = (AccommodationMove, Contact, FlagAction, HelpRequest, PathwayPlan, Allocation)
_CACHE = FlagCache.__table__


# --- Invalidation ----------------------------------------------------------------------------------------

def _changed_people(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _HISTORY):
            person_id = obj.young_person_id
        elif isinstance(obj, YoungPerson) and obj not in session.new:
            person_id = obj.id
        else:
            continue
        if person_id is not None and (obj in session.new or obj in session.deleted or session.is_modified(obj)):
            ids.add(person_id)
    return ids


def _bump(session: Session, ids: set[int]) -> None:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(_CACHE).values([{"young_person_id": i, "history_version": 1} for i in sorted(ids)])
    statement = statement.on_conflict_do_update(
        index_elements=[_CACHE.c.young_person_id],
        set_={"history_version": _CACHE.c.history_version + 1},
    )
    session.connection().execute(statement)


@event.listens_for(Session, "after_flush")
def _invalidate(session: Session, flush_context) -> None:
    # After the flush, foreign keys set through relationships are filled in, and new, dirty and
    # deleted still list what was flushed.
    changed = _changed_people(session)
    if changed:
        _bump(session, changed)


# --- Reading ---------------------------------------------------------------------------------------------

def _flag_json(flag: ShownFlag) -> dict:
    return {
        "key": flag.key, "kind": flag.kind.value if flag.kind is not None else None, "title": flag.title,
        "due": flag.due.isoformat(), "raised_on": flag.raised_on.isoformat(), "rule": flag.rule,
        "detail": flag.detail, "help_request_id": flag.help_request_id,
    }


def _flag_from(data: dict) -> ShownFlag:
    return ShownFlag(
        key=data["key"], kind=FlagKind(data["kind"]) if data["kind"] else None, title=data["title"],
        due=date.fromisoformat(data["due"]), raised_on=date.fromisoformat(data["raised_on"]), rule=data["rule"],
        detail=data["detail"], help_request_id=data["help_request_id"],
    )


def _payload(entry: WorklistEntry) -> str:
    return json.dumps({
        "open": [_flag_json(f) for f in entry.open_flags],
        "visit": entry.next_visit_due.isoformat() if entry.next_visit_due else None,
        "contact": entry.next_contact_due.isoformat() if entry.next_contact_due else None,
    }, separators=(",", ":"))


def _entry(person: YoungPerson, allocated_on: date | None, payload: str) -> WorklistEntry:
    data = json.loads(payload)
    flags = tuple(_flag_from(f) for f in data["open"])
    return WorklistEntry(
        person=person, name=f"{person.family_name} {person.preferred_name or person.given_name}",
        flags=flags, open_flags=flags,
        next_visit_due=date.fromisoformat(data["visit"]) if data["visit"] else None,
        next_contact_due=date.fromisoformat(data["contact"]) if data["contact"] else None,
        allocated_on=allocated_on,
    )


def cache_columns():
    """The columns a caller's query outer-joins to FlagCache on the young person, in this order."""
    return FlagCache.history_version, FlagCache.computed_version, FlagCache.computed_for, FlagCache.payload


def entries_from_rows(rows: Sequence[tuple], today: date) -> list[WorklistEntry]:
    """Worklist entries (open flags, next visit and contact due) for rows of
    ``(person, allocated_on, history_version, computed_version, computed_for, payload)``, in that order.
    ``person`` is a YoungPerson or anything with its id, names and date of birth.

    Fresh cached rows are read; the rest are recomputed together (six queries) and written back (two
    statements), then committed. So the number of queries does not depend on how many people there are.
    """
    entries: dict[int, WorklistEntry] = {}
    stale: list[tuple[YoungPerson, date | None, int | None]] = []
    for person, allocated_on, history_version, computed_version, computed_for, payload in rows:
        if (payload is not None and computed_for == today and history_version is not None
                and computed_version == history_version):
            entries[person.id] = _entry(person, allocated_on, payload)
        else:
            stale.append((person, allocated_on, history_version))
    if stale:
        versions = {person.id: version for person, _, version in stale}
        computed = [worklist_entry(h, today) for h in load_histories([(p, a) for p, a, _ in stale])]
        _store(computed, versions, today)
        entries.update((e.person.id, e) for e in computed)
    return [entries[row[0].id] for row in rows]


def _store(computed: list[WorklistEntry], versions: dict[int, int | None], today: date) -> None:
    known = [{"pid": e.person.id, "v": versions[e.person.id], "for_": today, "payload": _payload(e)}
             for e in computed if versions[e.person.id] is not None]
    new = [{"young_person_id": e.person.id, "history_version": 0, "computed_version": 0, "computed_for": today,
            "payload": _payload(e)} for e in computed if versions[e.person.id] is None]
    if known:
        db.session.connection().execute(
            update(_CACHE)
            .where(_CACHE.c.young_person_id == bindparam("pid"), _CACHE.c.history_version == bindparam("v"))
            .values(computed_version=bindparam("v"), computed_for=bindparam("for_"), payload=bindparam("payload")),
            known,
        )
    if new:
        dialect = db.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        db.session.connection().execute(insert(_CACHE).on_conflict_do_nothing(
            index_elements=[_CACHE.c.young_person_id]), new)
    db.session.commit()


def entries_for(people: Sequence[tuple[YoungPerson, date | None]], today: date) -> list[WorklistEntry]:
    """Worklist entries for these young people (with their allocation dates), in the order given."""
    if not people:
        return []
    ids = [person.id for person, _ in people]
    cached = {row.young_person_id: row for row in db.session.execute(
        select(FlagCache.young_person_id, *cache_columns()).where(FlagCache.young_person_id.in_(ids))
    )}
    rows = []
    for person, allocated_on in people:
        row = cached.get(person.id)
        rows.append((person, allocated_on, *(row[1:] if row is not None else (None, None, None, None))))
    return entries_from_rows(rows, today)


def entries_for_adviser(adviser: User, today: date) -> list[WorklistEntry]:
    """Worklist entries for the adviser's current young people, by name. One query when the cache is fresh."""
    rows = db.session.execute(
        select(YoungPerson, Allocation.start_date, *cache_columns(), Allocation.handover_note.is_not(None))
        .join(Allocation, Allocation.young_person_id == YoungPerson.id)
        .outerjoin(FlagCache, FlagCache.young_person_id == YoungPerson.id)
        .where(Allocation.adviser_id == adviser.id, Allocation.end_date.is_(None))
        .order_by(func.lower(YoungPerson.family_name), func.lower(YoungPerson.given_name), YoungPerson.id)
    ).all()
    entries = entries_from_rows([tuple(row[:6]) for row in rows], today)
    return [replace(e, has_handover_note=bool(row[6])) for e, row in zip(entries, rows, strict=True)]
