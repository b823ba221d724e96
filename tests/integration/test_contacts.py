"""Contacts and visits: recording one, the required focus on risk for visits, the history and what is due."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import AccommodationMove, AuditEvent, Contact
from pathway.queries.contacts import last_contacts_for, list_contacts_for
from tests.helpers import PageClient, count_queries

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture
def adviser(app, world, frozen):
    return PageClient(app).sign_in_as(world.adviser)


def url(person, suffix: str = "") -> str:
    return f"/young-people/{person.id}/contacts{suffix}"


VISIT = {
    "contact_date": ["20", "11", "2026"],
    "contact_time": "14:30",
    "kind": "home_visit",
    "reached": "yes",
    "with_whom": "Their partner, Sam",
    "seen_alone": "yes",
    "accommodation_seen": "yes",
    "home_safe": "no",
    "new_risks": ["debt", "mental_health"],
    "risk_notes": "Rent arrears of £400; low mood.",
    "wellbeing": "Tired but coping.",
    "next_steps": "PA to call the landlord by Friday.",
    "young_persons_view": "I want to stay here.",
    "in_touch": "YES",
    "activity": "F5",
}


def record(client, person, **changes):
    client.get(url(person, "/new"))
    data = {**VISIT, **changes}
    return client.post(url(person, "/new"), {k: v for k, v in data.items() if v is not None})


def contacts_of(person) -> list[Contact]:
    return list(db.session.scalars(select(Contact).where(Contact.young_person_id == person.id).order_by(Contact.id)))


def add_contact(person, when: datetime, kind: str = "phone", reached: bool = True, **fields) -> Contact:
    contact = Contact(young_person_id=person.id, contact_at=when, kind=kind, reached=reached, **fields)
    db.session.add(contact)
    db.session.commit()
    return contact


def test_a_visit_is_stored_exactly_and_audited(adviser, world):
    page = record(adviser, world.person)
    assert page.status == 303
    assert page.response.headers["Location"].endswith(url(world.person))
    [contact] = contacts_of(world.person)
    # 14:30 in London on 20 November is 14:30 UTC (no summer time).
    assert contact.contact_at.replace(tzinfo=UTC) == datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
    assert (contact.kind, contact.reached, contact.with_whom) == ("home_visit", True, "Their partner, Sam")
    assert (contact.seen_alone, contact.accommodation_seen, contact.home_safe_and_suitable) == (True, True, False)
    assert contact.new_risks == "debt,mental_health"
    assert contact.risk_notes == "Rent arrears of £400; low mood."
    assert contact.wellbeing == "Tired but coping."
    assert contact.next_steps == "PA to call the landlord by Friday."
    assert contact.young_persons_view == "I want to stay here."
    assert (contact.in_touch, contact.activity, contact.recorded_by_id) == ("YES", "F5", world.adviser.id)
    assert world.person.main_activity == "F5"
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.young_person_id == world.person.id, AuditEvent.action.in_(("create", "update")))))
    by_type = {e.record_type: e for e in events}
    assert by_type["contact"].record_id == contact.id
    assert "wellbeing" in by_type["contact"].changed_fields.split(",")
    assert by_type["young_person"].changed_fields == "main_activity"


def test_summer_time_is_stored_in_utc_and_shown_in_london_time(adviser, world):
    record(adviser, world.person, contact_date=["1", "7", "2026"], contact_time="09:05")
    [contact] = contacts_of(world.person)
    assert contact.contact_at.replace(tzinfo=UTC) == datetime(2026, 7, 1, 8, 5, tzinfo=UTC)
    page = adviser.get(url(world.person))
    assert "1 July 2026 at 9:05am" in page.soup.select_one(f"#contact-{contact.id}").get_text(" ", strip=True)


def test_a_visit_needs_the_focus_on_risk_need_and_vulnerability(adviser, world):
    page = record(adviser, world.person, home_safe=None, new_risks=None, wellbeing="", next_steps="  ")
    assert page.status == 200
    assert page.title.startswith("Error: ")
    assert page.errors() == [
        "Select whether their home is safe and suitable",
        "Select any new risks, or select no new risks",
        "Enter how they are: their wellbeing",
        "Enter what happens next",
    ]
    assert contacts_of(world.person) == []
    assert world.person.main_activity is None


def test_none_and_a_risk_cannot_both_be_chosen(adviser, world):
    page = record(adviser, world.person, new_risks=["none", "debt"])
    assert page.errors() == ["Select the new risks, or select no new risks, not both"]
    assert contacts_of(world.person) == []


def test_a_phone_call_does_not_need_the_visit_questions(adviser, world):
    page = record(adviser, world.person, kind="phone", home_safe=None, new_risks=None, wellbeing="", next_steps="",
                  seen_alone="yes", accommodation_seen="yes")
    assert page.status == 303
    [contact] = contacts_of(world.person)
    assert (contact.kind, contact.reached) == ("phone", True)
    assert contact.seen_alone is None and contact.accommodation_seen is None and contact.new_risks is None


def test_an_attempted_visit_is_not_reached_and_does_not_count_as_a_visit(adviser, world):
    record(adviser, world.person, contact_date=["2", "11", "2026"])
    page = adviser.get(url(world.person))
    assert page.soup.select_one("#summary-last-visit").get_text(strip=True) == "2 November 2026"
    page = record(adviser, world.person, kind="attempted_visit", reached="yes", home_safe=None, new_risks=None,
                  wellbeing="", next_steps="", in_touch="NO", activity="")
    assert page.status == 303, page.errors()
    attempt = contacts_of(world.person)[-1]
    assert (attempt.kind, attempt.reached, attempt.home_safe_and_suitable) == ("attempted_visit", False, None)
    page = adviser.get(url(world.person))
    assert page.soup.select_one("#summary-last-visit").get_text(strip=True) == "2 November 2026"
    assert "2 January 2027" in page.soup.select_one("#summary-next-visit").get_text(" ", strip=True)
    assert "Not seen" in page.soup.select_one(f"#contact-{attempt.id}").get_text(" ", strip=True)
    assert page.soup.select_one("#summary-in-touch").get_text(strip=True) == "NO: Not in touch"


@pytest.mark.parametrize(("changes", "message"), [
    ({"contact_date": ["23", "11", "2026"]}, "The date of the contact must be today or in the past"),
    ({"contact_date": ["31", "2", "2026"]}, "The date of the contact must be a real date"),
    ({"contact_date": ["", "", ""]}, "Enter the date of the contact"),
    ({"contact_date": ["1", "1", "2020"]}, "The date of the contact must be on or after their 16th birthday, 17 May 2023"),
    ({"contact_time": "25:00"}, "Enter a time, like 14:30"),
    ({"contact_time": ""}, "Enter a time, like 14:30"),
    ({"contact_time": "2pm"}, "Enter a time, like 14:30"),
    ({"contact_date": ["22", "11", "2026"], "contact_time": "10:01"}, "The time of the contact must be now or in the past"),
    ({"kind": "teleport"}, "Select the kind of contact"),
    ({"kind": None}, "Select the kind of contact"),
    ({"wellbeing": "x" * 5001}, "How they are: their wellbeing must be 5,000 characters or fewer"),
    ({"with_whom": "x" * 201}, "Who was there must be 200 characters or fewer"),
    ({"with_whom": "Sam\x00"}, "Who was there must not contain hidden or control characters"),
    ({"new_risks": ["aliens"]}, "Select the new risks from the list"),
    ({"in_touch": "MAYBE"}, "Choose an in touch status from the list"),
    ({"activity": "Z9"}, "Choose a main activity from the list"),
])
def test_bad_input_is_explained_and_nothing_is_saved(adviser, world, changes, message):
    page = record(adviser, world.person, **changes)
    assert page.status == 200
    assert message in page.errors()
    assert page.title.startswith("Error: ")
    assert contacts_of(world.person) == []


@pytest.mark.parametrize(("in_touch", "activity", "message"), [
    ("YES", "", "Select their main activity: they are in touch"),
    ("DIED", "F5", "Leave the main activity blank: the young person has died"),
])
def test_in_touch_is_checked_with_the_activity(adviser, world, in_touch, activity, message):
    page = record(adviser, world.person, in_touch=in_touch, activity=activity)
    assert page.errors() == [message]
    assert contacts_of(world.person) == []


def test_a_future_date_gives_one_message(adviser, world):
    page = record(adviser, world.person, contact_date=["23", "11", "2026"])
    assert page.errors() == ["The date of the contact must be today or in the past"]


def test_in_touch_yes_without_a_recorded_move_is_allowed_and_with_one_too(adviser, world):
    assert record(adviser, world.person).status == 303
    db.session.add(AccommodationMove(young_person_id=world.person.id, move_in=date(2026, 10, 1), code="U1"))
    db.session.commit()
    assert record(adviser, world.person, contact_date=["21", "11", "2026"]).status == 303
    assert len(contacts_of(world.person)) == 2


def test_script_is_stored_as_text_and_shown_inert(adviser, world):
    record(adviser, world.person, wellbeing="<script>alert(1)</script>", with_whom="<b>Sam</b>")
    page = adviser.get(url(world.person))
    assert page.soup.find("script", string="alert(1)") is None
    assert "<script>alert(1)</script>" in page.text
    assert page.soup.find("b", string="Sam") is None


def test_a_contact_before_a_move_is_allowed(adviser, world):
    db.session.add(AccommodationMove(young_person_id=world.person.id, move_in=date(2026, 11, 21), code="U1"))
    db.session.commit()
    assert record(adviser, world.person).status == 303
    page = adviser.get(url(world.person))
    assert "Within 7 days of the move on 21 November 2026" in page.soup.select_one("#summary-next-visit").text
    assert "28 November 2026" in page.soup.select_one("#summary-next-visit").text


def test_the_form_starts_from_today_and_in_touch(adviser, world):
    world.person.main_activity = "G6"
    db.session.commit()
    page = adviser.get(url(world.person, "/new"))
    assert page.title.startswith("Record a contact or visit")
    assert page.soup.find("input", attrs={"name": "contact_time"})["value"] == "10:00"
    assert page.soup.select_one("select[name=in_touch] option[selected]")["value"] == "YES"
    assert page.soup.select_one("select[name=activity] option[selected]")["value"] == "G6"


def test_a_link_can_choose_the_kind(adviser, world):
    page = adviser.get(url(world.person, "/new?kind=home_visit"))
    assert page.soup.select_one("input[name=kind][checked]")["value"] == "home_visit"
    page = adviser.get(url(world.person, "/new?kind=%3Cscript%3E"))
    assert page.soup.select_one("input[name=kind][checked]") is None


def test_a_very_long_time_is_one_message(adviser, world):
    page = record(adviser, world.person, contact_time="1" * 500)
    assert page.errors() == ["Enter a time, like 14:30"]


def test_the_list_is_newest_first_with_a_summary(adviser, world):
    add_contact(world.person, datetime(2026, 9, 10, 11, 0, tzinfo=UTC), "home_visit", wellbeing="Good",
                in_touch="YES", activity="F1")
    add_contact(world.person, datetime(2026, 10, 15, 9, 30, tzinfo=UTC), "phone", in_touch="YES")
    add_contact(world.person, datetime(2026, 11, 1, 16, 0, tzinfo=UTC), "attempted_visit", reached=False,
                in_touch="NO")
    world.person.main_activity = "F1"
    db.session.commit()
    page = adviser.get(url(world.person))
    assert page.h1 == "Contacts and visits"
    kinds = [k.get_text(strip=True) for k in page.soup.select("#contacts .app-contact__kind")]
    assert kinds == ["Attempted visit - not seen", "Phone", "Home visit"]
    whens = [w.get_text(strip=True) for w in page.soup.select("#contacts .app-contact__when")]
    assert whens == ["1 November 2026 at 4pm", "15 October 2026 at 10:30am", "10 September 2026 at 12pm"]
    summary = page.soup.select_one("#contact-summary")
    assert summary.select_one("#summary-in-touch").get_text(strip=True) == "NO: Not in touch"
    assert summary.select_one("#summary-activity").get_text(strip=True) == "F1: Full-time higher education"
    assert summary.select_one("#summary-last-visit").get_text(strip=True) == "10 September 2026"
    next_visit = summary.select_one("#summary-next-visit").get_text(" ", strip=True)
    assert "10 November 2026" in next_visit and "Overdue" in next_visit
    assert "2 months after the last visit on 10 September 2026" in next_visit
    next_contact = summary.select_one("#summary-next-contact").get_text(" ", strip=True)
    assert "10 December 2026" in next_contact  # 56 days after the phone call on 15 October
    assert "Overdue" not in next_contact


def test_with_no_contacts_the_clocks_start_at_allocation(adviser, world):
    page = adviser.get(url(world.person))
    assert page.soup.select_one("#no-contacts") is not None
    assert "2 months after the start on 6 January 2025" in page.soup.select_one("#summary-next-visit").text


def test_the_record_links_to_contacts(adviser, world):
    page = adviser.get(f"/young-people/{world.person.id}")
    assert page.soup.select_one("#open-contacts")["href"] == url(world.person)


@pytest.mark.parametrize("who", ["adviser", "manager"])
def test_allocated_adviser_and_team_manager_can_record(app, world, who):
    client = PageClient(app).sign_in_as(getattr(world, who))
    assert record(client, world.person).status == 303
    client.get(url(world.person))


@pytest.mark.parametrize("who", ["colleague", "other_adviser", "other_manager", "admin", "person_user"])
def test_others_get_404(app, world, who):
    client = PageClient(app).sign_in_as(getattr(world, who))
    client.get(url(world.person), status=404)
    client.get(url(world.person, "/new"), status=404)
    client.post(url(world.person, "/new"), VISIT, status=404)
    assert contacts_of(world.person) == []


def test_the_list_query_count_does_not_grow_with_contacts(adviser, world):

    def queries() -> int:
        return count_queries(lambda: adviser.get(url(world.person)))

    add_contact(world.person, datetime(2026, 1, 5, 10, tzinfo=UTC), "home_visit", recorded_by_id=world.adviser.id)
    small = queries()
    for n in range(9):
        add_contact(world.person, datetime(2026, 2, 1 + n, 10, tzinfo=UTC), "phone",
                    recorded_by_id=world.colleague.id if n % 2 else world.manager.id)
    large = queries()
    assert small == large, f"{small} queries with 1 contact, {large} with 10"


def test_last_contacts_for_is_one_query_for_many_people(world, make):
    add_contact(world.person, datetime(2026, 11, 1, 10, tzinfo=UTC), "phone")
    latest = add_contact(world.person, datetime(2026, 11, 2, 10, tzinfo=UTC), "home_visit")
    other = add_contact(world.other_person, datetime(2026, 10, 2, 10, tzinfo=UTC), "office")
    found = last_contacts_for([world.person.id, world.other_person.id, world.colleague_person.id])
    assert {k: v.id for k, v in found.items()} == {world.person.id: latest.id, world.other_person.id: other.id}
    assert [c.id for c in list_contacts_for(world.person.id)][0] == latest.id
    assert last_contacts_for([]) == {}
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 3


def test_record_page_shows_last_visit_and_next_visit_and_contact_due(client, world):
    from datetime import UTC, datetime

    import time_machine

    from pathway.extensions import db
    from pathway.models import Contact

    with time_machine.travel(datetime(2026, 11, 22, 12, tzinfo=UTC), tick=False):
        db.session.add(Contact(young_person_id=world.person.id, contact_at=datetime(2026, 10, 1, 10, tzinfo=UTC),
                               kind="home_visit", reached=True, in_touch="YES"))
        db.session.commit()
        page = client.sign_in_as(world.adviser).get(f"/young-people/{world.person.id}")
        summary = page.soup.select_one("#contact-summary").get_text(" ", strip=True)
    assert "Last visit 1 October 2026" in summary
    assert "Next visit due 1 December 2026" in summary  # two calendar months after the last visit
    assert "Next contact due 26 November 2026" in summary  # 56 days after the last contact
