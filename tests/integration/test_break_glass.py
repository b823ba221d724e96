"""Break-glass cover (issue 8 section 4): a PA covering for an absent colleague opens a record outside
their caseload by stating a reason. It lasts BREAK_GLASS_HOURS, shows on every page of the record, is
audited, and the team's managers review it from their home page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine
from flask import g
from sqlalchemy import select

from pathway.access import get_young_person_for
from pathway.extensions import db
from pathway.models import Allocation, AuditEvent, BreakGlassGrant
from tests.helpers import PageClient, count_queries

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
frozen = time_machine.travel(NOON, tick=False)
REASON = "Covering for Adviser One on leave: Jordan phoned about his tenancy"


def grants(**where) -> list[BreakGlassGrant]:
    return list(db.session.scalars(select(BreakGlassGrant).filter_by(**where).order_by(BreakGlassGrant.id)))


def events(action: str, person_id: int) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action, AuditEvent.young_person_id == person_id)
        .order_by(AuditEvent.id)))


def cover(app, world, who=None, reason=REASON) -> PageClient:
    """Sign in as the colleague (same team as Jordan's PA) and take cover access to Jordan's record."""
    client = PageClient(app).sign_in_as(who or world.colleague)
    client.post(f"/cover/{world.person.id}", {"reason": reason}, status=303)
    return client


def banner(page) -> str:
    node = page.soup.select_one("#cover-access")
    return node.get_text(" ", strip=True) if node else ""


@frozen
def test_a_colleague_finds_young_people_in_their_own_team_only(app, world):
    client = PageClient(app).sign_in_as(world.colleague)
    page = client.get("/cover")
    assert page.h1 == "Cover for a colleague"
    found = client.get("/cover?q=jordan")
    assert "Jordan Taylor" in found.text and "Adviser One" in found.text
    assert found.soup.select_one(f"#cover-person-{world.person.id} a")["href"] == f"/cover/{world.person.id}"
    by_number = client.get(f"/cover?q={world.person.id}")
    assert "Jordan Taylor" in by_number.text
    # Another team's young person, and the colleague's own caseload, are not offered.
    assert "Nobody in your team's caseloads matches" in client.get("/cover?q=aisha").text
    assert "Nobody in your team's caseloads matches" in client.get("/cover?q=callum").text
    assert "Nobody in your team's caseloads matches" in client.get(f"/cover?q={world.other_person.id}").text
    # Wildcards are matched literally.
    assert "Nobody in your team's caseloads matches" in client.get("/cover?q=%25").text


@frozen
def test_cover_needs_a_reason_and_nothing_is_saved_without_one(app, world):
    client = PageClient(app).sign_in_as(world.colleague)
    form = client.get(f"/cover/{world.person.id}")
    assert "Adviser One" in form.text and "24 hours" in form.text
    page = client.post(f"/cover/{world.person.id}", {"reason": "   "}, status=200)
    assert page.errors() == ["Enter why you need to see this record"]
    assert page.title.startswith("Error: ")
    assert page.soup.select_one("#reason-error") is not None
    page = client.post(f"/cover/{world.person.id}", {"reason": "x" * 1001}, status=200)
    assert page.errors() == ["Why you need to see this record must be 1,000 characters or fewer"]
    assert grants() == []
    client.get(f"/young-people/{world.person.id}", status=404)


@frozen
def test_cover_opens_the_record_with_a_banner_on_every_page_for_24_hours(app, world):
    client = cover(app, world)
    [grant] = grants()
    assert (grant.adviser_id, grant.young_person_id, grant.team_id) == (world.colleague.id, world.person.id, world.north.id)
    assert grant.reason == REASON
    assert grant.granted_at == NOON and grant.expires_at == NOON + timedelta(hours=24)
    assert grant.allocation_id == world.person.current_allocation.id
    record = client.get(f"/young-people/{world.person.id}")
    assert record.h1 == "Jordan Taylor"
    assert "You have cover access to this record until 23 November 2026 at 12pm" in banner(record)
    assert f"Reason: {REASON}" in banner(record)
    for path in ("plan", "contacts", "accommodation", "flags", "offer", "passport", "timeline", "profile",
                 "plan/versions", "care-episodes/new", "contacts/new"):
        assert "You have cover access" in banner(client.get(f"/young-people/{world.person.id}/{path}")), path
    # The same access as the allocated PA: cover can write too (a contact note).
    client.post(f"/young-people/{world.person.id}/plan/start", status=303)
    # Not added to the colleague's caseload or worklist.
    caseload = client.get("/caseload")
    assert "Jordan Taylor" not in caseload.text and "Callum Robson" in caseload.text
    assert banner(caseload) == ""
    # The allocated PA's own pages have no banner.
    own = PageClient(app).sign_in_as(world.adviser).get(f"/young-people/{world.person.id}")
    assert banner(own) == ""


@frozen
def test_cover_is_written_to_the_audit_trail(app, world):
    client = cover(app, world)
    [granted] = events("grant_cover", world.person.id)
    assert (granted.user_id, granted.record_type, granted.changed_fields) == (world.colleague.id, "break_glass", "reason")
    client.get(f"/young-people/{world.person.id}")
    client.request("get", f"/young-people/{world.person.id}/plan", headers={"HX-Request": "true"})
    client.post(f"/young-people/{world.person.id}/contacts/new", {}, status=None)  # a refused form: still audited
    used = events("cover_access", world.person.id)
    assert len(used) == 3 and {e.user_id for e in used} == {world.colleague.id}
    assert {e.record_id for e in used} == {granted.record_id}
    # Each request's ordinary view event sits beside its cover event (same request id).
    views = events("view", world.person.id)
    assert views and views[0].request_id == used[0].request_id
    log = PageClient(app).sign_in_as(world.manager).get(f"/young-people/{world.person.id}/access-log")
    assert "Used cover access (break-glass)" in log.text
    assert "Was given cover access (break-glass), with a reason" in log.text


@frozen
def test_expired_cover_is_refused_on_the_next_request(app, world):
    client = cover(app, world)
    client.get(f"/young-people/{world.person.id}")
    [grant] = grants()
    grant.expires_at = NOON  # expiry is exclusive: at NOON it has ended
    db.session.commit()
    client.get(f"/young-people/{world.person.id}", status=404)
    assert client.request("get", f"/young-people/{world.person.id}/plan", headers={"HX-Request": "true"}).status_code == 404
    # A new reason gives new cover.
    client.post(f"/cover/{world.person.id}", {"reason": "Still covering"}, status=303)
    assert len(grants()) == 2
    client.get(f"/young-people/{world.person.id}")


def test_cover_lasts_as_configured_and_ends_after_that_time(app, world):
    app.config["BREAK_GLASS_HOURS"] = 2
    try:
        with time_machine.travel(NOON, tick=False):
            cover(app, world)
            [grant] = grants()
            assert grant.expires_at == NOON + timedelta(hours=2)
        # (signed in again each time: the session itself times out after 30 minutes idle)
        with time_machine.travel(NOON + timedelta(hours=1, minutes=59), tick=False):
            PageClient(app).sign_in_as(world.colleague).get(f"/young-people/{world.person.id}")
        with time_machine.travel(NOON + timedelta(hours=2), tick=False):
            PageClient(app).sign_in_as(world.colleague).get(f"/young-people/{world.person.id}", status=404)
    finally:
        app.config["BREAK_GLASS_HOURS"] = 24


@frozen
def test_reallocating_the_young_person_ends_cover(app, world, make):
    """Cover is for the allocation it was given under: a new PA means the cover has no colleague to cover for."""
    client = cover(app, world)
    client.get(f"/young-people/{world.person.id}")
    current = world.person.current_allocation
    current.end_date = date(2026, 11, 22)
    db.session.flush()
    db.session.add(Allocation(young_person_id=world.person.id, adviser_id=make.adviser(world.north).id,
                              start_date=date(2026, 11, 22)))
    db.session.commit()
    client.get(f"/young-people/{world.person.id}", status=404)
    # And the new allocation can be covered only with a new reason.
    client.get(f"/cover/{world.person.id}")


@frozen
def test_moving_the_covering_adviser_to_another_team_ends_cover(app, world):
    client = cover(app, world)
    world.colleague.team_id = world.south.id
    db.session.commit()
    client.get(f"/young-people/{world.person.id}", status=404)


@frozen
def test_cover_is_not_offered_outside_the_team_or_for_your_own_caseload(app, world):
    PageClient(app).sign_in_as(world.other_adviser).post(f"/cover/{world.person.id}", {"reason": REASON}, status=404)
    own = PageClient(app).sign_in_as(world.adviser)
    own.get(f"/cover/{world.person.id}", status=404)
    own.post(f"/cover/{world.person.id}", {"reason": REASON}, status=404)
    for who in (world.manager, world.admin, world.person_user):
        PageClient(app).sign_in_as(who).get(f"/cover/{world.person.id}", status=404)
    assert grants() == []


@frozen
def test_asking_again_while_covered_goes_to_the_record(app, world):
    client = cover(app, world)
    page = client.get(f"/cover/{world.person.id}", status=303)
    assert page.response.headers["Location"].endswith(f"/young-people/{world.person.id}")
    assert "You have cover until" in client.get("/cover?q=jordan").text
    assert len(grants()) == 1


@frozen
def test_the_access_check_stays_one_query(app, world):
    cover(app, world)
    for user in (world.adviser, world.colleague):
        db.session.refresh(user)  # the client's requests expired it: load it before counting
        with app.test_request_context(f"/young-people/{world.person.id}"):
            assert count_queries(lambda u=user: get_young_person_for(u, world.person.id)) == 1
    with app.test_request_context("/"):
        get_young_person_for(world.colleague, world.person.id)
        assert g.cover_access.reason == REASON
    g.pop("cover_access", None)  # (the test shares one app context; each real request has its own)
    with app.test_request_context("/"):
        get_young_person_for(world.adviser, world.person.id)
        assert g.get("cover_access") is None


@frozen
def test_managers_review_cover_from_their_home_page(app, world):
    cover(app, world)
    [grant] = grants()
    manager = PageClient(app).sign_in_as(world.manager)
    home = manager.get("/manager")
    row = home.soup.select_one(f"#cover-{grant.id}").get_text(" ", strip=True)
    for text in ("Adviser Two", "Jordan Taylor", REASON, "22 November 2026 at 12pm", "23 November 2026 at 12pm"):
        assert text in row
    assert "1 use of cover access to review" in home.text
    # Another team's manager neither sees nor reviews it.
    other = PageClient(app).sign_in_as(world.other_manager)
    assert other.get("/manager").soup.select_one(f"#cover-{grant.id}") is None
    other.post(f"/manager/cover/{grant.id}/reviewed", status=404)
    # Without a CSRF token nothing changes.
    manager.post(f"/manager/cover/{grant.id}/reviewed", {"csrf_token": "wrong"}, status=400)
    assert grants()[0].reviewed_at is None
    manager.post(f"/manager/cover/{grant.id}/reviewed", status=303)
    [grant] = grants()
    assert grant.reviewed_by_id == world.manager.id and grant.reviewed_at == NOON
    [reviewed] = events("review_cover", world.person.id)
    assert reviewed.user_id == world.manager.id and reviewed.record_id == grant.id
    row = manager.get("/manager").soup.select_one(f"#cover-{grant.id}").get_text(" ", strip=True)
    assert "Reviewed by Manager North" in row
    # Reviewing twice changes nothing.
    manager.post(f"/manager/cover/{grant.id}/reviewed", status=303)
    assert len(events("review_cover", world.person.id)) == 1


def test_the_review_list_keeps_30_days(app, world):
    with time_machine.travel(NOON - timedelta(days=31), tick=False):
        cover(app, world, reason="Old cover")
    with time_machine.travel(NOON, tick=False):
        cover(app, world, reason="New cover")
        text = PageClient(app).sign_in_as(world.manager).get("/manager").text
    assert "New cover" in text and "Old cover" not in text


@frozen
def test_advisers_find_cover_in_the_navigation(app, world):
    page = PageClient(app).sign_in_as(world.colleague).get("/caseload")
    links = {a.get_text(strip=True): a["href"] for a in page.soup.select("a.govuk-service-navigation__link")}
    assert links.get("Cover for a colleague") == "/cover"

    def current(client, url):
        return [a.get_text(strip=True) for a in client.get(url).soup.select(".govuk-service-navigation__item--active a")]

    client = PageClient(app).sign_in_as(world.colleague)
    assert current(client, "/caseload") == ["Caseload"]
    assert current(client, "/cover") == ["Cover for a colleague"]
    assert current(client, f"/cover/{world.person.id}") == ["Cover for a colleague"]
    assert current(client, f"/young-people/{world.colleague_person.id}") == ["Caseload"]


@frozen
def test_an_adviser_without_a_team_is_told_why_nothing_can_be_found(app, world, make):
    loner = make.user(world.adviser.role)
    page = PageClient(app).sign_in_as(loner).get("/cover?q=jordan")
    assert page.soup.select_one("#no-team") is not None and "Jordan" not in page.text
    PageClient(app).sign_in_as(loner).get(f"/cover/{world.person.id}", status=404)


@frozen
def test_the_young_person_sees_cover_in_who_has_seen_their_record(app, world):
    client = cover(app, world)
    client.get(f"/young-people/{world.person.id}")
    page = PageClient(app).sign_in_as(world.person_user).get("/me/who-has-seen-my-record")
    assert "Adviser Two" in page.text
    assert "Used cover access to your record while your personal adviser was away" in page.text
    assert "Was given access to your record to cover for your personal adviser, and said why" in page.text
    assert "Cover access," not in page.text  # never the raw name of the audit action
