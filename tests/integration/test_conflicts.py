"""Concurrent edits (issue 8 section 6): every editable record has a version counter.

Two people (or two tabs) open the same edit form. A saves first; B saves from the page they opened
before A's save. B gets the conflict page (409) showing what A saved next to what B typed, A's text is
what is stored, and B can save again from the conflict page, so nothing is lost.

The sequential test runs once per edit form in EDIT_FORMS. The coverage tests make a new form hard to
miss: every endpoint that takes a POST must be listed here (as an edit form, a form that only creates,
or a one-shot action), and every model with a version counter must be edited by some listed form.

The threaded test (PostgreSQL; SQLite too) sends two saves of the same record at the same moment from
two threads, each with its own connection, outside the rolled-back test transaction: exactly one wins,
the other gets the conflict, and no update is lost.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from pathway.extensions import db
from pathway.integrity import models_with_version_counter
from pathway.models import (
    CareEpisode,
    Claim,
    ClaimStatus,
    Contingency,
    CouncilSetting,
    Entitlement,
    MoneyPlan,
    PassportAnswer,
    PassportItem,
    PathwayPlan,
    PlanAreaEntry,
    Responsible,
    Target,
    TargetStatus,
    User,
    YoungPerson,
)
from pathway.rules.plan_areas import PlanArea
from pathway.services import plans as plan_service
from tests.helpers import PageClient
from tests.integration.form_data import form_data
from tests.offer_builders import SETTING_UP_HOME, build_catalogue

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@dataclass
class Edit:
    """One edit form: who opens it (A and B), what each types, and where the saved text is read back."""

    endpoint: str
    models: tuple[type, ...]
    url: str
    a: object  # the user behind client A
    b: object  # the user behind client B (may be the same person in another tab)
    answers: Callable[[str], dict]  # the fields to fill in, for a given text
    stored: Callable[[], str]  # the text stored now
    text_a: str
    text_b: str
    final: bool = False  # a decision: theirs stands, so there is no saving again
    shows_theirs: bool = True  # the conflict page shows the saved text (My money shows the totals instead)
    post_to: str = ""  # the form posts to the page's URL plus this (the staff user page has one form per change)

    @property
    def action(self) -> str:
        return self.url + self.post_to


def _draft_plan(world):
    plan = plan_service.start_plan(world.person, by=world.adviser, today=TODAY)
    target = plan_service.add_target(plan, plan_service.TargetFields(
        area=PlanArea.HEALTH, what="Book a dentist appointment", responsible=Responsible.YOUNG_PERSON,
        responsible_name=None, due_on=date(2027, 1, 15), how_we_know="You have a date", status=TargetStatus.NOT_STARTED,
        status_reason=None), by=world.adviser)
    contingency = plan_service.add_contingency(plan, plan_service.ContingencyFields(
        area=PlanArea.FINANCE, what_might_go_wrong="You run out of money", what_we_will_do="An emergency payment",
        who="Your personal adviser"), by=world.adviser)
    return plan, target, contingency


def _person(world) -> YoungPerson:
    return db.session.get(YoungPerson, world.person.id)


def _profile(world, make):
    return Edit("records.edit_profile", (YoungPerson,), f"/young-people/{world.person.id}/profile", world.adviser,
                world.manager, lambda t: {"first_language": t}, lambda: _person(world).first_language,
                "Welsh", "Polish")


def _episode(world, make):
    episode = CareEpisode(young_person_id=world.person.id, start_date=date(2022, 5, 1), end_date=date(2025, 5, 17),
                          legal_status="C1", end_reason="E13")
    db.session.add(episode)
    db.session.commit()
    return Edit("records.edit_episode", (CareEpisode,), f"/young-people/{world.person.id}/care-episodes/{episode.id}",
                world.adviser, world.manager, lambda t: {"legal_status": t},
                lambda: db.session.get(CareEpisode, episode.id).legal_status, "C2", "E1")


def _facts(world, make):
    return Edit("offer.edit_facts", (YoungPerson,), f"/young-people/{world.person.id}/offer/facts", world.adviser,
                world.manager, lambda t: {"home_postcode": t, "in_area": "postcode"},
                lambda: _person(world).home_postcode, "TS1 3BX", "LS1 4AP")


def _plan_details(world, make):
    plan, _, _ = _draft_plan(world)
    return Edit("plans.edit_details", (PathwayPlan,), f"/young-people/{world.person.id}/plan/details", world.adviser,
                world.adviser, lambda t: {"participants": t},
                lambda: db.session.get(PathwayPlan, plan.id).participants, "Jordan and their PA",
                "Jordan, their PA and their nan")


def _plan_area(world, make):
    plan, _, _ = _draft_plan(world)
    return Edit("plans.edit_area", (PlanAreaEntry,), f"/young-people/{world.person.id}/plan/areas/health", world.adviser,
                world.adviser, lambda t: {"current_situation": t},
                lambda: db.session.scalar(select(PlanAreaEntry.current_situation).where(
                    PlanAreaEntry.plan_id == plan.id, PlanAreaEntry.area == PlanArea.HEALTH)),
                "You are registered with a GP.", "You have not seen a dentist for two years.")


def _target(world, make):
    _, target, _ = _draft_plan(world)
    return Edit("plans.edit_target", (Target,), f"/young-people/{world.person.id}/plan/targets/{target.id}",
                world.adviser, world.adviser, lambda t: {"what": t}, lambda: db.session.get(Target, target.id).what,
                "Book a dentist for December", "Ring the dentist on Monday")


def _contingency(world, make):
    _, _, contingency = _draft_plan(world)
    return Edit("plans.edit_contingency", (Contingency,),
                f"/young-people/{world.person.id}/plan/contingencies/{contingency.id}", world.adviser, world.adviser,
                lambda t: {"what_we_will_do": t}, lambda: db.session.get(Contingency, contingency.id).what_we_will_do,
                "A food voucher the same day", "An emergency payment and a budget check")


def _your_words(world, make):
    plan, _, _ = _draft_plan(world)
    return Edit("me.edit_words", (PlanAreaEntry,), "/me/plan/your-words/health", world.person_user, world.person_user,
                lambda t: {"words": t}, lambda: db.session.scalar(select(PlanAreaEntry.young_person_words).where(
                    PlanAreaEntry.plan_id == plan.id, PlanAreaEntry.area == PlanArea.HEALTH)),
                "I hate the dentist.", "I will go to the dentist in January.")


def _about_me(world, make):
    return Edit("me.about_me", (YoungPerson,), "/me/about-me", world.person_user, world.person_user,
                lambda t: {"about_me": t}, lambda: _person(world).about_me,
                "I am training to be a chef.", "I have a dog called Biscuit.")


def _money(world, make):
    return Edit("me.money", (MoneyPlan,), "/me/money", world.person_user, world.person_user,
                lambda t: {"period": "weekly", "wages": t, "rent": "80"},
                lambda: str(db.session.scalar(select(MoneyPlan.wages).where(
                    MoneyPlan.young_person_id == world.person.id)) // 100), "210", "60", shows_theirs=False)


def _decision(world, make):
    build_catalogue()
    dob = world.person.date_of_birth
    db.session.add(CareEpisode(young_person_id=world.person.id, start_date=date(dob.year + 15, dob.month, 1),
                               end_date=date(dob.year + 18, dob.month, 28), legal_status="C2"))
    entitlement = db.session.scalar(select(Entitlement).where(Entitlement.slug == SETTING_UP_HOME))
    claim = Claim(young_person_id=world.person.id, entitlement_id=entitlement.id,
                  entitlement_version_id=entitlement.current_version_id, status=ClaimStatus.REQUESTED,
                  requested_on=date(2026, 11, 2))
    db.session.add(claim)
    db.session.commit()
    return Edit("offer.decide_claim", (Claim,), f"/young-people/{world.person.id}/offer/claims/{claim.id}/decision",
                world.adviser, world.manager, lambda t: {"decision": "decline", "decline_reason": t},
                lambda: db.session.get(Claim, claim.id).decline_reason,
                "You already have a bed and a cooker.", "Please send the receipts first.", final=True)


def _entitlement(world, make):
    made = build_catalogue(only=(SETTING_UP_HOME,))
    entitlement = made[SETTING_UP_HOME]
    return Edit("admin.edit_entitlement", (Entitlement,), f"/admin/offer/{entitlement.id}", world.admin,
                make.admin(name="Second Admin"), lambda t: {"how_to_claim": t},
                lambda: db.session.get(Entitlement, entitlement.id).current.how_to_claim,
                "Ask your personal adviser.", "Fill in the form at the leaving care office.")


def _passport_item(world, make):
    item = db.session.scalar(select(PassportItem).where(PassportItem.active.is_(True)).order_by(PassportItem.id))
    return Edit("admin.edit_passport_item", (PassportItem,), f"/admin/passport-items/{item.id}", world.admin,
                make.admin(name="Second Admin"), lambda t: {"title": t},
                lambda: db.session.get(PassportItem, item.id).title, "Open a bank account", "Use a bank app")


def _latest_answer(world, item_id):
    return db.session.scalar(select(PassportAnswer).where(
        PassportAnswer.young_person_id == world.person.id, PassportAnswer.item_id == item_id)
        .order_by(PassportAnswer.created_at.desc(), PassportAnswer.id.desc()).limit(1))


def _passport_answer(world, make):
    item = db.session.scalar(select(PassportItem).where(PassportItem.active.is_(True), PassportItem.is_document.is_(False))
                             .order_by(PassportItem.id))
    return Edit("passport.update_item", (PassportAnswer,), f"/young-people/{world.person.id}/passport/items/{item.id}",
                world.adviser, world.adviser, lambda t: {"status": "learning", "note": t},
                lambda: _latest_answer(world, item.id).note, "Showed me their banking app.",
                "We made a budget together.")


def _passport_document(world, make):
    item = db.session.scalar(select(PassportItem).where(PassportItem.active.is_(True), PassportItem.is_document.is_(True))
                             .order_by(PassportItem.id))
    return Edit("me.edit_passport_document", (PassportAnswer,), f"/me/passport/items/{item.id}/document",
                world.person_user, world.person_user, lambda t: {"held": "yes", "where_kept": t},
                lambda: _latest_answer(world, item.id).where_kept, "In my bedroom drawer", "In the office safe")


def _council_area(world, make):
    return Edit("admin.council_area", (CouncilSetting,), "/admin/council-area", world.admin,
                make.admin(name="Second Admin"), lambda t: {"name": "Northshire", "districts": t},
                lambda: db.session.get(CouncilSetting, "area_districts").value, "TS1-TS8", "DL1-DL5")


def _two_factor_setting(world, make):
    return Edit("admin.two_factor_setting", (CouncilSetting,), "/admin/two-factor", world.admin,
                make.admin(name="Second Admin"), lambda t: {"advisers": t},
                lambda: db.session.get(CouncilSetting, "two_factor_advisers").value, "off", "on")


def _supervision_standard(world, make):
    return Edit("admin.supervision_standard", (CouncilSetting,), "/admin/supervision-standard", world.admin,
                make.admin(name="Second Admin"), lambda t: {"first_year_weeks": "2", "weeks": t},
                lambda: db.session.get(CouncilSetting, "supervision_weeks").value, "8", "13")


def _staff_user(world, make):
    return Edit("admin.move_adviser", (User,), f"/admin/users/{world.adviser.id}", world.admin,
                make.admin(name="Second Admin"), lambda t: {"team_id": str({"North": world.north.id,
                                                                             "South": world.south.id}[t])},
                lambda: db.session.get(User, world.adviser.id).team.name, "South", "North", post_to="/team")


def _managed_teams(world, make):
    east = make.team("East")
    return Edit("admin.set_managed_teams", (User,), f"/admin/users/{world.manager.id}", world.admin,
                make.admin(name="Second Admin"), lambda t: {"team_ids": [str({"East": east.id, "South": world.south.id}[
                    name]) for name in t.split(", ")]},
                lambda: ", ".join(sorted(t.name for t in db.session.get(User, world.manager.id).managed_teams)),
                "East", "South", post_to="/managed-teams")


EDIT_FORMS = {
    "profile": _profile, "care episode": _episode, "offer facts": _facts, "plan details": _plan_details,
    "plan area": _plan_area, "target": _target, "contingency": _contingency, "your words": _your_words,
    "about me": _about_me, "my money": _money, "claim decision": _decision, "entitlement": _entitlement,
    "passport item": _passport_item, "passport answer": _passport_answer, "passport document": _passport_document,
    "council area": _council_area, "supervision standard": _supervision_standard,
    "two-factor setting": _two_factor_setting, "staff user's team": _staff_user,
    "manager's teams": _managed_teams,
}

# Endpoints that take a POST but do not edit an existing record's text, and why no version counter.
CREATES = {  # each creates a new row; double posts are covered by form tokens (test_idempotency.py) or a rule
    "admin.add_entitlement", "admin.add_passport_item", "admin.create_team", "admin.invite_staff", "adviser.request_cover",
    "adviser.add_young_person", "contacts.record_contact", "flags.raise_flag", "manager.add_oversight_note",
    "manager.record_supervision", "me.ask_about", "me.need_help", "me.request_review", "moves.record_move",
    "offer.record_claim", "offer.record_payment", "plans.add_contingency", "plans.add_target", "plans.start_plan",
    "records.add_episode",
}
ONE_SHOT = {  # a state change checked against the current state when it is made, with nothing typed to lose
    "adviser.answer_offer_question", "admin.deactivate_user", "admin.reactivate_user", "admin.resend_invitation",
    "admin.toggle_entitlement", "flags.close_flag", "help.reply_to_help_request", "manager.reallocate",
    "me.update_passport_item", "passport.confirm_item", "plans.decide", "plans.submit_plan", "plans.remove_target",
    "plans.remove_contingency", "records.remove_episode", "records.invite", "admin.delete_record",
    "admin.reset_two_factor", "manager.review_cover",
}
NOT_YET_VERSIONED: dict[str, str] = {}  # edit forms without a version counter yet, with why: none now
ACCOUNT = {  # the signed-in user's own sign-in details, not a case record
    "auth.account", "auth.forgot_password", "auth.request_new_link", "auth.set_password", "auth.sign_in",
    "auth.sign_out",
}


def test_every_form_that_posts_is_accounted_for(app):
    """A new POST endpoint fails here until it is listed: as an edit form (and so tested below) or otherwise."""
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    known = set(EDIT_FORM_ENDPOINTS) | CREATES | ONE_SHOT | set(NOT_YET_VERSIONED) | ACCOUNT
    unlisted = sorted(e for e in posting - known if not e.startswith(("auth.", "static")))
    assert unlisted == [], f"list these in tests/integration/test_conflicts.py: {unlisted}"


EDIT_FORM_ENDPOINTS = {
    "records.edit_profile", "records.edit_episode", "offer.edit_facts", "plans.edit_details", "plans.edit_area",
    "plans.edit_target", "plans.edit_contingency", "me.edit_words", "me.about_me", "me.money",
    "offer.decide_claim", "admin.edit_entitlement", "admin.edit_passport_item", "passport.update_item",
    "me.edit_passport_document", "admin.council_area", "admin.supervision_standard", "admin.two_factor_setting",
    "admin.move_adviser",
    "admin.set_managed_teams",
}


def test_every_edit_form_has_a_sequential_conflict_test():
    import inspect

    built = {inspect.getsource(make_case).split('Edit("', 1)[1].split('"', 1)[0] for make_case in EDIT_FORMS.values()}
    assert built == EDIT_FORM_ENDPOINTS


def test_every_model_with_a_version_counter_is_edited_by_a_tested_form(app):
    import inspect

    source = "\n".join(inspect.getsource(make_case) for make_case in EDIT_FORMS.values())
    versioned = {model.__name__ for model in models_with_version_counter()}
    assert versioned, "no version counters found"
    missing = sorted(name for name in versioned if f"({name}," not in source)
    assert missing == [], f"models with a version counter but no conflict test: {missing}"


def _open(app, user, url: str, action: str | None = None) -> tuple[PageClient, dict]:
    client = PageClient(app).sign_in_as(user)
    page = client.get(url)
    data = form_data(page, action=action or url)
    assert "version" in data, f"{url}: the form has no hidden version"
    return client, data


@pytest.mark.parametrize("name", list(EDIT_FORMS))
def test_the_second_of_two_concurrent_edits_gets_the_conflict_page_and_nothing_is_lost(app, world, make, frozen, name):
    case = EDIT_FORMS[name](world, make)
    db.session.commit()
    client_a, form_a = _open(app, case.a, case.url, case.action)
    client_b, form_b = _open(app, case.b, case.url, case.action)
    assert form_a["version"] == form_b["version"]

    client_a.post(case.action, {**form_a, **case.answers(case.text_a)}, status=303)
    assert case.stored() == case.text_a

    page = client_b.post(case.action, {**form_b, **case.answers(case.text_b)}, status=409)
    assert case.stored() == case.text_a, "the first editor's text must survive"
    assert not page.title.startswith("Error: ")
    if case.shows_theirs:
        assert case.text_a in page.text, "the conflict page shows what is saved now"
    assert case.text_b in page.text or case.text_b in str(page.soup), "the conflict page keeps what B typed"
    assert ("changed" in page.text.lower() or "decided" in page.text.lower()), page.text[:300]

    if case.final:  # a decision stands: nothing to save again
        assert page.soup.find("form", attrs={"action": case.action}) is None
        return
    # B saves again from the conflict page (it carries the version saved now): B's text is saved.
    again = form_data(page, action=case.action)
    assert again["version"] != form_b["version"]
    client_b.post(case.action, {**again, **case.answers(case.text_b)}, status=303)
    assert case.stored() == case.text_b


def test_a_save_without_a_version_is_a_conflict_not_an_overwrite(app, world, make, frozen):
    """A form that lost its hidden version (an old page, a stripped field) cannot overwrite blindly."""
    case = _target(world, make)
    client, data = _open(app, case.a, case.url)
    data.pop("version")
    client.post(case.url, {**data, **case.answers("No version")}, status=409)
    assert case.stored() == "Book a dentist appointment"


# --- two saves at the same moment, on separate connections ----------------------------------------

@pytest.fixture
def committed(app, db_url, monkeypatch):
    """Rows committed for real (the threads cannot see the test's rolled-back transaction); removed afterwards.

    The audit trail is append-only (no row can be deleted), so these saves are not audited: nothing is
    left behind for later tests to trip over."""
    from pathway.services import records

    monkeypatch.setattr(records.audit, "record", lambda *args, **kwargs: None)
    engine = create_engine(db_url)
    made: list[tuple[type, int]] = []
    yield engine, made
    with engine.begin() as connection:
        for model, row_id in reversed(made):
            connection.execute(model.__table__.delete().where(model.__table__.c.id == row_id))
    engine.dispose()


@pytest.mark.no_db_transaction
@pytest.mark.parametrize("attempt", range(3))
def test_two_saves_of_the_same_record_at_the_same_moment_one_wins_and_nothing_is_lost(app, committed, attempt):
    """Two threads, each with its own session and connection, save the same care episode from the same
    version at once (a barrier lines them up). Exactly one save wins; the other gets the conflict; the
    stored text is the winner's. Runs on PostgreSQL in CI (TEST_DATABASE_URL) and on SQLite locally."""
    from pathway.services import records

    engine, made = committed
    with Session(engine) as setup:
        person = YoungPerson(given_name="Race", family_name=f"Test{attempt}", date_of_birth=date(2007, 5, 17))
        setup.add(person)
        setup.flush()
        episode = CareEpisode(young_person_id=person.id, start_date=date(2022, 5, 1), end_date=date(2025, 5, 17),
                              legal_status="C1")
        setup.add(episode)
        setup.commit()
        made += [(YoungPerson, person.id), (CareEpisode, episode.id)]
        person_id, episode_id, version = person.id, episode.id, episode.version

    barrier = threading.Barrier(2, timeout=30)
    results: dict[str, str] = {}

    def save(status: str) -> None:
        with app.app_context():
            try:
                person = db.session.get(YoungPerson, person_id)
                episode = db.session.get(CareEpisode, episode_id)
                barrier.wait()  # both have read the same version; now both save
                fields = {"start_date": episode.start_date, "end_date": episode.end_date, "legal_status": status,
                          "end_reason": episode.end_reason}
                records.change_episode(person, episode, expected_version=version, fields=fields)
                results[status] = "saved"
            except records.EpisodeConflict:
                results[status] = "conflict"
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                results[status] = f"error: {error!r}"
            finally:
                db.session.rollback()
                db.session.remove()

    threads = [threading.Thread(target=save, args=(status,)) for status in ("C2", "E1")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results.values()) == ["conflict", "saved"], results
    winner = next(status for status, outcome in results.items() if outcome == "saved")
    with Session(engine) as check:
        stored = check.get(CareEpisode, episode_id)
        assert (stored.legal_status, stored.version) == (winner, version + 1)


@pytest.mark.no_db_transaction
@pytest.mark.parametrize("attempt", range(3))
def test_two_saves_of_about_me_at_the_same_moment_one_wins(app, committed, attempt):
    """The same race for a counter kept by a conditional UPDATE (About me, from two phones at once)."""
    from pathway.services import records

    engine, made = committed
    with Session(engine) as setup:
        person = YoungPerson(given_name="Race", family_name=f"Words{attempt}", date_of_birth=date(2007, 5, 17))
        setup.add(person)
        setup.commit()
        made.append((YoungPerson, person.id))
        person_id, version = person.id, person.about_me_version

    barrier = threading.Barrier(2, timeout=30)
    results: dict[str, str] = {}

    def save(words: str) -> None:
        with app.app_context():
            try:
                person = db.session.get(YoungPerson, person_id)
                barrier.wait()
                records.update_about_me(person, words, now=NOW, expected_version=version)
                results[words] = "saved"
            except records.AboutMeConflict:
                results[words] = "conflict"
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                results[words] = f"error: {error!r}"
            finally:
                db.session.rollback()
                db.session.remove()

    threads = [threading.Thread(target=save, args=(words,)) for words in ("From my phone", "From the library")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results.values()) == ["conflict", "saved"], results
    winner = next(words for words, outcome in results.items() if outcome == "saved")
    with Session(engine) as check:
        stored = check.get(YoungPerson, person_id)
        assert (stored.about_me, stored.about_me_version) == (winner, version + 1)
