"""Two-factor sign-in for staff (issue 8 section 1): the second step, set-up, recovery codes, replay,
drift, lockout, the administrator's reset and the council's setting. The clock is frozen."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import AuditEvent, AuthSession, RecoveryCode, TwoFactor
from pathway.rules import two_factor as rules
from pathway.services import two_factor
from tests.factories import PASSWORD, RECOVERY_CODES, TOTP_SECRET
from tests.helpers import PageClient

NOW = datetime(2026, 11, 22, 10, 0, 5, tzinfo=UTC)  # 5 seconds into a 30-second step


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def code(offset: int = 0, secret: str = TOTP_SECRET) -> str:
    """What the authenticator app shows now (offset: steps ahead or behind)."""
    return rules.code_at(secret, rules.time_step(datetime.now(UTC)) + offset)


def by_hand(app) -> PageClient:
    """A browser whose user types the codes themselves (the helper does not enter them)."""
    return PageClient(app, two_factor=False)


def password_step(client: PageClient, user, *, next_url: str | None = None):
    client.get("/sign-in", status=None)
    url = f"/sign-in?next={next_url}" if next_url else "/sign-in"
    return client.post(url, {"email": user.email, "password": PASSWORD}, status=303)


def enter(client: PageClient, value: str, *, url: str = "/sign-in/code", status: int | None = None):
    client.get(url, status=None)
    return client.post(url, {"code": value}, status=status)


def actions(user) -> list[str]:
    return list(db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.record_id == user.id, AuditEvent.record_type == "user")
        .order_by(AuditEvent.id)))


def sessions(user) -> int:
    return db.session.scalar(select(func.count()).select_from(AuthSession).where(AuthSession.user_id == user.id))


# The second step.

def test_a_correct_password_is_not_yet_a_sign_in(app, world, clock):
    client = by_hand(app)
    page = password_step(client, world.manager)
    assert page.response.headers["Location"] == "/sign-in/code"
    step = client.get("/sign-in/code")
    assert step.h1 == "Check your authenticator app"
    assert "Enter the 6-digit code from your authenticator app" in step.text
    link = step.soup.find("a", string="Use a recovery code instead")
    assert link["href"] == "/sign-in/recovery-code"
    field = step.soup.find("input", attrs={"name": "code"})
    assert field["autocomplete"] == "one-time-code" and field["inputmode"] == "numeric"
    # Nothing else is reachable, and no server-side session exists yet.
    for url in ("/manager", "/account", "/caseload", "/admin"):
        assert "/sign-in" in client.get(url, status=302).response.headers["Location"], url
    assert sessions(world.manager) == 0
    assert "sign_in_password_accepted" in actions(world.manager) and "sign_in" not in actions(world.manager)

    done = enter(client, code(), status=303)
    assert done.response.headers["Location"] == "/manager"
    assert client.get("/manager").status == 200
    assert sessions(world.manager) == 1
    assert actions(world.manager)[-1] == "sign_in"


def test_the_steps_are_never_cached(app, world, clock):
    client = by_hand(app)
    password_step(client, world.manager)
    assert client.get("/sign-in/code").response.headers["Cache-Control"] == "no-store"


def test_the_page_asked_for_is_kept_through_the_second_step(app, world, clock):
    client = by_hand(app)
    person = world.person
    password_step(client, world.adviser, next_url=f"/young-people/{person.id}")
    done = enter(client, code(), status=303)
    assert done.response.headers["Location"] == f"/young-people/{person.id}"


@pytest.mark.parametrize("how", ["code", "set-up"])
def test_a_form_kept_at_a_time_out_comes_back_after_the_second_step(app, world, make, clock, how):
    from pathway.models import SavedForm

    user = world.adviser if how == "code" else make.adviser(world.north, two_factor=False)
    kept = SavedForm(user_id=user.id, path=f"/young-people/{world.person.id}/plan/areas/health",
                     form_data='{"current_situation": ["typed before the time-out"]}')
    db.session.add(kept)
    db.session.flush()
    client = by_hand(app)
    password_step(client, user, next_url="/caseload")
    if how == "code":
        done = enter(client, code(), status=303)
        assert done.response.headers["Location"] == f"{kept.path}?restore={kept.id}"
    else:
        secret = set_up_secret(client.get("/sign-in/set-up-two-factor"))
        done = client.post("/sign-in/set-up-two-factor", {"code": code(secret=secret)}, status=200)
        assert "brought back what you typed" not in done.text  # said on the form itself, not here
        link = done.soup.find("a", string="I have saved my recovery codes")["href"]
        assert link == f"{kept.path}?restore={kept.id}"
    assert "We have brought back what you typed" in client.get("/caseload").text


def test_codes_pasted_with_spaces_are_accepted(app, world, clock):
    client = by_hand(app)
    password_step(client, world.adviser)
    typed = code()
    assert enter(client, f" {typed[:3]} {typed[3:]} ", status=303).response.headers["Location"] == "/caseload"


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter the 6-digit code from your authenticator app"),
    ("12a456", "The code must only include numbers 0 to 9"),
    ("12345", "The code must be 6 numbers"),
    ("1234567", "The code must be 6 numbers"),
    ("1" * 100, "The code must be 6 numbers"),
])
def test_codes_that_cannot_be_right_get_govuk_errors(app, world, clock, typed, message):
    client = by_hand(app)
    password_step(client, world.manager)
    page = enter(client, typed, status=200)
    assert page.errors() == [message]
    assert page.title.startswith("Error: ")
    assert page.soup.select_one("#code-error").get_text(" ", strip=True).endswith(message)
    # A malformed code is not counted as a guess.
    assert two_factor.record_for(world.manager).failed_attempts == 0


def test_a_wrong_code_is_refused(app, world, clock):
    client = by_hand(app)
    password_step(client, world.manager)
    wrong = f"{(int(code()) + 1) % 1_000_000:06d}"
    page = enter(client, wrong, status=200)
    assert page.errors() == ["The code is not correct. Enter the code your app shows now"]
    assert sessions(world.manager) == 0
    assert "two_factor_code_wrong" in actions(world.manager)


def test_a_code_is_accepted_once(app, world, clock):
    first = by_hand(app)
    password_step(first, world.manager)
    used = code()
    enter(first, used, status=303)
    # The same code, seen over a shoulder or replayed, in the same 30 seconds: refused.
    second = by_hand(app)
    password_step(second, world.manager)
    page = enter(second, used, status=200)
    assert page.errors() == ["The code is not correct. Enter the code your app shows now"]
    # The next code works once the app shows it.
    clock.shift(timedelta(seconds=30))
    assert enter(second, code(), status=303).response.headers["Location"] == "/manager"


def test_two_requests_racing_with_the_same_code_are_not_both_accepted(app, world, clock, monkeypatch):
    """The other request stores the step between this one's check and its save: this one is refused."""
    real = rules.accepted_step

    def checked_while_the_other_request_saves(secret, typed, *, now, last_used_step):
        step = real(secret, typed, now=now, last_used_step=last_used_step)
        db.session.execute(
            TwoFactor.__table__.update().where(TwoFactor.user_id == world.manager.id).values(last_used_step=step))
        return step

    monkeypatch.setattr(rules, "accepted_step", checked_while_the_other_request_saves)
    assert two_factor.check_code(world.manager, code()) is two_factor.Outcome.WRONG


@pytest.mark.parametrize(("offset", "accepted"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)])
def test_one_step_of_clock_drift_is_allowed(app, world, clock, offset, accepted):
    client = by_hand(app)
    password_step(client, world.manager)
    page = enter(client, code(offset))
    assert (page.status == 303) is accepted


def test_an_earlier_code_is_refused_after_a_later_one_was_used(app, world, clock):
    client = by_hand(app)
    password_step(client, world.manager)
    enter(client, code(1), status=303)  # a phone running fast
    other = by_hand(app)
    password_step(other, world.manager)
    assert enter(other, code(0), status=200).errors()  # older than the one used


def test_the_pending_step_expires_after_ten_minutes(app, world, clock):
    client = by_hand(app)
    password_step(client, world.manager)
    client.get("/sign-in/code")
    clock.shift(timedelta(minutes=10, seconds=1))
    page = client.post("/sign-in/code", {"code": code()}, status=302)
    assert page.response.headers["Location"] == "/sign-in"
    assert "You took more than 10 minutes to enter the code. Sign in again." in client.get("/sign-in").text
    assert sessions(world.manager) == 0


def test_the_second_step_without_a_password_goes_to_sign_in(app, world):
    client = by_hand(app)
    for url in ("/sign-in/code", "/sign-in/recovery-code", "/sign-in/set-up-two-factor"):
        assert client.get(url, status=302).response.headers["Location"] == "/sign-in", url
        assert client.post(url, {"code": "123456"}, status=302).response.headers["Location"] == "/sign-in"


def test_the_second_step_is_rate_limited(app, world, clock, monkeypatch):
    from pathway.extensions import limiter

    monkeypatch.setitem(app.config, "SIGNIN_RATE_LIMIT", "3 per minute")
    limiter.reset()
    try:
        client = by_hand(app)
        password_step(client, world.adviser)
        client.get("/sign-in/code")
        statuses = [client.post("/sign-in/code", {"code": ""}).status for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
    finally:
        limiter.reset()


# Lockout and the administrator's reset.

def test_five_wrong_codes_lock_the_second_step_until_an_admin_resets_it(app, world, clock):
    client = by_hand(app)
    password_step(client, world.manager)
    wrong = f"{(int(code()) + 1) % 1_000_000:06d}"
    for _ in range(4):
        page = enter(client, wrong, status=200)
    assert "You have 1 more try before sign-in is locked" in page.errors()[0]
    locked = enter(client, wrong, status=403)
    assert locked.h1 == "You cannot sign in at the moment"
    assert "Contact an administrator" in locked.text
    assert two_factor.record_for(world.manager).locked_at == NOW
    assert "two_factor_locked" in actions(world.manager)
    # Even the right code, or a recovery code, after the password again: still locked.
    password_step(client, world.manager)
    assert enter(client, code(), status=403).h1 == "You cannot sign in at the moment"
    password_step(client, world.manager)
    assert enter(client, RECOVERY_CODES[0], url="/sign-in/recovery-code", status=403)
    assert sessions(world.manager) == 0

    admin = PageClient(app).sign_in_as(world.admin)
    page = admin.get(f"/admin/users/{world.manager.id}")
    assert "Locked after 5 wrong codes" in page.text
    done = admin.post(f"/admin/users/{world.manager.id}/two-factor/reset", status=200, follow=True)
    assert "Two-factor sign-in for Manager North has been reset" in done.text
    assert two_factor.record_for(world.manager) is None
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == world.manager.id)) == 0
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "two_factor_reset")).one()
    assert (event.user_id, event.record_id) == (world.admin.id, world.manager.id)
    # The manager sets it up again at their next sign-in.
    assert password_step(client, world.manager).response.headers["Location"] == "/sign-in/set-up-two-factor"


def test_wrong_recovery_codes_count_towards_the_lock(app, world, clock):
    client = by_hand(app)
    password_step(client, world.adviser)
    for _ in range(4):
        page = enter(client, "zzzzz-zzzzz", url="/sign-in/recovery-code", status=200)
    assert page.errors()[0].startswith("The recovery code is not correct, or it has already been used")
    enter(client, "zzzzz-zzzzz", url="/sign-in/recovery-code", status=403)
    assert two_factor.is_locked(world.adviser)


def test_only_administrators_reset_two_factor(app, world):
    manager = PageClient(app).sign_in_as(world.manager)
    manager.post(f"/admin/users/{world.adviser.id}/two-factor/reset", status=404)
    assert two_factor.is_enabled(world.adviser)
    admin = PageClient(app).sign_in_as(world.admin)
    admin.post(f"/admin/users/{world.person_user.id}/two-factor/reset", status=404)  # not staff
    admin.post("/admin/users/999999/two-factor/reset", status=404)


# Recovery codes.

def test_a_recovery_code_signs_in_once(app, world, clock):
    client = by_hand(app)
    password_step(client, world.manager)
    page = client.get("/sign-in/recovery-code")
    assert page.h1 == "Use a recovery code"
    done = enter(client, RECOVERY_CODES[1].upper().replace("-", " "), url="/sign-in/recovery-code", status=303)
    assert done.response.headers["Location"] == "/manager"
    assert "You signed in with a recovery code. You have 2 left." in client.get("/manager").text
    assert "two_factor_recovery_code_used" in actions(world.manager)
    again = by_hand(app)
    password_step(again, world.manager)
    page = enter(again, RECOVERY_CODES[1], url="/sign-in/recovery-code", status=200)
    assert page.errors() == ["The recovery code is not correct, or it has already been used"]


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter one of your recovery codes"),
    ("abc", "Enter the recovery code as it was shown, like abcde-23456"),
])
def test_recovery_codes_that_cannot_be_right_get_govuk_errors(app, world, clock, typed, message):
    client = by_hand(app)
    password_step(client, world.manager)
    assert enter(client, typed, url="/sign-in/recovery-code", status=200).errors() == [message]


# Setting up.

def set_up_secret(page) -> str:
    return page.soup.select_one(".app-set-up-key").get_text(strip=True).replace(" ", "")


def test_someone_who_must_use_it_sets_it_up_before_any_other_page(app, world, make, clock):
    manager = make.manager(world.north, two_factor=False)
    client = by_hand(app)
    assert password_step(client, manager, next_url="/manager/indicators").response.headers["Location"] == \
        "/sign-in/set-up-two-factor"
    assert "/sign-in" in client.get("/manager", status=302).response.headers["Location"]
    page = client.get("/sign-in/set-up-two-factor")
    assert page.h1 == "Set up two-factor sign-in"
    svg = page.soup.select_one(".app-qr svg")
    assert svg["role"] == "img" and "authenticator app" in svg["aria-label"]
    secret = set_up_secret(page)
    assert len(secret) == 32
    assert len(page.soup.select_one(".app-set-up-key").get_text(strip=True).split(" ")) == 8  # groups of 4
    # The same key until it is confirmed (it waits in the session, not the database).
    assert set_up_secret(client.get("/sign-in/set-up-two-factor")) == secret
    assert two_factor.record_for(manager) is None

    wrong = enter(client, f"{(int(code(secret=secret)) + 1) % 1_000_000:06d}", url="/sign-in/set-up-two-factor")
    assert wrong.errors() == ["The code is not correct. Enter the code your app shows now"]
    assert enter(client, "", url="/sign-in/set-up-two-factor").errors() == [
        "Enter the 6-digit code from your authenticator app"]

    done = client.post("/sign-in/set-up-two-factor", {"code": code(secret=secret)}, status=200)
    assert done.h1 == "Save your recovery codes"
    assert "Two-factor sign-in is on" in done.text
    shown = [c.get_text(strip=True) for c in done.soup.select(".app-recovery-codes code")]
    assert len(shown) == 10 and len(set(shown)) == 10
    assert all(rules.looks_like_recovery_code(c) for c in shown)
    assert done.soup.find("a", string="I have saved my recovery codes")["href"] == "/manager/indicators"
    assert client.get("/manager/indicators").status == 200  # signed in
    assert "two_factor_set_up" in actions(manager)

    # Stored: the secret encrypted, the codes as keyed hashes, nothing in plain text.
    record = two_factor.record_for(manager)
    assert secret not in record.secret and two_factor.decrypt_secret(record.secret) == secret
    hashes = set(db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == manager.id)))
    assert len(hashes) == 10 and not {c.replace("-", "") for c in shown} & hashes
    assert two_factor.hash_recovery_code(manager.id, shown[0]) in hashes

    # Next time: the code step, and a shown recovery code works.
    other = by_hand(app)
    assert password_step(other, manager).response.headers["Location"] == "/sign-in/code"
    assert enter(other, shown[3], url="/sign-in/recovery-code", status=303)


def test_the_set_up_key_is_never_shown_again(app, world, clock):
    client = PageClient(app).sign_in_as(world.manager)
    page = client.get("/account")
    assert TOTP_SECRET not in page.response.get_data(as_text=True)
    assert rules.group_key(TOTP_SECRET) not in page.response.get_data(as_text=True)


def test_advisers_need_it_by_default_and_an_admin_can_change_that(app, world, make, clock):
    adviser = make.adviser(world.north, two_factor=False)
    client = by_hand(app)
    assert password_step(client, adviser).response.headers["Location"] == "/sign-in/set-up-two-factor"

    admin = PageClient(app).sign_in_as(world.admin)
    assert "Two-factor sign-in" in admin.get("/admin").text
    page = admin.get("/admin/two-factor")
    assert page.soup.find("input", attrs={"name": "advisers", "value": "on"}).has_attr("checked")
    assert admin.post("/admin/two-factor", {}, status=200).errors() == [
        "Select whether personal advisers need two-factor sign-in"]
    version = page.soup.find("input", attrs={"name": "version"})["value"]
    admin.post("/admin/two-factor", {"advisers": "off", "version": version}, status=303)
    assert not two_factor.advisers_required()
    assert db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "update", AuditEvent.record_type == "council_setting")).first().user_id == world.admin.id

    # Now the adviser without an app signs in with a password; one who set one up still uses it;
    # managers always do.
    fresh = by_hand(app)
    assert password_step(fresh, adviser).response.headers["Location"] == "/caseload"
    assert password_step(by_hand(app), world.adviser).response.headers["Location"] == "/sign-in/code"
    manager = make.manager(world.north, two_factor=False)
    assert password_step(by_hand(app), manager).response.headers["Location"] == "/sign-in/set-up-two-factor"


def test_the_setting_page_is_for_administrators_only(app, world):
    PageClient(app).sign_in_as(world.manager).get("/admin/two-factor", status=404)
    PageClient(app).sign_in_as(world.adviser).post("/admin/two-factor", {"advisers": "off"}, status=404)
    assert two_factor.advisers_required()


def test_young_people_are_never_asked(app, world, clock):
    client = by_hand(app)
    assert password_step(client, world.person_user).response.headers["Location"] == "/me"


# The account page.

def test_account_page_shows_two_factor_and_manages_it(app, world, clock):
    client = PageClient(app).sign_in_as(world.manager)
    page = client.get("/account")
    assert "Two-factor sign-in Status On (required for your role)" in page.text
    assert "Recovery codes left 3 of 10" in page.text
    assert page.soup.find("a", string="Turn off two-factor sign-in") is None  # required for managers
    client.get("/account/two-factor/turn-off", status=404)

    # New recovery codes need the password again.
    client.get("/account/two-factor/recovery-codes")
    wrong = client.post("/account/two-factor/recovery-codes", {"password": "not-my-password"}, status=200)
    assert wrong.errors() == ["Your password is not correct"]
    assert client.post("/account/two-factor/recovery-codes", {"password": ""}).errors() == ["Enter your password"]
    done = client.post("/account/two-factor/recovery-codes", {"password": PASSWORD}, status=200)
    shown = [c.get_text(strip=True) for c in done.soup.select(".app-recovery-codes code")]
    assert len(shown) == 10 and "Your old recovery codes no longer work." in done.text
    assert two_factor.check_recovery_code(world.manager, RECOVERY_CODES[0]) is two_factor.Outcome.WRONG
    assert "two_factor_recovery_codes_replaced" in actions(world.manager)


def test_moving_to_a_new_app_needs_the_password_and_a_code(app, world, clock):
    client = PageClient(app).sign_in_as(world.manager)
    page = client.get("/account/two-factor/set-up")
    secret = set_up_secret(page)
    assert secret != TOTP_SECRET
    bad = client.post("/account/two-factor/set-up", {"password": "nope-nope-nope", "code": code(secret=secret)})
    assert bad.errors() == ["Your password is not correct"]
    assert two_factor.decrypt_secret(two_factor.record_for(world.manager).secret) == TOTP_SECRET
    clock.shift(timedelta(seconds=30))  # sign-in used this step's code of the old app; a new app is separate
    done = client.post("/account/two-factor/set-up", {"password": PASSWORD, "code": code(secret=secret)}, status=200)
    assert done.h1 == "Save your recovery codes"
    assert two_factor.decrypt_secret(two_factor.record_for(world.manager).secret) == secret
    assert "two_factor_replaced" in actions(world.manager)


def test_an_adviser_who_need_not_use_it_can_turn_it_on_and_off(app, world, make, clock):
    two_factor.set_advisers_required(False, by=world.admin)
    adviser = make.adviser(world.north, two_factor=False)
    client = PageClient(app).sign_in_as(adviser)
    page = client.get("/account")
    assert "Two-factor sign-in is off." in page.text
    secret = set_up_secret(client.get("/account/two-factor/set-up"))
    client.post("/account/two-factor/set-up", {"password": PASSWORD, "code": code(secret=secret)}, status=200)
    assert two_factor.is_enabled(adviser)
    page = client.get("/account")
    assert page.soup.find("a", string="Turn off two-factor sign-in")["href"] == "/account/two-factor/turn-off"
    client.get("/account/two-factor/turn-off")
    assert client.post("/account/two-factor/turn-off", {"password": "wrong-password-1"}).errors() == [
        "Your password is not correct"]
    done = client.post("/account/two-factor/turn-off", {"password": PASSWORD}, status=200, follow=True)
    assert "Two-factor sign-in is off. You will sign in with your password only." in done.text
    assert not two_factor.is_enabled(adviser)
    assert "two_factor_turned_off" in actions(adviser)


def test_young_people_have_no_two_factor_pages(app, world):
    client = PageClient(app).sign_in_as(world.person_user)
    assert "Two-factor" not in client.get("/account").text
    client.get("/account/two-factor/set-up", status=404)
    client.get("/account/two-factor/recovery-codes", status=404)


# Storage.

def test_secrets_are_encrypted_with_a_key_from_secret_key(app, world, monkeypatch):
    stored = two_factor.encrypt_secret(TOTP_SECRET)
    assert TOTP_SECRET not in stored and stored != two_factor.encrypt_secret(TOTP_SECRET)  # a fresh IV
    assert two_factor.decrypt_secret(stored) == TOTP_SECRET
    raw = bytearray(base64.urlsafe_b64decode(stored[3:]))
    for position in (0, 20, 40, len(raw) - 1):  # the version, the IV, the ciphertext, the tag
        flipped = raw.copy()
        flipped[position] ^= 1
        assert two_factor.decrypt_secret("v2$" + base64.urlsafe_b64encode(bytes(flipped)).decode()) is None
    assert two_factor.decrypt_secret("v2$not-base64!") is None
    assert two_factor.decrypt_secret(TOTP_SECRET) is None  # never a secret stored in the clear
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-key")
    assert two_factor.decrypt_secret(stored) is None


def test_the_test_helper_signs_the_same_person_in_three_times_in_one_step(app, world, clock):
    """Two sign-ins in one 30-second step use the next step's code (drift); a third, a recovery code."""
    for _ in range(3):
        PageClient(app).sign_in_as(world.manager)
    assert two_factor.record_for(world.manager).last_used_step == rules.time_step(NOW) + 1
    used = db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == world.manager.id, RecoveryCode.used_at.is_not(None)))
    assert used == 1
    assert db.session.scalar(select(TwoFactor.failed_attempts).where(TwoFactor.user_id == world.manager.id)) == 0
