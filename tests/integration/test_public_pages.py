"""Pages anyone can see: the start page, accessibility, privacy, and the plain-text checks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import AuditEvent


def test_start_page_signed_out_offers_sign_in(client):
    page = client.get("/")
    assert page.h1 == "Northshire Council leaving care support"
    assert page.title == "Leaving care support – Pathway – Northshire Council"
    start = page.soup.select_one("a.govuk-button--start")
    assert start["href"] == "/sign-in"
    assert start.get_text(" ", strip=True) == "Sign in"
    assert "Ask your personal adviser to invite you." in page.text
    # Signed out: no menu and no sign-out button.
    assert page.soup.find("form", action="/sign-out") is None
    assert page.soup.select(".govuk-service-navigation__item a") == []


@pytest.mark.parametrize(("who", "home", "heading"), [
    ("adviser", "/caseload", "Your caseload"),
    ("manager", "/manager", "Overdue visits and risk flags"),
    ("person_user", "/me", "Hello Jordan"),
    ("admin", "/admin", "Administration"),
])
def test_signed_in_start_page_goes_to_each_roles_home(client, world, who, home, heading):
    client.sign_in_as(getattr(world, who))
    page = client.get("/", status=302)
    assert page.response.headers["Location"] == home
    assert client.get(home).h1 == heading


@pytest.mark.parametrize(("url", "heading", "sample"), [
    ("/accessibility", "Accessibility statement", "use it with JavaScript turned off"),
    ("/privacy", "Privacy notice", "Northshire Council is the data controller for information in Pathway"),
])
def test_accessibility_and_privacy_pages(client, world, url, heading, sample):
    page = client.get(url)
    assert page.h1 == heading
    assert page.title == f"{heading} – Pathway – Northshire Council"
    assert sample in page.text
    footer_links = {a["href"] for a in page.soup.select("footer a")}
    assert {"/accessibility", "/privacy"} <= footer_links

    # Signed in, they still render, with the user's menu.
    client.sign_in_as(world.person_user)
    signed_in = client.get(url)
    assert signed_in.h1 == heading
    assert signed_in.soup.find("form", action="/sign-out") is not None


def test_public_pages_write_no_audit(client):
    for url in ("/", "/accessibility", "/privacy", "/hello", "/healthz"):
        client.get(url)
    assert db.session.scalars(select(AuditEvent)).all() == []


def test_hello_is_plain_text(client):
    page = client.get("/hello")
    assert page.response.get_data(as_text=True) == "hello"
    assert page.response.mimetype == "text/plain"
    assert page.response.mimetype_params.get("charset") == "utf-8"


def test_healthz_checks_the_database_and_says_ok(client):
    page = client.get("/healthz")
    assert page.response.get_data(as_text=True) == "ok"
    assert page.response.mimetype == "text/plain"
