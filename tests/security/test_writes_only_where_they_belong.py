"""Writes only where they belong (issue 8 section 5).

1. Crawling every GET route (discovered from the URL map, parameters filled from the world) as each
   kind of user, and following the links found on the pages (bounded), changes no case data: every
   table's row count and checksum is the same afterwards, except the bookkeeping tables that GET pages
   write by design (world.BOOKKEEPING_TABLES says why each one may change).
2. With CSRF protection on (as in production), every state-changing route refuses a post with no token
   and one with a wrong token (a real token from another session), as a plain form post and as an htmx
   request (htmx sends the token in the X-CSRFToken header, from hx-headers on <body>): 400, and no row
   changed.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from pathway import create_app
from tests.security import battery
from tests.security.world import TODAY, build_url, snapshot, table_names, who_for

WHO = ["anonymous", "young_person", "adviser", "manager", "admin"]
MAX_LINKED_PAGES = 60  # per kind of user, on top of every GET route
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}

_APP = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
STATE_CHANGING_ENDPOINTS = sorted({r.endpoint for r in _APP.url_map.iter_rules() if r.methods & STATE_CHANGING})


def get_urls(app, w) -> list[str]:
    """Every GET route with its parameters filled from the world (static files aside)."""
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" in rule.methods and rule.endpoint != "static":
            urls.append(build_url(app, rule, w))
    return urls


def links_on(html: str, page_url: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for a in soup.find_all("a", href=True):
        url = urljoin(page_url, a["href"])
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
            continue
        if parts.path.startswith("/static/"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def test_the_snapshot_sees_every_table():
    """A table the models do not know would hide writes from the comparisons below."""
    from pathway.extensions import db

    assert table_names() == {t.name for t in db.metadata.sorted_tables}


@pytest.mark.parametrize("who", WHO)
def test_crawling_every_page_changes_no_case_data(app, clients, full_world, who):
    clients.fresh_token(who)
    client = clients(who)
    before = snapshot()
    queue = get_urls(app, full_world)
    routes = len(queue)
    seen: set[str] = set()
    problems = []
    while queue and len(seen) < routes + MAX_LINKED_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.request("get", url)
        if response.status_code >= 500:
            problems.append(f"GET {url}: {response.status_code}")
        changed = before.changed_tables(snapshot())
        if changed:
            problems.append(f"GET {url} changed {changed}")
            before = snapshot()
        if response.status_code == 200 and response.mimetype == "text/html":
            queue += [link for link in links_on(response.get_data(as_text=True), url) if link not in seen]
    assert len(seen) >= routes
    assert not problems, f"as {who}:\n" + "\n".join(problems)


def test_csrf_protection_is_on_for_these_tests(app):
    assert app.config["WTF_CSRF_ENABLED"] is True
    assert STATE_CHANGING_ENDPOINTS
    assert sorted({r.endpoint for r in app.url_map.iter_rules() if r.methods & STATE_CHANGING}) == \
        STATE_CHANGING_ENDPOINTS


@pytest.mark.parametrize("endpoint", STATE_CHANGING_ENDPOINTS)
def test_every_state_changing_route_refuses_a_missing_or_wrong_csrf_token(app, clients, full_world,
                                                                          module_connection, endpoint):
    rule = battery.rule_for(app, endpoint)
    url = build_url(app, rule, full_world)
    who = who_for(app, endpoint)
    clients.fresh_token(who)
    client = clients(who)
    form, _host = battery.find_form(client, endpoint, url, rule, TODAY)
    form = form or battery.plausible_form(url)
    pairs = battery.pairs_for(form)
    # A real token, but from another session: it must not work in this one.
    wrong = clients.fresh_token("admin" if who != "admin" else "adviser")
    right = clients.fresh_token(who)
    assert wrong and wrong != right
    before = snapshot()
    attempts = {
        "plain, no token": dict(token=None),
        "plain, wrong token": dict(token=wrong),
        "htmx, no token": dict(token=None, headers={"HX-Request": "true"}),
        "htmx, wrong token": dict(token=None, headers={"HX-Request": "true", "X-CSRFToken": wrong}),
        "htmx, wrong token in both": dict(token=wrong, headers={"HX-Request": "true", "X-CSRFToken": wrong}),
    }
    problems = []
    for label, how in attempts.items():
        for method in sorted(rule.methods & STATE_CHANGING):
            with battery.rolled_back(module_connection):
                if method == "POST":
                    response = battery.post(client, form.action, pairs, **how)
                else:
                    response = client.request(method.lower(), form.action, data=battery.encode(pairs),
                                              headers=how.get("headers", {}))
                if response.status_code != 400:
                    problems.append(f"{method} {label}: answered {response.status_code}")
                changed = before.changed_tables(snapshot())
                if changed:
                    problems.append(f"{method} {label}: changed {changed}")
    # And the same post with the right token is not refused for its token (the test posts what a browser would).
    with battery.rolled_back(module_connection):
        response = battery.post(client, form.action, pairs, token=right)
        assert not (response.status_code == 400 and "was open for too long" in response.get_data(as_text=True)), \
            f"{endpoint}: the right token was refused"
    assert not problems, f"{endpoint} ({form.action}) as {who}:\n" + "\n".join(problems)
