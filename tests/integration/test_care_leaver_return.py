"""The care leaver return (OC3): the CSV, the failures, the page, the command and who may use them.

Today is 22 November 2026; the year asked for is 2026 (1 April 2025 to 31 March 2026). Team North
(world.manager):

- Jordan (world.person), born 17 May 2007, former relevant: 18 on 17 May 2025 (window 17 February to
  17 June 2025). Home visit on 20 May 2025: in touch YES, activity F2; moved into U1 on 1 March 2025.
  Row: YES, F2, U1, 20/05/2025. Passes.
- Callum (world.colleague_person), born 17 May 2007, former relevant, no contacts: blank row that
  fails "No information recorded between 17 February 2025 and 17 June 2025".
- "=HYPERLINK("http://x") Smith", born 1 September 2008, relevant: 17 on 1 September 2025. Phone call on
  10 September 2025: YES, G5; moved into Z1 (staying put) on 1 August 2025: fails at 17.
- Olu Adeyemi, born 10 October 2002, former relevant: 23 on 10 October 2025, reached by phone on
  1 October 2025 (NREQ). Row: NREQ, blank, blank, 01/10/2025. Passes.
- Drew Ash, born 17 May 2007, never looked after: not in the return.

Team South (world.other_manager): Aisha (world.other_person), born 17 May 2007, former relevant, YES on
1 June 2025, G6, B1 (moved 1 January 2025): in the council's file, never in North's.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import AccommodationMove, AuditEvent, CareEpisode, Contact
from pathway.rules.dates import birthday
from pathway.services.care_leaver_return import build_return
from tests.helpers import PageClient, count_queries

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
HEADER = "CHILD,DOB,BIRTHDAY_AGE,IN_TOUCH,ACTIV,ACCOM,INFO_DATE"
URL = "/manager/care-leaver-return"
CSV_URL = "/manager/care-leaver-return.csv"
FAILURES_URL = "/manager/care-leaver-return-failures.csv"
HYPERLINK = '=HYPERLINK("http://x")'


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


def in_care(person, start: date, end: date) -> None:
    db.session.add(CareEpisode(young_person_id=person.id, start_date=start, end_date=end, legal_status="C2"))


def former_relevant(person) -> None:
    dob = person.date_of_birth
    in_care(person, birthday(dob, 14), birthday(dob, 18))


def contact(person, day: date, kind: str = "phone", *, in_touch=None, activity=None, reached=True) -> None:
    db.session.add(Contact(young_person_id=person.id, contact_at=datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC),
                           kind=kind, reached=reached, in_touch=in_touch, activity=activity))


def move(person, day: date, code: str) -> None:
    db.session.add(AccommodationMove(young_person_id=person.id, move_in=day, code=code))


@pytest.fixture
def oc3_world(make, world):
    w = world
    former_relevant(w.person)
    contact(w.person, date(2025, 5, 20), "home_visit", in_touch="YES", activity="F2")
    move(w.person, date(2025, 3, 1), "U1")

    former_relevant(w.colleague_person)

    w.hyper = make.young_person(w.adviser, dob=date(2008, 9, 1), given_name=HYPERLINK, family_name="Smith")
    in_care(w.hyper, date(2022, 9, 1), date(2025, 3, 1))
    contact(w.hyper, date(2025, 9, 10), in_touch="YES", activity="G5")
    move(w.hyper, date(2025, 8, 1), "Z1")

    w.olu = make.young_person(w.colleague, dob=date(2002, 10, 10), given_name="Olu", family_name="Adeyemi")
    former_relevant(w.olu)
    contact(w.olu, date(2025, 10, 1), in_touch="NREQ")

    w.drew = make.young_person(w.adviser, dob=date(2007, 5, 17), given_name="Drew", family_name="Ash")
    contact(w.drew, date(2025, 5, 20), in_touch="YES", activity="F2")

    former_relevant(w.other_person)
    contact(w.other_person, date(2025, 6, 1), "office", in_touch="YES", activity="G6")
    move(w.other_person, date(2025, 1, 1), "B1")
    db.session.commit()
    return w


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def north_rows(w) -> list[list[str]]:
    return [
        [str(w.person.id), "17/05/2007", "18", "YES", "F2", "U1", "20/05/2025"],
        [str(w.colleague_person.id), "17/05/2007", "18", "", "", "", ""],
        [str(w.hyper.id), "01/09/2008", "17", "YES", "G5", "Z1", "10/09/2025"],
        [str(w.olu.id), "10/10/2002", "23", "NREQ", "", "", "01/10/2025"],
    ]


def aisha_row(w) -> list[str]:
    return [str(w.other_person.id), "17/05/2007", "18", "YES", "G6", "B1", "01/06/2025"]


def exports(action: str = "export") -> list[tuple[int | None, int | None, str]]:
    rows = db.session.execute(
        select(AuditEvent.young_person_id, AuditEvent.user_id, AuditEvent.record_type)
        .where(AuditEvent.action == action).order_by(AuditEvent.young_person_id)
    )
    return [tuple(row) for row in rows]


# --- the CSV -------------------------------------------------------------------------------------

def test_the_managers_csv_field_by_field(oc3_world, client):
    w = oc3_world
    response = client.sign_in_as(w.manager).get(f"{CSV_URL}?year=2026").response
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="care-leavers-2026.csv"'
    text = response.get_data(as_text=True)
    assert text.startswith(HEADER + "\r\n")
    rows = parse(text)
    assert rows[0] == HEADER.split(",")
    assert rows[1:] == north_rows(w)  # Aisha is another manager's; Drew was never looked after


def test_the_other_managers_download_has_only_their_team(oc3_world, client):
    w = oc3_world
    text = client.sign_in_as(w.other_manager).get(f"{CSV_URL}?year=2026").response.get_data(as_text=True)
    assert parse(text)[1:] == [aisha_row(w)]


def test_a_year_with_no_one_in_it_is_just_the_header(oc3_world, client):
    response = client.sign_in_as(oc3_world.manager).get(f"{CSV_URL}?year=2010").response
    assert response.get_data(as_text=True) == HEADER + "\r\n"
    assert response.headers["Content-Disposition"] == 'attachment; filename="care-leavers-2010.csv"'
    assert exports() == []


def test_downloading_audits_an_export_of_each_record_in_it(oc3_world, client):
    w = oc3_world
    client.sign_in_as(w.manager).get(f"{CSV_URL}?year=2026")
    expected = sorted((p.id, w.manager.id, "care_leaver_return") for p in (w.person, w.colleague_person, w.hyper, w.olu))
    assert exports() == expected


def test_failures_csv_neutralises_names_that_look_like_formulas(oc3_world, client):
    w = oc3_world
    response = client.sign_in_as(w.manager).get(f"{FAILURES_URL}?year=2026").response
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "\r\n'=HYPERLINK" not in text and ",=HYPERLINK" not in text
    rows = parse(text)
    assert rows[0] == ["CHILD", "NAME", "BIRTHDAY_AGE", "REASON"]
    assert sorted(rows[1:]) == sorted([
        [str(w.colleague_person.id), w.colleague_person.display_name, "18",
         "No information recorded between 17 February 2025 and 17 June 2025"],
        [str(w.hyper.id), "'" + HYPERLINK + " Smith", "17",
         "Staying put (Z) is never valid at the 17th birthday: choose another type of accommodation"],
    ])
    assert exports() == sorted((p.id, w.manager.id, "care_leaver_return") for p in (w.colleague_person, w.hyper))


def test_csv_routes_refuse_a_bad_year_with_the_page(oc3_world, client):
    signed_in = client.sign_in_as(oc3_world.manager)
    for url in (CSV_URL, FAILURES_URL):
        page = signed_in.get(f"{url}?year=1999", status=400)
        assert page.errors() == ["The year must be between 2000 and 2027"]
        assert page.title.startswith("Error: ")
    assert exports() == []


def test_the_query_count_does_not_grow_with_the_caseload(make, world, client):
    signed_in = client.sign_in_as(world.manager)

    def add_people(n: int) -> None:
        for i in range(n):
            person = make.young_person(world.adviser, dob=date(2007, 5, 17))
            former_relevant(person)
            contact(person, date(2025, 5, 1 + i), in_touch="YES", activity="F2")
            contact(person, date(2024, 5, 1 + i), activity="G5")
            move(person, date(2025, 1, 1 + i), "U1")
        db.session.commit()

    add_people(1)
    small = count_queries(lambda: signed_in.get(f"{CSV_URL}?year=2026"))
    add_people(6)
    large = count_queries(lambda: signed_in.get(f"{CSV_URL}?year=2026"))
    assert small == large
    assert len(parse(signed_in.get(f"{CSV_URL}?year=2026").response.get_data(as_text=True))) == 1 + 7


# --- the page ------------------------------------------------------------------------------------

def test_the_page_shows_counts_failures_and_downloads(oc3_world, client):
    w = oc3_world
    page = client.sign_in_as(w.manager).get(f"{URL}?year=2026")
    assert page.h1 == "Care leaver return (OC3)"
    soup = page.soup
    assert soup.select_one("#year")["value"] == "2026"
    assert "1 April 2025 to 31 March 2026" in page.text
    assert "3 months before to 1 month after the birthday" in page.text
    assert [soup.select_one(f"#count-{k}").get_text(strip=True) for k in ("rows", "passing", "failing")] == ["4", "2", "2"]
    assert soup.select_one("#download-return")["href"] == f"{CSV_URL}?year=2026"
    assert soup.select_one("#download-failures")["href"] == f"{FAILURES_URL}?year=2026"
    failures = [[cell.get_text(" ", strip=True) for cell in tr.find_all("td")] for tr in soup.select("#failures tbody tr")]
    assert failures == [
        [f"{HYPERLINK} Smith", "17", "Staying put (Z) is never valid at the 17th birthday: choose another type of accommodation"],
        [w.colleague_person.display_name, "18", "No information recorded between 17 February 2025 and 17 June 2025"],
    ]
    links = [a["href"] for a in soup.select("#failures tbody a")]
    assert links == [f"/young-people/{w.hyper.id}", f"/young-people/{w.colleague_person.id}"]
    assert "Aisha" not in page.text
    assert exports("view") == sorted((p.id, w.manager.id, "care_leaver_return") for p in (w.colleague_person, w.hyper))


def test_the_page_defaults_to_the_year_containing_today(oc3_world, client):
    page = client.sign_in_as(oc3_world.manager).get(URL)
    assert page.soup.select_one("#year")["value"] == "2027"
    assert "1 April 2026 to 31 March 2027" in page.text


def test_a_year_with_no_one_in_it_says_so(oc3_world, client):
    page = client.sign_in_as(oc3_world.manager).get(f"{URL}?year=2010")
    assert page.soup.select_one("#count-rows").get_text(strip=True) == "0"
    assert "No young people in your teams are in the return for this year" in page.soup.select_one("#no-rows").text
    assert page.soup.select_one("#download-return")["href"] == f"{CSV_URL}?year=2010"
    assert page.soup.select_one("#download-failures") is None


def test_the_fragment_for_htmx(oc3_world, client):
    page = client.sign_in_as(oc3_world.manager).get(f"{URL}?year=2026", htmx=True)
    assert page.soup.find("html") is None
    assert page.soup.select_one("#count-rows").get_text(strip=True) == "4"
    form = page.soup.select_one("form")
    assert form["hx-get"] == URL and form["action"] == URL and form["hx-target"] == "#care-leaver-return"


@pytest.mark.parametrize(("year", "message"), [
    ("1999", "The year must be between 2000 and 2027"),
    ("2028", "The year must be between 2000 and 2027"),
    ("abc", "The year must be a number, like 2026"),
    ("", "Enter the year the collection year ends in, for example 2026"),
])
def test_a_bad_year_gets_an_error_summary_and_400(oc3_world, client, year, message):
    signed_in = client.sign_in_as(oc3_world.manager)
    page = signed_in.get(f"{URL}?year={year}", status=400)
    assert page.errors() == [message]
    assert page.title.startswith("Error: ")
    assert page.soup.select_one("#year-error").get_text(" ", strip=True).endswith(message)
    assert page.soup.select_one("#year")["value"] == year
    fragment = signed_in.get(f"{URL}?year={year}", status=400, htmx=True)
    assert fragment.errors() == [message]


def test_a_manager_with_no_teams_gets_an_empty_return(make, client):
    lonely = make.manager()
    page = client.sign_in_as(lonely).get(f"{URL}?year=2026")
    assert page.soup.select_one("#count-rows").get_text(strip=True) == "0"
    assert client.get(f"{CSV_URL}?year=2026").response.get_data(as_text=True) == HEADER + "\r\n"


@pytest.mark.parametrize("who", ["adviser", "person_user", "admin"])
def test_only_managers_can_use_it(app, oc3_world, who):
    signed_in = PageClient(app).sign_in_as(getattr(oc3_world, who))
    for url in (URL, f"{CSV_URL}?year=2026", f"{FAILURES_URL}?year=2026"):
        signed_in.get(url, status=404)
    assert exports() == []


def test_signed_out_is_sent_to_sign_in(app, oc3_world):
    response = PageClient(app).get(f"{CSV_URL}?year=2026", status=302).response
    assert "/sign-in" in response.headers["Location"]


# --- the command ---------------------------------------------------------------------------------

def run(app, *args):
    return app.test_cli_runner().invoke(args=["pathway", "export-care-leavers", *args])


def test_the_command_writes_the_whole_council_and_lists_failures(app, oc3_world):
    w = oc3_world
    result = run(app, "--year", "2026")
    assert result.exit_code == 0, result.output
    rows = parse(result.stdout_bytes.decode("utf-8"))
    assert rows[0] == HEADER.split(",")
    assert sorted(rows[1:]) == sorted([*north_rows(w), aisha_row(w)])
    assert f"{w.hyper.id} {HYPERLINK} Smith (birthday 17): Staying put (Z)" in result.stderr
    assert "No information recorded between 17 February 2025 and 17 June 2025" in result.stderr
    assert "5 rows, 3 pass the checks, 2 fail." in result.stderr
    assert [(pid, uid) for pid, uid, _ in exports()] == sorted(
        (p.id, None) for p in (w.person, w.colleague_person, w.hyper, w.olu, w.other_person))


def test_the_command_writes_to_a_file(app, oc3_world, tmp_path):
    target = tmp_path / "oc3.csv"
    result = run(app, "--year", "2026", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    data = target.read_bytes()
    assert data.startswith((HEADER + "\r\n").encode())
    assert len(parse(data.decode("utf-8"))) == 6


def test_the_command_with_no_data_writes_the_header(app, oc3_world):
    result = run(app, "--year", "2005")
    assert result.exit_code == 0
    assert result.stdout_bytes == (HEADER + "\r\n").encode()
    assert "0 rows" in result.stderr


@pytest.mark.parametrize(("year", "message"), [
    ("1999", "The year must be between 2000 and 2027"),
    ("2028", "The year must be between 2000 and 2027"),
    ("twenty", "is not a valid integer"),
])
def test_the_command_refuses_a_bad_year(app, oc3_world, year, message):
    result = run(app, "--year", year)
    assert result.exit_code != 0
    assert message in result.output
    assert exports() == []


def test_build_return_for_the_council_matches_the_rows(app_ctx, oc3_world):
    result = build_return(2026, today=NOW.date())
    assert [list(row.cells()) for row in result.rows] == sorted(
        [*north_rows(oc3_world), aisha_row(oc3_world)], key=lambda r: int(r[0]))
    assert (result.rows_passing, result.rows_failing, len(result.failures)) == (3, 2, 2)


def test_the_council_sets_the_information_window(app_ctx, oc3_world):
    from pathway.models import CouncilSetting

    db.session.add_all([CouncilSetting(key="oc3_months_before", value="0"),
                        CouncilSetting(key="oc3_months_after", value="0")])
    db.session.commit()
    result = build_return(2026, today=NOW.date())
    jordan = next(row for row in result.rows if row.child == str(oc3_world.person.id))
    assert jordan.window == (date(2025, 5, 17), date(2025, 5, 17))
    assert jordan.cells()[3:] == ("", "", "", "")
    assert "No information recorded between 17 May 2025 and 17 May 2025" in [
        f.reason for f in result.failures if f.person_id == oc3_world.person.id]
