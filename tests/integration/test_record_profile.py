"""The young person's record: category and key dates, changing their details (with conflicts), and "About me"."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import event, select

from pathway.extensions import db
from pathway.models import (
    Allocation,
    AuditEvent,
    CareEpisode,
    PathwayPlan,
    PlanStatus,
    ReviewReason,
    YoungPerson,
)
from pathway.services import page_cache
from tests.helpers import PageClient

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
frozen = time_machine.travel(NOON, tick=False)

DOB_17 = date(2009, 3, 10)  # 17 on 22 November 2026


def add_episode(person, start, end=None, legal_status="C2", end_reason=None) -> CareEpisode:
    episode = CareEpisode(young_person_id=person.id, start_date=start, end_date=end, legal_status=legal_status,
                          end_reason=end_reason)
    db.session.add(episode)
    db.session.flush()
    return episode


def add_plan(person, plan_date, status, number=1) -> PathwayPlan:
    plan = PathwayPlan(young_person_id=person.id, number=number, status=status, reason=ReviewReason.FIRST_PLAN,
                       plan_date=plan_date)
    db.session.add(plan)
    db.session.flush()
    return plan


def rows(node) -> dict[str, str]:
    return {
        row.select_one(".govuk-summary-list__key").get_text(" ", strip=True):
        row.select_one(".govuk-summary-list__value").get_text(" ", strip=True)
        for row in node.select(".govuk-summary-list__row")
    }


def key_dates(page) -> list[tuple[str, str]]:
    return [
        (row.select_one("dt").get_text(" ", strip=True), row.select_one("dd").get_text(" ", strip=True))
        for row in page.soup.select("#key-dates > div")
    ]


def category(page) -> str:
    return page.soup.select_one("#category .govuk-tag").get_text(strip=True)


def reasons(page) -> list[str]:
    return [li.get_text(" ", strip=True) for li in page.soup.select("#category-reasons li")]


def events_for(person, action=None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.young_person_id == person.id).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def stored(person) -> YoungPerson:
    db.session.expire_all()
    return db.session.get(YoungPerson, person.id)


# The record page: category, key dates, details, About me


@frozen
def test_record_shows_the_category_with_its_reasons(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, dob=DOB_17)
    add_episode(person, date(2024, 6, 1))
    client.sign_in_as(adviser)

    page = client.get(f"/young-people/{person.id}")

    assert category(page) == "Eligible"
    summary = page.soup.select_one("#category + details .govuk-details__summary-text").get_text(" ", strip=True)
    assert summary == "Why they are eligible"
    assert reasons(page) == [
        "You are 17.",
        "You are looked after now.",
        "You have been looked after for 905 days since your 14th birthday (13 weeks are needed).",
    ]


@frozen
def test_someone_with_no_care_history_is_not_a_care_leaver_and_is_told_why(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, dob=DOB_17)
    client.sign_in_as(adviser)
    page = client.get(f"/young-people/{person.id}")
    assert category(page) == "Not a care leaver"
    assert "There is no record of you being looked after." in reasons(page)
    assert page.soup.find(id="no-episodes") is not None


@frozen
def test_former_relevant_at_19(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, dob=date(2007, 5, 17))
    add_episode(person, date(2021, 6, 1), date(2025, 5, 17), end_reason="E17")
    client.sign_in_as(adviser)
    page = client.get(f"/young-people/{person.id}")
    assert category(page) == "Former relevant"
    assert "You were looked after when you turned 18." in reasons(page)


@frozen
def test_key_dates_without_a_signed_off_plan(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, dob=DOB_17)
    add_episode(person, date(2024, 6, 1))
    add_plan(person, date(2026, 11, 1), PlanStatus.DRAFT)  # a draft is not signed off
    client.sign_in_as(adviser)

    page = client.get(f"/young-people/{person.id}")

    assert key_dates(page) == [
        ("Needs assessment due", "10 June 2025 (passed)"),
        ("18th birthday", "10 March 2027"),
        ("21st birthday", "10 March 2030"),
        ("25th birthday", "10 March 2034"),
        ("Next review due", "No signed-off plan yet"),
    ]


@frozen
def test_next_review_is_six_calendar_months_after_the_signed_off_plan(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, dob=DOB_17)
    add_episode(person, date(2024, 6, 1))
    add_plan(person, date(2026, 2, 1), PlanStatus.SUPERSEDED, number=1)
    add_plan(person, date(2026, 8, 31), PlanStatus.ACTIVE, number=2)
    add_plan(person, date(2026, 11, 20), PlanStatus.SUBMITTED, number=3)  # not signed off yet
    client.sign_in_as(adviser)

    page = client.get(f"/young-people/{person.id}")

    assert key_dates(page) == [
        ("Needs assessment due", "10 June 2025 (passed)"),
        ("Next review due", "28 February 2027"),  # 31 August + 6 months: the end of February
        ("18th birthday", "10 March 2027"),
        ("21st birthday", "10 March 2030"),
        ("25th birthday", "10 March 2034"),
    ]


@frozen
def test_an_overdue_review_is_marked(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, dob=date(2007, 5, 17))
    add_plan(person, date(2026, 5, 21), PlanStatus.ACTIVE)
    client.sign_in_as(adviser)
    page = client.get(f"/young-people/{person.id}")
    assert ("Next review due", "21 November 2026 Overdue") in key_dates(page)
    assert ("18th birthday", "17 May 2025 (passed)") in key_dates(page)


@frozen
def test_needs_assessment_runs_from_becoming_eligible_when_that_is_after_16(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, dob=DOB_17)
    add_episode(person, date(2026, 1, 5))  # looked after from 16 and 10 months: eligible 91 days later
    client.sign_in_as(adviser)
    page = client.get(f"/young-people/{person.id}")
    assert category(page) == "Eligible"
    assert ("Needs assessment due", "5 July 2026 (passed)") in key_dates(page)  # 5 April 2026 + 3 months


@frozen
def test_record_shows_pronouns_language_and_a_change_link(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, given_name="Alexander", family_name="Nowak", preferred_name="Lex",
                               pronouns="they/them", first_language="Polish", dob=date(2008, 11, 22))
    client.sign_in_as(adviser)
    page = client.get(f"/young-people/{person.id}")
    details = rows(page.soup.select_one("#details"))
    assert details["Legal name"] == "Alexander Nowak"
    assert details["Preferred name"] == "Lex"
    assert details["Pronouns"] == "they/them"
    assert details["First language"] == "Polish"
    assert details["Date of birth"] == "22 November 2008 (age 18)"
    link = page.soup.find("a", href=f"/young-people/{person.id}/profile")
    assert link.get_text(" ", strip=True) == "Change Lex Nowak's details"


@frozen
def test_staff_read_about_me_in_the_young_persons_words(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, given_name="Jordan", preferred_name="Jay",
                               about_me="I like football.\nPlease <b>call</b> before visiting.",
                               about_me_updated_at=datetime(2026, 10, 3, 9, 30, tzinfo=UTC))
    client.sign_in_as(adviser)
    page = client.get(f"/young-people/{person.id}")

    text = page.soup.find(id="about-me-text")
    assert text.get_text() == "I like football.\nPlease <b>call</b> before visiting."
    assert text.find("b") is None  # shown as typed, never as markup
    assert page.soup.find(id="about-me-note").get_text(" ", strip=True) == (
        "Written by Jay in their own words. Last updated 3 October 2026."
    )
    # Staff can read it but there is nothing to edit it with.
    assert page.soup.find("textarea") is None
    assert page.soup.find("a", href="/me/about-me") is None


def test_about_me_not_written_yet(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, given_name="Rae")
    client.sign_in_as(adviser)
    page = client.get(f"/young-people/{person.id}")
    assert page.soup.find(id="about-me-text") is None
    assert page.soup.find(id="about-me-note").get_text(" ", strip=True).startswith("Rae has not written anything here yet.")


def test_the_team_manager_sees_the_same_record(client, world):
    add_episode(world.person, date(2022, 1, 4), date(2025, 5, 17), end_reason="E17")
    client.sign_in_as(world.manager)
    page = client.get(f"/young-people/{world.person.id}")
    assert category(page) == "Former relevant"
    assert page.soup.find("a", href=f"/young-people/{world.person.id}/profile") is not None
    assert page.soup.find("a", href=f"/young-people/{world.person.id}/care-episodes/new") is not None


def test_the_record_page_uses_the_same_number_of_queries_however_long_the_history(client, app, make):
    team = make.team()
    adviser = make.adviser(team)
    small = make.young_person(adviser, dob=date(2007, 5, 17), email="small@example.com")
    add_episode(small, date(2022, 1, 4))
    add_plan(small, date(2026, 6, 1), PlanStatus.ACTIVE)

    large = make.young_person(adviser, dob=date(2007, 5, 17), email="large@example.com", account=True)
    for year in range(2019, 2025):  # six episodes
        add_episode(large, date(year, 1, 10), date(year, 6, 1), legal_status="V2", end_reason="E13")
    previous = [make.adviser(team) for _ in range(3)]
    for n, old in enumerate(previous):  # three previous advisers, and the current one
        db.session.add(Allocation(young_person_id=large.id, adviser_id=old.id, start_date=date(2021 + n, 1, 4),
                                  end_date=date(2021 + n, 12, 31)))
    add_plan(large, date(2025, 6, 1), PlanStatus.SUPERSEDED, number=1)
    add_plan(large, date(2026, 6, 1), PlanStatus.ACTIVE, number=2)
    db.session.flush()
    client.sign_in_as(adviser)
    client.get(f"/young-people/{small.id}")  # warm up

    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def queries_for(person) -> int:
        page_cache.clear(app)  # the budget is for working the page out, not for a repeat view kept in memory
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            page = client.get(f"/young-people/{person.id}")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert page.h1 == person.display_name
        return len(statements)

    small_count = queries_for(small)
    large_count = queries_for(large)
    assert len(client.get(f"/young-people/{large.id}").soup.select("#care-episodes-list .govuk-summary-card")) == 6
    assert small_count == large_count, f"{small_count} queries for 1 episode, {large_count} for 6"
    assert large_count <= 15


# Changing their details

VALID = {
    "given_name": "Jordan",
    "family_name": "Taylor",
    "preferred_name": "Jay",
    "pronouns": "they/them",
    "first_language": "English",
    "date_of_birth": ["17", "5", "2007"],
    "phone": "07700 900 982",
    "email": "jay@example.com",
}


def profile_form(page, **changes) -> dict:
    data = dict(VALID)
    data["version"] = page.soup.find("input", attrs={"name": "version"})["value"]
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@frozen
def test_the_form_is_filled_in_with_their_details(client, world):
    world.person.pronouns = "she/her"
    db.session.flush()
    client.sign_in_as(world.adviser)
    page = client.get(f"/young-people/{world.person.id}/profile")
    assert page.title.startswith("Change Jordan Taylor's details")
    assert page.soup.find(id="given_name")["value"] == "Jordan"
    assert page.soup.find(id="pronouns")["value"] == "she/her"
    assert [page.soup.find(id=f"date_of_birth-{p}")["value"] for p in ("day", "month", "year")] == ["17", "05", "2007"]
    assert page.soup.find("input", attrs={"name": "version"})["value"] == str(world.person.version)
    assert page.soup.find("textarea") is None  # "About me" is not here


@frozen
def test_saving_details_stores_them_audits_the_field_names_and_redirects(client, world):
    version = world.person.version
    client.sign_in_as(world.adviser)
    page = client.get(f"/young-people/{world.person.id}/profile")

    saved = client.post(f"/young-people/{world.person.id}/profile", profile_form(page), status=303)

    assert saved.response.headers["Location"] == f"/young-people/{world.person.id}"
    person = stored(world.person)
    assert (person.preferred_name, person.pronouns, person.first_language, person.phone, person.email) == (
        "Jay", "they/them", "English", "07700 900 982", "jay@example.com")
    assert person.version == version + 1
    [change] = events_for(person, "update")
    assert (change.user_id, change.record_type, change.record_id) == (world.adviser.id, "young_person", person.id)
    assert change.changed_field_list == ["email", "first_language", "phone", "preferred_name", "pronouns"]
    record = client.get(f"/young-people/{person.id}")
    assert "Jay Taylor's details have been saved." in record.text
    assert rows(record.soup.select_one("#details"))["Pronouns"] == "they/them"


@frozen
def test_saving_without_changes_writes_nothing(client, world):
    version = world.person.version
    client.sign_in_as(world.adviser)
    page = client.get(f"/young-people/{world.person.id}/profile")
    client.post(f"/young-people/{world.person.id}/profile", profile_form(
        page, preferred_name="", pronouns="", first_language="", phone="", email=world.person.email or ""),
        status=303)
    assert stored(world.person).version == version
    assert events_for(world.person, "update") == []


@frozen
def test_changing_the_date_of_birth_changes_the_category(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, given_name="Jordan", family_name="Taylor", dob=DOB_17)
    add_episode(person, date(2024, 6, 1), date(2026, 9, 1), end_reason="E13")
    client.sign_in_as(adviser)
    assert category(client.get(f"/young-people/{person.id}")) == "Relevant"
    page = client.get(f"/young-people/{person.id}/profile")
    client.post(f"/young-people/{person.id}/profile", profile_form(page, date_of_birth=["10", "3", "2008"]),
                status=303)
    assert category(client.get(f"/young-people/{person.id}")) == "Former relevant"
    assert events_for(person, "update")[0].changed_field_list == [
        "date_of_birth", "email", "first_language", "phone", "preferred_name", "pronouns"]


def test_the_team_manager_can_change_details(client, world):
    client.sign_in_as(world.manager)
    page = client.get(f"/young-people/{world.colleague_person.id}/profile")
    client.post(f"/young-people/{world.colleague_person.id}/profile",
                profile_form(page, given_name="Callum", family_name="Robson", date_of_birth=["17", "5", "2007"]),
                status=303)
    assert stored(world.colleague_person).pronouns == "they/them"
    assert events_for(world.colleague_person, "update")[0].user_id == world.manager.id


BAD_DETAILS = [
    pytest.param({"given_name": ""}, "given_name", "Enter their first name", id="no-first-name"),
    pytest.param({"family_name": "  "}, "family_name", "Enter their last name", id="blank-last-name"),
    pytest.param({"pronouns": "x" * 41}, "pronouns", "Pronouns must be 40 characters or fewer", id="pronouns-41"),
    pytest.param({"first_language": "x" * 61}, "first_language", "First language must be 60 characters or fewer",
                 id="language-61"),
    pytest.param({"pronouns": "she\u202eher"}, "pronouns", "Pronouns must not contain hidden or control characters",
                 id="pronouns-bidi"),
    pytest.param({"date_of_birth": ["23", "11", "2026"]}, "date_of_birth", "Date of birth must be in the past",
                 id="dob-tomorrow"),
    pytest.param({"date_of_birth": ["31", "2", "2008"]}, "date_of_birth", "Date of birth must be a real date",
                 id="dob-impossible"),
    pytest.param({"date_of_birth": ["", "", ""]}, "date_of_birth", "Enter their date of birth", id="dob-empty"),
    pytest.param({"date_of_birth": ["22", "11", "2000"]}, "date_of_birth",
                 "Date of birth must be less than 26 years ago: leaving care support ends at 25", id="dob-26"),
    pytest.param({"email": "nope"}, "email", "Enter an email address in the correct format, like name@example.com",
                 id="email"),
    pytest.param({"phone": "call me"}, "phone", "Enter a phone number, like 07700 900 982", id="phone"),
]


@frozen
@pytest.mark.parametrize(("changes", "field_id", "message"), BAD_DETAILS)
def test_bad_details_are_explained_and_nothing_is_stored(client, world, changes, field_id, message):
    version = world.person.version
    client.sign_in_as(world.adviser)
    page = client.get(f"/young-people/{world.person.id}/profile")

    page = client.post(f"/young-people/{world.person.id}/profile", profile_form(page, **changes), status=200)

    assert page.title.startswith("Error: Change Jordan Taylor's details")
    assert page.errors() == [message]
    assert page.soup.find(id=f"{field_id}-error").get_text(" ", strip=True) == f"Error: {message}"
    person = stored(world.person)
    assert (person.given_name, person.family_name, person.pronouns, person.date_of_birth, person.version) == (
        "Jordan", "Taylor", None, date(2007, 5, 17), version)
    assert events_for(world.person, "update") == []


@frozen
def test_an_adviser_cannot_write_about_me_through_the_details_form(client, world):
    world.person.about_me = "My words."
    db.session.flush()
    client.sign_in_as(world.adviser)
    page = client.get(f"/young-people/{world.person.id}/profile")
    client.post(f"/young-people/{world.person.id}/profile",
                profile_form(page, about_me="The adviser's words.", about_me_updated_at="2026-01-01"), status=303)
    person = stored(world.person)
    assert person.about_me == "My words."
    assert person.about_me_updated_at is None
    assert "about_me" not in events_for(world.person, "update")[0].changed_field_list


# Two people changing the same record


@frozen
def test_a_stale_save_shows_both_values_and_overwrites_nothing(client, world):
    version = world.person.version
    client.sign_in_as(world.adviser)
    page = client.get(f"/young-people/{world.person.id}/profile")
    mine = profile_form(page, given_name="Jordan", phone="07700 900 111")

    # Meanwhile the manager changes the phone number and the first name.
    person = db.session.get(YoungPerson, world.person.id)
    person.given_name = "Jordanne"
    person.phone = "07700 900 222"
    db.session.commit()
    assert person.version == version + 1

    conflict = client.post(f"/young-people/{world.person.id}/profile", mine, status=409)

    assert conflict.h1 == "Someone else changed this record while you were editing"
    differences = [[c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
                   for row in conflict.soup.select("#conflict tbody tr")]
    assert differences == [
        ["First name", "Jordanne", "Jordan"],
        ["Preferred name", "Not given", "Jay"],
        ["Pronouns", "Not given", "they/them"],
        ["First language", "Not given", "English"],
        ["Mobile phone", "07700 900 222", "07700 900 111"],
        ["Email address", "Not given", "jay@example.com"],
    ]
    # Nothing was overwritten or audited.
    person = stored(world.person)
    assert (person.given_name, person.phone, person.pronouns, person.version) == (
        "Jordanne", "07700 900 222", None, version + 1)
    assert events_for(world.person, "update") == []
    # The form keeps what they typed, with the new version, so saving again keeps theirs.
    assert conflict.soup.find(id="phone")["value"] == "07700 900 111"
    assert conflict.soup.find(id="pronouns")["value"] == "they/them"
    assert conflict.soup.find("input", attrs={"name": "version"})["value"] == str(version + 1)

    again = dict(mine, version=str(version + 1))
    client.post(f"/young-people/{world.person.id}/profile", again, status=303)
    person = stored(world.person)
    assert (person.given_name, person.phone, person.pronouns, person.version) == (
        "Jordan", "07700 900 111", "they/them", version + 2)


@frozen
@pytest.mark.parametrize("version", ["", "abc", "99999999999999999999"])
def test_a_missing_or_garbled_version_is_a_conflict_not_a_crash(client, world, version):
    before = world.person.version
    client.sign_in_as(world.adviser)
    page = client.get(f"/young-people/{world.person.id}/profile")
    client.post(f"/young-people/{world.person.id}/profile", profile_form(page, version=version), status=409)
    assert stored(world.person).version == before


@frozen
def test_the_young_person_writing_about_me_does_not_make_an_open_edit_a_conflict(client, app, world):
    client.sign_in_as(world.adviser)
    page = client.get(f"/young-people/{world.person.id}/profile")

    young_person = PageClient(app).sign_in_as(world.person_user)
    young_person.post("/me/about-me", {"about_me": "Things I want you to know.", "version": "1"}, status=303)

    client.post(f"/young-people/{world.person.id}/profile", profile_form(page), status=303)
    person = stored(world.person)
    assert (person.pronouns, person.about_me) == ("they/them", "Things I want you to know.")


# "About me": the young person's own page


@frozen
def test_the_young_person_writes_about_me_and_it_is_stored_and_audited(client, world):
    client.sign_in_as(world.person_user)
    home = client.get("/me")
    link = home.soup.find("a", href="/me/about-me")
    assert link.get_text(strip=True) == "Write about yourself"

    page = client.get("/me/about-me")
    assert page.h1 == "About me"
    hint = page.soup.find(id="about_me-hint").get_text(" ", strip=True)
    assert hint.startswith("Tell your story in your own words: what matters to you")
    assert page.soup.find("textarea", attrs={"name": "about_me"}) is not None

    saved = client.post("/me/about-me", {"about_me": "I am training to be a chef.\r\nI have a dog called Biscuit.",
                                          "version": "1"},
                        status=303)
    assert saved.response.headers["Location"] == "/me"

    version = world.person.version
    person = stored(world.person)
    assert person.about_me == "I am training to be a chef.\nI have a dog called Biscuit."
    assert person.about_me_updated_at == NOON
    assert person.version == version  # their story does not touch the version staff edit against
    [change] = events_for(person, "update")
    assert (change.user_id, change.role, change.changed_field_list) == (world.person_user.id, "young_person", ["about_me"])

    home = client.get("/me")
    assert "Your story has been saved." in home.text
    assert home.soup.find("a", href="/me/about-me").get_text(strip=True) == "Read or change your story"
    again = client.get("/me/about-me")
    assert again.soup.find("textarea").get_text() .strip() == "I am training to be a chef.\nI have a dog called Biscuit."

    adviser = PageClient(client.app).sign_in_as(world.adviser)
    record = adviser.get(f"/young-people/{world.person.id}")
    assert record.soup.find(id="about-me-text").get_text() == person.about_me
    assert "Written by Jordan in their own words. Last updated 22 November 2026." in record.text


@frozen
def test_about_me_of_exactly_5000_characters_is_accepted_and_5001_refused(client, world):
    client.sign_in_as(world.person_user)
    page = client.post("/me/about-me", {"about_me": "x" * 5001}, status=200)
    assert page.title.startswith("Error: About me")
    assert page.errors() == ["Your story must be 5,000 characters or fewer"]
    assert page.soup.find("textarea").get_text().strip() == "x" * 5001  # nothing they typed is lost
    assert stored(world.person).about_me is None
    assert events_for(world.person, "update") == []

    client.post("/me/about-me", {"about_me": "x" * 5000, "version": "1"}, status=303)
    assert stored(world.person).about_me == "x" * 5000


@frozen
def test_about_me_refuses_control_characters(client, world):
    client.sign_in_as(world.person_user)
    page = client.post("/me/about-me", {"about_me": "hello\x00there"}, status=200)
    assert page.errors() == ["Your story must not contain hidden or control characters"]
    assert stored(world.person).about_me is None


@frozen
def test_clearing_about_me_stores_nothing(client, world):
    world.person.about_me = "Old words"
    db.session.flush()
    client.sign_in_as(world.person_user)
    client.post("/me/about-me", {"about_me": "   ", "version": "1"}, status=303)
    assert stored(world.person).about_me is None


@pytest.mark.parametrize("who", ["adviser", "manager", "admin"])
def test_staff_cannot_open_the_about_me_page(app, world, who):
    client = PageClient(app).sign_in_as(getattr(world, who))
    client.get("/me/about-me", status=404)
    response = client.request("post", "/me/about-me", data={"csrf_token": client.token(), "about_me": "Not theirs"})
    assert response.status_code == 404
    assert stored(world.person).about_me is None


def test_about_me_needs_a_csrf_token(client, world):
    client.sign_in_as(world.person_user)
    client.post("/me/about-me", {"about_me": "Hi"}, csrf=False, status=400)
    assert stored(world.person).about_me is None


# Who may change details


@pytest.mark.parametrize("who", ["other_adviser", "colleague", "other_manager", "admin", "person_user"])
def test_users_who_may_not_see_the_record_cannot_change_details(app, world, who):
    version = world.person.version
    client = PageClient(app).sign_in_as(getattr(world, who))
    client.get(f"/young-people/{world.person.id}/profile", status=404)
    data = dict(VALID, version=str(version), csrf_token=client.token())
    response = client.request("post", f"/young-people/{world.person.id}/profile", data=data)
    assert response.status_code == 404
    person = stored(world.person)
    assert (person.pronouns, person.version) == (None, version)


@frozen
def test_a_save_that_races_another_is_refused_by_the_version_check_in_the_database(client, world, monkeypatch):
    """Someone saves between this request's check and its UPDATE: the UPDATE matches no row, nothing is half-saved."""
    from sqlalchemy import text

    from pathway.services import records

    version = world.person.version
    client.sign_in_as(world.adviser)
    page = client.get(f"/young-people/{world.person.id}/profile")
    real_changed_fields = records.audit.changed_fields

    def sneak_in_first(*args, **kwargs):
        db.session.execute(text("UPDATE young_person SET version = version + 1 WHERE id = :id"), {"id": world.person.id})
        return real_changed_fields(*args, **kwargs)

    monkeypatch.setattr(records.audit, "changed_fields", sneak_in_first)
    conflict = client.post(f"/young-people/{world.person.id}/profile", profile_form(page), status=409)
    monkeypatch.undo()

    assert conflict.h1 == "Someone else changed this record while you were editing"
    person = stored(world.person)
    assert (person.pronouns, person.version) == (None, version)
    assert events_for(world.person, "update") == []
