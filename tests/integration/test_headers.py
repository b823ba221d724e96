"""Response headers on every page, and error pages."""

from __future__ import annotations

import re

from tests.helpers import PageClient


def test_csp_has_a_fresh_nonce_used_by_every_script(client):
    first = client.get("/sign-in")
    second = client.get("/sign-in")
    csp = first.response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert nonce != re.search(r"'nonce-([^']+)'", second.response.headers["Content-Security-Policy"]).group(1)
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    scripts = first.soup.find_all("script")
    assert scripts and all(s.get("nonce") == nonce for s in scripts)


def test_security_headers_on_every_page(client):
    headers = client.get("/").response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers  # testing config: no HSTS over http


def test_hsts_in_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "HSTS", True)
    headers = PageClient(app).get("/").response.headers
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_signed_in_pages_and_fragments_are_not_cached(client, world):
    client.sign_in_as(world.adviser)
    assert client.get("/caseload").response.headers["Cache-Control"] == "no-store"
    assert client.get("/caseload?q=jo", htmx=True).response.headers["Cache-Control"] == "no-store"
    assert client.get(f"/young-people/{world.person.id}").response.headers["Cache-Control"] == "no-store"


def test_signed_in_pages_tell_htmx_not_to_keep_history_and_send_csrf(client, world):
    client.sign_in_as(world.adviser)
    body = client.get("/caseload").soup.body
    assert body["hx-history"] == "false"
    assert "X-CSRFToken" in body["hx-headers"]


def test_htmx_post_without_csrf_is_refused(client, world):
    client.sign_in_as(world.adviser)
    page = client.post(f"/young-people/{world.person.id}/invite", csrf=False, htmx=True, status=400)
    assert "did not save it" in page.text
    # htmx shows the message in place of the page's main content.
    assert page.response.headers["HX-Retarget"] == "#main-content"


def test_htmx_post_with_csrf_header_is_accepted(client, world):
    client.sign_in_as(world.adviser)
    token = client.token()
    response = client.request("post", f"/young-people/{world.person.id}/invite",
                              headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 303


def test_request_body_over_the_limit_gets_413(client, world):
    client.sign_in_as(world.adviser)
    page = client.post("/young-people/new", {"given_name": "x" * (3 * 1024 * 1024)}, status=413)
    assert "too large" in page.h1


def test_404_page_is_govuk_style(client):
    page = client.get("/no-such-page", status=404)
    assert page.h1 == "Page not found"
    assert "Page not found" in page.title


def test_500_page_shows_no_traceback(app, monkeypatch, world):
    import pathway.queries.caseloads as caseloads

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals /work/main")

    monkeypatch.setattr("pathway.adviser.routes.worklist_for", explode)
    client = PageClient(app).sign_in_as(world.adviser)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    page = client.get("/caseload", status=500)
    assert page.h1 == "Sorry, there is a problem with the service"
    assert "secret internals" not in page.response.get_data(as_text=True)
    assert "Traceback" not in page.response.get_data(as_text=True)
    assert caseloads  # the real function is untouched


def test_hashed_assets_are_cached_for_a_year_and_compressed(client):
    import json
    from pathlib import Path

    manifest = json.loads(Path("static/dist/manifest.json").read_text())
    css = "/static/" + manifest["app.css"]
    response = client.request("get", css, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert "max-age=315360000" in response.headers["Cache-Control"] or "immutable" in response.headers["Cache-Control"]
    assert response.headers.get("Content-Encoding") in {"br", "gzip"}
    response.close()


def test_forms_work_over_https_with_the_strict_referer_check(app, world, monkeypatch):
    """Production checks the Referer of every HTTPS form post; the Referrer-Policy must let browsers send
    it to us (and only to us), or no form could be sent."""
    monkeypatch.setitem(app.config, "WTF_CSRF_SSL_STRICT", True)
    client = app.test_client()
    page = client.get("/sign-in", base_url="https://pathway.example")
    assert page.headers["Referrer-Policy"] == "same-origin"
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    form = {"csrf_token": token, "email": world.adviser.email, "password": "correct-horse-battery"}
    refused = client.post("/sign-in", data=form, base_url="https://pathway.example")
    assert refused.status_code == 400  # what every browser got under "no-referrer"
    sent = client.post("/sign-in", data=form, base_url="https://pathway.example",
                       headers={"Referer": "https://pathway.example/sign-in"})
    assert sent.status_code == 303
