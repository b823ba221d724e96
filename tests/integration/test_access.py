"""Deny by default: every endpoint declares who may use it, and records 404 for everyone else."""

from __future__ import annotations

import re

import pytest

from pathway.access import PUBLIC
from tests.helpers import PageClient

# The only endpoints anyone may use without signing in.
PUBLIC_ENDPOINTS = {
    "static",
    "public.index",
    "public.accessibility",
    "public.privacy",
    "public.offer",
    "public.hello",
    "public.healthz",
    "auth.sign_in",
    "auth.set_password",
    "auth.request_new_link",
    "auth.forgot_password",
    # The second step of signing in: only for someone part-way through (a correct password in the
    # last 10 minutes); everyone else is sent to the sign-in page.
    "auth.enter_code",
    "auth.enter_recovery_code",
    "auth.set_up_at_sign_in",
}


def concrete_url(rule) -> str:
    """Fill a rule's converters with plausible values."""
    return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) == "int" else "x", rule.rule)


def all_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def test_every_endpoint_declares_its_audience(app):
    undeclared = [
        endpoint for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not getattr(view, "allowed_roles", None)
    ]
    assert undeclared == []


def test_public_endpoints_are_exactly_the_named_list(app):
    public = {e for e, v in app.view_functions.items() if getattr(v, "allowed_roles", None) is PUBLIC} | {"static"}
    assert public == PUBLIC_ENDPOINTS


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_anonymous_requests_to_private_endpoints_redirect_to_sign_in(app, method):
    client = PageClient(app)
    checked = 0
    for rule in all_rules(app):
        if rule.endpoint in PUBLIC_ENDPOINTS or method not in rule.methods:
            continue
        url = concrete_url(rule)
        response = client.request(method.lower(), url, data={"csrf_token": client.token()})
        assert response.status_code == 302, f"{method} {url} ({rule.endpoint}) answered {response.status_code}"
        assert "/sign-in" in response.headers["Location"], url
        checked += 1
    assert checked > 5


def test_anonymous_htmx_requests_are_told_to_redirect(app, world):
    client = PageClient(app)
    response = client.request("get", "/caseload", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/sign-in")


def test_a_view_without_a_declaration_is_refused(db_url):
    """A new route that forgets @roles_required fails closed: sign-in for the anonymous, 404 for everyone else."""
    from flask_login import login_user
    from werkzeug.exceptions import NotFound

    from pathway import create_app
    from pathway.access import check_access
    from pathway.models import Role, User

    fresh = create_app("testing", SQLALCHEMY_DATABASE_URI=db_url)

    @fresh.route("/forgotten")
    def forgotten():
        return "secret"

    response = fresh.test_client().get("/forgotten")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    for role in Role:
        with fresh.test_request_context("/forgotten"):
            user = User(id=1, name="x", email="x@example.org", role=role, active=True)
            user.session_token = "token"
            login_user(user)
            with pytest.raises(NotFound):
                check_access()


def record_routes(app):
    """Every (method, url) that names a young person, found from the url map, so new routes are covered."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "person_id" not in rule.arguments:
            continue
        for method in sorted({"GET", "POST"} & rule.methods):
            routes.append((method.lower(), rule))
    return routes


def fill(rule, person_id: int) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__
        values[name] = person_id if name == "person_id" else (1 if converter == "IntegerConverter" else "health")
    return rule.build(values)[1]


def test_record_routes_are_found(app):
    assert len(record_routes(app)) > 10


@pytest.mark.parametrize("who", ["other_adviser", "colleague", "other_manager", "admin", "person_user", "other_person_user"])
def test_users_who_may_not_see_a_record_get_404_on_every_record_route(app, world, who):
    world.other_person_user = world.other_person.user
    client = PageClient(app).sign_in_as(getattr(world, who))
    token = client.token()
    for method, rule in record_routes(app):
        if rule.endpoint == "adviser.request_cover" and who == "colleague":
            continue  # break-glass: a PA in the same team may ask for cover (tests/security/test_access_matrix.py)
        url = fill(rule, world.person.id)
        response = client.request(method, url, data={"csrf_token": token}, headers={"HX-Request": "true"} if method == "get" else {})
        assert response.status_code == 404, f"{who} {method.upper()} {url}: {response.status_code}"


@pytest.mark.parametrize("who", ["adviser", "manager"])
def test_allocated_adviser_and_team_manager_see_the_record(app, world, who):
    client = PageClient(app).sign_in_as(getattr(world, who))
    page = client.get(f"/young-people/{world.person.id}")
    assert page.h1 == "Jordan Taylor"


def test_only_managers_see_the_access_log(app, world):
    PageClient(app).sign_in_as(world.adviser).get(f"/young-people/{world.person.id}/access-log", status=404)
    PageClient(app).sign_in_as(world.manager).get(f"/young-people/{world.person.id}/access-log")


def test_reallocating_removes_the_old_advisers_access_on_the_next_request(app, world):
    from datetime import date

    from pathway.extensions import db
    from pathway.models import Allocation

    client = PageClient(app).sign_in_as(world.adviser)
    client.get(f"/young-people/{world.person.id}")
    current = world.person.current_allocation
    current.end_date = date(2026, 11, 22)
    db.session.flush()
    db.session.add(Allocation(young_person_id=world.person.id, adviser_id=world.colleague.id, start_date=date(2026, 11, 22)))
    db.session.commit()
    client.get(f"/young-people/{world.person.id}", status=404)
    PageClient(app).sign_in_as(world.colleague).get(f"/young-people/{world.person.id}")


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("adviser", "/teams"), ("adviser", "/admin"), ("adviser", "/me"),
        ("manager", "/caseload"), ("manager", "/admin/users"), ("manager", "/me"),
        ("person_user", "/caseload"), ("person_user", "/teams"), ("person_user", "/admin"),
        ("admin", "/caseload"), ("admin", "/teams"), ("admin", "/me"),
    ],
)
def test_each_role_is_kept_to_its_own_pages(app, world, who, url):
    PageClient(app).sign_in_as(getattr(world, who)).get(url, status=404)


def test_there_is_one_current_allocation_per_young_person(world):
    """The database refuses a second open allocation."""
    from datetime import date

    import sqlalchemy.exc

    from pathway.extensions import db
    from pathway.models import Allocation

    with pytest.raises(sqlalchemy.exc.IntegrityError):
        with db.session.begin_nested():
            db.session.add(Allocation(young_person_id=world.person.id, adviser_id=world.colleague.id, start_date=date(2026, 1, 1)))
