"""Administration: staff accounts, teams and the development outbox. Admins never see case records."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import (
    AuditEvent,
    AuthSession,
    OneTimeToken,
    OutboxEmail,
    Role,
    Team,
    TeamManager,
    TokenPurpose,
    User,
)
from tests.helpers import PageClient

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
frozen = time_machine.travel(NOON, tick=False)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))


def banner(page) -> str:
    node = page.soup.select_one(".govuk-notification-banner")
    return node.get_text(" ", strip=True) if node else ""


def inline_error(page, field_id: str) -> str:
    node = page.soup.find(id=f"{field_id}-error")
    assert node is not None, f"no inline error for {field_id}"
    return node.get_text(" ", strip=True)


def summary(page) -> dict[str, str]:
    return {
        row.select_one(".govuk-summary-list__key").get_text(" ", strip=True):
        row.select_one(".govuk-summary-list__value").get_text(" ", strip=True)
        for row in page.soup.select(".govuk-summary-list__row")
    }


def audit_actions(record_type: str, record_id: int) -> list[tuple[str, int | None]]:
    return [(e.action, e.user_id) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == record_type, AuditEvent.record_id == record_id)
        .order_by(AuditEvent.id)
    )]


@pytest.fixture
def admin_client(client, world):
    return client.sign_in_as(world.admin)


# Home and the list of users


def test_home_counts_active_staff_and_teams(admin_client, make):
    make.adviser(active=False)  # deactivated staff are not counted
    page = admin_client.get("/admin")
    assert page.h1 == "Administration"
    staff = [li.get_text(strip=True) for li in page.soup.select("main .govuk-grid-row ul.govuk-list li")]
    assert staff == ["3 personal advisers", "2 managers", "1 administrator"]
    # make.adviser made its own team.
    assert "3 teams" in page.text


def test_users_list_shows_staff_but_not_young_people(admin_client, world, make):
    make.adviser(world.north, name="Ivy Invited", password=False)
    make.adviser(world.south, name="Dee Deactivated", active=False)
    page = admin_client.get("/admin/users")

    rows = {
        row.find("a").get_text(strip=True): [c.get_text(" ", strip=True) for c in row.find_all("td")[1:]]
        for row in page.soup.select("tbody tr")
    }
    assert rows == {
        "Adviser One": ["Personal adviser", "North", "Active"],
        "Adviser South": ["Personal adviser", "South", "Active"],
        "Adviser Two": ["Personal adviser", "North", "Active"],
        "Admin": ["Administrator", "None", "Active"],
        "Ivy Invited": ["Personal adviser", "North", "Invited"],
        "Manager North": ["Manager", "North", "Active"],
        "Manager South": ["Manager", "South", "Active"],
        "Dee Deactivated": ["Personal adviser", "South", "Deactivated"],
    }
    names = [a.get_text(strip=True) for a in page.soup.select("tbody tr a")]
    assert names[-1] == "Dee Deactivated"  # deactivated last
    assert world.adviser.email in page.text
    assert "Jordan Taylor" not in page.text and world.person_user.email not in page.text
    assert page.soup.find("a", href=f"/admin/users/{world.adviser.id}") is not None


# Inviting staff


@frozen
def test_invite_an_adviser(client, world):
    admin_client = client.sign_in_as(world.admin)  # inside the frozen clock, so the session is fresh
    page = admin_client.post("/admin/users/new", {
        "name": "  Priya Shah ", "email": " Priya.Shah@Northshire.EXAMPLE.com ", "role": "adviser",
        "team_id": str(world.south.id),
    }, status=303)
    assert page.response.headers["Location"] == "/admin/users"

    user = user_by_email("priya.shah@northshire.example.com")
    assert (user.name, user.email, user.role, user.team_id, user.active, user.password_hash, user.started_role_on) == (
        "Priya Shah", "priya.shah@northshire.example.com", Role.ADVISER, world.south.id, True, None, date(2026, 11, 22))
    assert db.session.scalars(select(TeamManager).where(TeamManager.user_id == user.id)).all() == []

    [email] = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == user.email)).all()
    assert email.subject == "You have been invited to Pathway"
    assert "An administrator at Northshire Council" in email.body
    link = re.search(r"https?://\S+(/set-password/\S+)", email.body).group(1)
    [token] = db.session.scalars(select(OneTimeToken).where(OneTimeToken.user_id == user.id)).all()
    assert (token.purpose, token.created_by_id) == (TokenPurpose.INVITATION, world.admin.id)

    assert audit_actions("user", user.id) == [("create", world.admin.id), ("invitation_sent", world.admin.id)]
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "create", AuditEvent.record_id == user.id))
    assert created.changed_field_list == ["email", "name", "role", "team_id"]

    listing = admin_client.get("/admin/users")
    assert "We have emailed Priya Shah an invitation to set their password." in banner(listing)
    row = listing.soup.find("a", string="Priya Shah").find_parent("tr")
    assert [c.get_text(" ", strip=True) for c in row.find_all("td")[1:]] == ["Personal adviser", "South", "Invited"]

    assert PageClient(admin_client.app).get(link).h1 == "Choose your password"


def test_invite_a_manager_makes_them_manager_of_the_team(admin_client, world):
    admin_client.post("/admin/users/new", {
        "name": "Mo Manager", "email": "mo@northshire.example.com", "role": "manager", "team_id": str(world.south.id),
    }, status=303)
    user = user_by_email("mo@northshire.example.com")
    assert (user.role, user.team_id) == (Role.MANAGER, None)
    assert [t.id for t in user.managed_teams] == [world.south.id]


def test_invite_an_administrator_without_a_team(admin_client):
    admin_client.post("/admin/users/new", {
        "name": "Ada Admin", "email": "ada@northshire.example.com", "role": "admin", "team_id": "0",
    }, status=303)
    user = user_by_email("ada@northshire.example.com")
    assert (user.role, user.team_id) == (Role.ADMIN, None)


@pytest.mark.parametrize("typed", ["PA.One@Example.COM", "pa.one@example.com", "  pa.one@EXAMPLE.com "])
def test_invite_with_an_email_already_in_use_is_refused(admin_client, world, make, typed):
    make.adviser(world.north, name="Existing", email="pa.one@example.com")
    users, emails = count(User), count(OutboxEmail)

    page = admin_client.post("/admin/users/new", {
        "name": "Someone Else", "email": typed, "role": "adviser", "team_id": str(world.north.id),
    }, status=200)

    assert page.title.startswith("Error: ")
    assert page.errors() == ["There is already an account with this email address"]
    assert inline_error(page, "email") == "Error: There is already an account with this email address"
    assert (count(User), count(OutboxEmail)) == (users, emails)
    assert page.soup.find(id="name")["value"] == "Someone Else"


def test_an_adviser_must_have_a_team(admin_client):
    users = count(User)
    page = admin_client.post("/admin/users/new", {
        "name": "No Team", "email": "noteam@northshire.example.com", "role": "adviser", "team_id": "0",
    }, status=200)
    assert page.title.startswith("Error: ")
    assert page.errors() == ["Select the adviser's team"]
    assert inline_error(page, "team_id") == "Error: Select the adviser's team"
    assert count(User) == users
    assert count(OutboxEmail) == 0


@pytest.mark.parametrize("team_id", ["99999", "-1"])
def test_a_team_that_does_not_exist_is_refused(admin_client, team_id):
    users = count(User)
    page = admin_client.post("/admin/users/new", {
        "name": "Ghost Team", "email": "ghost@northshire.example.com", "role": "adviser", "team_id": team_id,
    }, status=200)
    assert page.errors() == ["Select a team from the list"]
    assert inline_error(page, "team_id") == "Error: Select a team from the list"
    assert count(User) == users


def test_a_team_id_that_is_not_a_number_is_refused_not_a_crash(admin_client):
    users = count(User)
    page = admin_client.post("/admin/users/new", {
        "name": "Bad Team", "email": "badteam@northshire.example.com", "role": "adviser", "team_id": "north",
    }, status=200)
    assert page.title.startswith("Error: ")
    assert len(page.errors()) == 1
    assert count(User) == users


@pytest.mark.parametrize("role", ["young_person", "superuser"])
def test_a_role_that_is_not_offered_is_refused(admin_client, role):
    users = count(User)
    page = admin_client.post("/admin/users/new", {
        "name": "Sneaky", "email": "sneaky@northshire.example.com", "role": role, "team_id": "0",
    }, status=200)
    assert page.title.startswith("Error: ")
    assert page.soup.find(id="role-error") is not None
    assert count(User) == users
    assert user_by_email("sneaky@northshire.example.com") is None


@pytest.mark.parametrize(("changes", "field_id", "message"), [
    ({"name": ""}, "name", "Enter their full name"),
    ({"name": "   "}, "name", "Enter their full name"),
    ({"name": "N" * 121}, "name", "Full name must be 120 characters or fewer"),
    ({"name": "Eve\u202eil"}, "name", "Full name must not contain hidden or control characters"),
    ({"email": ""}, "email", "Enter their work email address"),
    ({"email": "   "}, "email", "Enter their work email address"),
    ({"email": "not-an-email"}, "email", "Enter an email address in the correct format, like name@example.com"),
    ({"role": None}, "role", "Select their role"),
])
def test_missing_or_bad_fields_are_explained(admin_client, world, changes, field_id, message):
    data = {"name": "Val Id", "email": "valid@northshire.example.com", "role": "adviser", "team_id": str(world.north.id)}
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    users = count(User)

    page = admin_client.post("/admin/users/new", data, status=200)

    assert page.title.startswith("Error: Invite a member of staff")
    assert page.errors() == [message]
    assert inline_error(page, field_id) == f"Error: {message}"
    assert count(User) == users
    assert count(OutboxEmail) == 0


# Editing a member of staff


def test_edit_page_for_an_adviser(admin_client, world):
    page = admin_client.get(f"/admin/users/{world.adviser.id}")
    assert page.h1 == "Adviser One"
    assert summary(page) == {
        "Email address": world.adviser.email,
        "Status": "Active",
        "Team": "North",
        "Current caseload": "1 young person",
    }
    selected = page.soup.select_one("select#team_id option[selected]")
    assert selected["value"] == str(world.north.id)
    assert "Adviser One still has 1 young person. Ask their manager to reallocate them." in page.text


def test_move_an_adviser_to_another_team(admin_client, world):
    page = admin_client.post(f"/admin/users/{world.adviser.id}/team", {"team_id": str(world.south.id), "version": "1"},
                             status=303)
    assert page.response.headers["Location"] == f"/admin/users/{world.adviser.id}"

    assert db.session.get(User, world.adviser.id).team_id == world.south.id
    assert audit_actions("user", world.adviser.id)[-1] == ("move_team", world.admin.id)

    edit = admin_client.get(f"/admin/users/{world.adviser.id}")
    assert "Adviser One is now in South." in banner(edit)
    assert summary(edit)["Team"] == "South"


def test_moving_an_adviser_to_a_team_that_does_not_exist_changes_nothing(admin_client, world):
    admin_client.post(f"/admin/users/{world.adviser.id}/team", {"team_id": "99999", "version": "1"}, status=303)
    assert db.session.get(User, world.adviser.id).team_id == world.north.id
    assert "move_team" not in [a for a, _ in audit_actions("user", world.adviser.id)]
    assert "Select a team from the list" in banner(admin_client.get(f"/admin/users/{world.adviser.id}"))


def test_only_advisers_can_be_moved_to_a_team(admin_client, world):
    admin_client.post(f"/admin/users/{world.manager.id}/team", {"team_id": str(world.south.id), "version": "1"}, status=303)
    assert db.session.get(User, world.manager.id).team_id is None
    assert "Only advisers belong to a team" in banner(admin_client.get(f"/admin/users/{world.manager.id}"))


def test_set_the_teams_a_manager_manages(admin_client, world, make):
    east = make.team("East")
    admin_client.post(f"/admin/users/{world.manager.id}/managed-teams",
                      {"team_ids": [str(world.south.id), str(east.id)], "version": "1"}, status=303)

    managed = db.session.scalars(select(TeamManager.team_id).where(TeamManager.user_id == world.manager.id)).all()
    assert sorted(managed) == sorted([world.south.id, east.id])
    assert audit_actions("user", world.manager.id)[-1] == ("set_managed_teams", world.admin.id)

    edit = admin_client.get(f"/admin/users/{world.manager.id}")
    assert "Manager North's teams have been saved." in banner(edit)
    ticked = {i["value"] for i in edit.soup.select("input[name=team_ids][checked]")}
    assert ticked == {str(world.south.id), str(east.id)}

    # Unticking everything leaves them managing no team.
    admin_client.post(f"/admin/users/{world.manager.id}/managed-teams", {"version": "2"}, status=303)
    assert db.session.scalars(select(TeamManager).where(TeamManager.user_id == world.manager.id)).all() == []


def test_managed_teams_that_do_not_exist_change_nothing(admin_client, world):
    admin_client.post(f"/admin/users/{world.manager.id}/managed-teams",
                      {"team_ids": [str(world.south.id), "99999"], "version": "1"}, status=303)
    managed = db.session.scalars(select(TeamManager.team_id).where(TeamManager.user_id == world.manager.id)).all()
    assert managed == [world.north.id]
    assert "Select teams from the list" in banner(admin_client.get(f"/admin/users/{world.manager.id}"))


def test_deactivating_a_user_signs_them_out_everywhere(admin_client, app, world):
    adviser_browser = PageClient(app).sign_in_as(world.adviser)
    adviser_browser.get("/caseload")

    page = admin_client.post(f"/admin/users/{world.adviser.id}/deactivate", status=303)
    assert page.response.headers["Location"] == f"/admin/users/{world.adviser.id}"

    assert db.session.get(User, world.adviser.id).active is False
    sessions = db.session.scalars(select(AuthSession).where(AuthSession.user_id == world.adviser.id)).all()
    assert sessions and all(s.revoked_at is not None for s in sessions)
    assert audit_actions("user", world.adviser.id)[-1] == ("deactivate", world.admin.id)

    bounced = adviser_browser.get("/caseload", status=302)
    assert bounced.response.headers["Location"].startswith("/sign-in")

    edit = admin_client.get(f"/admin/users/{world.adviser.id}")
    assert "Adviser One has been deactivated and signed out." in banner(edit)
    assert summary(edit)["Status"] == "Deactivated"
    assert edit.soup.find("form", action=f"/admin/users/{world.adviser.id}/reactivate") is not None

    # Reactivating does not bring the old session back.
    admin_client.post(f"/admin/users/{world.adviser.id}/reactivate", status=303)
    assert db.session.get(User, world.adviser.id).active is True
    assert adviser_browser.get("/caseload", status=302).response.headers["Location"].startswith("/sign-in")


def test_an_admin_cannot_deactivate_themself(admin_client, world):
    admin_client.post(f"/admin/users/{world.admin.id}/deactivate", status=303)
    assert db.session.get(User, world.admin.id).active is True
    assert "deactivate" not in [a for a, _ in audit_actions("user", world.admin.id)]
    edit = admin_client.get(f"/admin/users/{world.admin.id}")
    assert "You cannot deactivate your own account" in banner(edit)
    assert edit.soup.find("form", action=f"/admin/users/{world.admin.id}/deactivate") is None


def test_reactivate_a_user(admin_client, app, world, make):
    gone = make.adviser(name="Back Again", active=False)
    admin_client.post(f"/admin/users/{gone.id}/reactivate", status=303)
    assert db.session.get(User, gone.id).active is True
    assert audit_actions("user", gone.id) == [("activate", world.admin.id)]
    assert "Back Again has been reactivated." in banner(admin_client.get(f"/admin/users/{gone.id}"))
    assert PageClient(app).sign_in_as(gone).get("/caseload").h1 == "Your caseload"


def test_resend_an_invitation(admin_client, world, make):
    invited = make.adviser(world.north, name="Not Yet", email="notyet@example.com", password=False)
    edit = admin_client.get(f"/admin/users/{invited.id}")
    assert summary(edit)["Status"] == "Invited, has not set a password"

    admin_client.post(f"/admin/users/{invited.id}/resend-invitation", status=303)

    [email] = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == "notyet@example.com")).all()
    assert "/set-password/" in email.body
    assert [t.purpose for t in db.session.scalars(select(OneTimeToken).where(OneTimeToken.user_id == invited.id))] == [
        TokenPurpose.INVITATION]
    assert "We have emailed Not Yet a new invitation." in banner(admin_client.get(f"/admin/users/{invited.id}"))


def test_no_new_invitation_once_a_password_is_set(admin_client, world):
    admin_client.post(f"/admin/users/{world.adviser.id}/resend-invitation", status=303)
    assert count(OutboxEmail) == 0
    assert "They have already set a password" in banner(admin_client.get(f"/admin/users/{world.adviser.id}"))


def test_no_invitation_for_a_deactivated_account(admin_client, world, make):
    gone = make.adviser(world.north, name="Gone Before", email="gone@example.com", password=False, active=False)
    edit = admin_client.get(f"/admin/users/{gone.id}")
    assert edit.soup.find("form", action=f"/admin/users/{gone.id}/resend-invitation") is None
    admin_client.post(f"/admin/users/{gone.id}/resend-invitation", status=303)
    assert count(OutboxEmail) == 0
    assert db.session.scalars(select(OneTimeToken).where(OneTimeToken.user_id == gone.id)).all() == []
    assert "Reactivate their account before sending a new invitation" in banner(
        admin_client.get(f"/admin/users/{gone.id}"))


def test_set_managed_teams_is_only_for_managers(admin_client, world):
    admin_client.post(f"/admin/users/{world.adviser.id}/managed-teams", {"team_ids": [str(world.south.id)],
                                                                         "version": "1"}, status=303)
    assert db.session.scalars(select(TeamManager).where(TeamManager.user_id == world.adviser.id)).all() == []
    assert "Only managers manage teams" in banner(admin_client.get(f"/admin/users/{world.adviser.id}"))


def test_young_people_are_not_staff_users(admin_client, world):
    assert admin_client.get(f"/admin/users/{world.person_user.id}", status=404).h1 == "Page not found"
    admin_client.post(f"/admin/users/{world.person_user.id}/deactivate", status=404)
    assert db.session.get(User, world.person_user.id).active is True
    admin_client.get("/admin/users/99999", status=404)


def test_admins_cannot_open_a_young_persons_record(admin_client, world):
    assert admin_client.get(f"/young-people/{world.person.id}", status=404).h1 == "Page not found"
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.young_person_id == world.person.id)).all() == []


# Teams


def test_create_a_team(admin_client, world):
    page = admin_client.post("/admin/teams/new", {"name": "  Leaving Care East "}, status=303)
    assert page.response.headers["Location"] == "/admin/teams"

    team = db.session.scalar(select(Team).where(Team.name == "Leaving Care East"))
    assert team is not None
    assert audit_actions("team", team.id) == [("create", world.admin.id)]

    listing = admin_client.get("/admin/teams")
    assert "Leaving Care East has been created." in banner(listing)
    rows = {r.find("td").get_text(strip=True): [c.get_text(strip=True) for c in r.find_all("td")[1:]]
            for r in listing.soup.select("tbody tr")}
    assert rows == {
        "Leaving Care East": ["None", "0"],
        "North": ["Manager North", "2"],
        "South": ["Manager South", "1"],
    }


@pytest.mark.parametrize(("name", "message"), [
    ("North", "There is already a team with this name"),
    ("  North  ", "There is already a team with this name"),
    ("", "Enter the team name"),
    ("   ", "Enter the team name"),
    ("T" * 121, "Team name must be 120 characters or fewer"),
])
def test_bad_team_names_are_refused(admin_client, world, name, message):
    teams = count(Team)
    page = admin_client.post("/admin/teams/new", {"name": name}, status=200)
    assert page.title.startswith("Error: Create a team")
    assert page.errors() == [message]
    assert inline_error(page, "name") == f"Error: {message}"
    assert count(Team) == teams


# The outbox (development and tests only)


def test_outbox_lists_emails_newest_first(admin_client):
    db.session.add_all([
        OutboxEmail(to="first@example.com", subject="First subject", body="First body", backend="outbox"),
        OutboxEmail(to="second@example.com", subject="Second <b>subject</b>", body="Second body", backend="outbox"),
    ])
    db.session.flush()

    page = admin_client.get("/admin/outbox")
    assert page.h1 == "Outbox"
    subjects = [h.get_text(strip=True) for h in page.soup.select(".govuk-summary-card__title")]
    assert subjects == ["Second <b>subject</b>", "First subject"]
    assert "To second@example.com" in page.text and "First body" in page.text
    assert page.soup.find("b") is None
    assert page.soup.find("a", href="/admin/outbox") is not None  # in the menu

    fragment = admin_client.get("/admin/outbox", htmx=True)
    assert [h.get_text(strip=True) for h in fragment.soup.select(".govuk-summary-card__title")] == subjects
    assert fragment.soup.find("h1") is None


def test_empty_outbox(admin_client):
    assert "The outbox is empty." in admin_client.get("/admin/outbox").text


def test_outbox_is_not_found_when_switched_off(admin_client, app, monkeypatch):
    monkeypatch.setitem(app.config, "SHOW_OUTBOX", False)
    assert admin_client.get("/admin/outbox", status=404).h1 == "Page not found"
    assert admin_client.get("/admin").soup.find("a", href="/admin/outbox") is None


def test_production_config_does_not_show_the_outbox():
    from config import ProductionConfig

    assert ProductionConfig.SHOW_OUTBOX is False


def test_users_list_query_count_does_not_grow_with_managers(client, world, make):
    from sqlalchemy import event

    from pathway.extensions import db as database

    admin = client.sign_in_as(world.admin)

    def count():
        statements = []

        def listener(*args):
            statements.append(args[2])

        event.listen(database.engine, "before_cursor_execute", listener)
        try:
            admin.get("/admin/users")
        finally:
            event.remove(database.engine, "before_cursor_execute", listener)
        return len(statements)

    before = count()
    for _ in range(4):
        make.manager(world.north)
    database.session.commit()
    assert count() == before
