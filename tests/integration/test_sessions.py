"""Server-side sessions: rotation, idle and absolute time-outs, revocation at sign-out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import AuthSession
from tests.factories import PASSWORD
from tests.helpers import PageClient

START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def session_cookie(client: PageClient) -> str | None:
    cookie = client.http.get_cookie("pathway_session")
    return cookie.value if cookie else None


def test_cookie_is_rotated_at_sign_in_and_is_httponly_lax(client, world):
    client.get("/sign-in")
    before = session_cookie(client)
    page = client.post("/sign-in", {"email": world.adviser.email, "password": PASSWORD})
    after = session_cookie(client)
    assert before and after and before != after
    set_cookie = page.response.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie


def test_cookie_is_secure_in_production_config():
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_idle_timeout_after_thirty_minutes(client, world):
    with time_machine.travel(START, tick=False) as clock:
        client.sign_in_as(world.adviser)
        clock.shift(timedelta(minutes=29))
        client.get("/caseload")  # activity resets the idle clock
        clock.shift(timedelta(minutes=29))
        client.get("/caseload")
        clock.shift(timedelta(minutes=30, seconds=1))
        page = client.get("/caseload", status=302)
        assert "/sign-in" in page.response.headers["Location"]


def test_absolute_timeout_after_twelve_hours_even_when_active(client, world):
    with time_machine.travel(START, tick=False) as clock:
        client.sign_in_as(world.adviser)
        for _ in range(24):  # busy all day, every 29 minutes
            clock.shift(timedelta(minutes=29))
            if datetime.now(UTC) - START <= timedelta(hours=12):
                client.get("/caseload")
        clock.shift(timedelta(minutes=29))
        assert datetime.now(UTC) - START > timedelta(hours=12)
        client.get("/caseload", status=302)


def test_sign_out_revokes_the_session_so_a_copied_cookie_stops_working(client, world, app):
    client.sign_in_as(world.adviser)
    stolen = session_cookie(client)
    page = client.post("/sign-out", status=303)
    assert page.response.headers["Location"].endswith("/sign-in")
    record = db.session.scalars(select(AuthSession).where(AuthSession.user_id == world.adviser.id)).one()
    assert record.revoked_at is not None

    thief = PageClient(app)
    thief.http.set_cookie("pathway_session", stolen)
    thief.get("/caseload", status=302)


def test_sign_out_needs_a_post_with_csrf(client, world):
    client.sign_in_as(world.adviser)
    client.get("/sign-out", status=405)  # GET never signs out
    page = client.post("/sign-out", csrf=False, status=400)
    assert "did not save it" in page.text or "refresh the page" in page.text
    client.get("/caseload")  # still signed in


def test_signed_out_banner(client, world):
    client.sign_in_as(world.adviser)
    client.post("/sign-out", status=303)
    page = client.get("/sign-in")
    assert "You have signed out." in page.text


def test_sign_in_page_says_why_after_a_time_out(client, world):
    with time_machine.travel(START, tick=False) as clock:
        client.sign_in_as(world.adviser)
        clock.shift(timedelta(minutes=31))
        client.get("/caseload", status=302)
        page = client.get("/sign-in")
        assert "You were signed out because you had not done anything for a while" in page.text


def test_sign_in_page_says_sign_in_to_see_the_page(client, world):
    client.get("/caseload", status=302)
    assert "Sign in to see this page." in client.get("/sign-in").text
