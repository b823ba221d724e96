"""The adviser's caseload (page and htmx fragment) and adding a young person."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import Allocation, AuditEvent, YoungPerson

TODAY = date(2026, 11, 22)
NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)

frozen = time_machine.travel(NOON, tick=False)

VALID = {
    "given_name": "Amara",
    "family_name": "Okafor",
    "preferred_name": "",
    "date_of_birth": ["17", "5", "2008"],
    "phone": "",
    "email": "",
}


def form(**changes) -> dict:
    data = dict(VALID)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _cell_text(cell) -> str:
    """A cell's text without its action links (Record a visit, Flags)."""
    for actions in cell.select("ul"):
        if actions.find("a", href=lambda h: h and ("/contacts/new" in h or "/flags" in h)):
            actions.extract()
    return cell.get_text(" ", strip=True)


def caseload_rows(page) -> list[list[str]]:
    """Name, open flags and next visit due of each worklist row (the actions column left out)."""
    return [
        [_cell_text(cell) for cell in row.find_all(["th", "td"])][:3]
        for row in page.soup.select("table tbody tr")
    ]


def people_count() -> int:
    return db.session.scalar(select(func.count()).select_from(YoungPerson))


def allocation_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Allocation))


def inline_error(page, field_id: str) -> str:
    message = page.soup.find(id=f"{field_id}-error")
    assert message is not None, f"no inline error for {field_id}"
    return message.get_text(" ", strip=True)


# The caseload


@frozen
def test_caseload_lists_only_current_young_people_with_age_and_allocation_date(client, make):
    team = make.team()
    adviser = make.adviser(team, name="Pat Adviser")
    colleague = make.adviser(team)
    make.young_person(adviser, given_name="Zara", family_name="Adams", dob=date(2007, 5, 17), allocated_on=date(2025, 1, 6))
    # 18 today: the birthday counts.
    make.young_person(adviser, given_name="Ben", family_name="Brown", dob=date(2008, 11, 22), allocated_on=date(2026, 3, 2))
    # 18 tomorrow: still 17 today.
    make.young_person(adviser, given_name="Cara", family_name="Cole", preferred_name="Cee", dob=date(2008, 11, 23),
                      allocated_on=date(2026, 11, 22))
    make.young_person(colleague, given_name="Dan", family_name="Other")
    moved_on = make.young_person(colleague, given_name="Eve", family_name="Former")
    db.session.add(Allocation(young_person_id=moved_on.id, adviser_id=adviser.id, start_date=date(2024, 1, 1),
                              end_date=date(2024, 12, 31)))
    db.session.flush()

    client.sign_in_as(adviser)
    page = client.get("/caseload")

    assert page.h1 == "Your caseload"
    caption = page.soup.select_one("table caption").get_text(" ", strip=True)
    assert caption == "3 young people"
    assert caseload_rows(page) == [
        # The worklist (issue 5): no flags, so by next visit due, 2 months after allocation;
        # contact is due 56 days (the local standard) after allocation.
        ["Zara Adams", "None", "6 March 2025 Contact by 3 March 2025"],
        ["Ben Brown", "None", "2 May 2026 Contact by 27 April 2026"],
        ["Cee Cole", "None", "22 January 2027 Contact by 17 January 2027"],
    ]
    assert "Dan Other" not in page.text
    assert "Eve Former" not in page.text
    links = [a["href"] for a in page.soup.select("table tbody th a")]
    ids = db.session.scalars(select(YoungPerson.id).where(YoungPerson.family_name.in_(["Adams", "Brown", "Cole"]))
                             .order_by(YoungPerson.family_name)).all()
    assert links == [f"/young-people/{i}" for i in ids]


def test_empty_caseload_says_so(client, make):
    adviser = make.adviser()
    client.sign_in_as(adviser)
    page = client.get("/caseload")
    assert "You have no young people allocated to you yet." in page.text
    assert page.soup.find("table") is None
    assert page.soup.select_one('a[href="/young-people/new"]').get_text(strip=True) == "Add a young person"


@pytest.fixture
def caseload(make):
    adviser = make.adviser()
    make.young_person(adviser, given_name="Jordan", family_name="Taylor", preferred_name="Jay")
    make.young_person(adviser, given_name="Aisha", family_name="Khan")
    make.young_person(adviser, given_name="Tayo", family_name="Adewale")
    make.young_person(make.adviser(), given_name="Taylor", family_name="Swift")  # someone else's
    return adviser


def test_htmx_search_returns_only_the_filtered_table(client, caseload):
    client.sign_in_as(caseload)
    page = client.get("/caseload?q=TAY", htmx=True)

    assert page.soup.find("h1") is None
    assert page.soup.find("form") is None
    table = page.soup.find("table")
    assert table is not None
    assert table.caption.get_text(" ", strip=True) == "2 young people matching “TAY”"
    names = [a.get_text(strip=True) for a in table.select("tbody th a")]
    assert names == ["Tayo Adewale", "Jay Taylor"]
    assert "Swift" not in page.text
    assert page.response.headers["Vary"].count("HX-Request") == 1


def test_search_matches_the_legal_name_as_well_as_the_preferred_name(client, caseload):
    client.sign_in_as(caseload)
    page = client.get("/caseload?q=jordan", htmx=True)
    assert [a.get_text(strip=True) for a in page.soup.select("tbody th a")] == ["Jay Taylor"]


def test_plain_search_returns_the_full_page_with_the_filtered_table(client, caseload):
    client.sign_in_as(caseload)
    page = client.get("/caseload?q=+khan+")

    assert page.h1 == "Your caseload"
    assert page.soup.find(id="q")["value"] == "khan"
    caseload_div = page.soup.find(id="caseload")
    assert [a.get_text(strip=True) for a in caseload_div.select("tbody th a")] == ["Aisha Khan"]
    assert "1 young person matching “khan”" in caseload_div.get_text(" ", strip=True)
    assert "Taylor" not in caseload_div.get_text(" ", strip=True)
    # The search form works without JavaScript: a real GET form to the same page.
    search = page.soup.find("form", attrs={"role": "search"})
    assert search["method"] == "get" and search["action"] == "/caseload" and search["hx-get"] == "/caseload"


def test_search_with_no_match_says_so(client, caseload):
    client.sign_in_as(caseload)
    page = client.get("/caseload?q=Nobody", htmx=True)
    assert page.soup.find("table") is None
    assert page.text == "No young people on your caseload match “Nobody”."


def test_search_text_is_escaped(client, caseload):
    client.sign_in_as(caseload)
    page = client.get("/caseload?q=<b>x</b>", htmx=True)
    assert page.soup.find("b") is None
    assert "match “<b>x</b>”" in page.text


# Adding a young person


@frozen
def test_add_young_person_stores_the_row_allocation_and_audit_then_redirects(client, make):
    adviser = make.adviser(name="Pat Adviser")
    client.sign_in_as(adviser)
    client.get("/young-people/new")

    page = client.post("/young-people/new", {
        "given_name": "  Amara ",
        "family_name": " Okafor  ",
        "preferred_name": " Mara ",
        "date_of_birth": [" 17", "5 ", "2008"],
        "phone": "07700 900 982",
        "email": "  Amara.Okafor@Example.COM ",
    }, status=303)

    person = db.session.scalars(select(YoungPerson).where(YoungPerson.family_name == "Okafor")).one()
    assert page.response.headers["Location"] == f"/young-people/{person.id}"
    assert (person.given_name, person.family_name, person.preferred_name) == ("Amara", "Okafor", "Mara")
    assert person.date_of_birth == date(2008, 5, 17)
    assert person.phone == "07700 900 982"
    assert person.email == "amara.okafor@example.com"
    assert person.user_id is None

    allocations = db.session.scalars(select(Allocation).where(Allocation.young_person_id == person.id)).all()
    assert [(a.adviser_id, a.start_date, a.end_date) for a in allocations] == [(adviser.id, TODAY, None)]

    events = db.session.scalars(select(AuditEvent).where(AuditEvent.young_person_id == person.id)).all()
    assert [(e.action, e.record_type, e.record_id, e.user_id, e.role) for e in events] == [
        ("create", "young_person", person.id, adviser.id, "adviser")
    ]
    assert events[0].changed_field_list == [
        "date_of_birth", "email", "family_name", "given_name", "phone", "preferred_name"
    ]

    record = client.get(page.response.headers["Location"])
    assert record.h1 == "Mara Okafor"
    assert "Mara Okafor has been added to your caseload." in record.text
    caseload = client.get("/caseload")
    assert caseload_rows(caseload) == [["Mara Okafor", "None", "22 January 2027 Contact by 17 January 2027"]]


@frozen
def test_optional_fields_left_blank_are_stored_as_null(client, make):
    adviser = make.adviser()
    client.sign_in_as(adviser)
    client.post("/young-people/new", form(), status=303)
    person = db.session.scalars(select(YoungPerson).where(YoungPerson.family_name == "Okafor")).one()
    assert (person.preferred_name, person.phone, person.email) == (None, None, None)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.young_person_id == person.id)).one()
    assert event.changed_field_list == ["date_of_birth", "family_name", "given_name"]


@frozen
def test_names_of_exactly_100_characters_are_accepted(client, make):
    client.sign_in_as(make.adviser())
    long_name = "A" * 100
    client.post("/young-people/new", form(given_name=long_name, family_name="B" * 100, preferred_name="C" * 100),
                status=303)
    person = db.session.scalars(select(YoungPerson).where(YoungPerson.given_name == long_name)).one()
    assert (len(person.family_name), len(person.preferred_name)) == (100, 100)


@frozen
def test_script_in_a_name_is_stored_as_typed_and_shown_as_text(client, make):
    adviser = make.adviser()
    client.sign_in_as(adviser)
    script = "<script>alert(1)</script>"
    page = client.post("/young-people/new", form(given_name=script, family_name="O'Brien & <b>Sons</b>"), status=303)

    person = db.session.scalars(select(YoungPerson).where(YoungPerson.given_name == script)).one()
    assert person.family_name == "O'Brien & <b>Sons</b>"

    for url in (page.response.headers["Location"], "/caseload"):
        shown = client.get(url)
        raw = shown.response.get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
        assert script in shown.text  # what the adviser reads
        assert not [s for s in shown.soup.find_all("script") if "alert(1)" in (s.string or "")]
        assert shown.soup.find("b") is None


# Refused input: an error in the summary and beside the field, and nothing stored.

INVALID = [
    pytest.param({"given_name": ""}, "given_name", "Enter their first name", id="first-name-empty"),
    pytest.param({"given_name": "   "}, "given_name", "Enter their first name", id="first-name-spaces"),
    pytest.param({"family_name": ""}, "family_name", "Enter their last name", id="last-name-empty"),
    pytest.param({"family_name": None}, "family_name", "Enter their last name", id="last-name-missing"),
    pytest.param({"family_name": " \t "}, "family_name", "Enter their last name", id="last-name-spaces"),
    pytest.param({"given_name": "A" * 101}, "given_name", "First name must be 100 characters or fewer", id="first-name-101"),
    pytest.param({"family_name": "B" * 101}, "family_name", "Last name must be 100 characters or fewer", id="last-name-101"),
    pytest.param({"preferred_name": "C" * 101}, "preferred_name", "Preferred name must be 100 characters or fewer",
                 id="preferred-name-101"),
    pytest.param({"given_name": "Am\x00ara"}, "given_name", "First name must not contain hidden or control characters",
                 id="first-name-nul"),
    pytest.param({"family_name": "Oka\u202efor"}, "family_name", "Last name must not contain hidden or control characters",
                 id="last-name-rtl-override"),
    pytest.param({"preferred_name": "Ma\u202era"}, "preferred_name",
                 "Preferred name must not contain hidden or control characters", id="preferred-name-rtl-override"),
    pytest.param({"given_name": "Am\nara"}, "given_name", "First name must not contain hidden or control characters",
                 id="first-name-newline"),
    pytest.param({"date_of_birth": ["", "", ""]}, "date_of_birth", "Enter their date of birth", id="dob-empty"),
    pytest.param({"date_of_birth": None}, "date_of_birth", "Enter their date of birth", id="dob-not-sent"),
    pytest.param({"date_of_birth": "17"}, "date_of_birth", "Date of birth must include a month and year",
                 id="dob-one-value"),
    pytest.param({"date_of_birth": ["17", "", ""]}, "date_of_birth", "Date of birth must include a month and year",
                 id="dob-day-only"),
    pytest.param({"date_of_birth": ["17", "5", ""]}, "date_of_birth", "Date of birth must include a year",
                 id="dob-no-year"),
    pytest.param({"date_of_birth": ["", "5", "2008"]}, "date_of_birth", "Date of birth must include a day",
                 id="dob-no-day"),
    pytest.param({"date_of_birth": ["31", "4", "2008"]}, "date_of_birth", "Date of birth must be a real date",
                 id="dob-31-april"),
    pytest.param({"date_of_birth": ["29", "2", "2009"]}, "date_of_birth", "Date of birth must be a real date",
                 id="dob-29-feb-not-leap"),
    pytest.param({"date_of_birth": ["1", "13", "2008"]}, "date_of_birth", "Date of birth must be a real date",
                 id="dob-month-13"),
    pytest.param({"date_of_birth": ["ten", "5", "2008"]}, "date_of_birth", "Date of birth must be a real date",
                 id="dob-words"),
    pytest.param({"date_of_birth": ["-1", "5", "2008"]}, "date_of_birth", "Date of birth must be a real date",
                 id="dob-negative"),
    pytest.param({"date_of_birth": ["17", "5", "08"]}, "date_of_birth", "Date of birth must be a real date",
                 id="dob-two-digit-year"),
    pytest.param({"date_of_birth": ["23", "11", "2026"]}, "date_of_birth", "Date of birth must be in the past",
                 id="dob-tomorrow"),
    pytest.param({"date_of_birth": ["1", "1", "2090"]}, "date_of_birth", "Date of birth must be in the past",
                 id="dob-far-future"),
    pytest.param({"date_of_birth": ["22", "11", "2000"]}, "date_of_birth",
                 "Date of birth must be less than 26 years ago: leaving care support ends at 25", id="dob-26-today"),
    pytest.param({"date_of_birth": ["1", "1", "1900"]}, "date_of_birth",
                 "Date of birth must be less than 26 years ago: leaving care support ends at 25", id="dob-1900"),
    pytest.param({"date_of_birth": ["23", "11", "2013"]}, "date_of_birth",
                 "Date of birth must be at least 13 years ago: leaving care support starts at 16", id="dob-13-tomorrow"),
    pytest.param({"email": "amara@"}, "email", "Enter an email address in the correct format, like name@example.com",
                 id="email-no-domain"),
    pytest.param({"email": "amara okafor@example.com"}, "email",
                 "Enter an email address in the correct format, like name@example.com", id="email-space"),
    pytest.param({"phone": "call me"}, "phone", "Enter a phone number, like 07700 900 982", id="phone-words"),
    pytest.param({"phone": "12345"}, "phone", "Enter a phone number, like 07700 900 982", id="phone-too-short"),
    pytest.param({"phone": "0" * 41}, "phone", "Phone number must be 40 characters or fewer", id="phone-41"),
]


@frozen
@pytest.mark.parametrize(("changes", "field_id", "message"), INVALID)
def test_bad_input_is_explained_and_nothing_is_stored(client, make, changes, field_id, message):
    client.sign_in_as(make.adviser())
    people, allocations = people_count(), allocation_count()

    page = client.post("/young-people/new", form(**changes), status=200)

    assert page.title.startswith("Error: Add a young person")
    assert page.errors() == [message]
    summary_link = page.soup.select_one(".govuk-error-summary__list a")
    assert summary_link["href"] == f"#{field_id}"
    assert page.soup.find(id=field_id) is not None, "the summary links to a field that exists"
    assert inline_error(page, field_id) == f"Error: {message}"
    assert (people_count(), allocation_count()) == (people, allocations)
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "create")).all()


@frozen
def test_every_problem_is_listed_at_once_and_typed_values_are_kept(client, make):
    client.sign_in_as(make.adviser())
    page = client.post("/young-people/new", {
        "given_name": "", "family_name": "Okafor", "preferred_name": "",
        "date_of_birth": ["31", "4", "2008"], "phone": "call me", "email": "nope",
    }, status=200)
    assert page.errors() == [
        "Enter their first name",
        "Date of birth must be a real date",
        "Enter a phone number, like 07700 900 982",
        "Enter an email address in the correct format, like name@example.com",
    ]
    assert page.soup.find(id="family_name")["value"] == "Okafor"
    assert [page.soup.find(id=f"date_of_birth-{part}")["value"] for part in ("day", "month", "year")] == ["31", "4", "2008"]
    assert page.soup.find(id="email")["value"] == "nope"
    assert not db.session.scalars(select(YoungPerson).where(YoungPerson.family_name == "Okafor")).all()


@frozen
@pytest.mark.parametrize(("dob", "expected"), [
    (["23", "11", "2000"], date(2000, 11, 23)),  # 25, 26 tomorrow
    (["22", "11", "2013"], date(2013, 11, 22)),  # 13 today
    (["29", "2", "2008"], date(2008, 2, 29)),
    (["01", "05", "2008"], date(2008, 5, 1)),
])
def test_dates_of_birth_at_the_edges_are_accepted(client, make, dob, expected):
    client.sign_in_as(make.adviser())
    client.post("/young-people/new", form(date_of_birth=dob), status=303)
    person = db.session.scalars(select(YoungPerson).where(YoungPerson.family_name == "Okafor")).one()
    assert person.date_of_birth == expected


@frozen
def test_extra_date_values_are_ignored_not_a_crash(client, make):
    client.sign_in_as(make.adviser())
    client.post("/young-people/new", form(date_of_birth=["17", "5", "2008", "99"]), status=303)
    person = db.session.scalars(select(YoungPerson).where(YoungPerson.family_name == "Okafor")).one()
    assert person.date_of_birth == date(2008, 5, 17)
