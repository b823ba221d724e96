"""Pathway plans for staff: writing, quality, sign-off, versions, conflicts, time-outs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import AuditEvent, PathwayPlan, PlanAreaEntry, PlanStatus, SavedForm, Target
from pathway.rules.plan_areas import PLAN_AREAS, PlanArea
from tests.helpers import PageClient

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


def plan_url(person, suffix=""):
    return f"/young-people/{person.id}/plan{suffix}"


def start(client, person):
    client.get(plan_url(person))
    client.post(plan_url(person, "/start"), status=303)
    return db.session.scalars(select(PathwayPlan).where(PathwayPlan.young_person_id == person.id)
                              .order_by(PathwayPlan.number.desc())).first()


def write_area(client, person, area: PlanArea, text: str):
    entry = db.session.scalar(select(PlanAreaEntry).join(PathwayPlan).where(
        PathwayPlan.young_person_id == person.id, PathwayPlan.status == PlanStatus.DRAFT, PlanAreaEntry.area == area))
    client.get(plan_url(person, f"/areas/{area.value}"))
    return client.post(plan_url(person, f"/areas/{area.value}"),
                       {"current_situation": text, "version": str(entry.version)}, status=303)


TARGET = {"what": "Open a bank account with a debit card", "responsible": "young_person",
          "due_on": ["15", "1", "2027"], "how_we_know": "You show me your debit card", "status": "not_started"}


def add_target(client, person, area: PlanArea, **overrides):
    client.get(plan_url(person, f"/targets/new?area={area.value}"))
    return client.post(plan_url(person, "/targets/new"), {**TARGET, "area": area.value, **overrides})


def add_contingency(client, person, area: PlanArea, wrong="your money runs out before payday"):
    client.get(plan_url(person, "/contingencies/new"))
    return client.post(plan_url(person, "/contingencies/new"), {
        "area": area.value, "what_might_go_wrong": wrong,
        "what_we_will_do": "You call me and I arrange an emergency payment the same day", "who": "Your personal adviser"},
        status=303)


def complete_plan(client, person):
    """Fill every area so the plan passes the quality check (written to the young person)."""
    for area in PLAN_AREAS:
        write_area(client, person, area, f"You told me how {area.title.lower()} is going for you.")
        if area is not PlanArea.CONTINGENCY:
            add_target(client, person, area, what=f"A clear step for {area.title}")
    add_contingency(client, person, PlanArea.FINANCE)
    add_contingency(client, person, PlanArea.ACCOMMODATION, wrong="your tenancy breaks down")


@pytest.fixture
def adviser(client, world):
    return client.sign_in_as(world.adviser)


def test_no_plan_yet_offers_to_start_one(adviser, world):
    page = adviser.get(plan_url(world.person))
    assert "does not have a pathway plan yet" in page.text
    assert page.soup.find("button", string="Start the pathway plan")


def test_starting_a_plan_creates_ten_areas_and_audits(adviser, world):
    plan = start(adviser, world.person)
    assert (plan.number, plan.status, plan.plan_date) == (1, PlanStatus.DRAFT, TODAY)
    assert [a.area for a in plan.areas] == list(PLAN_AREAS)
    page = adviser.get(plan_url(world.person))
    assert len(page.soup.select("section.app-plan-area")) == 10
    assert [h.get_text(strip=True) for h in page.soup.select("section.app-plan-area h2")][0] == "1. Contact and personal support"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.record_type == "pathway_plan")).all()
    assert "start_plan" in actions


def test_a_second_start_is_refused_while_a_plan_is_in_progress(adviser, world):
    start(adviser, world.person)
    adviser.post(plan_url(world.person, "/start"), status=303)
    assert db.session.scalar(select(func.count()).select_from(PathwayPlan)) == 1
    assert "already in progress" in adviser.get(plan_url(world.person)).text


def test_empty_plan_shows_hard_gaps_and_cannot_be_sent(adviser, world):
    start(adviser, world.person)
    page = adviser.get(plan_url(world.person))
    blockers = page.soup.select("#plan-quality .govuk-error-summary__list li")
    assert any("Describe the current situation for Contact and personal support" in b.text for b in blockers)
    assert any("contingency" in b.text.lower() for b in blockers)
    page = adviser.get(plan_url(world.person, "/submit"))
    assert page.soup.find("button", string="Send for sign-off") is None
    adviser.post(plan_url(world.person, "/submit"), {"version": "1"}, status=400)
    assert db.session.scalar(select(PathwayPlan.status)) is PlanStatus.DRAFT


def test_area_text_is_saved_audited_and_shown(adviser, world):
    start(adviser, world.person)
    write_area(adviser, world.person, PlanArea.HEALTH, "You are registered with Dr Ahmed's surgery.")
    entry = db.session.scalar(select(PlanAreaEntry).where(PlanAreaEntry.area == PlanArea.HEALTH))
    assert entry.current_situation == "You are registered with Dr Ahmed's surgery."
    page = adviser.get(plan_url(world.person))
    assert "You are registered with Dr Ahmed's surgery." in page.soup.select_one("#area-health").text
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "plan_area")).one()
    assert event.changed_field_list == ["current_situation"]


def test_area_edit_with_htmx_returns_the_form_then_the_section_and_quality_panel(adviser, world):
    start(adviser, world.person)
    form = adviser.get(plan_url(world.person, "/areas/health"), htmx=True)
    assert form.soup.find("textarea", attrs={"name": "current_situation"})
    saved = adviser.post(plan_url(world.person, "/areas/health"), {"current_situation": "You see your GP.", "version": "1"},
                         htmx=True, status=200)
    assert saved.response.headers["HX-Retarget"] == "#area-health"
    assert saved.soup.select_one("section#area-health")
    assert saved.soup.select_one("#plan-quality[hx-swap-oob]")
    assert "You see your GP." in saved.text


def test_full_page_area_form_without_javascript(adviser, world):
    start(adviser, world.person)
    page = adviser.get(plan_url(world.person, "/areas/health"))
    assert page.h1 == "9. Health and development, including mental health"
    assert page.soup.find("form", attrs={"method": "post"})


def test_unknown_area_is_404(adviser, world):
    start(adviser, world.person)
    adviser.get(plan_url(world.person, "/areas/not-an-area"), status=404)


def test_stale_save_gets_a_conflict_page_and_nothing_is_lost(adviser, world, app):
    start(adviser, world.person)
    adviser.get(plan_url(world.person, "/areas/health"))  # the adviser opens the form at version 1
    colleague_session = PageClient(app).sign_in_as(world.adviser)  # same PA, another tab
    colleague_session.get(plan_url(world.person, "/areas/health"))
    colleague_session.post(plan_url(world.person, "/areas/health"),
                           {"current_situation": "First text, saved in the other tab.", "version": "1"}, status=303)
    page = adviser.post(plan_url(world.person, "/areas/health"),
                        {"current_situation": "Second text, typed in this tab.", "version": "1"}, status=409)
    assert "Someone else saved this" in page.text
    assert "First text, saved in the other tab." in page.soup.select_one("#conflict-theirs").text
    assert page.soup.select_one("#conflict-yours textarea").text.strip() == "Second text, typed in this tab."
    assert page.soup.select_one("#conflict-yours input[name=version]")["value"] == "2"
    entry = db.session.scalar(select(PlanAreaEntry).where(PlanAreaEntry.area == PlanArea.HEALTH))
    assert entry.current_situation == "First text, saved in the other tab."
    # Saving from the conflict page (with the new version) works.
    adviser.post(plan_url(world.person, "/areas/health"),
                 {"current_situation": "Both texts, combined.", "version": "2"}, status=303)
    db.session.refresh(entry)
    assert entry.current_situation == "Both texts, combined."


def test_target_is_smart_by_construction(adviser, world):
    start(adviser, world.person)
    page = add_target(adviser, world.person, PlanArea.FINANCE, what="", responsible="other", responsible_name="",
                      due_on=["1", "1", "2026"], how_we_know="", status="not_needed", status_reason="")
    assert page.errors() == [
        "Enter what will happen", "Enter who is responsible",
        "The date it will be done by must be on or after the plan date, 22 November 2026",
        "Enter how you will know it is done", "Enter why it is no longer needed",
    ]
    assert page.title.startswith("Error: ")
    assert db.session.scalar(select(func.count()).select_from(Target)) == 0


@pytest.mark.parametrize("due", [["31", "4", "2027"], ["", "4", "2027"], ["x", "y", "z"], ["1"], []])
def test_bad_target_dates_get_a_message_not_a_500(adviser, world, due):
    start(adviser, world.person)
    page = add_target(adviser, world.person, PlanArea.FINANCE, due_on=due)
    assert page.status == 200
    assert any("date" in e.lower() for e in page.errors())
    assert db.session.scalar(select(func.count()).select_from(Target)) == 0


def test_target_saved_and_overdue_marked(adviser, world, frozen):
    start(adviser, world.person)
    add_target(adviser, world.person, PlanArea.FINANCE, due_on=["30", "11", "2026"])
    target = db.session.scalars(select(Target)).one()
    assert (target.what, target.due_on, target.responsible.value) == (TARGET["what"], date(2026, 11, 30), "young_person")
    assert "Overdue" not in adviser.get(plan_url(world.person)).soup.select_one(f"#target-{target.id}").text
    frozen.move_to(datetime(2026, 12, 1, 10, tzinfo=UTC))
    fresh = PageClient(adviser.app).sign_in_as(world.adviser)
    assert "Overdue" in fresh.get(plan_url(world.person)).soup.select_one(f"#target-{target.id}").text


def test_script_in_text_is_shown_inert(adviser, world):
    start(adviser, world.person)
    write_area(adviser, world.person, PlanArea.HEALTH, "<script>alert(1)</script> \"><svg onload=alert(1)>")
    page = adviser.get(plan_url(world.person))
    assert "<script>alert(1)</script>" in page.soup.select_one("#area-health").text
    assert not [s for s in page.soup.find_all("script") if "alert" in (s.string or "")]
    assert page.soup.find("svg", attrs={"onload": True}) is None


def test_control_characters_are_refused(adviser, world):
    start(adviser, world.person)
    adviser.get(plan_url(world.person, "/areas/health"))
    page = adviser.post(plan_url(world.person, "/areas/health"), {"current_situation": "Hi\x00there", "version": "1"})
    assert page.errors() == ["How things are now must not contain hidden or control characters"]


def test_oversized_text_is_refused(adviser, world):
    start(adviser, world.person)
    adviser.get(plan_url(world.person, "/areas/health"))
    page = adviser.post(plan_url(world.person, "/areas/health"), {"current_situation": "x" * 10_001, "version": "1"})
    assert page.errors() == ["How things are now must be 10,000 characters or fewer"]


def test_quality_warns_on_third_person_and_housing_only_contingencies(adviser, world):
    start(adviser, world.person)
    write_area(adviser, world.person, PlanArea.HEALTH, "He is registered with a GP.")
    add_contingency(adviser, world.person, PlanArea.ACCOMMODATION, wrong="the tenancy breaks down")
    page = adviser.get(plan_url(world.person))
    warnings = page.soup.select_one("#plan-quality .govuk-notification-banner").text
    assert "he" in warnings.lower() and "accommodation" in warnings.lower()


def test_full_lifecycle_submit_return_resubmit_sign_off(adviser, world, app):
    person = world.person
    start(adviser, person)
    complete_plan(adviser, person)
    page = adviser.get(plan_url(person))
    assert page.soup.select_one("#plan-quality .govuk-error-summary") is None
    plan = db.session.scalar(select(PathwayPlan))
    page = adviser.get(plan_url(person, "/submit"))
    adviser.post(plan_url(person, "/submit"), {"version": str(plan.version)}, status=303)
    db.session.refresh(plan)
    assert plan.status is PlanStatus.SUBMITTED
    # The adviser can no longer change it.
    adviser.get(plan_url(person, "/areas/health"), status=303)

    manager = PageClient(app).sign_in_as(world.manager)
    page = manager.get(plan_url(person, "/decision"))
    assert page.h1 == "Sign off the plan"
    page = manager.post(plan_url(person, "/decision"), {"decision": "return", "comments": "", "version": str(plan.version)})
    assert page.errors() == ["Enter what needs to change before you can sign it off"]
    manager.post(plan_url(person, "/decision"), {"decision": "return", "comments": "Add what you will do if college ends.",
                                                 "version": str(plan.version)}, status=303)
    db.session.refresh(plan)
    assert plan.status is PlanStatus.DRAFT and plan.was_returned
    page = adviser.get(plan_url(person))
    assert "Add what you will do if college ends." in page.soup.select_one("#return-comments").text

    add_contingency(adviser, person, PlanArea.EDUCATION_TRAINING, wrong="your college place ends")
    db.session.refresh(plan)
    adviser.get(plan_url(person, "/submit"))
    adviser.post(plan_url(person, "/submit"), {"version": str(plan.version)}, status=303)
    db.session.refresh(plan)
    manager.get(plan_url(person, "/decision"))
    manager.post(plan_url(person, "/decision"), {"decision": "sign_off", "version": str(plan.version)}, status=303)
    db.session.refresh(plan)
    assert (plan.status, plan.signed_off_on, plan.signed_off_by_id) == (PlanStatus.ACTIVE, TODAY, world.manager.id)
    page = adviser.get(plan_url(person))
    assert "Signed off" in page.text and "22 May 2027" in page.text  # next review: 6 calendar months
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.record_type == "pathway_plan")).all()
    assert {"submit", "return", "sign_off"} <= set(actions)


def test_adviser_cannot_sign_off_and_manager_cannot_edit(adviser, world, app):
    start(adviser, world.person)
    adviser.get(plan_url(world.person, "/decision"), status=404)
    manager = PageClient(app).sign_in_as(world.manager)
    manager.get(plan_url(world.person))
    manager.get(plan_url(world.person, "/areas/health"), status=404)
    manager.post(plan_url(world.person, "/areas/health"), {"current_situation": "x", "version": "1"}, status=404)


def _signed_off_plan(adviser, world, app):
    person = world.person
    start(adviser, person)
    complete_plan(adviser, person)
    plan = db.session.scalar(select(PathwayPlan).where(PathwayPlan.young_person_id == person.id))
    adviser.get(plan_url(person, "/submit"))
    adviser.post(plan_url(person, "/submit"), {"version": str(plan.version)}, status=303)
    db.session.refresh(plan)
    manager = PageClient(app).sign_in_as(world.manager)
    manager.get(plan_url(person, "/decision"))
    manager.post(plan_url(person, "/decision"), {"decision": "sign_off", "version": str(plan.version)}, status=303)
    return plan


def test_review_starts_a_new_draft_and_old_version_stays_readable_and_comparable(adviser, world, app):
    person = world.person
    first = _signed_off_plan(adviser, world, app)
    review = start(adviser, person)
    assert (review.number, review.status, review.based_on_id) == (2, PlanStatus.DRAFT, first.id)
    assert len(review.targets) == 9 and len(review.contingencies) == 2  # open targets and contingencies carried over
    write_area(adviser, person, PlanArea.HEALTH, "You are now registered with a dentist too.")
    page = adviser.get(plan_url(person, "/versions/1"))
    assert "You told me how health and development, including mental health is going for you." in page.text
    # The signed-off version cannot be edited: the edit routes only touch the draft.
    db.session.refresh(first)
    assert first.status is PlanStatus.ACTIVE
    assert next(a for a in first.areas if a.area is PlanArea.HEALTH).current_situation.startswith("You told me")
    page = adviser.get(plan_url(person, "/compare?from=1&to=2"))
    health = page.soup.select_one("#change-health").find_parent("section")
    assert "dentist" in " ".join(i.text for i in health.select("ins"))
    assert health.select_one("del")


def test_versions_list_and_compare_with_one_version(adviser, world):
    start(adviser, world.person)
    page = adviser.get(plan_url(world.person, "/versions"))
    assert [r.get_text(" ", strip=True).split()[0:2] for r in page.soup.select("#versions tbody tr")] == [["Version", "1"]]
    adviser.get(plan_url(world.person, "/compare"), status=303)
    adviser.get(plan_url(world.person, "/versions/9"), status=404)


def test_target_of_another_plan_is_404(adviser, world, make, app):
    start(adviser, world.person)
    add_target(adviser, world.person, PlanArea.FINANCE)
    target = db.session.scalars(select(Target)).one()
    other = make.young_person(world.adviser)
    start(adviser, other)
    adviser.get(f"/young-people/{other.id}/plan/targets/{target.id}", status=404)


def test_form_typed_after_a_time_out_comes_back_after_signing_in(client, world, frozen):
    person = world.person
    client.sign_in_as(world.adviser)
    start(client, person)
    client.get(plan_url(person, "/areas/health"))
    frozen.shift(timedelta(minutes=45))  # the PA went to make a phone call
    page = client.post(plan_url(person, "/areas/health"),
                       {"current_situation": "A long note typed before the time-out.", "version": "1"}, status=302)
    assert "/sign-in" in page.response.headers["Location"]
    saved = db.session.scalars(select(SavedForm)).one()
    assert saved.user_id == world.adviser.id and "csrf_token" not in saved.form_data
    signin = client.get("/sign-in")
    assert "we will bring back what you typed" in signin.text
    page = client.post("/sign-in", {"email": world.adviser.email, "password": "correct-horse-battery"}, status=303)
    restore = page.response.headers["Location"]
    assert restore.endswith(f"/plan/areas/health?restore={saved.id}")
    page = client.get(restore)
    assert page.soup.find("textarea", attrs={"name": "current_situation"}).text.strip() == "A long note typed before the time-out."
    client.post(plan_url(person, "/areas/health"), {"current_situation": "A long note typed before the time-out.",
                                                    "version": "1"}, status=303)
    entry = db.session.scalar(select(PlanAreaEntry).where(PlanAreaEntry.area == PlanArea.HEALTH))
    assert entry.current_situation == "A long note typed before the time-out."


def test_nothing_is_kept_after_a_deliberate_sign_out(client, world):
    client.sign_in_as(world.adviser)
    start(client, world.person)
    client.get(plan_url(world.person, "/areas/health"))
    token = client.token()
    client.post("/sign-out", status=303)
    client.post(plan_url(world.person, "/areas/health"), {"current_situation": "x", "version": "1", "csrf_token": token})
    assert db.session.scalars(select(SavedForm)).all() == []


def test_another_users_kept_form_cannot_be_restored(client, world, app, frozen):
    client.sign_in_as(world.adviser)
    start(client, world.person)
    client.get(plan_url(world.person, "/areas/health"))
    frozen.shift(timedelta(minutes=45))
    client.post(plan_url(world.person, "/areas/health"), {"current_situation": "private note", "version": "1"})
    saved = db.session.scalars(select(SavedForm)).one()
    colleague = PageClient(app).sign_in_as(world.colleague)
    colleague.get(plan_url(world.person, f"/areas/health?restore={saved.id}"), status=404)


def test_plan_page_query_count_does_not_grow_with_the_plan(adviser, world, app):
    from sqlalchemy import event

    start(adviser, world.person)

    def count_queries():
        statements = []
        engine = db.engine

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            adviser.get(plan_url(world.person))
        finally:
            event.remove(engine, "before_cursor_execute", before)
        return len(statements)

    add_target(adviser, world.person, PlanArea.FINANCE)
    small = count_queries()
    for n in range(12):
        add_target(adviser, world.person, PLAN_AREAS[n % 9 if n % 9 != 3 else 0], what=f"Target {n}")
    add_contingency(adviser, world.person, PlanArea.HEALTH)
    big = count_queries()
    assert small == big, (small, big)


def test_manager_home_lists_plans_waiting_for_sign_off(adviser, world, app):
    person = world.person
    start(adviser, person)
    complete_plan(adviser, person)
    plan = db.session.scalar(select(PathwayPlan))
    adviser.get(plan_url(person, "/submit"))
    adviser.post(plan_url(person, "/submit"), {"version": str(plan.version)}, status=303)
    manager = PageClient(app).sign_in_as(world.manager)
    home = manager.get("/manager").soup.select_one("#awaiting-sign-off a")
    assert home.get_text(strip=True) == "1 plan waiting for your sign-off" and home["href"] == "/manager/sign-off"
    links = manager.get("/manager/sign-off").soup.select("#sign-off-table tbody th a")
    assert [a.get_text(" ", strip=True) for a in links] == ["Jordan Taylor : sign off or return the plan"]
    assert links[0]["href"] == plan_url(person, "/decision")
    other = PageClient(app).sign_in_as(world.other_manager)
    assert other.get("/manager").soup.select("#awaiting-sign-off a") == []
    assert other.get("/manager/sign-off").soup.select("#sign-off-table") == []


def test_review_request_lands_on_the_advisers_home(adviser, world, app):
    from pathway.services import plans as plan_service

    plan_service.request_review(world.person, by=world.person_user, message="I am moving to college")
    page = adviser.get("/caseload")
    assert "Jordan Taylor asked for a plan review" in page.soup.select_one("#review-requests").text
    assert PageClient(app).sign_in_as(world.colleague).get("/caseload").soup.select_one("#review-requests") is None


def test_record_page_links_to_the_plan(adviser, world):
    page = adviser.get(f"/young-people/{world.person.id}")
    assert page.soup.select_one("#open-plan")["href"] == plan_url(world.person)


def test_changing_a_target_shows_its_saved_choices(adviser, world):
    start(adviser, world.person)
    add_target(adviser, world.person, PlanArea.HEALTH, responsible="adviser", status="in_progress")
    target = db.session.scalars(select(Target)).one()
    page = adviser.get(plan_url(world.person, f"/targets/{target.id}"))
    assert page.soup.select_one("select[name=area] option[selected]")["value"] == "health"
    assert page.soup.select_one("input[name=responsible][checked]")["value"] == "adviser"
    assert page.soup.select_one("input[name=status][checked]")["value"] == "in_progress"


def test_an_htmx_conflict_replaces_the_main_content(adviser, world):
    start(adviser, world.person)
    write_area(adviser, world.person, PlanArea.HEALTH, "Saved first.")
    response = adviser.request("post", plan_url(world.person, "/areas/health"), headers={"HX-Request": "true"},
                               data={"current_situation": "Stale.", "version": "1", "csrf_token": adviser.token()})
    assert response.status_code == 409
    # The conflict page's <main> replaces the plan page's, rather than nesting a page inside the area.
    assert (response.headers["HX-Retarget"], response.headers["HX-Reselect"]) == ("#main-content", "#main-content")
    assert "Stale." in response.get_data(as_text=True)


def test_decision_page_shows_the_plan_before_the_decision(adviser, world, app):
    person = world.person
    start(adviser, person)
    complete_plan(adviser, person)
    plan = db.session.scalar(select(PathwayPlan))
    adviser.get(plan_url(person, "/submit"))
    adviser.post(plan_url(person, "/submit"), {"version": str(plan.version)}, status=303)
    page = PageClient(app).sign_in_as(world.manager).get(plan_url(person, "/decision"))
    html = str(page.soup.main)
    assert html.index('id="area-contact_support"') < html.index('id="your-decision"')


def test_viewing_versions_and_the_decision_page_is_audited(adviser, world, app):
    person = world.person
    start(adviser, person)
    complete_plan(adviser, person)
    plan = db.session.scalar(select(PathwayPlan))
    adviser.get(plan_url(person, "/submit"))
    adviser.post(plan_url(person, "/submit"), {"version": str(plan.version)}, status=303)
    adviser.get(plan_url(person, "/versions"))
    PageClient(app).sign_in_as(world.manager).get(plan_url(person, "/decision"))
    events = db.session.execute(select(AuditEvent.action, AuditEvent.user_id).where(
        AuditEvent.young_person_id == person.id, AuditEvent.action.in_(("view", "view_versions")))).all()
    assert ("view_versions", world.adviser.id) in events
    assert ("view", world.manager.id) in events
