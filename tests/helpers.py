"""Test helpers: a client that reads pages the way a person would, and checks every page it fetches."""

from __future__ import annotations

import contextvars
import json
from collections import Counter
from dataclasses import dataclass

from bs4 import BeautifulSoup
from flask.testing import FlaskClient


@dataclass
class Page:
    response: object
    soup: BeautifulSoup

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def text(self) -> str:
        return self.soup.get_text(" ", strip=True)

    @property
    def title(self) -> str:
        return self.soup.title.get_text(strip=True) if self.soup.title else ""

    @property
    def h1(self) -> str:
        h1 = self.soup.find("h1")
        return h1.get_text(" ", strip=True) if h1 else ""

    def errors(self) -> list[str]:
        """The messages in the GOV.UK error summary."""
        summary = self.soup.select(".govuk-error-summary__list li")
        return [li.get_text(" ", strip=True) for li in summary]

    def csrf_token(self) -> str | None:
        field = self.soup.find("input", attrs={"name": "csrf_token"})
        if field:
            return field["value"]
        body = self.soup.find("body")
        if body and body.get("hx-headers"):
            return json.loads(body["hx-headers"]).get("X-CSRFToken")
        return None


def check_page(response, *, fragment: bool = False) -> Page:
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    ids = [tag["id"] for tag in soup.find_all(attrs={"id": True})]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"duplicate ids on {response.request.path}: {duplicates}"
    if not fragment and response.mimetype == "text/html":
        assert soup.find("html") is not None, "expected a full page"
        assert soup.title and soup.title.get_text(strip=True), "page has no title"
        assert soup.find("main", id="main-content") is not None
    if fragment:
        assert soup.find("html") is None, "htmx fragment must not be a full page"
    return Page(response, soup)


class PageClient:
    """Wraps Flask's test client: signs in through the real form and sends real CSRF tokens."""

    def __init__(self, app, *, two_factor: bool = True):
        self.app = app
        self.http: FlaskClient = app.test_client()
        self._token: str | None = None
        # Enter the code from the "authenticator app" when sign-in asks for one (tests of the second
        # step itself turn this off and drive it by hand).
        self.two_factor = two_factor

    def request(self, method: str, url: str, **kwargs):
        """Send one request as a browser would: in its own app context, so nothing in `g`
        (CSRF token, CSP nonce, the signed-in user) carries over from the test or another request.
        Afterwards the test's own session is expired, so assertions read what was stored."""
        response = contextvars.Context().run(getattr(self.http, method), url, **kwargs)
        from pathway.extensions import db

        try:
            db.session.expire_all()
        except RuntimeError:  # no app context in this test
            pass
        return response

    def get(self, url: str, *, status: int | None = 200, htmx: bool = False, **kwargs) -> Page:
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        response = self.request("get", url, headers=headers, **kwargs)
        if status is not None:
            assert response.status_code == status, f"GET {url}: {response.status_code}, expected {status}"
        if response.status_code in (301, 302, 303, 204) or response.mimetype != "text/html":
            return Page(response, BeautifulSoup("", "html.parser"))
        page = check_page(response, fragment=htmx)
        token = page.csrf_token()
        if token:
            self._token = token
        return page

    def token(self) -> str:
        if self._token is None:
            self.get("/sign-in", status=None)
        return self._token or ""

    def post(self, url: str, data: dict | None = None, *, status: int | None = None, htmx: bool = False,
             csrf: bool = True, follow: bool = False, **kwargs) -> Page:
        data = dict(data or {})
        headers = kwargs.pop("headers", {})
        if csrf and "csrf_token" not in data:
            data["csrf_token"] = self.token()
        if htmx:
            headers["HX-Request"] = "true"
        response = self.request("post", url, data=data, headers=headers, follow_redirects=follow, **kwargs)
        if (self.two_factor and url.split("?")[0] == "/sign-in" and response.status_code == 303
                and response.headers.get("Location", "").split("?")[0] == "/sign-in/code"):
            response = self._enter_code(data.get("email", ""))
        if status is not None:
            assert response.status_code == status, f"POST {url}: {response.status_code}, expected {status}\n{response.get_data(as_text=True)[:2000]}"
        if response.mimetype == "text/html" and response.status_code not in (301, 302, 303):
            page = check_page(response, fragment=htmx)
            token = page.csrf_token()
            if token:
                self._token = token
            return page
        return Page(response, BeautifulSoup("", "html.parser"))

    def _enter_code(self, email: str):
        """The second step of signing in, as the person would: the 6-digit code their app shows now.

        A code is accepted once, so a second sign-in by the same person within one 30-second step (a
        frozen clock, two clients for one user) uses the next step's code, which the one-step drift
        allowance accepts (a phone running slightly fast), and after that a recovery code."""
        from pathway.extensions import db
        from pathway.models import RecoveryCode
        from pathway.models.types import utcnow
        from pathway.rules import two_factor as rules
        from pathway.services import accounts
        from pathway.services.two_factor import decrypt_secret, hash_recovery_code, record_for
        from tests.factories import RECOVERY_CODES

        with self.app.app_context():
            user = accounts.find_user_by_email(email)
            record = record_for(user)
            secret = decrypt_secret(record.secret)
            now_step = rules.time_step(utcnow())
            last = record.last_used_step
            steps = [s for s in (now_step, now_step + 1) if last is None or s > last]
            if steps:
                code, url = rules.code_at(secret, steps[0]), "/sign-in/code"
            else:
                unused = set(db.session.scalars(select_unused(RecoveryCode, user.id)))
                code = next((c for c in RECOVERY_CODES if hash_recovery_code(user.id, c) in unused), None)
                assert code is not None, f"{email}: no code left for a third sign-in in one 30-second step"
                url = "/sign-in/recovery-code"
        self.get(url, status=None)
        return self.request("post", url, data={"code": code, "csrf_token": self.token()})

    def sign_in(self, email: str, password: str) -> Page:
        self.get("/sign-in", status=None)
        return self.post("/sign-in", {"email": email, "password": password})

    def sign_in_as(self, user, password: str = "correct-horse-battery") -> PageClient:
        page = self.sign_in(user.email, password)
        assert page.status == 303, f"sign-in as {user.email} failed: {page.status} {page.text[:300]}"
        self.get("/", status=None)
        self._token = None
        self.get("/account")  # refresh the CSRF token for the new session
        return self


def select_unused(model, user_id: int):
    from sqlalchemy import select

    return select(model.code_hash).where(model.user_id == user_id, model.used_at.is_(None))


def count_queries(action) -> int:
    """How many SQL statements ``action()`` sends (for query budgets: a page's count must not grow)."""
    from sqlalchemy import event

    from pathway.extensions import db

    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)
