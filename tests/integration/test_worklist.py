"""The personal adviser's worklist (issue 5 section 5): order, filters (page and htmx), query count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from pathway.extensions import db
from pathway.models.contact import AccommodationMove, Contact, FlagAction, HelpRequest
from tests.helpers import count_queries

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


def add_move(person, move_in: date, code: str = "U1") -> None:
    db.session.add(AccommodationMove(young_person_id=person.id, move_in=move_in, code=code))
    db.session.commit()


def names(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.soup.select("table tbody th a")]


@pytest.fixture
def caseload(make):
    adviser = make.adviser(name="Pat Adviser")
    people = {
        "most_overdue": make.young_person(adviser, given_name="Amy", family_name="Zed"),
        "overdue": make.young_person(adviser, given_name="Ben", family_name="Young"),
        "due_soon": make.young_person(adviser, given_name="Cat", family_name="Xu"),
        "later": make.young_person(adviser, given_name="Dev", family_name="Able", allocated_on=date(2026, 10, 1)),
        "sooner": make.young_person(adviser, given_name="Eli", family_name="Best", allocated_on=date(2026, 9, 1)),
        "unsuitable": make.young_person(adviser, given_name="Fay", family_name="Old"),
    }
    add_move(people["most_overdue"], date(2026, 11, 1))  # due 8 November: 14 days overdue
    add_move(people["overdue"], date(2026, 11, 10))  # due 17 November: 5 days overdue
    add_move(people["due_soon"], date(2026, 11, 20))  # due 27 November
    add_move(people["unsuitable"], date(2026, 11, 21), "U2")  # unsuitable: due on the move, 1 day overdue
    return adviser, people


def test_order_overdue_most_days_first_then_due_soon_then_by_next_visit_due(client, caseload):
    adviser, _ = caseload
    client.sign_in_as(adviser)
    page = client.get("/caseload")
    assert names(page) == ["Amy Zed", "Ben Young", "Fay Old", "Cat Xu", "Eli Best", "Dev Able"]
    rows = [r.get_text(" ", strip=True) for r in page.soup.select("table tbody tr")]
    assert "Overdue Visit within 7 days of the move, due 8 November 2026 (14 days overdue)" in rows[0]
    assert "Overdue Unsuitable accommodation, due 21 November 2026 (1 day overdue)" in rows[2]
    assert "Due soon Visit within 7 days of the move, due 27 November 2026" in rows[3]
    assert "1 November 2026" in rows[4] and "1 December 2026" in rows[5]  # next visit due


def test_each_row_links_to_the_record_and_to_record_a_visit(client, caseload):
    adviser, people = caseload
    client.sign_in_as(adviser)
    page = client.get("/caseload")
    person = people["due_soon"]
    row = page.soup.find(id=f"worklist-{person.id}")
    hrefs = [a["href"] for a in row.find_all("a")]
    assert f"/young-people/{person.id}" in hrefs
    assert f"/young-people/{person.id}/contacts/new" in hrefs
    assert f"/young-people/{person.id}/flags" in hrefs


def test_overdue_only_as_a_plain_link_returns_the_full_page(client, caseload):
    adviser, _ = caseload
    client.sign_in_as(adviser)
    page = client.get("/caseload")
    link = page.soup.find("a", string="Overdue only")
    assert link["href"] == "/caseload?overdue=1" and link["hx-get"] == "/caseload?overdue=1"
    page = client.get(link["href"])
    assert page.h1 == "Your caseload"
    assert names(page) == ["Amy Zed", "Ben Young", "Fay Old"]
    assert page.soup.select_one("table caption").get_text(" ", strip=True) == "3 young people with overdue flags"


def test_filters_with_htmx_return_only_the_fragment(client, caseload):
    adviser, _ = caseload
    client.sign_in_as(adviser)
    page = client.get("/caseload?overdue=1", htmx=True)
    assert page.soup.find("h1") is None
    assert names(page) == ["Amy Zed", "Ben Young", "Fay Old"]
    page = client.get("/caseload?kind=unsuitable_accommodation", htmx=True)
    assert names(page) == ["Fay Old"]
    page = client.get("/caseload?kind=custody_visit", htmx=True)
    assert page.text == "No young people on your caseload have open “Custody visit” flags."


def test_kind_filter_as_a_plain_link_and_an_unknown_kind_is_ignored(client, caseload):
    adviser, _ = caseload
    client.sign_in_as(adviser)
    page = client.get("/caseload")
    link = page.soup.find("a", string="Unsuitable accommodation")
    assert link["href"] == "/caseload?kind=unsuitable_accommodation"
    assert names(client.get(link["href"])) == ["Fay Old"]
    assert len(names(client.get("/caseload?kind=<script>"))) == 6


def test_the_worklist_renders_in_a_fixed_number_of_queries(client, make):
    adviser = make.adviser()

    def add_people(n: int) -> None:
        for _ in range(n):
            person = make.young_person(adviser)
            for month in range(1, 7):
                db.session.add(AccommodationMove(young_person_id=person.id, move_in=date(2026, month, 3), code="U1"))
                db.session.add(Contact(young_person_id=person.id, kind="home_visit", reached=True,
                                       contact_at=datetime(2026, month, 10, 10, tzinfo=UTC)))
                db.session.add(Contact(young_person_id=person.id, kind="phone", reached=False,
                                       contact_at=datetime(2026, month, 20, 10, tzinfo=UTC)))
            db.session.add(HelpRequest(young_person_id=person.id, topic="money", message="rent",
                                       created_at=NOW - timedelta(days=3)))
            db.session.add(FlagAction(young_person_id=person.id, flag_key="manual:x", action="raise", title="Check",
                                      due=date(2026, 12, 1), reason="Worried"))
        db.session.commit()

    def queries() -> int:
        return count_queries(lambda: client.get("/caseload"))

    add_people(2)
    client.sign_in_as(adviser)
    small = queries()
    add_people(6)
    large = queries()
    assert small == large, f"{small} queries with 2 young people, {large} with 8"


def test_search_keeps_the_filter_and_the_filters_keep_the_search(client, caseload):
    adviser, _ = caseload
    client.sign_in_as(adviser)
    page = client.get("/caseload?overdue=1&q=e")
    search = page.soup.find("form", attrs={"role": "search"})
    assert search.find("input", attrs={"name": "overdue"})["value"] == "1"
    assert names(page) == ["Amy Zed", "Ben Young"]
    assert page.soup.find("a", string="Everyone")["href"] == "/caseload?q=e"


def test_worklist_shows_next_contact_due(client, world):
    from datetime import UTC, datetime

    import time_machine

    from pathway.extensions import db
    from pathway.models import Contact

    with time_machine.travel(datetime(2026, 11, 22, 12, tzinfo=UTC), tick=False):
        db.session.add(Contact(young_person_id=world.person.id, contact_at=datetime(2026, 11, 1, 10, tzinfo=UTC),
                               kind="phone", reached=True))
        db.session.commit()
        page = client.sign_in_as(world.adviser).get("/caseload")
    assert "Contact by 27 December 2026" in page.soup.select_one(f"#worklist-{world.person.id}").text
