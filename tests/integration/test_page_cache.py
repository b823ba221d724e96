"""The page cache (pathway/services/page_cache.py): fast repeat views that are never out of date.

Writing through the test's own session stands for another app server writing to the shared database:
the page must change on the next request all the same, because the counters are read from the database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select, update

from pathway.extensions import db
from pathway.models import AuditEvent, CacheVersion, Contact, PassportItem, Payment, Target, User
from pathway.models.cache import EVERYTHING_ELSE
from pathway.services import page_cache
from tests.helpers import count_queries
from tests.offer_builders import SETTING_UP_HOME, build_catalogue, record_claim
from tests.plan_builders import BANK_TARGET_TEXT, build_plan

PLAN_DATE = date(2026, 3, 2)
NOON = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def plan(make, world, frozen):
    return build_plan(make, world.person, world.adviser, world.manager, today=PLAN_DATE)


@pytest.fixture
def me(client, world, frozen):
    return client.sign_in_as(world.person_user)


@pytest.fixture
def adviser(app, world, frozen):
    from tests.helpers import PageClient

    return PageClient(app).sign_in_as(world.adviser)


def _version(key: int) -> int:
    return db.session.scalar(select(CacheVersion.version).where(CacheVersion.key == key)) or 0


def _store(app) -> page_cache.PageCache:
    return app.extensions["page_cache"]


# --- hits -------------------------------------------------------------------------------------------------

def test_a_repeat_view_is_served_from_memory_with_fewer_queries_and_the_same_page(app, me, plan):
    first = me.get("/me/plan")
    queries_first = count_queries(lambda: me.get("/me/plan"))  # now cached
    store_size = len(_store(app))
    again = me.get("/me/plan")

    assert store_size >= 1
    assert again.h1 == first.h1 == "Your pathway plan"
    assert BANK_TARGET_TEXT in again.text
    assert again.text == first.text
    # A hit reads the session, the young person and the counters, and writes the audit row.
    assert queries_first <= 8


def test_each_response_carries_its_own_csrf_token_and_nonce_never_the_cached_ones(me, plan):
    first = me.get("/me/plan")
    second = me.get("/me/plan")

    def nonce(page) -> str:
        header = page.response.headers["Content-Security-Policy"]
        return header.split("'nonce-")[1].split("'")[0]

    scripts = [s.get("nonce") for s in second.soup.select("script[nonce]")]
    assert scripts and set(scripts) == {nonce(second)}
    assert nonce(first) != nonce(second)
    assert page_cache.CSRF_MARK not in second.text and page_cache.NONCE_MARK not in str(second.soup)
    # The token in the page is one this session can post with.
    token = second.csrf_token()
    assert token
    me._token = token
    answer = me.post("/sign-out")
    assert answer.status == 303


def test_every_view_is_still_audited_when_the_page_comes_from_memory(adviser, world):
    before = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "view", AuditEvent.young_person_id == world.person.id))
    for _ in range(3):
        adviser.get(f"/young-people/{world.person.id}")
    after = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "view", AuditEvent.young_person_id == world.person.id))
    assert after - before == 3


def test_a_page_is_never_served_to_another_user(app, world, frozen, make):
    from tests.helpers import PageClient

    ours = PageClient(app).sign_in_as(world.adviser).get("/caseload")
    theirs = PageClient(app).sign_in_as(world.colleague).get("/caseload")
    assert world.person.display_name in ours.text
    assert world.person.display_name not in theirs.text
    assert world.colleague_person.display_name in theirs.text


def test_a_waiting_message_is_shown_and_not_kept(app, me, plan, world):
    me.get("/me/plan")
    with me.http.session_transaction() as session:
        session["_flashes"] = [("success", "A one-off message")]
    assert "A one-off message" in me.get("/me/plan").text
    assert "A one-off message" not in me.get("/me/plan").text


# --- changes reach the page on the next request -----------------------------------------------------------

def test_a_change_to_a_row_that_belongs_to_the_young_person_through_its_plan_shows_at_once(me, plan, world):
    assert BANK_TARGET_TEXT in me.get("/me/plan").text
    before = _version(world.person.id)
    target = db.session.scalar(select(Target).where(Target.what == BANK_TARGET_TEXT))
    target.what = "Open a savings account as well"
    db.session.commit()

    assert _version(world.person.id) == before + 1
    page = me.get("/me/plan")
    assert "Open a savings account as well" in page.text
    assert BANK_TARGET_TEXT not in page.text


def test_a_payment_two_links_away_counts_for_the_young_person(world, frozen):
    catalogue = build_catalogue(only=(SETTING_UP_HOME,))
    claim = record_claim(world.person, catalogue[SETTING_UP_HOME], requested_on=date(2026, 3, 1))
    before = _version(world.person.id)
    db.session.add(Payment(claim_id=claim.id, paid_on=date(2026, 3, 2), amount_pence=1000))
    db.session.commit()
    assert _version(world.person.id) == before + 1


def test_a_change_to_the_councils_lists_shows_on_every_young_persons_page(me, world, frozen):
    from pathway.models import PassportGroup

    item = PassportItem(group=list(PassportGroup)[0], title="Register with a dentist", position=99)
    db.session.add(item)
    db.session.commit()
    assert "Register with a dentist" in me.get("/me/passport").text
    everything_else = _version(EVERYTHING_ELSE)

    item.title = "Register with a dentist near you"
    db.session.commit()

    assert _version(EVERYTHING_ELSE) == everything_else + 1
    assert "Register with a dentist near you" in me.get("/me/passport").text


def test_an_advisers_new_name_shows_on_the_young_persons_page(me, plan, world):
    assert "Adviser One" in me.get("/me/plan").text
    world.adviser.name = "Adviser Renamed"
    db.session.commit()
    assert "Adviser Renamed" in me.get("/me/plan").text


def test_signing_in_and_failing_to_does_not_empty_the_cache(client, world, frozen):
    everything_else = _version(EVERYTHING_ELSE)
    client.sign_in(world.person_user.email, "not the password")
    client.sign_in_as(world.person_user)
    assert _version(EVERYTHING_ELSE) == everything_else


def test_writing_the_audit_trail_counts_as_no_change(adviser, world):
    adviser.get(f"/young-people/{world.person.id}")
    before = (_version(world.person.id), _version(EVERYTHING_ELSE))
    adviser.get(f"/young-people/{world.person.id}")
    assert (_version(world.person.id), _version(EVERYTHING_ELSE)) == before


def test_a_statement_that_updates_many_rows_counts_as_a_change_to_everything(world, frozen):
    before = _version(EVERYTHING_ELSE)
    db.session.execute(update(User).where(User.id == world.colleague.id).values(name="Bulk renamed"))
    db.session.commit()
    assert _version(EVERYTHING_ELSE) == before + 1


def test_a_visit_recorded_elsewhere_makes_the_worklist_be_worked_out_again(adviser, world):
    adviser.get("/caseload")
    hit = count_queries(lambda: adviser.get("/caseload"))
    db.session.add(Contact(young_person_id=world.person.id, contact_at=datetime(2026, 3, 19, 10, tzinfo=UTC),
                           kind="visit", reached=True, seen_alone=True, notes="Seen at home",
                           recorded_by_id=world.adviser.id))
    db.session.commit()
    rebuilt = count_queries(lambda: adviser.get("/caseload"))
    again = count_queries(lambda: adviser.get("/caseload"))
    assert rebuilt > hit  # the key moved: the worklist and its flags were worked out from the database
    assert again == hit   # and the new page is what is kept


def test_a_young_person_leaving_the_caseload_leaves_the_cached_worklist(adviser, world):
    assert world.person.display_name in adviser.get("/caseload").text
    allocation = world.person.allocations[0]
    allocation.end_date = date(2026, 3, 20)
    db.session.commit()
    assert world.person.display_name not in adviser.get("/caseload").text


def test_invalidate_everything_moves_the_shared_counter_somewhere_no_server_has_seen(world, frozen):
    before = _version(EVERYTHING_ELSE)
    page_cache.invalidate_everything(db.session)
    db.session.commit()
    assert _version(EVERYTHING_ELSE) not in (before, before + 1)


def test_the_cache_can_be_turned_off(app, me, plan):
    store = app.extensions["page_cache"]
    app.extensions["page_cache"] = None
    try:
        assert me.get("/me/plan").h1 == "Your pathway plan"
    finally:
        app.extensions["page_cache"] = store


def test_the_store_forgets_the_least_recently_used_page_first():
    store = page_cache.PageCache(2)
    store.put(("a",), ("A", None))
    store.put(("b",), ("B", None))
    assert store.get(("a",)) == ("A", None)
    store.put(("c",), ("C", None))
    assert store.get(("b",)) is None
    assert store.get(("a",)) == ("A", None) and store.get(("c",)) == ("C", None)
    assert len(store) == 2


# --- every table is accounted for ------------------------------------------------------------------------

def test_every_table_either_belongs_to_a_young_person_counts_for_everything_or_is_named_bookkeeping(app):
    """A table added later falls into one of the three; this shows where the important ones fall."""
    from pathway.models import (
        Claim,
        Contingency,
        PassportAnswer,
        PlanAreaEntry,
    )

    with app.app_context():
        assert page_cache._parent_link(Target) is not None
        assert page_cache._parent_link(Contingency) is not None
        assert page_cache._parent_link(PlanAreaEntry) is not None
        assert page_cache._parent_link(Payment)[1] is Claim
        assert "young_person_id" in PassportAnswer.__mapper__.attrs
        assert page_cache._parent_link(PassportItem) is None  # the council's list: counts for everyone
        tables = {t.name for t in db.metadata.sorted_tables}
        assert page_cache.BOOKKEEPING_TABLES <= tables


def test_indicators_are_worked_out_again_after_a_change_to_anyone_ever_in_the_team(app, world, frozen):
    from tests.helpers import PageClient

    manager = PageClient(app).sign_in_as(world.manager)
    manager.get("/manager/indicators")
    hit = count_queries(lambda: manager.get("/manager/indicators"))
    # Jordan leaves the team's caseloads, then a visit from before is recorded late: last year's figures change.
    world.person.allocations[0].end_date = date(2026, 3, 1)
    db.session.commit()
    manager.get("/manager/indicators")
    hit_after_leaving = count_queries(lambda: manager.get("/manager/indicators"))
    db.session.add(Contact(young_person_id=world.person.id, contact_at=datetime(2026, 2, 10, 10, tzinfo=UTC),
                           kind="visit", reached=True, seen_alone=True, notes="Recorded late",
                           recorded_by_id=world.adviser.id))
    db.session.commit()
    rebuilt = count_queries(lambda: manager.get("/manager/indicators"))
    assert hit == hit_after_leaving
    assert rebuilt > hit


def test_a_transaction_bumps_each_counter_once_at_commit_however_many_times_it_flushes(world, frozen):
    before = _version(world.person.id)
    world.person.preferred_name = "Jo"
    db.session.flush()
    world.person.pronouns = "they/them"
    db.session.flush()
    assert _version(world.person.id) == before  # nothing until it commits...
    db.session.commit()
    assert _version(world.person.id) == before + 1  # ...then once


def test_a_change_rolled_back_bumps_nothing(world, frozen):
    before = _version(world.person.id)
    world.person.preferred_name = "Not kept"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert _version(world.person.id) == before
