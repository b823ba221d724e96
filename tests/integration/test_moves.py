"""Accommodation history: the timeline of moves, recording a move, and the record header."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import AccommodationMove, AuditEvent
from pathway.queries.moves import current_accommodation, current_accommodation_for, list_moves_for
from pathway.rules.accommodation import SUITABILITY_FACTORS
from tests.helpers import count_queries

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
ALL_YES = {key: "yes" for key in SUITABILITY_FACTORS}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture
def adviser(client, world):
    return client.sign_in_as(world.adviser)


def url(person, suffix: str = "") -> str:
    return f"/young-people/{person.id}/accommodation{suffix}"


def move_data(**overrides) -> dict:
    data = {"move_in": ["3", "11", "2026"], "accommodation_type": "U", **ALL_YES, "suitability_notes": "",
            "address": "12 Church Street\nMiddlesbrough", "postcode": "ts1 3bx", "provider": "Tees Homes",
            "registered_provider": ""}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def record(client, person, **overrides):
    client.get(url(person, "/new"))
    return client.post(url(person, "/new"), move_data(**overrides))


def moves_of(person) -> list[AccommodationMove]:
    return list(db.session.scalars(select(AccommodationMove).where(AccommodationMove.young_person_id == person.id)))


def add_move(person, day: date, code: str = "U1", postcode: str | None = None) -> AccommodationMove:
    move = AccommodationMove(young_person_id=person.id, move_in=day, code=code, postcode=postcode,
                             suitable={"1": True, "2": False}.get(code[1:]),
                             **{key: code.endswith("1") for key in SUITABILITY_FACTORS})
    db.session.add(move)
    db.session.commit()
    return move


# --- recording a move -------------------------------------------------------------------------------

def test_a_good_move_is_stored_exactly_and_audited(adviser, world):
    page = record(adviser, world.person, status=303)
    assert page.response.headers["Location"] == url(world.person)
    [move] = moves_of(world.person)
    assert (move.move_in, move.code, move.suitable, move.address, move.postcode, move.provider,
            move.registered_provider, move.recorded_by_id) == (
        date(2026, 11, 3), "U1", True, "12 Church Street\nMiddlesbrough", "TS1 3BX", "Tees Homes", None,
        world.adviser.id)
    assert all(getattr(move, key) is True for key in SUITABILITY_FACTORS)
    db.session.refresh(world.person)
    assert world.person.home_postcode == "TS1 3BX"
    assert world.person.independent_move_on == date(2026, 11, 3)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(["create", "update"]))
                                .order_by(AuditEvent.id)).all()
    assert [(e.action, e.record_type, e.young_person_id) for e in events] == [
        ("create", "accommodation_move", world.person.id), ("update", "young_person", world.person.id)]
    assert "postcode" in events[0].changed_fields and "safety" in events[0].changed_fields
    assert events[1].changed_fields == "home_postcode,independent_move_on"


def test_an_unsuitable_answer_gives_suffix_2_with_reasons(adviser, world):
    record(adviser, world.person, state_of_repair="no", suitability_notes="Damp in the bedroom", status=303)
    [move] = moves_of(world.person)
    assert (move.code, move.suitable, move.state_of_repair) == ("U2", False, False)
    page = adviser.get(url(world.person))
    timeline = page.soup.select_one(f"#move-{move.id}").get_text(" ", strip=True)
    assert "U2: Independent living" in timeline and "Unsuitable" in timeline
    assert "Not suitable: state of repair" in timeline and "Damp in the bedroom" in timeline


def test_independent_move_on_is_not_changed_once_set(adviser, world):
    world.person.independent_move_on = date(2026, 1, 5)
    db.session.commit()
    record(adviser, world.person, status=303)
    db.session.refresh(world.person)
    assert world.person.independent_move_on == date(2026, 1, 5)


def test_an_older_move_recorded_later_does_not_change_the_home_postcode(adviser, world):
    add_move(world.person, date(2026, 10, 1), postcode="TS2 1AA")
    world.person.home_postcode = "TS2 1AA"
    db.session.commit()
    record(adviser, world.person, move_in=["1", "6", "2026"], postcode="LS1 4AP", accommodation_type="B", status=303)
    db.session.refresh(world.person)
    assert world.person.home_postcode == "TS2 1AA"
    assert current_accommodation(world.person.id).postcode == "TS2 1AA"


FIELD_ERRORS = [
    ({"move_in": ["16", "5", "2007"]}, "The date of the move must be on or after their date of birth (17 May 2007)"),
    ({"move_in": ["23", "11", "2026"]}, "The date of the move must be today or in the past"),
    ({"move_in": ["", "", ""]}, "Enter the date of the move"),
    ({"move_in": ["31", "2", "2026"]}, "The date of the move must be a real date"),
    ({"accommodation_type": "Q"}, '"Q" is not an accommodation code: use a letter from the list, such as U for '
                                  "independent living"),
    ({"accommodation_type": ""}, "Select the type of accommodation"),
    ({"accommodation_type": "Z", "move_in": ["16", "5", "2025"]},
     "Staying put can only start from their 18th birthday (17 May 2025): choose another type of accommodation"),
    ({"safety": None}, "Select whether the accommodation is safe"),
    ({"young_persons_view": "maybe"}, "Select whether they think it is suitable"),
    ({"postcode": "TS1"}, "Enter a real postcode, like TS1 3BX"),
    ({"address": "x" * 501}, "Address must be 500 characters or fewer"),
    ({"address": "Flat\x001"}, "Address must not contain hidden or control characters"),
    ({"accommodation_type": "D", "move_in": ["10", "1", "2024"]}, "Select whether the provider is registered with Ofsted"),
]


@pytest.mark.parametrize(("overrides", "message"), FIELD_ERRORS)
def test_bad_input_is_refused_with_its_message_and_nothing_saved(adviser, world, overrides, message):
    page = record(adviser, world.person, status=200, **overrides)
    assert message in page.errors()
    assert page.title.startswith("Error: ")
    assert moves_of(world.person) == []
    db.session.refresh(world.person)
    assert world.person.home_postcode is None


def test_every_missing_suitability_answer_is_named(adviser, world):
    page = record(adviser, world.person, status=200, **{key: None for key in SUITABILITY_FACTORS})
    assert len([e for e in page.errors() if e.startswith("Select whether")]) == 8


def test_staying_put_is_allowed_on_the_18th_birthday(adviser, world):
    record(adviser, world.person, accommodation_type="Z", move_in=["17", "5", "2025"], status=303)
    [move] = moves_of(world.person)
    assert move.code == "Z1"


def test_a_registered_provider_answer_is_stored_for_a_16_year_old(adviser, world):
    record(adviser, world.person, accommodation_type="D", move_in=["10", "1", "2024"], registered_provider="no",
           status=303)
    [move] = moves_of(world.person)
    assert (move.code, move.registered_provider) == ("D1", False)


def test_script_in_the_address_is_shown_as_text(adviser, world):
    record(adviser, world.person, address='<script>alert("x")</script>', status=303)
    page = adviser.get(url(world.person))
    assert page.soup.select_one("#moves script") is None
    assert '<script>alert("x")</script>' in page.soup.select_one("#moves").get_text()


def test_the_form_shows_all_the_questions(adviser, world):
    page = adviser.get(url(world.person, "/new"))
    assert page.h1 == "Record a move"
    assert len(page.soup.select("select[name=accommodation_type] option")) == 17
    for key in SUITABILITY_FACTORS:
        assert page.soup.select(f"input[name={key}][type=radio]")


# --- the timeline and the record header ---------------------------------------------------------------

def test_the_timeline_is_newest_first(adviser, world):
    older = add_move(world.person, date(2025, 3, 1), "E1")
    newer = add_move(world.person, date(2026, 9, 1), "W2")
    middle = add_move(world.person, date(2026, 1, 1), "B1")
    page = adviser.get(url(world.person))
    assert [li["id"] for li in page.soup.select("#moves > li")] == [f"move-{m.id}" for m in (newer, middle, older)]
    assert "Where they live now" in page.soup.select_one(f"#move-{newer.id}").get_text()
    assert page.soup.select_one("#record-move")["href"] == url(world.person, "/new")


def test_the_timeline_is_a_fragment_for_htmx(adviser, world):
    add_move(world.person, date(2026, 9, 1))
    page = adviser.get(url(world.person), htmx=True)
    assert page.soup.select_one("#accommodation-timeline #moves")


def test_an_empty_history_says_so(adviser, world):
    assert adviser.get(url(world.person)).soup.select_one("#no-moves")


def test_the_record_header_shows_the_current_accommodation(adviser, world):
    text = adviser.get(f"/young-people/{world.person.id}").soup.select_one("#accommodation").get_text(" ", strip=True)
    assert "not recorded" in text
    add_move(world.person, date(2026, 1, 1), "B1")
    add_move(world.person, date(2026, 9, 1), "W2")
    page = adviser.get(f"/young-people/{world.person.id}")
    text = page.soup.select_one("#accommodation").get_text(" ", strip=True)
    assert "W2 Bed and breakfast Unsuitable" in text
    assert page.soup.select_one("#open-accommodation")["href"] == url(world.person)


def test_the_team_manager_may_record_a_move(client, world):
    manager = client.sign_in_as(world.manager)
    record(manager, world.person, status=303)
    assert len(moves_of(world.person)) == 1


@pytest.mark.parametrize("who", ["other_adviser", "colleague", "other_manager"])
def test_others_get_404(client, world, who):
    other = client.sign_in_as(getattr(world, who))
    other.get(url(world.person), status=404)
    other.post(url(world.person, "/new"), move_data(), status=404)
    assert moves_of(world.person) == []


def test_the_timeline_query_count_does_not_grow_with_moves(adviser, world):

    def queries() -> int:
        return count_queries(lambda: adviser.get(url(world.person)))

    add_move(world.person, date(2025, 1, 1))
    small = queries()
    for month in range(2, 6):
        add_move(world.person, date(2025, month, 1), "D2")
    large = queries()
    assert small == large, f"{small} queries with 1 move, {large} with 5"


def test_current_accommodation_for_many_is_one_query(world):
    add_move(world.person, date(2025, 1, 1), "B1")
    latest = add_move(world.person, date(2026, 1, 1), "U2")
    same_day_later = add_move(world.other_person, date(2026, 1, 1), "E1")
    add_move(world.other_person, date(2026, 1, 1), "B1")
    found = current_accommodation_for([world.person.id, world.other_person.id, world.colleague_person.id])
    assert set(found) == {world.person.id, world.other_person.id}
    assert found[world.person.id].id == latest.id
    assert found[world.other_person.id].code == "B1" and found[world.other_person.id].id > same_day_later.id
    assert [m.code for m in list_moves_for(world.person.id)] == ["U2", "B1"]
    assert current_accommodation_for([]) == {}


@pytest.mark.parametrize("overrides", [
    {"accommodation_type": "U9"},
    {"accommodation_type": "UU1"},
    {"move_in": ["x", "y", "z"]},
    {"move_in": ["1", "1", "99999999"]},
    {"postcode": "T" * 300, "provider": "p" * 300},
    {"registered_provider": "maybe", "accommodation_type": "D", "move_in": ["10", "1", "2024"]},
])
def test_hand_made_posts_are_refused_without_a_500(adviser, world, overrides):
    page = record(adviser, world.person, status=200, **overrides)
    assert page.errors() and page.title.startswith("Error: ")
    assert moves_of(world.person) == []


def test_the_error_is_shown_beside_the_question(adviser, world):
    page = record(adviser, world.person, status=200, accommodation_type="D", move_in=["10", "1", "2024"])
    assert "Select whether the provider is registered with Ofsted" in page.soup.select_one(
        "#registered_provider-error").get_text()
