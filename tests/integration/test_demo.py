"""The demo council."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from sqlalchemy import func, select

from pathway.demo import DEMO_PASSWORD, load_demo
from pathway.extensions import db
from pathway.models import Allocation, Role, User, YoungPerson
from pathway.rules.dates import age_on, birthday
from tests.helpers import PageClient

TODAY = date(2026, 11, 22)


def test_demo_builds_a_council_and_is_idempotent(db_transaction):
    result = load_demo(today=TODAY)
    assert result.young_people == 30
    roles = dict(db.session.execute(select(User.role, func.count()).where(User.active.is_(True)).group_by(User.role)).all())
    assert roles[Role.ADMIN] == 1 and roles[Role.MANAGER] == 1 and roles[Role.ADVISER] == 3
    ages = [age_on(p.date_of_birth, TODAY) for p in db.session.scalars(select(YoungPerson))]
    assert min(ages) == 16 and max(ages) == 24 and len(ages) == 30
    changes = db.session.execute(
        select(Allocation.young_person_id, func.count()).group_by(Allocation.young_person_id)
    ).all()
    assert max(n for _, n in changes) - 1 == 3
    assert all(n >= 1 for _, n in changes)
    open_allocations = db.session.scalar(select(func.count()).select_from(Allocation).where(Allocation.end_date.is_(None)))
    assert open_allocations == 30
    # Each young person's allocations follow one another, none before their 16th birthday.
    people = {p.id: p for p in db.session.scalars(select(YoungPerson))}
    by_person = {}
    for allocation in db.session.scalars(select(Allocation).order_by(Allocation.start_date)):
        by_person.setdefault(allocation.young_person_id, []).append(allocation)
    for person_id, allocations in by_person.items():
        d16 = birthday(people[person_id].date_of_birth, 16)
        assert allocations[0].start_date >= d16
        for earlier, later in zip(allocations, allocations[1:], strict=False):
            assert earlier.start_date < earlier.end_date == later.start_date <= TODAY
    assert load_demo(today=TODAY) is None  # second run changes nothing
    assert db.session.scalar(select(func.count()).select_from(YoungPerson)) == 30


def test_demo_sign_ins_work(app, db_transaction):
    load_demo(today=TODAY)
    db.session.commit()
    for email, home in [("admin@northshire.example", "/admin"), ("manager@northshire.example", "/manager"),
                        ("adviser@northshire.example", "/caseload"), ("jordan@northshire.example", "/me")]:
        page = PageClient(app).sign_in(email, DEMO_PASSWORD)
        assert page.response.headers["Location"].endswith(home), email


def test_demo_command_refuses_to_run_in_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_ALLOWED", False)
    result = app.test_cli_runner().invoke(args=["pathway", "demo"])
    assert result.exit_code != 0
    assert "cannot be loaded in production" in result.output


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    from pathway import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    import config

    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_demo_has_plans_in_every_state_and_the_quality_check_tells_them_apart(db_transaction):
    from pathway.models import PathwayPlan, PlanStatus, ReviewRequest
    from pathway.rules import plan_quality as q
    from pathway.rules.reviews import next_review_due
    from pathway.services.plans import quality_report

    load_demo(today=TODAY)
    plans = db.session.scalars(select(PathwayPlan)).all()
    statuses = {p.status for p in plans}
    assert statuses == {PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.ACTIVE, PlanStatus.SUPERSEDED}
    active = [p for p in plans if p.status is PlanStatus.ACTIVE]
    assert any(next_review_due(p.plan_date) < TODAY for p in active), "one plan is overdue for review"
    jo = db.session.scalar(select(YoungPerson).where(YoungPerson.preferred_name == "Jo"))
    jo_active = next(p for p in active if p.young_person_id == jo.id)
    strong = quality_report(jo_active, today=TODAY)
    assert strong.can_submit and not [w for w in strong.warnings if w.code != q.TARGET_OVERDUE]
    submitted = next(p for p in plans if p.status is PlanStatus.SUBMITTED)
    soft = quality_report(submitted, today=TODAY)
    codes = {i.code for i in soft.warnings}
    assert soft.can_submit and {q.THIRD_PERSON, q.CONTINGENCY_ONLY_ACCOMMODATION, q.NO_YOUNG_PERSON_WORDS} <= codes
    gappy = next(p for p in plans if p.status is PlanStatus.DRAFT and p.returned_at is None)
    hard = {i.code for i in quality_report(gappy, today=TODAY).blockers}
    assert {q.MISSING_CURRENT_SITUATION, q.NO_TARGET, q.TARGET_INCOMPLETE, q.NO_CONTINGENCY} <= hard
    assert any(p.was_returned for p in plans)
    assert db.session.scalar(select(func.count()).select_from(ReviewRequest)) == 1


def test_demo_has_one_young_person_for_each_risk_and_most_seen_recently(db_transaction):
    from pathway.models import AccommodationMove, Contact, HelpRequest
    from pathway.rules import contacts as contact_rules
    from pathway.rules import flags as flag_rules

    load_demo(today=TODAY)
    kinds = set()
    recently_seen = 0
    people = db.session.scalars(select(YoungPerson)).all()
    for person in people:
        moves = [flag_rules.Move(m.move_in, m.code, m.suitable, m.registered_provider) for m in
                 db.session.scalars(select(AccommodationMove).where(AccommodationMove.young_person_id == person.id))]
        contacts = [contact_rules.Contact(c.contact_at, c.kind, c.reached) for c in
                    db.session.scalars(select(Contact).where(Contact.young_person_id == person.id))]
        helps = [flag_rules.HelpRequest(h.created_at, h.unsafe, h.replied_at is not None) for h in
                 db.session.scalars(select(HelpRequest).where(HelpRequest.young_person_id == person.id))]
        flags = flag_rules.risk_flags(person.date_of_birth, moves, contacts, TODAY, help_requests=helps)
        kinds |= {f.kind for f in flags if f.is_open}
        last = contact_rules.last_successful_contact(contacts, TODAY)
        recently_seen += last is not None and (TODAY - last).days <= 21
    K = flag_rules.FlagKind
    assert {K.POST_MOVE_VISIT, K.CUSTODY_VISIT, K.BED_AND_BREAKFAST, K.UNSUITABLE_ACCOMMODATION, K.UNREACHABLE,
            K.HELP_REQUEST} <= kinds
    assert recently_seen >= 20


def test_demo_worklist_shows_the_real_risks_not_historic_reviews(db_transaction, app_ctx):
    from pathway.models import User
    from pathway.services.flags import worklist_for

    load_demo(today=TODAY)
    dan = db.session.scalar(select(User).where(User.email == "adviser@northshire.example"))
    rows = worklist_for(dan, TODAY)
    overdue_reviews = [f for r in rows for f in r.open_flags
                       if f.kind.value == "plan_review_after_move" and f.due < TODAY]
    assert overdue_reviews == []
    assert rows[0].person.preferred_name == "Jo"  # her open help request puts her first


def test_demo_shows_the_managers_oversight(app, db_transaction):
    load_demo(today=TODAY)
    db.session.commit()
    with time_machine.travel(datetime.combine(TODAY, time(10), tzinfo=UTC), tick=False):
        helen = PageClient(app)
        helen.sign_in("manager@northshire.example", DEMO_PASSWORD)
        home = helen.get("/manager")
        assert "Harbour Lodge" not in home.text  # addresses stay on the record
        overdue = [r.get_text(" ", strip=True) for r in home.soup.select("tr.app-overdue-row")]
        assert any("Visit within 7 days of the move" in r and "overdue" in r for r in overdue)
        supervision = helen.get("/manager/supervision").text
        assert supervision.count("Overdue") >= 2
        sam = PageClient(app)
        sam.sign_in("sam.okafor@northshire.example", DEMO_PASSWORD)
        assert "Read the handover note" in sam.get("/caseload").text
