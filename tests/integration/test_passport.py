"""The passport to independence: the young person ticks items on their phone, their adviser confirms
them, history is kept, documents show when they expire, and administrators edit the list."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import event, func, select

from pathway.extensions import db
from pathway.models import (
    AnsweredBy,
    AuditEvent,
    PassportAnswer,
    PassportGroup,
    PassportItem,
    PassportStatus,
)
from pathway.rules.passport import expiry_state
from tests.helpers import PageClient
from tests.plan_builders import build_plan

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture
def me(client, world) -> PageClient:
    """Jordan, signed in inside the frozen clock (sessions time out after 30 idle minutes)."""
    return client.sign_in_as(world.person_user)


@pytest.fixture
def pa(app, world) -> PageClient:
    return PageClient(app).sign_in_as(world.adviser)


def item(title: str) -> PassportItem:
    return db.session.scalar(select(PassportItem).where(PassportItem.title == title))


def staff_url(person, suffix: str = "") -> str:
    return f"/young-people/{person.id}/passport{suffix}"


def answers(person, it: PassportItem | None = None) -> list[PassportAnswer]:
    query = select(PassportAnswer).where(PassportAnswer.young_person_id == person.id)
    if it is not None:
        query = query.where(PassportAnswer.item_id == it.id)
    return list(db.session.scalars(query.order_by(PassportAnswer.id)))


def progress(page, group: str) -> str:
    return " ".join(page.soup.select_one(f"#progress-{group}-text").get_text(" ", strip=True).split())


def tick(client, it: PassportItem, status: str = "can_do", **extra):
    return client.post(f"/me/passport/items/{it.id}", {"status": status, **extra}, status=303)


# --- the seeded list -----------------------------------------------------------------------------

def test_the_migration_seeds_the_councils_list():
    count = db.session.scalar(select(func.count()).select_from(PassportItem))
    assert count > 25
    groups = set(db.session.scalars(select(PassportItem.group).distinct()))
    assert groups == set(PassportGroup)
    documents = db.session.scalars(select(PassportItem.title).where(PassportItem.is_document.is_(True))).all()
    assert {"Passport", "Birth certificate", "National Insurance number", "Provisional driving licence"} <= set(documents)


# --- the journey: three ticks, one confirmation, the progress moves ---------------------------------

def test_young_person_ticks_three_items_and_their_adviser_confirms_one(me, pa, world):
    bank, budget, cook = item("Open and use a bank account"), item("Make a budget"), item("Cook a meal")
    money_total = db.session.scalar(select(func.count()).select_from(PassportItem).where(
        PassportItem.group == PassportGroup.MONEY, PassportItem.active.is_(True)))
    home_total = db.session.scalar(select(func.count()).select_from(PassportItem).where(
        PassportItem.group == PassportGroup.HOME, PassportItem.active.is_(True)))

    page = me.get("/me/passport")
    assert page.h1 == "Your passport to independence"
    assert progress(page, "money") == f"Money: 0 of {money_total} done"
    bar = page.soup.select_one("#progress-money progress")
    assert (bar["value"], bar["max"], bar["aria-labelledby"]) == ("0", str(money_total), "progress-money-text")

    for it in (bank, budget, cook):
        response = tick(me, it)
        assert response.response.headers["Location"].endswith(f"/me/passport#item-{it.id}")
    page = me.get("/me/passport")
    assert progress(page, "money") == f"Money: 2 of {money_total} done"
    assert progress(page, "home") == f"Home: 1 of {home_total} done"
    assert "I can do this" in page.soup.select_one(f"#item-{bank.id} .app-passport-status").text
    assert "You said so, 22 November 2026" in page.soup.select_one(f"#item-{bank.id}").get_text(" ", strip=True)

    staff = pa.get(staff_url(world.person))
    assert progress(staff, "money") == f"Money: 2 of {money_total} done"
    assert len(staff.soup.select(".app-passport-unconfirmed")) == 3
    assert "3 answers are waiting to be confirmed" in staff.text
    pa.post(staff_url(world.person, f"/items/{bank.id}/confirm"), status=303)

    rows = answers(world.person)
    assert len(rows) == 4
    first, confirmation = answers(world.person, bank)
    assert (first.by_role, first.confirmed, first.answered_by_id) == (AnsweredBy.YOUNG_PERSON, False, world.person_user.id)
    assert (confirmation.by_role, confirmation.confirmed, confirmation.answered_by_id) == (
        AnsweredBy.ADVISER, True, world.adviser.id)
    assert confirmation.status is PassportStatus.CAN_DO

    staff = pa.get(staff_url(world.person))
    assert len(staff.soup.select(".app-passport-unconfirmed")) == 2
    bank_item = staff.soup.select_one(f"#item-{bank.id}")
    assert "Confirmed by Adviser One (personal adviser), 22 November 2026" in bank_item.get_text(" ", strip=True)
    assert "History (2 answers)" in bank_item.select_one("summary").get_text(" ", strip=True)
    mine = me.get("/me/passport").soup.select_one(f"#item-{bank.id}").get_text(" ", strip=True)
    assert "Confirmed by your personal adviser, Adviser One" in mine

    # A new answer never overwrites the old one; the latest wins.
    tick(me, budget, "learning")
    assert len(answers(world.person)) == 5
    assert [a.status for a in answers(world.person, budget)] == [PassportStatus.CAN_DO, PassportStatus.LEARNING]
    assert progress(me.get("/me/passport"), "money") == f"Money: 1 of {money_total} done"
    assert progress(pa.get(staff_url(world.person)), "money") == f"Money: 1 of {money_total} done"

    events = db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "passport_answer")
                                .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["answer", "answer", "answer", "confirm", "answer"]
    assert events[3].changed_fields == "confirmed"
    assert events[4].changed_fields == "status"
    assert all(e.young_person_id == world.person.id for e in events)
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "passport",
                                                        AuditEvent.action == "view")).all()
    assert len(views) == 3 and all(v.user_id == world.adviser.id for v in views)


def test_not_relevant_counts_as_done(me, world):
    vote = item("Register to vote")
    tick(me, vote, "not_relevant")
    assert progress(me.get("/me/passport"), "civic") == "Civic life: 1 of 1 done"


# --- htmx and plain forms ----------------------------------------------------------------------------

def test_a_tap_with_htmx_returns_the_item_and_the_groups_progress_out_of_band(me, world):
    bank = item("Open and use a bank account")
    me.get("/me/passport")
    page = me.post(f"/me/passport/items/{bank.id}", {"status": "can_do"}, htmx=True, status=200)
    assert page.soup.find("html") is None
    swapped = page.soup.select_one(f"li#item-{bank.id}")
    assert "I can do this" in swapped.select_one(".app-passport-status").text
    assert swapped.select_one("[role=status]").get_text(" ", strip=True).startswith("Saved")
    oob = page.soup.select_one("#progress-money")
    assert oob["hx-swap-oob"] == "true"
    assert oob.select_one("progress")["value"] == "1"
    assert "1 of" in oob.get_text()
    # The form still works without JavaScript: a real action, method and button values.
    form = me.get("/me/passport").soup.select_one(f"#item-{bank.id} form")
    assert (form["method"], form["action"], form["hx-post"]) == ("post", f"/me/passport/items/{bank.id}",
                                                                 f"/me/passport/items/{bank.id}")
    assert {b["value"] for b in form.select("button[name=status]")} == {"learning", "not_started", "not_relevant"}


def test_an_unknown_status_is_refused_without_saving(me, world):
    bank = item("Open and use a bank account")
    page = me.post(f"/me/passport/items/{bank.id}", {"status": "expert"}, htmx=True, status=400)
    assert page.soup.select_one(".govuk-error-message")
    me.post(f"/me/passport/items/{bank.id}", {"status": ""}, status=303)
    assert answers(world.person) == []


def test_the_adviser_confirms_with_htmx(me, pa, world):
    cook = item("Cook a meal")
    tick(me, cook)
    pa.get(staff_url(world.person))
    page = pa.post(staff_url(world.person, f"/items/{cook.id}/confirm"), htmx=True, status=200)
    assert page.soup.find("html") is None
    assert page.soup.select_one(f"li#item-{cook.id}") and not page.soup.select(".app-passport-unconfirmed")
    assert page.soup.select_one("#progress-home[hx-swap-oob=true]")
    # Confirming twice is refused, and nothing is added.
    again = pa.post(staff_url(world.person, f"/items/{cook.id}/confirm"), htmx=True, status=409)
    assert "no answer from the young person to confirm" in again.text
    pa.post(staff_url(world.person, f"/items/{cook.id}/confirm"), status=303)
    assert len(answers(world.person, cook)) == 2


def test_the_adviser_sets_a_status_with_a_note(pa, world):
    shop = item("Do a weekly food shop")
    url = staff_url(world.person, f"/items/{shop.id}")
    page = pa.get(url)
    assert page.soup.find("textarea", attrs={"name": "note"})
    too_long = pa.post(url, {"status": "learning", "note": "x" * 1001}, status=400)
    assert too_long.title.startswith("Error: ")
    assert too_long.errors() == ["The note must be 1,000 characters or fewer"]
    assert pa.post(url, {"status": "sideways"}, status=400).errors() == ["Select how they are getting on"]
    assert answers(world.person) == []
    saved = pa.post(url, {"status": "learning", "note": "We went to Aldi together\nand kept to £30."}, status=303)
    assert saved.response.headers["Location"].endswith(f"#item-{shop.id}")
    (row,) = answers(world.person)
    assert (row.status, row.by_role, row.confirmed, row.note) == (
        PassportStatus.LEARNING, AnsweredBy.ADVISER, True, "We went to Aldi together\nand kept to £30.")
    fragment = pa.get(url, htmx=True)
    assert fragment.soup.select_one(f"li#item-{shop.id} form[hx-post]")
    page = pa.post(url, {"status": "can_do", "note": ""}, htmx=True, status=200)
    assert page.soup.select_one(f"li#item-{shop.id}") and page.soup.select_one("#progress-home[hx-swap-oob]")
    assert "History (2 answers)" in page.text and "We went to Aldi together" in page.text
    assert "Set by Adviser One (personal adviser)" in page.text and "Confirmed by" not in page.text


def test_a_young_person_cannot_confirm(me, world):
    bank = item("Open and use a bank account")
    tick(me, bank, confirmed="1", by_role="adviser")
    (row,) = answers(world.person)
    assert (row.confirmed, row.by_role, row.answered_by_id) == (False, AnsweredBy.YOUNG_PERSON, world.person_user.id)
    me.post(staff_url(world.person, f"/items/{bank.id}/confirm"), status=404)
    me.post(staff_url(world.person, f"/items/{bank.id}"), {"status": "can_do"}, status=404)
    assert len(answers(world.person)) == 1


# --- documents ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("expires", "tag"), [
    (date(2027, 2, 22), "Expires soon"),  # exactly 3 calendar months ahead: marked
    (date(2027, 2, 23), None),            # a day later: not yet
    (TODAY, "Expires soon"),
    (date(2026, 11, 21), "Expired"),      # in the past: allowed, and marked expired
])
def test_document_expiry_within_3_months_is_marked(me, pa, world, expires, tag):
    passport = item("Passport")
    url = f"/me/passport/items/{passport.id}/document"
    me.get(url)
    me.post(url, {"held": "yes", "where_kept": "In the safe at the leaving care office",
                  "expires_on": [str(expires.day), str(expires.month), str(expires.year)]}, status=303)
    (row,) = answers(world.person, passport)
    assert (row.held, row.where_kept, row.expires_on, row.status) == (
        True, "In the safe at the leaving care office", expires, PassportStatus.NOT_STARTED)
    for page in (me.get("/me/passport"), pa.get(staff_url(world.person))):
        tags = [t.get_text(strip=True) for t in page.soup.select(f"#item-{passport.id} .app-expiry")]
        assert tags == ([tag] if tag else [])


def test_expiry_rule_boundaries():
    assert expiry_state(None, TODAY) is None
    assert expiry_state(date(2027, 2, 22), TODAY) == "expires_soon"
    assert expiry_state(date(2027, 2, 23), TODAY) is None
    assert expiry_state(date(2026, 11, 21), TODAY) == "expired"
    # Month ends: 30 November + 3 months is 28 February (clamped), in a non-leap year.
    assert expiry_state(date(2027, 2, 28), date(2026, 11, 30)) == "expires_soon"
    assert expiry_state(date(2027, 3, 1), date(2026, 11, 30)) is None


def test_document_facts_carry_on_when_the_status_changes(me, world):
    passport = item("Passport")
    url = f"/me/passport/items/{passport.id}/document"
    me.post(url, {"held": "yes", "where_kept": "My drawer", "expires_on": ["1", "6", "2030"]}, status=303)
    tick(me, passport)
    latest = answers(world.person, passport)[-1]
    assert (latest.status, latest.held, latest.where_kept, latest.expires_on) == (
        PassportStatus.CAN_DO, True, "My drawer", date(2030, 6, 1))
    form = me.get(url)
    assert form.soup.find("input", attrs={"name": "where_kept"})["value"] == "My drawer"


@pytest.mark.parametrize(("data", "error"), [
    ({"where_kept": "x"}, "Select whether you have it"),
    ({"held": "yes", "expires_on": ["31", "2", "2030"]}, "The expiry date must be a real date"),
    ({"held": "yes", "expires_on": ["", "2", "2030"]}, "The expiry date must include a day"),
    ({"held": "yes", "where_kept": "x" * 201}, "Where it is kept must be 200 characters or fewer"),
    ({"held": "yes", "where_kept": "drawer\x00"}, "Where it is kept must not contain hidden or control characters"),
])
def test_document_form_errors(me, world, data, error):
    passport = item("Passport")
    page = me.post(f"/me/passport/items/{passport.id}/document", data, status=400)
    assert page.title.startswith("Error: ")
    assert page.errors() == [error]
    assert answers(world.person) == []


def test_unknown_or_unsuitable_items_are_404(me, pa, world):
    missing = 1 + db.session.scalar(select(func.max(PassportItem.id)))
    me.post(f"/me/passport/items/{missing}", {"status": "can_do"}, status=404)
    me.get(f"/me/passport/items/{missing}/document", status=404)
    me.get(f"/me/passport/items/{item('Cook a meal').id}/document", status=404)  # not a document
    pa.post(staff_url(world.person, f"/items/{missing}/confirm"), status=404)
    pa.get(staff_url(world.person, f"/items/{missing}"), status=404)


# --- retired items ----------------------------------------------------------------------------------------

def test_retired_items_take_no_new_answers_but_keep_their_history(app, me, pa, world):
    budget = item("Make a budget")
    tick(me, budget)
    admin = PageClient(app).sign_in_as(world.admin)
    url = f"/admin/passport-items/{budget.id}"
    admin.get(url)
    admin.post(url, {"title": budget.title, "description": budget.description or "", "group": "money",
                     "active": "no", "version": str(budget.version)}, status=303)
    assert item("Make a budget").active is False

    page = me.get("/me/passport")
    money = page.soup.select_one("#group-money")
    retired = money.select_one("details")
    assert retired and retired.select_one(f"#item-{budget.id}")
    assert retired.select_one(f"#item-{budget.id} form") is None
    assert progress(page, "money").endswith(f"0 of {len(money.select('.app-passport-items')[0].find_all('li', recursive=False))} done")
    me.post(f"/me/passport/items/{budget.id}", {"status": "learning"}, status=404)
    pa.post(staff_url(world.person, f"/items/{budget.id}"), {"status": "learning"}, status=404)
    staff = pa.get(staff_url(world.person))
    assert "History (1 answer)" in staff.soup.select_one(f"#group-money details #item-{budget.id}").text
    assert len(answers(world.person)) == 1


# --- administration ---------------------------------------------------------------------------------------

def test_admin_lists_adds_and_changes_items(app, world):
    admin = PageClient(app).sign_in_as(world.admin)
    page = admin.get("/admin/passport-items")
    assert [h.text for h in page.soup.select("main h2")] == [g.label for g in PassportGroup]
    admin.get("/admin/passport-items/new")
    saved = admin.post("/admin/passport-items/new", {"title": "Use the bus on your own", "description": "Plan a journey.",
                                                      "group": "home", "active": "yes"}, status=303)
    assert saved.response.headers["Location"].endswith("/admin/passport-items#group-home")
    new = item("Use the bus on your own")
    assert (new.group, new.active, new.is_document, new.description) == (PassportGroup.HOME, True, False, "Plan a journey.")
    home_positions = db.session.scalars(select(PassportItem.position).where(PassportItem.group == PassportGroup.HOME)).all()
    assert new.position == max(home_positions)

    url = f"/admin/passport-items/{new.id}"
    form = admin.get(url)
    assert form.soup.find("input", attrs={"name": "title"})["value"] == "Use the bus on your own"
    admin.post(url, {"title": "Bus pass", "group": "documents", "is_document": "y", "active": "yes",
                     "version": str(new.version)}, status=303)
    changed = db.session.get(PassportItem, new.id)
    assert (changed.title, changed.group, changed.is_document, changed.description) == (
        "Bus pass", PassportGroup.DOCUMENTS, True, None)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "passport_item")).all()
    assert [e.action for e in events] == ["create", "update"]
    assert set(events[1].changed_fields.split(",")) == {"title", "group", "is_document", "description"}
    admin.get(f"/admin/passport-items/{new.id + 1000}", status=404)


@pytest.mark.parametrize(("data", "error"), [
    ({"title": "", "group": "home"}, "Enter the item"),
    ({"title": "   ", "group": "home"}, "Enter the item"),
    ({"title": "x" * 201, "group": "home"}, "The item must be 200 characters or fewer"),
    ({"title": "x" * 1001, "group": "home"}, "The item must be 200 characters or fewer"),
    ({"title": "Cook\x1b[31m", "group": "home"}, "The item must not contain hidden or control characters"),
    ({"title": "Cook", "group": "garden"}, "Select the group"),
    ({"title": "Cook", "group": "home", "description": "x" * 1001}, "The hint must be 1,000 characters or fewer"),
])
def test_admin_bad_input_is_explained_and_nothing_saved(app, world, data, error):
    before = db.session.scalar(select(func.count()).select_from(PassportItem))
    admin = PageClient(app).sign_in_as(world.admin)
    page = admin.post("/admin/passport-items/new", {"active": "yes", **data}, status=400)
    assert page.title.startswith("Error: ")
    assert error in page.errors()
    assert db.session.scalar(select(func.count()).select_from(PassportItem)) == before


def test_admins_see_no_answers(app, me, world):
    tick(me, item("Cook a meal"))
    admin = PageClient(app).sign_in_as(world.admin)
    admin.get(staff_url(world.person), status=404)
    assert "You said so" not in admin.get("/admin/passport-items").text


# --- access -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["other_adviser", "colleague", "other_manager", "admin", "person_user"])
def test_people_who_may_not_see_the_record_get_404(app, world, who):
    bank = item("Open and use a bank account")
    client = PageClient(app).sign_in_as(getattr(world, who))
    client.get(staff_url(world.person), status=404)
    client.get(staff_url(world.person, f"/items/{bank.id}"), status=404)
    client.post(staff_url(world.person, f"/items/{bank.id}"), {"status": "can_do"}, status=404)
    client.post(staff_url(world.person, f"/items/{bank.id}/confirm"), status=404)
    assert answers(world.person) == []


def test_the_team_manager_reads_but_does_not_change(app, me, world):
    bank = item("Open and use a bank account")
    tick(me, bank)
    manager = PageClient(app).sign_in_as(world.manager)
    page = manager.get(staff_url(world.person))
    assert page.soup.select_one(f"#item-{bank.id}") and page.soup.select_one(f"#item-{bank.id} form") is None
    manager.post(staff_url(world.person, f"/items/{bank.id}/confirm"), status=404)


def test_a_young_person_only_ever_reaches_their_own_passport(app, me, world):
    """There is no id in /me URLs: Aisha's taps land on Aisha's passport, never Jordan's."""
    aisha = PageClient(app).sign_in_as(world.other_person.user)
    bank = item("Open and use a bank account")
    tick(aisha, bank)
    assert answers(world.person) == []
    assert len(answers(world.other_person)) == 1
    assert "I can do this" not in me.get("/me/passport").soup.select_one(f"#item-{bank.id} .app-passport-status").text
    aisha.get(staff_url(world.person), status=404)
    aisha.get(staff_url(world.other_person), status=404)


def test_navigation_and_record_link(me, pa, world):
    nav = [a.get_text(strip=True) for a in me.get("/me/passport").soup.select(".govuk-service-navigation__item a")]
    assert "Your passport" in nav
    active = me.get("/me/passport").soup.select_one(".govuk-service-navigation__item--active a")
    assert active.get_text(strip=True) == "Your passport"
    record = pa.get(f"/young-people/{world.person.id}")
    assert record.soup.select_one("#open-passport")["href"] == staff_url(world.person)


# --- the plan's area 7 summary ------------------------------------------------------------------------------

def test_plan_area_7_shows_the_passport_summary(me, pa, world):
    tick(me, item("Cook a meal"))
    pa.get(f"/young-people/{world.person.id}/plan")
    pa.post(f"/young-people/{world.person.id}/plan/start", status=303)
    page = pa.get(f"/young-people/{world.person.id}/plan")
    summary = page.soup.select_one("#area-independent_living #passport-summary")
    assert summary is not None
    assert "Home 1 of" in summary.get_text(" ", strip=True)
    assert summary.find("a")["href"] == staff_url(world.person)
    assert page.soup.select("#passport-summary") == [summary]


def test_my_plan_area_7_links_to_my_passport(make, me, world):
    build_plan(make, world.person, world.adviser, world.manager, today=date(2026, 11, 2))
    tick(me, item("Cook a meal"))
    page = me.get("/me/plan")
    summary = page.soup.select_one("#area-independent_living #passport-summary")
    assert "Home 1 of" in summary.get_text(" ", strip=True)
    assert summary.find("a")["href"] == "/me/passport"


def test_plan_page_query_count_does_not_grow_with_the_passport(me, pa, world):
    pa.get(f"/young-people/{world.person.id}/plan")
    pa.post(f"/young-people/{world.person.id}/plan/start", status=303)

    def count_queries(url, client):
        statements = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            client.get(url)
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return len(statements)

    plan_url = f"/young-people/{world.person.id}/plan"
    small_plan, small_passport = count_queries(plan_url, pa), count_queries(staff_url(world.person), pa)
    for it in db.session.scalars(select(PassportItem).limit(12)).all():
        tick(me, it, "learning")
        tick(me, it, "can_do")
    assert count_queries(plan_url, pa) == small_plan
    assert count_queries(staff_url(world.person), pa) == small_passport


# --- the demo ---------------------------------------------------------------------------------------------

def test_demo_gives_about_half_the_young_people_a_passport_and_jo_a_mix(app):
    from pathway.demo import DEMO_PASSWORD, load_demo
    from pathway.models import YoungPerson

    load_demo(today=TODAY)
    db.session.commit()
    people = db.session.scalar(select(func.count()).select_from(YoungPerson))
    started = db.session.scalar(select(func.count(func.distinct(PassportAnswer.young_person_id))))
    assert people // 2 - 2 <= started <= people // 2 + 2
    jo = db.session.scalar(select(YoungPerson).where(YoungPerson.preferred_name == "Jo"))
    bank = answers(jo, item("Open and use a bank account"))
    assert [(a.status, a.by_role, a.confirmed) for a in bank] == [
        (PassportStatus.LEARNING, AnsweredBy.YOUNG_PERSON, False), (PassportStatus.CAN_DO, AnsweredBy.YOUNG_PERSON, False),
        (PassportStatus.CAN_DO, AnsweredBy.ADVISER, True)]
    client = PageClient(app)
    client.sign_in("jordan@northshire.example", DEMO_PASSWORD)
    client.get("/", status=None)
    page = client.get("/me/passport")
    passport = item("Passport")
    assert [t.get_text(strip=True) for t in page.soup.select(f"#item-{passport.id} .app-expiry")] == ["Expires soon"]
    money = db.session.scalar(select(func.count()).select_from(PassportItem).where(
        PassportItem.group == PassportGroup.MONEY, PassportItem.active.is_(True)))
    assert progress(page, "money") == f"Money: 1 of {money} done"  # the bank account; budget and benefits: learning
