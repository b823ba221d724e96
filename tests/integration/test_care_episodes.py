"""Care episodes on a young person's record: adding, changing and removing them, and the category they decide."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import AuditEvent, CareEpisode
from tests.helpers import PageClient

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
frozen = time_machine.travel(NOON, tick=False)

DOB_17 = date(2009, 3, 10)  # 17 on 22 November 2026; 15 on 10 March 2024


def add_episode(person, start, end=None, legal_status="C2", end_reason=None) -> CareEpisode:
    episode = CareEpisode(young_person_id=person.id, start_date=start, end_date=end, legal_status=legal_status,
                          end_reason=end_reason)
    db.session.add(episode)
    db.session.flush()
    return episode


def episodes_of(person) -> list[tuple]:
    db.session.expire_all()
    return [
        (e.start_date, e.end_date, e.legal_status, e.end_reason)
        for e in db.session.scalars(
            select(CareEpisode).where(CareEpisode.young_person_id == person.id).order_by(CareEpisode.start_date)
        )
    ]


def episode_count() -> int:
    return db.session.scalar(select(func.count()).select_from(CareEpisode))


def events_for(person, record_type="care_episode") -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.young_person_id == person.id, AuditEvent.record_type == record_type)
        .order_by(AuditEvent.id)
    ))


def category(page) -> str:
    return page.soup.select_one("#category .govuk-tag").get_text(strip=True)


def cards(page) -> list[list[str]]:
    """Each episode's card: its title, then the value of each row."""
    return [
        [card.select_one(".govuk-summary-card__title").get_text(" ", strip=True)]
        + [v.get_text(" ", strip=True) for v in card.select(".govuk-summary-list__value")]
        for card in page.soup.select("#care-episodes-list .govuk-summary-card")
    ]


def form(**changes) -> dict:
    data = {"start_date": ["1", "6", "2024"], "end_date": ["", "", ""], "legal_status": "C2", "end_reason": ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def seventeen(make):
    """A 17-year-old on their adviser's caseload, and the adviser signed in."""
    adviser = make.adviser(name="Pat Adviser")
    person = make.young_person(adviser, dob=DOB_17, given_name="Jordan", family_name="Taylor")
    return adviser, person


# Adding


@frozen
def test_adding_an_episode_stores_it_audits_it_and_updates_the_category(client, seventeen):
    adviser, person = seventeen
    client.sign_in_as(adviser)
    record = client.get(f"/young-people/{person.id}")
    assert category(record) == "Not a care leaver"
    link = record.soup.find("a", href=f"/young-people/{person.id}/care-episodes/new")
    assert link.get_text(strip=True) == "Add a care episode"

    page = client.get(f"/young-people/{person.id}/care-episodes/new")
    assert page.h1 == "Add a care episode"
    hint = page.soup.find(id="end_date-hint").get_text(" ", strip=True)
    assert "Leave blank if they are still looked after" in hint
    assert "the day care ended" in hint
    options = [o.get_text(strip=True) for o in page.soup.select("#legal_status option")]
    assert "C2: Full care order" in options
    assert "V2: Single period of accommodation under section 20" in options

    saved = client.post(f"/young-people/{person.id}/care-episodes/new", form(), status=303)

    assert saved.response.headers["Location"] == f"/young-people/{person.id}#care-episodes"
    assert episodes_of(person) == [(date(2024, 6, 1), None, "C2", None)]
    [created] = events_for(person)
    assert (created.action, created.user_id) == ("create", adviser.id)
    assert created.changed_field_list == ["legal_status", "start_date"]

    record = client.get(f"/young-people/{person.id}")
    assert "The care episode has been added." in record.text
    assert category(record) == "Eligible"
    assert cards(record) == [["From 1 June 2024, still looked after", "C2: Full care order", "Not ended"]]
    actions = record.soup.select("#care-episodes-list .govuk-summary-card__actions a")
    episode_id = db.session.scalars(select(CareEpisode.id)).one()
    assert [(a["href"], a.get_text(" ", strip=True)) for a in actions] == [
        (f"/young-people/{person.id}/care-episodes/{episode_id}",
         "Change (From 1 June 2024, still looked after)"),
        (f"/young-people/{person.id}/care-episodes/{episode_id}/remove",
         "Remove (From 1 June 2024, still looked after)"),
    ]


@frozen
def test_ending_the_episode_makes_an_eligible_17_year_old_relevant(client, seventeen):
    adviser, person = seventeen
    episode = add_episode(person, date(2024, 6, 1))
    client.sign_in_as(adviser)
    assert category(client.get(f"/young-people/{person.id}")) == "Eligible"

    page = client.get(f"/young-people/{person.id}/care-episodes/{episode.id}")
    assert page.h1 == "Change a care episode"
    assert [page.soup.find(id=f"start_date-{p}")["value"] for p in ("day", "month", "year")] == ["01", "06", "2024"]
    assert page.soup.select_one("#legal_status option[selected]")["value"] == "C2"
    version = page.soup.find("input", attrs={"name": "version"})["value"]

    client.post(f"/young-people/{person.id}/care-episodes/{episode.id}", form(
        end_date=["1", "9", "2026"], end_reason="E4A", version=version), status=303)

    assert episodes_of(person) == [(date(2024, 6, 1), date(2026, 9, 1), "C2", "E4A")]
    [changed] = events_for(person)
    assert (changed.action, changed.record_id, changed.changed_field_list) == (
        "update", episode.id, ["end_date", "end_reason"])
    record = client.get(f"/young-people/{person.id}")
    assert "The care episode has been changed." in record.text
    assert category(record) == "Relevant"
    assert "You left care on 1 September 2026." in record.text
    assert cards(record) == [[
        "1 June 2024 to 1 September 2026", "C2: Full care order",
        "E4A: Returned home to live with parents or other person with parental responsibility as part of the "
        "care planning process",
    ]]


@frozen
def test_short_breaks_do_not_count(client, seventeen):
    adviser, person = seventeen
    client.sign_in_as(adviser)
    client.post(f"/young-people/{person.id}/care-episodes/new", form(legal_status="V3"), status=303)
    record = client.get(f"/young-people/{person.id}")
    assert category(record) == "Not a care leaver"
    assert "Pre-planned short breaks (legal status V3 or V4) do not count as care here." in record.text


@frozen
def test_removing_an_episode_asks_first_then_removes_and_audits(client, seventeen):
    adviser, person = seventeen
    keep = add_episode(person, date(2023, 1, 9), date(2023, 2, 1), end_reason="E13")
    episode = add_episode(person, date(2024, 6, 1))
    episode_id = episode.id
    client.sign_in_as(adviser)

    confirm = client.get(f"/young-people/{person.id}/care-episodes/{episode_id}/remove")
    assert confirm.h1 == "Remove this care episode?"
    assert "1 June 2024" in confirm.text
    assert episode_count() == 2  # nothing happens on GET

    done = client.post(f"/young-people/{person.id}/care-episodes/{episode_id}/remove", status=303)

    assert done.response.headers["Location"] == f"/young-people/{person.id}#care-episodes"
    assert episodes_of(person) == [(keep.start_date, keep.end_date, "C2", "E13")]
    [removed] = events_for(person)
    assert (removed.action, removed.record_id, removed.user_id) == ("delete", episode_id, adviser.id)
    record = client.get(f"/young-people/{person.id}")
    assert "The care episode has been removed." in record.text
    assert category(record) == "Not a care leaver"


def test_removing_needs_a_csrf_token(client, seventeen):
    adviser, person = seventeen
    episode = add_episode(person, date(2024, 6, 1))
    client.sign_in_as(adviser)
    client.post(f"/young-people/{person.id}/care-episodes/{episode.id}/remove", csrf=False, status=400)
    assert episode_count() == 1


@frozen
def test_the_team_manager_can_add_an_episode(client, world):
    client.sign_in_as(world.manager)
    client.post(f"/young-people/{world.person.id}/care-episodes/new",
                form(start_date=["4", "1", "2022"], end_date=["17", "5", "2025"], end_reason="E17"), status=303)
    assert episodes_of(world.person) == [(date(2022, 1, 4), date(2025, 5, 17), "C2", "E17")]
    assert category(client.get(f"/young-people/{world.person.id}")) == "Former relevant"


@frozen
def test_episodes_can_follow_one_another_without_a_gap(client, seventeen):
    adviser, person = seventeen
    add_episode(person, date(2023, 1, 9), date(2024, 6, 1), legal_status="V2", end_reason="E41")
    client.sign_in_as(adviser)
    # The end date is the first day no longer looked after, so the next episode can start that day.
    client.post(f"/young-people/{person.id}/care-episodes/new", form(start_date=["1", "6", "2024"]), status=303)
    assert len(episodes_of(person)) == 2


@frozen
def test_changing_an_episode_does_not_clash_with_itself(client, seventeen):
    adviser, person = seventeen
    episode = add_episode(person, date(2024, 6, 1))
    client.sign_in_as(adviser)
    client.post(f"/young-people/{person.id}/care-episodes/{episode.id}",
                form(start_date=["1", "5", "2024"], version=str(episode.version)), status=303)
    assert episodes_of(person) == [(date(2024, 5, 1), None, "C2", None)]


# Bad input: a clear message, and no row changes

BAD = [
    pytest.param({"start_date": ["", "", ""]}, "start_date", "Enter the date care started", id="no-start"),
    pytest.param({"start_date": ["31", "6", "2024"]}, "start_date", "The start date must be a real date",
                 id="start-impossible"),
    pytest.param({"start_date": ["1", "", "2024"]}, "start_date", "The start date must include a month",
                 id="start-partial"),
    pytest.param({"start_date": ["9", "3", "2009"]}, "start_date",
                 "The start date must be on or after their date of birth, 10 March 2009", id="start-before-birth"),
    pytest.param({"start_date": ["23", "11", "2026"]}, "start_date", "The start date must be today or in the past",
                 id="start-tomorrow"),
    pytest.param({"end_date": ["1", "5", "2024"], "end_reason": "E13"}, "end_date",
                 "The end date must be after the start date", id="end-before-start"),
    pytest.param({"end_date": ["1", "6", "2024"], "end_reason": "E13"}, "end_date",
                 "The end date must be after the start date", id="end-equals-start"),
    pytest.param({"end_date": ["23", "11", "2026"], "end_reason": "E13"}, "end_date",
                 "The end date must be today or in the past", id="end-tomorrow"),
    pytest.param({"end_date": ["1", "9", "2026"]}, "end_reason", "Select why care ended", id="end-without-reason"),
    pytest.param({"end_reason": "E13"}, "end_date", "Enter the date care ended, or choose 'Not ended' for why care ended",
                 id="reason-without-end"),
    pytest.param({"end_date": ["1", "9", "2026"], "end_reason": "E99"}, "end_reason", "Select why care ended",
                 id="unknown-reason"),
    pytest.param({"legal_status": ""}, "legal_status", "Select the legal status", id="no-legal-status"),
    pytest.param({"legal_status": "<script>"}, "legal_status", "Select the legal status", id="unknown-legal-status"),
    pytest.param({"legal_status": None}, "legal_status", "Select the legal status", id="legal-status-not-sent"),
]


@frozen
@pytest.mark.parametrize(("changes", "field_id", "message"), BAD)
def test_bad_episodes_are_explained_and_nothing_is_stored(client, seventeen, changes, field_id, message):
    adviser, person = seventeen
    client.sign_in_as(adviser)

    page = client.post(f"/young-people/{person.id}/care-episodes/new", form(**changes), status=200)

    assert page.title.startswith("Error: Add a care episode for Jordan Taylor")
    assert page.errors() == [message]
    assert page.soup.find(id=f"{field_id}-error").get_text(" ", strip=True) == f"Error: {message}"
    assert episode_count() == 0
    assert events_for(person) == []


@frozen
@pytest.mark.parametrize(("start", "end", "message"), [
    (["1", "1", "2025"], ["1", "3", "2025"], "This episode overlaps one from 1 June 2024 to 1 February 2025"),
    (["1", "1", "2024"], ["2", "6", "2024"], "This episode overlaps one from 1 June 2024 to 1 February 2025"),
    (["1", "1", "2024"], ["1", "1", "2026"], "This episode overlaps one from 1 June 2024 to 1 February 2025"),
    (["1", "3", "2025"], ["1", "4", "2025"], "This episode overlaps one from 1 March 2025 to now"),
])
def test_overlapping_episodes_are_refused(client, seventeen, start, end, message):
    adviser, person = seventeen
    add_episode(person, date(2024, 6, 1), date(2025, 2, 1), end_reason="E13")
    add_episode(person, date(2025, 3, 1))
    client.sign_in_as(adviser)
    before = episodes_of(person)

    page = client.post(f"/young-people/{person.id}/care-episodes/new",
                       form(start_date=start, end_date=end, end_reason="E13"), status=200)

    assert page.errors() == [message]
    assert episodes_of(person) == before
    assert events_for(person) == []


@frozen
def test_only_one_episode_can_be_open(client, seventeen):
    adviser, person = seventeen
    add_episode(person, date(2025, 3, 1))
    client.sign_in_as(adviser)
    page = client.post(f"/young-people/{person.id}/care-episodes/new",
                       form(start_date=["1", "6", "2024"]), status=200)
    assert page.errors() == [
        "Only one episode can have no end date: enter the end date, or first add the end date to the "
        "episode from 1 March 2025"
    ]
    assert episode_count() == 1


@frozen
def test_a_change_that_would_overlap_is_refused_and_changes_nothing(client, seventeen):
    adviser, person = seventeen
    first = add_episode(person, date(2024, 6, 1), date(2025, 2, 1), end_reason="E13")
    add_episode(person, date(2025, 3, 1))
    client.sign_in_as(adviser)
    before = episodes_of(person)
    page = client.post(f"/young-people/{person.id}/care-episodes/{first.id}",
                       form(start_date=["1", "6", "2024"], end_date=["2", "3", "2025"], end_reason="E13",
                            version=str(first.version)), status=200)
    assert page.title.startswith("Error: Change a care episode for Jordan Taylor")
    assert page.errors() == ["This episode overlaps one from 1 March 2025 to now"]
    assert episodes_of(person) == before
    assert events_for(person) == []


@frozen
def test_every_problem_is_listed_at_once_and_typed_values_are_kept(client, seventeen):
    adviser, person = seventeen
    client.sign_in_as(adviser)
    page = client.post(f"/young-people/{person.id}/care-episodes/new",
                       form(start_date=["23", "11", "2026"], end_date=["1", "9", "2026"], legal_status=""), status=200)
    assert page.errors() == [
        "The start date must be today or in the past",
        "Select the legal status",
        "Select why care ended",
    ]
    assert [page.soup.find(id=f"end_date-{p}")["value"] for p in ("day", "month", "year")] == ["1", "9", "2026"]


@frozen
def test_a_stale_change_is_a_conflict_and_overwrites_nothing(client, seventeen):
    adviser, person = seventeen
    episode = add_episode(person, date(2024, 6, 1))
    client.sign_in_as(adviser)
    page = client.get(f"/young-people/{person.id}/care-episodes/{episode.id}")
    version = page.soup.find("input", attrs={"name": "version"})["value"]

    episode.legal_status = "V2"  # someone else saves first
    db.session.commit()

    conflict = client.post(f"/young-people/{person.id}/care-episodes/{episode.id}",
                           form(end_date=["1", "9", "2026"], end_reason="E4A", version=version), status=409)

    assert conflict.h1 == "Someone else changed this care episode while you were editing"
    differences = [[c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
                   for row in conflict.soup.select("#conflict tbody tr")]
    assert differences == [
        ["End date", "Not given", "1 September 2026"],
        ["Legal status", "V2", "C2"],
        ["Why care ended", "Not given", "E4A"],
    ]
    assert episodes_of(person) == [(date(2024, 6, 1), None, "V2", None)]
    assert events_for(person) == []
    assert conflict.soup.find("input", attrs={"name": "version"})["value"] == str(episode.version)


# Whose episodes


@frozen
@pytest.mark.parametrize(("method", "suffix"), [("get", ""), ("post", ""), ("get", "/remove"), ("post", "/remove")])
def test_another_young_persons_episode_is_not_found(client, world, method, suffix):
    theirs = add_episode(world.colleague_person, date(2024, 6, 1))
    mine = add_episode(world.person, date(2022, 1, 4))
    client.sign_in_as(world.adviser)
    url = f"/young-people/{world.person.id}/care-episodes/{theirs.id}{suffix}"
    response = client.request(method, url, data={**form(end_date=["1", "9", "2026"], end_reason="E13"),
                                                 "version": "1", "csrf_token": client.token()})
    assert response.status_code == 404
    assert episodes_of(world.colleague_person) == [(date(2024, 6, 1), None, "C2", None)]
    assert episodes_of(world.person) == [(mine.start_date, None, "C2", None)]
    client.get(f"/young-people/{world.person.id}/care-episodes/999999", status=404)


@pytest.mark.parametrize("suffix", ["care-episodes/new", "care-episodes/{episode}", "care-episodes/{episode}/remove"])
@pytest.mark.parametrize("who", ["other_adviser", "colleague", "other_manager", "admin", "person_user"])
def test_users_who_may_not_see_the_record_get_404(app, world, suffix, who):
    episode = add_episode(world.person, date(2022, 1, 4))
    client = PageClient(app).sign_in_as(getattr(world, who))
    url = f"/young-people/{world.person.id}/" + suffix.format(episode=episode.id)
    client.get(url, status=404)
    response = client.request("post", url, data={**form(start_date=["1", "1", "2021"], end_date=["2", "1", "2021"],
                                                        end_reason="E13"),
                                                  "version": str(episode.version), "csrf_token": client.token()})
    assert response.status_code == 404
    assert episodes_of(world.person) == [(date(2022, 1, 4), None, "C2", None)]
    assert events_for(world.person) == []


@frozen
def test_the_access_log_names_episode_changes_without_their_values(client, world):
    client.sign_in_as(world.manager)
    client.post(f"/young-people/{world.person.id}/care-episodes/new",
                form(start_date=["4", "1", "2022"], end_date=["17", "5", "2025"], end_reason="E17"), status=303)
    episode = db.session.scalars(select(CareEpisode)).one()
    client.post(f"/young-people/{world.person.id}/care-episodes/{episode.id}/remove", status=303)
    page = client.get(f"/young-people/{world.person.id}/access-log", htmx=True)
    what = [row.find_all("td")[2].get_text(" ", strip=True) for row in page.soup.select("tbody tr")]
    assert "Removed a care episode" in what
    assert "Added a care episode: end date, end reason, legal status, start date" in what
    assert "2022" not in page.text and "E17" not in page.text
