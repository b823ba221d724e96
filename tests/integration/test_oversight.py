"""Management oversight (issue 6 section 4): notes on a record, the timeline, and supervision of advisers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import AccommodationMove, Allocation, AuditEvent, Contact, CouncilSetting
from pathway.models.oversight import OversightKind, OversightNote, Supervision
from pathway.services import oversight as oversight_service
from tests.helpers import PageClient, count_queries
from tests.plan_builders import build_plan

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


def note_url(person) -> str:
    return f"/manager/young-people/{person.id}/oversight"


def record_url(person) -> str:
    return f"/young-people/{person.id}"


def timeline_url(person) -> str:
    return f"/young-people/{person.id}/timeline"


def note_form(**overrides) -> dict:
    return {"kind": "case_direction", "noted_on": ["20", "11", "2026"],
            "note": "Arrange a joint visit with housing this week.\nReview the tenancy by Friday.", **overrides}


def notes_for(person) -> list[OversightNote]:
    return list(db.session.scalars(select(OversightNote).where(OversightNote.young_person_id == person.id)))


# --- adding a note ---------------------------------------------------------------------------------

def test_form_defaults_to_today_and_says_notes_cannot_be_changed(client: PageClient, world):
    client.sign_in_as(world.manager)
    page = client.get(note_url(world.person))
    assert page.h1 == "Add a management oversight note"
    assert "You cannot change a note once saved. To correct one, add another." in page.text
    assert page.soup.select_one("input[name=noted_on]")["value"] == "22"
    assert [i["value"] for i in page.soup.select("input[name=kind]")] == ["supervision", "case_direction", "audit"]
    assert "It counts as the adviser's supervision on this date." in page.text  # a hint on each kind


def test_manager_adds_a_note_shown_on_record_and_timeline(client: PageClient, world):
    client.sign_in_as(world.manager)
    client.get(note_url(world.person))
    response = client.post(note_url(world.person), note_form(), status=303)
    assert response.response.headers["Location"].endswith(f"{record_url(world.person)}#oversight")
    [note] = notes_for(world.person)
    assert (note.kind, note.noted_on, note.adviser_id, note.by_id) == (
        "case_direction", date(2026, 11, 20), world.adviser.id, world.manager.id)
    assert note.note == "Arrange a joint visit with housing this week.\nReview the tenancy by Friday."
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "create", AuditEvent.record_type == "oversight_note", AuditEvent.record_id == note.id,
        AuditEvent.young_person_id == world.person.id, AuditEvent.user_id == world.manager.id)) == 1

    record = client.get(record_url(world.person))
    shown = record.soup.select_one(f"#oversight-note-{note.id}")
    text = shown.get_text(" ", strip=True)
    assert "Case direction" in text and "20 November 2026" in text and "Manager North" in text
    body = shown.select_one(".app-pre-wrap")
    assert "app-break-words" in body["class"] and "\n" in body.get_text()  # line breaks kept
    assert "Case direction" in record.soup.select_one("#record-timeline").get_text(" ", strip=True)
    assert record.soup.select_one("#add-oversight-note") is not None

    timeline = client.get(timeline_url(world.person))
    item = timeline.soup.select_one("#timeline-events .app-timeline__oversight")
    assert "Management oversight" in item.get_text(" ", strip=True)
    assert "Case direction" in item.get_text(" ", strip=True)
    assert "by Manager North" in item.get_text(" ", strip=True)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"note": "   "}, "Enter the note"),
    ({"noted_on": ["23", "11", "2026"]}, "The date must be today or in the past"),
    ({"noted_on": ["", "", ""]}, "Enter the date"),
    ({"noted_on": ["31", "2", "2026"]}, "The date must be a real date"),
    ({"kind": "gossip"}, "Select what kind of note this is"),
    ({"kind": ""}, "Select what kind of note this is"),
    ({"noted_on": ["16", "5", "2007"]}, "The date must be on or after their date of birth, 17 May 2007"),
    ({"note": "x" * 10_001}, "The note must be 10,000 characters or fewer"),
    ({"note": "bad\x00text"}, "The note must not contain hidden or control characters"),
])
def test_bad_notes_are_refused_with_errors_and_nothing_saved(client: PageClient, world, overrides, message):
    client.sign_in_as(world.manager)
    client.get(note_url(world.person))
    page = client.post(note_url(world.person), note_form(**overrides), status=200)
    assert message in page.errors()
    assert page.title.startswith("Error: ")
    assert notes_for(world.person) == []


def test_note_on_the_date_of_birth_is_allowed(client: PageClient, world):
    client.sign_in_as(world.manager)
    client.get(note_url(world.person))
    client.post(note_url(world.person), note_form(noted_on=["17", "5", "2007"], kind="audit"), status=303)
    assert [(n.kind, n.noted_on) for n in notes_for(world.person)] == [("audit", date(2007, 5, 17))]


def test_another_teams_manager_gets_404(client: PageClient, world):
    client.sign_in_as(world.other_manager)
    client.get(note_url(world.person), status=404)
    client.post(note_url(world.person), note_form(), status=404)
    client.get(timeline_url(world.person), status=404)
    assert notes_for(world.person) == []


def test_adviser_cannot_add_a_note_but_sees_them(client: PageClient, world):
    oversight_service.add_note(world.person, by=world.manager, kind=OversightKind.AUDIT, noted_on=date(2026, 11, 1),
                               note="The plan is good; the contingency plan needs more detail.")
    client.sign_in_as(world.adviser)
    client.get(note_url(world.person), status=404)
    client.post(note_url(world.person), note_form(), status=404)
    assert len(notes_for(world.person)) == 1
    record = client.get(record_url(world.person))
    notes = record.soup.select_one("#oversight-notes").get_text(" ", strip=True)
    assert "Case audit" in notes and "1 November 2026" in notes and "contingency plan needs more detail" in notes
    assert record.soup.select_one("#add-oversight-note") is None
    assert "Case audit" in client.get(timeline_url(world.person)).text


def test_record_without_notes_says_so(client: PageClient, world):
    client.sign_in_as(world.adviser)
    record = client.get(record_url(world.person))
    assert "No management oversight notes have been added." in record.text
    assert record.soup.select_one("#open-timeline")["href"] == timeline_url(world.person)


# --- the timeline ----------------------------------------------------------------------------------

def add_history(person, adviser, manager, n: int = 1) -> None:
    for i in range(n):
        db.session.add(Contact(young_person_id=person.id, contact_at=NOW - timedelta(days=30 + i), kind="home_visit",
                               reached=True, recorded_by_id=adviser.id))
        db.session.add(Contact(young_person_id=person.id, contact_at=NOW - timedelta(days=40 + i), kind="phone",
                               reached=False, recorded_by_id=adviser.id))
        db.session.add(AccommodationMove(young_person_id=person.id, move_in=TODAY - timedelta(days=60 + i), code="U1",
                                         recorded_by_id=adviser.id))
        db.session.add(OversightNote(young_person_id=person.id, kind="supervision", noted_on=TODAY - timedelta(days=5 + i),
                                     note=f"Discussed in supervision {i}", adviser_id=adviser.id, by_id=manager.id))
    db.session.commit()


def test_timeline_merges_every_source_newest_first(client: PageClient, make, world):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        build_plan(make, world.person, world.adviser, world.manager, today=date(2026, 3, 2))
    add_history(world.person, world.adviser, world.manager)
    client.sign_in_as(world.adviser)
    page = client.get(timeline_url(world.person))
    items = [li.get_text(" ", strip=True) for li in page.soup.select("#timeline-events > li")]
    assert len(items) == 6
    assert items[0].startswith("17 November 2026") and "Supervision discussion" in items[0]
    assert items[1].startswith("23 October 2026") and "Home visit" in items[1] and "by Adviser One" in items[1]
    assert items[2].startswith("13 October 2026") and "Phone" in items[2] and "They were not reached." in items[2]
    assert items[3].startswith("23 September 2026") and "Moved into Independent living (U1)" in items[3]
    assert items[4].startswith("2 March 2026") and "Pathway plan signed off (version 1)" in items[4]
    assert "by Manager North" in items[4]
    assert items[5].startswith("6 January 2025") and "Allocated to Adviser One" in items[5]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.record_type == "timeline", AuditEvent.young_person_id == world.person.id)) == 1


def test_returned_plan_and_reallocation_show_on_the_timeline(client: PageClient, world):
    from pathway.services import plans as plan_service

    with time_machine.travel(datetime(2026, 11, 10, 9, 0, tzinfo=UTC), tick=False):
        plan = plan_service.start_plan(world.person, by=world.adviser, today=date(2026, 11, 10))
        from pathway.models import PlanStatus
        plan.status = PlanStatus.SUBMITTED
        db.session.commit()
        plan_service.return_plan(plan, expected_version=plan.version, manager=world.manager,
                                 comments="Add targets for health.")
    current = db.session.scalar(select(Allocation).where(Allocation.young_person_id == world.person.id))
    current.end_date = date(2026, 11, 15)
    db.session.add(Allocation(young_person_id=world.person.id, adviser_id=world.colleague.id,
                              start_date=date(2026, 11, 15), reason="Caseload balancing",
                              allocated_by_id=world.manager.id))
    db.session.commit()
    client.sign_in_as(world.manager)
    items = [li.get_text(" ", strip=True) for li in client.get(timeline_url(world.person)).soup.select(
        "#timeline-events > li")]
    assert "Allocated to Adviser Two" in items[0] and "Caseload balancing" in items[0] and "by Manager North" in items[0]
    assert "Pathway plan returned to the personal adviser (version 1)" in items[1]
    assert "Add targets for health." in items[1] and "by Manager North" in items[1]


def test_timeline_fragment_and_oversight_filter(client: PageClient, world):
    add_history(world.person, world.adviser, world.manager)
    client.sign_in_as(world.manager)
    fragment = client.get(f"{timeline_url(world.person)}?show=oversight", htmx=True)
    assert fragment.soup.find("h1") is None
    items = fragment.soup.select("#timeline-events > li")
    assert len(items) == 1 and "Discussed in supervision 0" in items[0].get_text(" ", strip=True)
    full = client.get(f"{timeline_url(world.person)}?show=oversight")
    assert full.h1 == "Timeline" and len(full.soup.select("#timeline-events > li")) == 1
    assert len(client.get(f"{timeline_url(world.person)}?show=nonsense").soup.select("#timeline-events > li")) == 5


def test_record_shows_ten_latest_events(client: PageClient, world):
    add_history(world.person, world.adviser, world.manager, n=4)  # 16 events and the allocation
    client.sign_in_as(world.adviser)
    record = client.get(record_url(world.person))
    on_record = [li.get_text(" ", strip=True) for li in record.soup.select("#record-timeline > li")]
    notes = [n.get_text(" ", strip=True) for n in record.soup.select("#oversight-notes .app-oversight-note")]
    assert [n.split(" by ")[0] for n in notes] == [
        "Supervision discussion 17 November 2026 ,", "Supervision discussion 16 November 2026 ,",
        "Supervision discussion 15 November 2026 ,"]
    assert "Discussed in supervision 0" in notes[0]
    full = [li.get_text(" ", strip=True) for li in client.get(timeline_url(world.person)).soup.select(
        "#timeline-events > li")]
    assert len(full) == 17
    assert on_record == full[:10]  # the record's one-query version agrees with the full timeline


def test_timeline_and_record_query_counts_do_not_grow(client: PageClient, world):
    add_history(world.person, world.adviser, world.manager)
    client.sign_in_as(world.manager)
    timeline, record = timeline_url(world.person), record_url(world.person)
    client.get(timeline)
    small = count_queries(lambda: client.get(timeline))
    small_record = count_queries(lambda: client.get(record))
    add_history(world.person, world.adviser, world.manager, n=6)
    large = count_queries(lambda: client.get(timeline))
    large_record = count_queries(lambda: client.get(record))
    assert large == small
    assert large_record == small_record


# --- supervision -----------------------------------------------------------------------------------

SUPERVISION = "/manager/supervision"


def supervision_url(adviser) -> str:
    return f"/manager/advisers/{adviser.id}/supervision"


def row_text(page, adviser) -> str:
    return page.soup.select_one(f"#supervision-{adviser.id}").get_text(" ", strip=True)


def test_supervision_page_flags_overdue_advisers(client: PageClient, make, world):
    world.adviser.started_role_on = date(2026, 6, 1)  # first year: every 4 weeks
    world.colleague.started_role_on = date(2020, 1, 6)  # every 6 weeks
    newcomer = make.adviser(world.north, name="Adviser Three")
    newcomer.started_role_on = date(2026, 11, 2)  # never supervised, started 20 days ago
    make.adviser(world.north, name="Gone Adviser", active=False)
    db.session.commit()
    # 35 days ago: overdue in the first year (due 20 October + 28 days = 20 November... see below).
    oversight_service.record_supervision(world.adviser, by=world.manager, held_on=date(2026, 10, 18), notes=None)
    # The colleague's supervision discussion on a record counts, and is later than the session.
    oversight_service.record_supervision(world.colleague, by=world.manager, held_on=date(2026, 9, 1), notes="Fine")
    db.session.add(OversightNote(young_person_id=world.colleague_person.id, kind="supervision",
                                 noted_on=date(2026, 10, 18), note="Discussed", adviser_id=world.colleague.id,
                                 by_id=world.manager.id))
    db.session.commit()
    client.sign_in_as(world.manager)
    page = client.get(SUPERVISION)
    assert page.h1 == "Supervision of personal advisers"
    adviser = row_text(page, world.adviser)
    assert "18 October 2026" in adviser and "Every 4 weeks" in adviser and "first year" in adviser
    assert "15 November 2026" in adviser and "Overdue" in adviser  # 18 October + 28 days
    colleague = row_text(page, world.colleague)
    assert "18 October 2026" in colleague and "Every 6 weeks" in colleague
    assert "29 November 2026" in colleague and "Overdue" not in colleague  # 18 October + 42 days
    new = row_text(page, newcomer)
    assert "None recorded" in new and "30 November 2026" in new and "Overdue" not in new  # 2 November + 28 days
    assert "Gone Adviser" not in page.text
    assert "Adviser South" not in page.text
    assert "1 overdue" in page.soup.select_one("#supervision-overdue-count").get_text(" ", strip=True)
    fragment = client.get(SUPERVISION, htmx=True)
    assert fragment.soup.find("h1") is None and "Overdue" in row_text(fragment, world.adviser)


def test_supervision_standard_is_configurable(client: PageClient, world):
    world.colleague.started_role_on = date(2020, 1, 6)
    db.session.add(CouncilSetting(key="supervision_weeks", value="3"))
    db.session.commit()
    oversight_service.record_supervision(world.colleague, by=world.manager, held_on=date(2026, 10, 25), notes=None)
    client.sign_in_as(world.manager)
    colleague = row_text(client.get(SUPERVISION), world.colleague)
    assert "Every 3 weeks" in colleague and "15 November 2026" in colleague and "Overdue" in colleague


def test_manager_records_a_supervision(client: PageClient, world):
    client.sign_in_as(world.manager)
    page = client.get(supervision_url(world.adviser))
    assert "None recorded" not in page.text and "none recorded" in page.text
    client.post(supervision_url(world.adviser), {"held_on": ["21", "11", "2026"], "notes": "Talked about caseload."},
                status=303)
    [session] = db.session.scalars(select(Supervision).where(Supervision.adviser_id == world.adviser.id)).all()
    assert (session.held_on, session.notes, session.by_id) == (date(2026, 11, 21), "Talked about caseload.",
                                                               world.manager.id)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.record_type == "supervision"))
    assert audit.record_id == session.id and audit.young_person_id is None and audit.user_id == world.manager.id
    assert "21 November 2026" in row_text(client.get(SUPERVISION), world.adviser)


@pytest.mark.parametrize(("held_on", "message"), [
    (["23", "11", "2026"], "The date of the supervision must be today or in the past"),
    (["", "", ""], "Enter the date of the supervision"),
    (["32", "1", "2026"], "The date of the supervision must be a real date"),
])
def test_record_supervision_errors(client: PageClient, world, held_on, message):
    client.sign_in_as(world.manager)
    client.get(supervision_url(world.adviser))
    page = client.post(supervision_url(world.adviser), {"held_on": held_on, "notes": ""}, status=200)
    assert message in page.errors()
    assert db.session.scalar(select(func.count()).select_from(Supervision)) == 0


def test_other_teams_adviser_is_404_and_advisers_cannot_use_supervision(client: PageClient, world):
    client.sign_in_as(world.manager)
    client.get(supervision_url(world.other_adviser), status=404)
    client.post(supervision_url(world.other_adviser), {"held_on": ["21", "11", "2026"]}, status=404)
    client.get(supervision_url(world.manager), status=404)  # not an adviser
    adviser = PageClient(client.app).sign_in_as(world.adviser)
    adviser.get(SUPERVISION, status=404)
    adviser.get(supervision_url(world.adviser), status=404)
    assert db.session.scalar(select(func.count()).select_from(Supervision)) == 0


def test_supervision_query_count_does_not_grow(client: PageClient, make, world):
    client.sign_in_as(world.manager)
    client.get(SUPERVISION)
    small = count_queries(lambda: client.get(SUPERVISION))
    for n in range(4):
        extra = make.adviser(world.north, name=f"Extra {n}")
        oversight_service.record_supervision(extra, by=world.manager, held_on=date(2026, 11, 1 + n), notes=None)
    large = count_queries(lambda: client.get(SUPERVISION))
    assert large == small


# --- the admin's supervision standard ----------------------------------------------------------------

def test_admin_sets_the_supervision_standard(client: PageClient, world):
    client.sign_in_as(world.admin)
    page = client.get("/admin/supervision-standard")
    assert page.soup.select_one("input[name=first_year_weeks]")["value"] == "4"
    bad = client.post("/admin/supervision-standard", {"first_year_weeks": "0", "weeks": "six"}, status=200)
    assert bad.errors() == ["Weeks in the first year must be a whole number from 1 to 52",
                            "Weeks after the first year must be a whole number from 1 to 52"]
    version = page.soup.find("input", attrs={"name": "version"})["value"]
    client.post("/admin/supervision-standard", {"first_year_weeks": "2", "weeks": "8", "version": version}, status=303)
    assert oversight_service.supervision_standard() == oversight_service.SupervisionStandard(2, 8)
    manager = PageClient(client.app).sign_in_as(world.manager)
    manager.get("/admin/supervision-standard", status=404)
    assert "every 2 weeks" in manager.get(SUPERVISION).text
