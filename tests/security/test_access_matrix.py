"""The access matrix (issue 8 section 3): every route with a record id, every relationship, GET (page and
htmx fragment) and POST. The allowed cells are exactly SPEC; every other cell is 404 (never 403 or a
redirect, which would say the record exists).

Relationships to the world's record (Jordan, allocated to Adviser One in the North team):

- allocated_pa: Jordan's personal adviser;
- colleague_pa: another PA in the North team (no cover);
- covering_pa: a North PA with current break-glass cover for Jordan (and the team's other young people);
- expired_cover_pa: a North PA whose cover has expired;
- other_team_pa: a PA in the South team;
- team_manager / other_manager: the managers of North and of South;
- young_person / other_young_person: Jordan, and a young person in the South team;
- admin: an administrator (who never sees case records).

The world is built once per module (tests/security/conftest.py); every request runs in a savepoint that
is rolled back, so a POST that is allowed changes nothing for the next cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import BreakGlassGrant, CareEpisode, ClaimStatus, Entitlement, User, YoungPerson
from tests.security.world import NOW, TODAY, url_params

RELATIONSHIPS = (
    "allocated_pa", "colleague_pa", "covering_pa", "expired_cover_pa", "other_team_pa",
    "team_manager", "other_manager", "young_person", "other_young_person", "admin",
)

# Who may use each kind of route (from each endpoint's @roles_required and pathway/access.py).
PA = frozenset({"allocated_pa", "covering_pa"})  # cover gives the same access as the allocated PA
TEAM_MANAGER = frozenset({"team_manager"})
RECORD = PA | TEAM_MANAGER  # a young person's record: their PA and their team's managers
MANAGERS = frozenset({"team_manager", "other_manager"})  # no record in the URL: any manager
YOUNG_PEOPLE = frozenset({"young_person", "other_young_person"})  # /me/...: always their own record
ADMIN = frozenset({"admin"})
ADVISERS = frozenset({"allocated_pa", "colleague_pa", "covering_pa", "expired_cover_pa", "other_team_pa"})
# Asking for cover: any other PA in the allocated PA's team (with or without cover already).
COVER_REQUEST = frozenset({"colleague_pa", "covering_pa", "expired_cover_pa"})

SPEC: dict[str, frozenset[str]] = {
    # The record and its parts
    "records.view_record": RECORD,
    "records.invite": RECORD,
    "records.edit_profile": RECORD,
    "records.timeline": RECORD,
    "records.add_episode": RECORD,
    "records.edit_episode": RECORD,
    "records.remove_episode": RECORD,
    "records.access_log": TEAM_MANAGER,  # who has looked at a record: managers only
    "moves.list_moves": RECORD,
    "moves.record_move": RECORD,
    "contacts.list_contacts": RECORD,
    "contacts.record_contact": RECORD,
    "flags.list_flags": RECORD,
    "flags.raise_flag": RECORD,
    "flags.close_flag": RECORD,
    "help.reply_to_help_request": RECORD,
    "offer.view_offer": RECORD,
    "offer.edit_facts": RECORD,
    "offer.record_claim": RECORD,
    "offer.decide_claim": RECORD,
    "offer.record_payment": RECORD,
    "passport.view_passport": RECORD,
    "passport.update_item": PA,  # the passport is updated by the PA (and the young person), not the manager
    "passport.confirm_item": PA,
    # The pathway plan: the PA writes it, a manager of the team decides it, both read it.
    "plans.view_plan": RECORD,
    "plans.list_versions": RECORD,
    "plans.view_version": RECORD,
    "plans.compare_versions": RECORD,
    "plans.download_pdf": RECORD,
    "plans.start_plan": PA,
    "plans.edit_details": PA,
    "plans.edit_area": PA,
    "plans.add_target": PA,
    "plans.edit_target": PA,
    "plans.remove_target": PA,
    "plans.add_contingency": PA,
    "plans.edit_contingency": PA,
    "plans.remove_contingency": PA,
    "plans.submit_plan": PA,
    "plans.decide": TEAM_MANAGER,
    # The manager's pages about one young person or one adviser
    "manager.add_oversight_note": TEAM_MANAGER,
    "manager.reallocate": TEAM_MANAGER,
    "manager.subject_access_page": TEAM_MANAGER,
    "manager.subject_access_json": TEAM_MANAGER,
    "manager.subject_access_pdf": TEAM_MANAGER,
    "manager.adviser_caseload": TEAM_MANAGER,
    "manager.record_supervision": TEAM_MANAGER,
    "manager.indicator_people": MANAGERS,  # an indicator key, not a record: each manager sees their teams
    "manager.review_cover": TEAM_MANAGER,
    # Advisers
    "adviser.answer_offer_question": PA,
    "adviser.request_cover": COVER_REQUEST,
    # The young person's own pages (ids name catalogue items or plan areas, never another's record)
    "me.ask_about": YOUNG_PEOPLE,
    "me.asked_about": YOUNG_PEOPLE,
    "me.update_passport_item": YOUNG_PEOPLE,
    "me.edit_passport_document": YOUNG_PEOPLE,
    "me.edit_words": YOUNG_PEOPLE,
    # Administration (users, the catalogue, retention): administrators only
    "admin.edit_entitlement": ADMIN,
    "admin.toggle_entitlement": ADMIN,
    "admin.edit_passport_item": ADMIN,
    "admin.edit_user": ADMIN,
    "admin.deactivate_user": ADMIN,
    "admin.reactivate_user": ADMIN,
    "admin.set_managed_teams": ADMIN,
    "admin.resend_invitation": ADMIN,
    "admin.move_adviser": ADMIN,
    "admin.reset_two_factor": ADMIN,
    # Retention: a record not yet past its retention date (the 75th birthday) does not exist to anyone
    # here, administrators included (pathway/admin/retention_routes.py); the world's Jordan is 19.
    "admin.delete_record": frozenset(),
}

# Downloads without a record id (CSV, PDF, JSON): by role.
DOWNLOAD_SPEC: dict[str, frozenset[str]] = {
    "manager.care_leaver_return_csv": MANAGERS,
    "manager.care_leaver_return_failures_csv": MANAGERS,
    "manager.service_summary_pdf": MANAGERS,
    "me.plan_pdf": YOUNG_PEOPLE,
}

ROLE_OF = {
    **{r: "adviser" for r in ADVISERS}, "team_manager": "manager", "other_manager": "manager",
    "young_person": "young_person", "other_young_person": "young_person", "admin": "admin",
}
PUBLIC_WITH_IDS = {"static", "auth.set_password", "auth.request_new_link"}  # tokens, not records


def _discovery_app():
    from pathway import create_app

    return create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")


_RULES = sorted(_discovery_app().url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule))
RECORD_ENDPOINTS = sorted({r.endpoint for r in _RULES if r.arguments and r.endpoint not in PUBLIC_WITH_IDS})
DOWNLOAD_ENDPOINTS = sorted({r.endpoint for r in _RULES if not r.arguments and "GET" in r.methods
                             and r.rule.endswith(("csv", "pdf", "json"))})


@dataclass
class Matrix:
    clients: dict
    params: dict  # url parameter overrides for the matrix (on top of tests/security/world.py)
    idor: dict  # ids of another young person's records
    ids: dict


def _grant(adviser: User, person: YoungPerson, *, hours_ago: int, hours: int) -> BreakGlassGrant:
    granted = NOW - timedelta(hours=hours_ago)
    grant = BreakGlassGrant(adviser_id=adviser.id, young_person_id=person.id, allocation_id=person.current_allocation.id,
                            team_id=adviser.team_id, reason="Covering while Adviser One is on leave",
                            granted_at=granted, expires_at=granted + timedelta(hours=hours))
    db.session.add(grant)
    db.session.flush()
    return grant


@pytest.fixture(scope="module")
def matrix(app, module_connection, full_world) -> Matrix:
    """Adds to the shared world: a covering PA, a PA with expired cover, and another young person's
    records (for the IDOR checks); then signs one client in per relationship."""
    from pathway.services import flags as flag_service
    from pathway.services import offer_questions as question_service
    from pathway.services import plans as plan_service
    from tests.factories import Factory
    from tests.helpers import PageClient
    from tests.offer_builders import make_former_relevant, record_claim
    from tests.plan_builders import build_plan

    w = full_world
    make = Factory()
    get_user = lambda key: db.session.get(User, w.ids[key])  # noqa: E731
    north = db.session.get(type(get_user("adviser").team), w.north)
    covering, expired = make.adviser(north, name="Adviser Cover"), make.adviser(north, name="Adviser Expired")
    grants = []
    for key in ("person", "submitted_person", "no_plan_person"):
        person = db.session.get(YoungPerson, w.ids[key])
        grants.append(_grant(covering, person, hours_ago=1, hours=24))
        _grant(expired, person, hours_ago=30, hours=24)
    db.session.commit()

    # Another young person's records, to put under Jordan's id.
    other = db.session.get(YoungPerson, w.other_person)
    other_adviser, other_manager = get_user("other_adviser"), get_user("other_manager")
    other_user = db.session.get(User, other.user_id)
    make_former_relevant(other, dob=other.date_of_birth)
    episode = db.session.scalar(select(CareEpisode).where(CareEpisode.young_person_id == other.id))
    entitlement = db.session.get(Entitlement, w.entitlement)
    claim = record_claim(other, entitlement, requested_on=TODAY - timedelta(days=2), status=ClaimStatus.REQUESTED)
    approved = record_claim(other, entitlement, requested_on=TODAY - timedelta(days=9), approved_pence=10_000)
    db.session.commit()
    build_plan(make, other, other_adviser, other_manager, today=TODAY - timedelta(days=100))
    draft = plan_service.start_plan(other, by=other_adviser, today=TODAY)
    db.session.refresh(draft)
    help_request = flag_service.ask_for_help(other, by=other_user, topic="money", how_to_reach="07700 900 456",
                                             message="Help", adviser=None)
    flag = flag_service.raise_flag(other, by=other_adviser, title="Check in", due=TODAY + timedelta(days=3),
                                   reason="Worried")
    question = question_service.ask_about(other, entitlement, by=other_user, message="Can I?", adviser=None)
    idor = {
        "episode_id": episode.id, "claim_id": claim.id, "approved_claim": approved.id,
        "request_id": help_request.id, "target_id": draft.targets[0].id,
        "contingency_id": draft.contingencies[0].id, "flag_key": flag.flag_key, "question_id": question.id,
    }
    ids = {"covering": covering.id, "expired": expired.id, "grant": grants[0].id}
    db.session.commit()

    users = {
        "allocated_pa": w.adviser, "colleague_pa": w.colleague, "covering_pa": covering.id,
        "expired_cover_pa": expired.id, "other_team_pa": w.other_adviser, "team_manager": w.manager,
        "other_manager": w.other_manager, "young_person": w.person_user, "other_young_person": other.user_id,
        "admin": w.admin,
    }
    clients = {who: PageClient(app).sign_in_as(db.session.get(User, user_id)) for who, user_id in users.items()}
    # Release this session's savepoint (closing it with one open would roll back the sign-ins' sessions).
    db.session.commit()
    db.session.remove()
    return Matrix(clients=clients, params={"grant_id": ids["grant"]}, idor=idor, ids=ids)


def _url(app, rule, w, m: Matrix, overrides: dict | None = None) -> str:
    from flask import url_for

    wanted = set(rule.arguments)
    known = {k: v for k, v in m.params.items() if k in wanted}
    rest = url_params(rule.endpoint, wanted - set(known), w)
    with app.test_request_context():
        return url_for(rule.endpoint, **{**rest, **known, **(overrides or {})})


def _send(module_connection, client, method: str, url: str, *, htmx: bool = False):
    """One request in a savepoint that is rolled back: an allowed POST changes nothing for the next."""
    headers = {"HX-Request": "true"} if htmx else {}
    data = {"csrf_token": client.token()} if method == "post" else None
    db.session.commit()  # (the test's own session holds no savepoint across the request)
    savepoint = module_connection.begin_nested()
    try:
        return client.request(method, url, data=data, headers=headers)
    finally:
        db.session.remove()
        if savepoint.is_active:
            savepoint.rollback()


def _check(app, module_connection, m: Matrix, w, rule, allowed: frozenset[str], methods=("get", "post")) -> list[str]:
    url = _url(app, rule, w, m)
    wrong = []
    for method in methods:
        if method.upper() not in rule.methods:
            continue
        for htmx in ((False, True) if method == "get" else (False,)):
            for who in RELATIONSHIPS:
                status = _send(module_connection, m.clients[who], method, url, htmx=htmx).status_code
                label = f"{who} {method.upper()}{' (htmx)' if htmx else ''} {url}: {status}"
                if who in allowed:
                    if status == 404 or status >= 500:
                        wrong.append(f"{label}, expected access")
                elif status != 404:
                    wrong.append(f"{label}, expected 404")
    return wrong


def test_the_spec_covers_every_route_with_a_record_id():
    """A new route with an id must be added to SPEC (and so to this matrix) before it can land."""
    assert sorted(set(RECORD_ENDPOINTS) - set(SPEC)) == []
    assert sorted(set(DOWNLOAD_ENDPOINTS) - set(DOWNLOAD_SPEC)) == []


def test_the_spec_agrees_with_each_routes_declared_roles(app):
    """No cell is allowed to a role the endpoint does not declare (@roles_required)."""
    from pathway.access import allowed_roles_for

    with app.test_request_context():
        for endpoint, allowed in {**SPEC, **DOWNLOAD_SPEC}.items():
            if endpoint not in app.view_functions:
                continue  # (a route another change removed: the first test lists the new ones)
            declared = {role.value for role in allowed_roles_for(endpoint)}
            assert {ROLE_OF[who] for who in allowed} <= declared, endpoint


@pytest.mark.parametrize("endpoint", RECORD_ENDPOINTS)
def test_access_matrix(app, module_connection, full_world, matrix, endpoint):
    if endpoint not in SPEC:
        pytest.fail(f"{endpoint} has a record id but no row in SPEC")
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    wrong = [cell for rule in rules
             for cell in _check(app, module_connection, matrix, full_world, rule, SPEC[endpoint])]
    assert wrong == []


@pytest.mark.parametrize("endpoint", DOWNLOAD_ENDPOINTS)
def test_download_matrix(app, module_connection, full_world, matrix, endpoint):
    if endpoint not in DOWNLOAD_SPEC:
        pytest.fail(f"{endpoint} is a download with no row in DOWNLOAD_SPEC")
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    wrong = [cell for rule in rules
             for cell in _check(app, module_connection, matrix, full_world, rule, DOWNLOAD_SPEC[endpoint], ("get",))]
    assert wrong == []


# IDOR: another young person's claim, episode, target... under the id of a record the user may see.
NESTED = {
    "records.edit_episode": "episode_id", "records.remove_episode": "episode_id",
    "offer.decide_claim": "claim_id", "offer.record_payment": "claim_id",
    "help.reply_to_help_request": "request_id",
    "plans.edit_target": "target_id", "plans.remove_target": "target_id",
    "plans.edit_contingency": "contingency_id", "plans.remove_contingency": "contingency_id",
    "flags.close_flag": "flag_key",
    "adviser.answer_offer_question": "question_id",
}


def test_every_nested_id_is_checked_for_idor():
    nested_names = {"episode_id", "claim_id", "request_id", "target_id", "contingency_id", "flag_key", "question_id"}
    with_nested = {r.endpoint for r in _RULES if set(r.arguments) & nested_names}
    assert with_nested == set(NESTED)


@pytest.mark.parametrize("endpoint", sorted(NESTED))
def test_another_young_persons_records_under_an_allowed_id_are_404(app, module_connection, full_world, matrix,
                                                                   endpoint):
    name = NESTED[endpoint]
    value = matrix.idor["approved_claim"] if endpoint == "offer.record_payment" else matrix.idor[name]
    wrong = []
    for rule in [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]:
        url = _url(app, rule, full_world, matrix, {name: value})
        for who in sorted(SPEC[endpoint]):
            for method in sorted({"GET", "POST"} & rule.methods):
                status = _send(module_connection, matrix.clients[who], method.lower(), url).status_code
                if status != 404:
                    wrong.append(f"{who} {method} {url}: {status}")
    assert wrong == []


def test_reallocating_removes_the_old_pas_access_and_ends_cover_on_the_next_request(app, module_connection,
                                                                                      full_world, matrix):
    """The manager reallocates Jordan to Adviser Two through the real form: Adviser One, and the PA covering
    for Adviser One, get 404 on every record page at once; Adviser Two sees it (with no cover banner)."""
    w = full_world
    record_rules = [r for r in app.url_map.iter_rules()
                    if r.endpoint in SPEC and SPEC[r.endpoint] == RECORD and "GET" in r.methods]
    urls = [_url(app, rule, w, matrix) for rule in record_rules if set(rule.arguments) == {"person_id"}]
    person_url = f"/young-people/{w.person}"
    db.session.commit()
    savepoint = module_connection.begin_nested()
    try:
        for who in ("allocated_pa", "covering_pa"):
            assert matrix.clients[who].request("get", person_url).status_code == 200
        response = matrix.clients["team_manager"].request(
            "post", f"/manager/young-people/{w.person}/reallocate",
            data={"csrf_token": matrix.clients["team_manager"].token(), "adviser_id": str(w.colleague),
                  "reason": "Adviser One is leaving the team"})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        assert db.session.get(YoungPerson, w.person).current_allocation.adviser_id == w.colleague
        still_open = [f"{who} {url}" for who in ("allocated_pa", "covering_pa") for url in urls
                      if matrix.clients[who].request("get", url).status_code != 404]
        assert still_open == []
        page = matrix.clients["colleague_pa"].request("get", person_url)
        assert page.status_code == 200 and 'id="cover-access"' not in page.get_data(as_text=True)
    finally:
        db.session.remove()
        if savepoint.is_active:
            savepoint.rollback()
