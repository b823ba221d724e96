"""The daily flag cache: used only when fresh, invalidated by any change to the history, never hides a change."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import Allocation, FlagCache
from pathway.models.contact import AccommodationMove, Contact, FlagAction
from pathway.services import flag_cache
from tests.helpers import count_queries

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


def cache_row(person) -> FlagCache | None:
    db.session.expire_all()
    return db.session.scalar(select(FlagCache).where(FlagCache.young_person_id == person.id))


def entry(person, today=TODAY):
    alloc = db.session.scalar(select(Allocation.start_date).where(Allocation.young_person_id == person.id,
                                                                   Allocation.end_date.is_(None)))
    return flag_cache.entries_for([(person, alloc)], today)[0]


def add_move(person, move_in: date, code: str = "U1") -> None:
    db.session.add(AccommodationMove(young_person_id=person.id, move_in=move_in, code=code))
    db.session.commit()


def test_the_first_read_computes_and_stores_the_flags_for_today(world):
    add_move(world.person, date(2026, 11, 1))
    first = entry(world.person)
    assert [f.title for f in first.open_flags] == ["Visit within 7 days of the move",
                                                   "Plan review within 28 working days of the move"]
    row = cache_row(world.person)
    assert row.computed_for == TODAY and row.computed_version == row.history_version
    assert count_queries(lambda: entry(world.person)) == 2  # allocation date + the cache row
    assert entry(world.person) == first


@pytest.mark.parametrize("change", ["contact", "move", "flag_action", "allocation", "date_of_birth"])
def test_any_change_to_the_history_invalidates_the_row(world, change):
    add_move(world.person, date(2026, 11, 1))
    entry(world.person)
    before = cache_row(world.person).history_version
    person = world.person
    if change == "contact":
        db.session.add(Contact(young_person_id=person.id, contact_at=NOW, kind="home_visit", reached=True))
    elif change == "move":
        db.session.add(AccommodationMove(young_person_id=person.id, move_in=date(2026, 11, 20), code="D1"))
    elif change == "flag_action":
        db.session.add(FlagAction(young_person_id=person.id, flag_key="x", action="close", reason="r"))
    elif change == "allocation":
        allocation = db.session.scalar(select(Allocation).where(Allocation.young_person_id == person.id))
        allocation.start_date = date(2026, 1, 1)
    else:
        person.date_of_birth = date(2006, 1, 1)
    db.session.commit()
    row = cache_row(person)
    assert row.history_version == before + 1 and row.computed_version == before


def test_a_visit_resolves_the_flag_through_the_cache(world):
    add_move(world.person, date(2026, 11, 1))
    assert any("Visit within 7 days" in f.title for f in entry(world.person).open_flags)
    db.session.add(Contact(young_person_id=world.person.id, contact_at=NOW, kind="home_visit", reached=True))
    db.session.commit()
    assert not any("Visit within 7 days" in f.title for f in entry(world.person).open_flags)


def test_a_new_day_recomputes(world, frozen):
    add_move(world.person, date(2026, 11, 20))
    flag = entry(world.person).open_flags[0]
    assert flag.days_overdue(TODAY) == 0
    frozen.move_to(datetime(2026, 12, 1, 10, tzinfo=UTC))
    later = entry(world.person, date(2026, 12, 1))
    assert cache_row(world.person).computed_for == date(2026, 12, 1)
    assert later.open_flags[0].days_overdue(date(2026, 12, 1)) == 4


def test_a_result_worked_out_before_a_change_is_not_stored_over_it(world):
    """Reader reads version v, a writer commits a visit (v+1), the reader stores its older result: unused."""
    add_move(world.person, date(2026, 11, 1))
    entry(world.person)
    add_move(world.person, date(2026, 11, 10), "D1")  # history moves on: the row is stale
    stale_version = cache_row(world.person).history_version
    # The reader saw ``stale_version``; a visit lands before it writes back.
    db.session.add(Contact(young_person_id=world.person.id, contact_at=NOW, kind="home_visit", reached=True))
    db.session.commit()
    computed = flag_cache.worklist_entry(
        flag_cache.load_histories([(world.person, None)])[0], TODAY)
    flag_cache._store([computed], {world.person.id: stale_version}, TODAY)
    row = cache_row(world.person)
    assert row.computed_version != row.history_version  # not used: the next read recomputes
    assert not any("Visit within 7 days" in f.title for f in entry(world.person).open_flags)


def test_two_readers_creating_the_row_at_once_do_not_fail(world):
    db.session.execute(FlagCache.__table__.delete())  # as for people loaded in bulk, with no row yet
    computed = flag_cache.worklist_entry(flag_cache.load_histories([(world.person, None)])[0], TODAY)
    flag_cache._store([computed], {world.person.id: None}, TODAY)
    flag_cache._store([computed], {world.person.id: None}, TODAY)  # the second insert yields
    assert cache_row(world.person).computed_version == 0
