"""A young person's record: details, adviser history, the audit of views, invitations and the access log."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import Allocation, AuditEvent, OneTimeToken, OutboxEmail, Role, TokenPurpose, User
from tests.helpers import PageClient

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
frozen = time_machine.travel(NOON, tick=False)


def summary(page) -> dict[str, str]:
    rows = page.soup.select("#details .govuk-summary-list__row")
    return {
        row.select_one(".govuk-summary-list__key").get_text(" ", strip=True):
        row.select_one(".govuk-summary-list__value").get_text(" ", strip=True)
        for row in rows
    }


def table_rows(node) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in node.select("tbody tr")]


def events_for(person, action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.young_person_id == person.id).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def outbox_to(address: str) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == address).order_by(OutboxEmail.id)))


def banner(page) -> str:
    node = page.soup.select_one(".govuk-notification-banner")
    return node.get_text(" ", strip=True) if node else ""


# The record page


@frozen
def test_record_shows_the_details(client, make):
    adviser = make.adviser(name="Pat Adviser")
    person = make.young_person(adviser, given_name="Jordan", family_name="Taylor", preferred_name="Jay",
                               dob=date(2007, 11, 23), phone="07700 900 982", email="jay@example.com")
    client.sign_in_as(adviser)
    page = client.get(f"/young-people/{person.id}")

    assert page.h1 == "Jay Taylor"
    assert page.title.startswith("Jay Taylor – ")
    assert summary(page) == {
        "Legal name": "Jordan Taylor",
        "Preferred name": "Jay",
        "Pronouns": "Not given",
        "First language": "Not given",
        "Date of birth": "23 November 2007 (age 18)",  # 19 tomorrow
        "Mobile phone": "07700 900 982",
        "Email address": "jay@example.com",
        "Personal adviser": "Pat Adviser",
        "Signing in to Pathway": "Not invited yet",
    }
    button = page.soup.select_one(f'form[action="/young-people/{person.id}/invite"] button')
    assert button.get_text(" ", strip=True).startswith("Invite them to sign in")
    assert page.soup.select_one(".govuk-back-link")["href"] == "/caseload"
    # Advisers do not get the access log link: it is for managers.
    assert page.soup.find("a", href=f"/young-people/{person.id}/access-log") is None


def test_record_without_email_or_phone_says_not_given_and_offers_no_invitation(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser)
    client.sign_in_as(adviser)
    page = client.get(f"/young-people/{person.id}")
    details = summary(page)
    assert details["Preferred name"] == details["Mobile phone"] == details["Email address"] == "Not given"
    assert page.soup.find("form", action=f"/young-people/{person.id}/invite") is None
    assert "Add their email address to invite them to sign in." in page.text


def test_record_of_someone_with_an_account_offers_no_invitation(client, world):
    client.sign_in_as(world.adviser)
    page = client.get(f"/young-people/{world.person.id}")
    assert summary(page)["Signing in to Pathway"] == "Has an account"
    assert page.soup.find("form", action=f"/young-people/{world.person.id}/invite") is None


@frozen
def test_personal_adviser_history_counts_the_changes(client, make):
    team = make.team()
    first, second, current = (make.adviser(team, name=n) for n in ("Ann First", "Bob Second", "Cat Current"))
    person = make.young_person(current, allocated_on=date(2025, 1, 6))
    db.session.add_all([
        Allocation(young_person_id=person.id, adviser_id=first.id, start_date=date(2023, 9, 4), end_date=date(2024, 3, 31)),
        Allocation(young_person_id=person.id, adviser_id=second.id, start_date=date(2024, 4, 1), end_date=date(2025, 1, 5)),
    ])
    db.session.flush()

    client.sign_in_as(current)
    page = client.get(f"/young-people/{person.id}")

    assert page.soup.find(id="pa-changes").get_text(strip=True) == "2 changes of personal adviser."
    history = page.soup.find("table", attrs={"class": "govuk-table"})
    assert table_rows(history) == [
        ["Cat Current Reason not recorded", "6 January 2025", "Now"],
        ["Bob Second Reason not recorded", "1 April 2024", "5 January 2025"],
        ["Ann First First allocation", "4 September 2023", "31 March 2024"],
    ]
    assert summary(page)["Personal adviser"] == "Cat Current"


def test_one_change_is_singular(client, make):
    team = make.team()
    before, now = make.adviser(team), make.adviser(team)
    person = make.young_person(now, allocated_on=date(2025, 6, 2))
    db.session.add(Allocation(young_person_id=person.id, adviser_id=before.id, start_date=date(2024, 6, 3),
                              end_date=date(2025, 6, 1)))
    db.session.flush()
    client.sign_in_as(now)
    page = client.get(f"/young-people/{person.id}")
    assert page.soup.find(id="pa-changes").get_text(strip=True) == "1 change of personal adviser."


def test_every_view_is_audited(client, world):
    client.sign_in_as(world.adviser)
    assert events_for(world.person, "view") == []

    client.get(f"/young-people/{world.person.id}")
    client.get(f"/young-people/{world.person.id}")

    views = events_for(world.person, "view")
    assert [(e.user_id, e.role, e.record_type, e.record_id) for e in views] == [
        (world.adviser.id, "adviser", "young_person", world.person.id),
    ] * 2
    assert all(e.request_id for e in views)
    assert views[0].request_id != views[1].request_id
    # Viewing one record says nothing about anyone else's.
    assert events_for(world.colleague_person) == []


def test_the_team_manager_can_view_and_is_audited(client, world):
    client.sign_in_as(world.manager)
    page = client.get(f"/young-people/{world.colleague_person.id}")

    assert page.h1 == "Callum Robson"
    assert summary(page)["Personal adviser"] == "Adviser Two"
    assert page.soup.select_one(".govuk-back-link")["href"] == "/manager"
    link = page.soup.find("a", href=f"/young-people/{world.colleague_person.id}/access-log")
    assert link.get_text(strip=True) == "Who has looked at this record"
    views = events_for(world.colleague_person, "view")
    assert [(e.user_id, e.role) for e in views] == [(world.manager.id, "manager")]


# Inviting a young person to sign in


@frozen
def test_invite_creates_an_account_emails_a_working_link_and_is_audited(client, app, make):
    adviser = make.adviser(name="Pat Adviser")
    person = make.young_person(adviser, given_name="Amara", family_name="Okafor", preferred_name="Mara",
                               email="mara@example.com")
    client.sign_in_as(adviser)
    client.get(f"/young-people/{person.id}")

    page = client.post(f"/young-people/{person.id}/invite", status=303)
    assert page.response.headers["Location"] == f"/young-people/{person.id}"

    db.session.refresh(person)
    user = db.session.get(User, person.user_id)
    assert (user.email, user.name, user.role, user.active, user.password_hash) == (
        "mara@example.com", "Mara Okafor", Role.YOUNG_PERSON, True, None)

    tokens = db.session.scalars(select(OneTimeToken).where(OneTimeToken.user_id == user.id)).all()
    assert [(t.purpose, t.created_by_id, t.used_at) for t in tokens] == [(TokenPurpose.INVITATION, adviser.id, None)]

    [email] = outbox_to("mara@example.com")
    assert email.subject == "You have been invited to Pathway"
    assert "Hello Mara Okafor" in email.body
    link = re.search(r"https?://\S+(/set-password/\S+)", email.body)
    assert link, email.body

    actions = [(e.action, e.user_id) for e in events_for(person) if e.action != "view"]
    assert actions == [("create_account", adviser.id), ("invite", adviser.id)]

    record = client.get(f"/young-people/{person.id}")
    assert "We have emailed Mara Okafor a link to choose a password. It works for 7 days." in banner(record)
    assert summary(record)["Signing in to Pathway"] == "Invited, has not set a password yet"
    button = record.soup.select_one(f'form[action="/young-people/{person.id}/invite"] button')
    assert button.get_text(" ", strip=True).startswith("Send a new invitation")

    # The link in the email works for the young person.
    choose = PageClient(app).get(link.group(1))
    assert choose.h1 == "Choose your password"


def test_invite_without_an_email_address_is_refused(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser)
    client.sign_in_as(adviser)
    users_before = db.session.scalar(select(func.count()).select_from(User))

    page = client.post(f"/young-people/{person.id}/invite", status=303, follow=False)
    record = client.get(page.response.headers["Location"])

    assert "Add their email address before inviting them" in banner(record)
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before
    db.session.refresh(person)
    assert person.user_id is None
    assert db.session.scalars(select(OutboxEmail)).all() == []
    assert [e.action for e in events_for(person)] == ["view"]  # only the page view afterwards


def test_invite_with_an_email_already_used_by_another_account_is_refused(client, world, make):
    person = make.young_person(world.adviser, email=world.colleague.email.upper())
    client.sign_in_as(world.adviser)
    users_before = db.session.scalar(select(func.count()).select_from(User))

    client.post(f"/young-people/{person.id}/invite", status=303)
    record = client.get(f"/young-people/{person.id}")

    assert "That email address is already used by another account: check it with them" in banner(record)
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before
    db.session.refresh(person)
    assert person.user_id is None
    assert db.session.scalars(select(OutboxEmail)).all() == []
    assert db.session.scalars(select(OneTimeToken)).all() == []
    assert {e.action for e in events_for(person)} == {"view"}


def test_reinvite_when_the_account_has_no_password_sends_a_new_link(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, account=True, email="kai@example.com")
    person.user.password_hash = None
    db.session.flush()
    user_id = person.user_id
    client.sign_in_as(adviser)

    client.post(f"/young-people/{person.id}/invite", status=303)
    client.post(f"/young-people/{person.id}/invite", status=303)

    emails = outbox_to("kai@example.com")
    assert len(emails) == 2
    links = [re.search(r"/set-password/\S+", e.body).group(0) for e in emails]
    assert links[0] != links[1]
    db.session.refresh(person)
    assert person.user_id == user_id
    assert db.session.scalar(select(func.count()).select_from(User).where(func.lower(User.email) == "kai@example.com")) == 1
    assert [e.action for e in events_for(person, "invite")] == ["invite", "invite"]
    assert events_for(person, "create_account") == []


def test_invite_when_they_already_have_a_password_is_refused(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, account=True, email="ife@example.com")
    client.sign_in_as(adviser)
    client.post(f"/young-people/{person.id}/invite", status=303)
    record = client.get(f"/young-people/{person.id}")
    assert "They have already set a password" in banner(record)
    assert db.session.scalars(select(OutboxEmail)).all() == []
    assert db.session.scalars(select(OneTimeToken)).all() == []
    assert events_for(person, "invite") == []


def test_invite_needs_a_csrf_token(client, make):
    adviser = make.adviser()
    person = make.young_person(adviser, email="noor@example.com")
    client.sign_in_as(adviser)
    client.post(f"/young-people/{person.id}/invite", csrf=False, status=400)
    db.session.refresh(person)
    assert person.user_id is None
    assert outbox_to("noor@example.com") == []


# The access log (managers)


@frozen
def test_manager_sees_who_looked_at_the_record(client, app, world):
    PageClient(app).sign_in_as(world.adviser).get(f"/young-people/{world.person.id}")
    client.sign_in_as(world.manager)
    client.get(f"/young-people/{world.person.id}")

    page = client.get(f"/young-people/{world.person.id}/access-log")

    assert page.h1 == "Who has looked at Jordan Taylor's record"
    log = page.soup.find("table", id="access-log")
    assert table_rows(log) == [
        ["22 November 2026 at 12pm", "Manager North (manager)", "Looked at this list"],
        ["22 November 2026 at 12pm", "Manager North (manager)", "Looked at the record"],
        ["22 November 2026 at 12pm", "Adviser One (adviser)", "Looked at the record"],
    ]
    assert [(e.action, e.user_id) for e in events_for(world.person, "view_access_log")] == [
        ("view_access_log", world.manager.id)
    ]
    assert page.soup.select_one(".govuk-back-link")["href"] == f"/young-people/{world.person.id}"


@frozen
def test_access_log_shows_changed_field_names_not_values(client, world):
    from pathway.services import audit

    audit.record("create", "young_person", world.colleague_person.id, young_person_id=world.colleague_person.id,
                 fields=["given_name", "date_of_birth"], user=world.colleague)
    db.session.flush()
    client.sign_in_as(world.manager)
    page = client.get(f"/young-people/{world.colleague_person.id}/access-log", htmx=True)
    rows = table_rows(page.soup)
    assert rows[-1] == ["22 November 2026 at 12pm", "Adviser Two (adviser)", "Created the record: date of birth, given name"]
    assert "Callum" not in page.text


def test_access_log_htmx_returns_only_the_table(client, world):
    client.sign_in_as(world.manager)
    page = client.get(f"/young-people/{world.person.id}/access-log", htmx=True)
    assert page.soup.find("h1") is None
    table = page.soup.find("table", id="access-log")
    assert table_rows(table)[0][1:] == ["Manager North (manager)", "Looked at this list"]
    assert len(events_for(world.person, "view_access_log")) == 1


def test_adviser_cannot_see_the_access_log(client, world):
    client.sign_in_as(world.adviser)
    page = client.get(f"/young-people/{world.person.id}/access-log", status=404)
    assert page.h1 == "Page not found"
    assert events_for(world.person, "view_access_log") == []
