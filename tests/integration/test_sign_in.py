"""Sign-in, lockout, rate limiting and passwords."""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import AuditEvent, User
from pathway.services.passwords import hash_password, needs_rehash, password_problems
from tests.factories import PASSWORD
from tests.helpers import PageClient

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def test_correct_password_signs_in_and_lands_on_role_home(client, world):
    page = client.sign_in(world.adviser.email, PASSWORD)
    assert page.status == 303
    assert page.response.headers["Location"].endswith("/caseload")
    assert client.get("/caseload").h1 == "Your caseload"


def test_email_is_case_insensitive(client, world):
    page = client.sign_in(world.adviser.email.upper(), PASSWORD)
    assert page.status == 303


def test_unknown_email_and_wrong_password_get_identical_responses(client, world):
    unknown = client.sign_in("nobody@example.test", "whatever-password")
    wrong = PageClient(client.app).sign_in(world.adviser.email, "whatever-password")
    assert unknown.status == wrong.status == 200
    assert unknown.errors() == wrong.errors() == ["Enter a correct email address and password"]
    assert unknown.title == wrong.title
    assert unknown.title.startswith("Error: ")
    # Same page apart from the CSRF token and nonce.
    strip = lambda p: [t.get_text(" ", strip=True) for t in p.soup.select("main")]  # noqa: E731
    assert strip(unknown) == strip(wrong)


def test_empty_form_gets_govuk_errors(client):
    client.get("/sign-in")
    page = client.post("/sign-in", {"email": "", "password": ""})
    assert page.errors() == ["Enter your email address", "Enter your password"]


def test_ten_failures_lock_the_account_for_fifteen_minutes(client, world):
    user = world.adviser
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(10):
            client.sign_in(user.email, "wrong-password-here")
        db.session.refresh(user)
        assert user.locked_until == NOW + timedelta(minutes=15)
        # Even the right password is refused while locked, with the same message.
        page = client.sign_in(user.email, PASSWORD)
        assert page.status == 200
        assert page.errors() == ["Enter a correct email address and password"]
        clock.shift(timedelta(minutes=14, seconds=59))
        assert client.sign_in(user.email, PASSWORD).status == 200
        clock.shift(timedelta(seconds=2))
        assert client.sign_in(user.email, PASSWORD).status == 303
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.record_id == user.id)).all()
    assert actions.count("sign_in_failed") == 10
    assert "sign_in_refused_locked" in actions


def test_nine_failures_then_success_resets_the_count(client, world):
    user = world.adviser
    for _ in range(9):
        client.sign_in(user.email, "wrong-password-here")
    assert client.sign_in(user.email, PASSWORD).status == 303
    db.session.refresh(user)
    assert user.failed_sign_ins == 0
    assert user.locked_until is None


def test_inactive_user_cannot_sign_in(client, make):
    user = make.adviser(active=False)
    page = client.sign_in(user.email, PASSWORD)
    assert page.status == 200
    assert page.errors() == ["Enter a correct email address and password"]


def test_sign_in_is_rate_limited_per_address(client, world, monkeypatch):
    from pathway.extensions import limiter

    monkeypatch.setitem(client.app.config, "SIGNIN_RATE_LIMIT", "3 per minute")
    limiter.reset()
    try:
        client.get("/sign-in")
        statuses = [client.post("/sign-in", {"email": "x@example.test", "password": "y"}).status for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        page = client.post("/sign-in", {"email": "x@example.test", "password": "y"})
        assert "Too many attempts" in page.h1
    finally:
        limiter.reset()


def test_next_parameter_returns_to_the_page_asked_for(client, world):
    person = world.person
    first = client.get(f"/young-people/{person.id}", status=302)
    assert "/sign-in?next=" in first.response.headers["Location"]
    client.get("/sign-in", status=None)
    page = client.post(f"/sign-in?next=/young-people/{person.id}", {"email": world.adviser.email, "password": PASSWORD})
    assert page.response.headers["Location"].endswith(f"/young-people/{person.id}")


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_next_parameter_never_leaves_the_site(client, world, target):
    client.get("/sign-in", status=None)
    page = client.post(f"/sign-in?next={target}", {"email": world.adviser.email, "password": PASSWORD})
    assert page.response.headers["Location"].endswith("/caseload")


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("short1", False),  # under 8
        ("password1", False),  # common
        ("qwertyuiop", False),
        ("correct horse battery", True),
        ("x" * 5 + "Tq9!vLm#2z", True),
        ("a-very-long-passphrase-" * 5 + "abcde", True),  # 120 characters
    ],
)
def test_password_policy(password, ok):
    assert (password_problems(password) == []) is ok


def test_password_of_128_characters_is_accepted_without_truncation(client, world, app):
    long_password = "".join(random.Random(7).choices(string.ascii_letters + string.digits, k=127)) + "A"
    assert len(long_password) == 128 and password_problems(long_password) == []
    world.adviser.password_hash = hash_password(long_password)
    db.session.commit()
    assert client.sign_in(world.adviser.email, long_password).status == 303
    # One character different at the end is refused: nothing was truncated.
    assert PageClient(app).sign_in(world.adviser.email, long_password[:-1] + "B").status == 200


def test_password_over_128_characters_is_refused():
    assert password_problems("Gx7!" * 33) == ["Password must be 128 characters or fewer"]


def test_hash_is_remade_when_argon2_parameters_change(client, world):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    world.adviser.password_hash = weak
    db.session.commit()
    assert needs_rehash(weak)
    assert client.sign_in(world.adviser.email, PASSWORD).status == 303
    stored = db.session.scalar(select(User.password_hash).where(User.id == world.adviser.id))
    assert stored != weak and not needs_rehash(stored)


def test_sign_in_page_is_never_cached(client):
    page = client.get("/sign-in")
    assert page.response.headers["Cache-Control"] == "no-store"
