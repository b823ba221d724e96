"""The public offer page: the council's whole offer for anyone, signed out, linkable and printable."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, select

from pathway.extensions import db
from pathway.models import AuditEvent, EntitlementVersion
from pathway.public.offer_routes import who_it_is_for
from tests.helpers import PageClient
from tests.offer_builders import CATALOGUE, COUNCIL_TAX, DRIVING, SETTING_UP_HOME, build_catalogue


@pytest.fixture
def catalogue(db_transaction):
    return build_catalogue()


def _text(tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def _writes(app, url: str):
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    client = PageClient(app)
    event.listen(db.engine, "before_cursor_execute", before)
    try:
        response = client.request("get", url)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    writes = [s for s in statements if s.lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    return response, writes


def test_signed_out_it_lists_every_active_entitlement_grouped_national_then_local(client, catalogue):
    catalogue[DRIVING].active = False
    db.session.commit()
    page = client.get("/offer")

    assert page.h1 == "The care leaver offer"
    assert page.title == "The care leaver offer – Pathway – Northshire Council"
    national = page.soup.find(id="national-offer").find_parent("section")
    local = page.soup.find(id="local-offer").find_parent("section")
    assert _text(page.soup.find(id="national-offer")) == "From the government (national)"
    assert _text(page.soup.find(id="local-offer")) == "From Northshire Council (local)"
    assert [s["id"] for s in national.select("section.app-offer-item")] == [
        SETTING_UP_HOME, "higher-education-bursary", "bursary-16-19"]
    assert [s["id"] for s in local.select("section.app-offer-item")] == [COUNCIL_TAX, "emergency-payment"]
    assert page.soup.find(id=DRIVING) is None  # withdrawn

    home = _text(page.soup.find(id=SETTING_UP_HOME))
    assert "Setting up home allowance £3,000 One-off" in home
    assert ("Who it is for For relevant care leavers (aged 16 or 17 who have left care) and former relevant care "
            "leavers (aged 18 or over who were in care at 16 or 17), aged 16 to 24. "
            "When you move into your first home of your own.") in home
    assert "How to claim Your personal adviser goes through what you need with you" in home

    council_tax = _text(page.soup.find(id=COUNCIL_TAX))
    assert "Amount varies Each year" in council_tax
    assert "For care leavers, aged 18 to 24. Only if you live in Northshire." in council_tax

    # Signed out: no menu, no sign-out, no form.
    assert page.soup.select(".govuk-service-navigation__item a") == []
    assert page.soup.find("form") is None


def test_it_starts_no_session_and_writes_nothing_so_it_can_be_cached(app, catalogue):
    audits = len(db.session.scalars(select(AuditEvent)).all())
    response, writes = _writes(app, "/offer")
    assert response.status_code == 200
    assert writes == []
    assert response.headers.getlist("Set-Cookie") == []
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=300" in response.headers["Cache-Control"]
    assert "Cookie" in response.headers.get("Vary", "")
    assert len(db.session.scalars(select(AuditEvent)).all()) == audits


def test_signed_in_it_still_works_with_the_menu_and_is_not_cached(client, world, catalogue):
    client.sign_in_as(world.person_user)
    page = client.get("/offer")
    assert page.h1 == "The care leaver offer"
    assert page.soup.find("form", action="/sign-out") is not None
    assert page.response.headers["Cache-Control"] == "no-store"


def test_it_is_linked_from_the_start_page_and_every_footer(client, catalogue):
    start = client.get("/")
    assert start.soup.find("main").find("a", href="/offer").get_text(strip=True) == "the care leaver offer"
    for url in ("/", "/accessibility", "/offer"):
        footer = {a["href"]: _text(a) for a in client.get(url).soup.select("footer a")}
        assert footer["/offer"] == "The care leaver offer"


def test_each_entitlement_can_be_linked_to(client, catalogue):
    page = client.get("/offer")
    for terms in CATALOGUE:
        section = page.soup.find(id=terms["slug"])
        assert section is not None and section.name == "section"
        assert section["aria-labelledby"] == f"{terms['slug']}-title"


def test_with_no_offer_loaded_it_says_so(client):
    page = client.get("/offer")
    assert "The offer has not been published yet." in page.text


def test_printing_hides_the_navigation():
    scss = (Path(__file__).parents[2] / "static" / "src" / "app.scss").read_text()
    assert ".govuk-service-navigation" in scss.split("@media print")[1]
    assert ".govuk-header, .govuk-footer, .govuk-back-link, .app-contents { display: none; }" in scss


# --- who it is for, in plain English --------------------------------------------------------------

def _terms(**conditions) -> EntitlementVersion:
    values = {"age_from": None, "age_under": None, "categories": None, "in_area_only": False, "activities": None,
              "needs_independent_move": False, "needs_pa_decision": False, "age_on_reference": None,
              "min_continuous_care_days": None}
    return EntitlementVersion(**{**values, **conditions})


@pytest.mark.parametrize(("conditions", "expected"), [
    ({}, ["For care leavers."]),
    ({"age_from": 18}, ["For care leavers, aged 18 or over."]),
    ({"age_under": 25}, ["For care leavers, aged under 25."]),
    ({"age_from": 16, "age_under": 19, "age_on_reference": "08-31"}, ["For care leavers, aged 16 to 18 on 31 August."]),
    ({"categories": "former_relevant", "activities": "F1,P1"},
     ["For former relevant care leavers (aged 18 or over who were in care at 16 or 17).",
      "Only if you are at university or on another higher education course."]),
    ({"categories": "eligible,qualifying"},
     ["For eligible care leavers (aged 16 or 17 and still in care) and qualifying care leavers (under 21 who left "
      "care, special guardianship or other accommodation after they were 16)."]),
    ({"activities": "F4,P4,F2"}, ["For care leavers.", "Only if you are on a course at school or college or doing an "
                                                       "apprenticeship."]),
    ({"in_area_only": True, "needs_pa_decision": True},
     ["For care leavers.", "Only if you live in Northshire.", "Your personal adviser decides this with you."]),
    ({"age_from": 18, "min_continuous_care_days": 365},
     ["For care leavers, aged 18 or over.", "Only if you were looked after for 12 months or more without a break."]),
])
def test_who_it_is_for(conditions, expected):
    assert who_it_is_for(_terms(**conditions), "Northshire") == expected
