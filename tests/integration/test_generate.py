"""The generated council (pathway.generate) and `flask pathway generate`."""

from __future__ import annotations

import json
import random
from datetime import date

import pytest
from sqlalchemy import func, select

from pathway import generate as generator
from pathway.extensions import db
from pathway.generate import GENERATED_PASSWORD, SETTING_KEY, GenerationRefused, generate
from pathway.models import (
    AccommodationMove,
    Allocation,
    AuditEvent,
    CareEpisode,
    Contact,
    CouncilSetting,
    PathwayPlan,
    PlanAreaEntry,
    PlanStatus,
    Role,
    Team,
    TeamManager,
    User,
    YoungPerson,
)
from pathway.rules.accommodation import parse_accommodation_code
from pathway.rules.category import Category, care_leaver_category
from pathway.rules.contacts import ContactKind
from pathway.rules.dates import age_on

TODAY = date.today()


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def generated():
    return generate(20, today=TODAY, seed=3)


def test_counts_match_the_summary_and_the_shape(generated):
    assert generated.young_people == count(YoungPerson) == 20
    assert generated.teams == count(Team) == 1
    assert generated.advisers == count(User, User.role == Role.ADVISER, User.active.is_(True)) == 1
    assert count(User, User.role == Role.ADVISER, User.active.is_(False)) == 1  # one adviser who has left
    assert count(User, User.role == Role.MANAGER) == 2  # the team's manager and the head of service
    assert count(User, User.role == Role.ADMIN) == 1
    assert generated.young_person_accounts == count(User, User.role == Role.YOUNG_PERSON) == 2
    assert generated.contacts == count(Contact) > 20 * 15
    assert generated.moves == count(AccommodationMove) >= 20
    assert generated.plans == count(PathwayPlan) > 0
    assert generated.audit_events == count(AuditEvent, AuditEvent.action.in_(["view", "generate"]))  # + offer loading
    assert generated.seconds > 0
    head = user("head.of.service@generated.example")
    assert count(TeamManager, TeamManager.user_id == head.id) == 1


def test_the_data_is_valid(generated):
    people = db.session.scalars(select(YoungPerson)).all()
    current = dict(db.session.execute(
        select(Allocation.young_person_id, func.count()).where(Allocation.end_date.is_(None))
        .group_by(Allocation.young_person_id)).all())
    assert current == {p.id: 1 for p in people}  # exactly one current allocation each
    kinds = set(db.session.scalars(select(Contact.kind).distinct()))
    assert kinds <= {k.value for k in ContactKind} and ContactKind.ATTEMPTED_VISIT.value in kinds
    assert count(Contact, Contact.kind == ContactKind.ATTEMPTED_VISIT.value, Contact.reached.is_(True)) == 0
    assert db.session.scalar(select(func.max(Contact.contact_at))).date() < TODAY  # nothing in the future
    for code in db.session.scalars(select(AccommodationMove.code)):
        assert parse_accommodation_code(code).suitable is not None
    for person in people:
        assert 16 <= age_on(person.date_of_birth, TODAY) <= 24
        episodes = [e.as_rule() for e in db.session.scalars(
            select(CareEpisode).where(CareEpisode.young_person_id == person.id))]
        result = care_leaver_category(person.date_of_birth, episodes, TODAY)
        assert result.category is not Category.NOT_CARE_LEAVER, result.reasons
    # Every plan covers the ten areas; at most one signed-off plan is in force per young person.
    areas = db.session.execute(select(PlanAreaEntry.plan_id, func.count()).group_by(PlanAreaEntry.plan_id)).all()
    assert {n for _, n in areas} == {10} and len(areas) == count(PathwayPlan)
    active = db.session.execute(select(PathwayPlan.young_person_id, func.count())
                                .where(PathwayPlan.status == PlanStatus.ACTIVE)
                                .group_by(PathwayPlan.young_person_id)).all()
    assert {n for _, n in active} == {1}


def test_the_setting_records_what_was_generated(generated):
    setting = db.session.get(CouncilSetting, SETTING_KEY)
    assert json.loads(setting.value) == {"young_people": 20, "seed": 3, "generated_on": TODAY.isoformat()}


def _rows(seed: int) -> dict[str, list[dict]]:
    """The rows the generator would write for 30 young people, without writing them."""
    writer = generator._Writer()
    rng = random.Random(seed)
    council = generator._staff(writer, rng, 30, date(2026, 3, 1), "not-a-hash")
    for n in range(30):
        generator._young_person(writer, rng, n, council, date(2026, 3, 1), "not-a-hash", {}, [])
    return {model.__tablename__: rows for model, rows in writer.rows.items()}


def test_the_same_seed_builds_the_same_council():
    first, again, other = _rows(4), _rows(4), _rows(5)
    assert first == again
    assert first["young_person"] != other["young_person"]
    assert len(first["young_person"]) == 30


def test_without_commit_the_rows_wait_for_the_callers_commit():
    summary = generate(3, today=TODAY, commit=False)
    assert summary.young_people == 3 == count(YoungPerson)
    db.session.rollback()
    assert count(YoungPerson) == 0 and count(User) == 0 and count(CouncilSetting, CouncilSetting.key == SETTING_KEY) == 0


def test_an_adviser_sees_the_record_of_a_generated_young_person(generated, client):
    person = db.session.scalars(select(YoungPerson).order_by(YoungPerson.id)).first()
    adviser_id = db.session.scalar(select(Allocation.adviser_id).where(
        Allocation.young_person_id == person.id, Allocation.end_date.is_(None)))
    adviser = db.session.get(User, adviser_id)
    assert adviser.active
    client.sign_in_as(adviser, password=GENERATED_PASSWORD)
    page = client.get(f"/young-people/{person.id}")
    assert person.family_name in page.h1
    assert client.get("/caseload").status == 200


def test_the_generated_manager_sees_their_team(generated, client):
    client.sign_in_as(user("manager1@generated.example"), password=GENERATED_PASSWORD)
    page = client.get("/teams")
    assert "Leaving Care Team North" in page.text


@pytest.mark.parametrize("size, message", [
    (0, "must be at least 1"), (-1, "must be at least 1"), (200_001, "absurd size"),
])
def test_refuses_sizes_that_make_no_sense(size, message):
    with pytest.raises(GenerationRefused, match=message):
        generate(size, today=TODAY)
    assert count(YoungPerson) == 0 and count(User) == 0


def test_refuses_a_database_that_is_not_empty(make):
    make.adviser()
    with pytest.raises(GenerationRefused, match="empty database; this one already holds 1 users"):
        generate(5, today=TODAY)
    assert count(YoungPerson) == 0


def test_the_command_generates_and_prints_the_summary(app):
    result = app.test_cli_runner().invoke(args=["pathway", "generate", "--young-people", "3", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "Young people: 3" in result.output
    assert f"password for all: {GENERATED_PASSWORD}" in result.output
    assert "manager1@generated.example" in result.output
    assert count(YoungPerson) == 3


@pytest.mark.parametrize("size, message", [("0", "must be at least 1"), ("200001", "absurd size")])
def test_the_command_refuses_with_a_message(app, size, message):
    result = app.test_cli_runner().invoke(args=["pathway", "generate", "--young-people", size])
    assert result.exit_code != 0
    assert message in result.output
    assert count(YoungPerson) == 0


def test_the_command_refuses_a_database_with_users(app, make):
    make.adviser()
    result = app.test_cli_runner().invoke(args=["pathway", "generate", "--young-people", "5"])
    assert result.exit_code != 0
    assert "already holds 1 users" in result.output
