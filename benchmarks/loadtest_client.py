"""The load test's scripted browser: one HTTP connection and one cookie store per simulated user.

What a browser does that matters here, and nothing more: it keeps its cookies (including the Secure
session cookie, which Python's cookie jar would drop over plain http on loopback: this client keeps
every cookie the server sets, as a browser behind the TLS-terminating proxy would), follows
redirects with GET, and submits forms with the values the page filled in (hidden CSRF token, text
inputs, checked radios and checkboxes, selected options, textareas) plus what the "person" chose.

Every HTTP request (each redirect hop too) is one sample in ``Stats``: its name, latency and whether
it failed. A failure is a connection error, a status outside 2xx/3xx, a redirect to the sign-in page
(the session was lost), or a form post the server refused (the journeys decide that one).
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

TIMEOUT = 30.0


class Stats:
    """Samples from every user thread: (name, seconds, ok, detail)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[tuple[str, float, bool]] = []
        self.errors: dict[str, int] = {}
        self.first = None
        self.last = None

    def add(self, name: str, seconds: float, ok: bool, detail: str = "") -> None:
        now = time.monotonic()
        with self.lock:
            self.samples.append((name, seconds, ok))
            if self.first is None:
                self.first = now - seconds
            self.last = now
            if not ok:
                key = f"{name}: {detail}"
                self.errors[key] = self.errors.get(key, 0) + 1

    def summary(self, wall_seconds: float | None = None, names: set[str] | None = None) -> dict:
        rows = [s for s in self.samples if names is None or s[0] in names]
        times = sorted(s[1] for s in rows)
        errors = sum(1 for s in rows if not s[2])
        wall = wall_seconds or ((self.last - self.first) if self.first is not None else 0.0)
        return {"requests": len(rows), "errors": errors, "rps": len(rows) / wall if wall else 0.0,
                **percentiles(times)}


def percentiles(times: list[float]) -> dict:
    """p50, p95, p99 in milliseconds (inclusive method: no figure above the slowest request)."""
    if not times:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
    if len(times) == 1:
        return {"p50": times[0] * 1000, "p95": times[0] * 1000, "p99": times[0] * 1000}
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # submit buttons with a name: (name, value)

    def values(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in self.fields:
            out.setdefault(name, []).append(value)
        return out


class FormParser(HTMLParser):
    """Every <form> on a page with the values a browser would submit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.select_value: str | None = None
        self.select_first: str | None = None
        self.option: dict | None = None
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = Form(action=a.get("action") or "", method=(a.get("method") or "get").lower())
            self.forms.append(self.form)
        if self.form is None:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if not name or kind in {"file", "image", "reset"}:
                return
            if kind == "submit":
                self.form.buttons.append((name, a.get("value") or ""))
            elif kind in {"radio", "checkbox"}:
                if "checked" in a:
                    self.form.fields.append((name, a.get("value") or "on"))
            else:
                self.form.fields.append((name, a.get("value") or ""))
        elif tag == "button":
            if (a.get("type") or "submit").lower() == "submit" and a.get("name"):
                self.form.buttons.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select, self.select_value, self.select_first = a.get("name"), None, None
        elif tag == "option" and self.select is not None:
            value = a.get("value")
            self.option = {"value": value, "selected": "selected" in a, "text": []}
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.text = []

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)
        if self.option is not None:
            self.option["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None:
            value = self.option["value"] if self.option["value"] is not None else "".join(self.option["text"]).strip()
            if self.select_first is None:
                self.select_first = value
            if self.option["selected"]:
                self.select_value = value
            self.option = None
        elif tag == "select" and self.select is not None and self.form is not None:
            chosen = self.select_value if self.select_value is not None else self.select_first
            if chosen is not None:
                self.form.fields.append((self.select, chosen))
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            text = "".join(self.text)
            self.form.fields.append((self.textarea, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "form":
            self.form = None


def parse_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


@dataclass
class Response:
    status: int
    location: str
    body: str
    seconds: float


class Browser:
    """One simulated user's browser: a keep-alive connection and the cookies the server set.

    ``forwarded_for`` is sent as X-Forwarded-For, as the reverse proxy in front of production does
    (README "Running in production": PROXY_FIX_X_FOR=1): each simulated user has its own address.
    """

    def __init__(self, host: str, port: int, stats: Stats, *, forwarded_for: str, https: bool = False) -> None:
        self.host, self.port, self.stats = host, port, stats
        self.forwarded_for = forwarded_for
        self.https = https
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.send_referrer = True
        self.page_url = ""

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _origin(self) -> str:
        return f"{'https' if self.https else 'http'}://{self.host}:{self.port}"

    def _keep_cookies(self, resp: http.client.HTTPResponse) -> None:
        for header in resp.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            try:
                jar.load(header)
            except CookieError:  # noqa: S112 - a cookie we cannot parse is one a browser would drop too
                continue
            for name, morsel in jar.items():
                expired = morsel["max-age"] in {"0", "-1"} or (
                    morsel["expires"] and "1970" in morsel["expires"])
                if expired or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Response:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "pathway-loadtest/1",
                   "Accept": "text/html", "X-Forwarded-For": self.forwarded_for, **headers}
        if self.https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            start = time.monotonic()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                # The server closed an idle keep-alive connection: a browser reconnects and resends.
                self.close()
                if attempt == 2:
                    raise error
                continue
            seconds = time.monotonic() - start
            self._keep_cookies(resp)
            if resp.getheader("Connection", "").lower() == "close":
                self.close()
            referrer_policy = (resp.getheader("Referrer-Policy") or "").lower()
            if referrer_policy:
                self.send_referrer = referrer_policy != "no-referrer"
            return Response(resp.status, resp.getheader("Location") or "", data.decode("utf-8", "replace"), seconds)
        raise AssertionError("unreachable")

    def request(self, name: str, method: str, path: str, *, data: dict | list | None = None,
                headers: dict[str, str] | None = None, follow: bool = True, check=None) -> Response | None:
        """One request (and its redirects, each recorded as ``name`` + " (redirect)"), or None on failure.

        ``check(response)`` may judge the first response: a message back means it failed (a form post
        that came back as the form with an error, instead of the redirect that means "saved").
        """
        extra = dict(headers or {})
        body = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            extra["Content-Type"] = "application/x-www-form-urlencoded"
        if method == "POST" and self.send_referrer and self.page_url:
            extra["Referer"] = self.page_url  # what a browser sends unless the page's Referrer-Policy says not to
        hops = 0
        while True:
            try:
                resp = self._send(method, path, body, extra)
            except (OSError, http.client.HTTPException) as error:
                self.close()
                self.stats.add(name, TIMEOUT if isinstance(error, TimeoutError) else 0.0, False,
                               f"connection error {type(error).__name__}")
                return None
            location = urlsplit(resp.location).path if resp.location else ""
            if resp.status >= 400:
                self.stats.add(name, resp.seconds, False, f"HTTP {resp.status}")
                return None
            if 300 <= resp.status < 400 and location.startswith("/sign-in") and not path.startswith("/sign-in"):
                self.stats.add(name, resp.seconds, False, "redirected to sign-in (session lost)")
                return None
            problem = check(resp) if check is not None and hops == 0 else None
            if problem:
                self.stats.add(name, resp.seconds, False, problem)
                return None
            self.stats.add(name, resp.seconds, True)
            if not (follow and resp.status in (301, 302, 303, 307, 308) and resp.location) or hops >= 5:
                if resp.status == 200 and method == "GET":
                    self.page_url = self._origin() + path
                return resp
            hops += 1
            target = urlsplit(urljoin(self._origin() + path, resp.location))
            path = target.path + (f"?{target.query}" if target.query else "")
            if resp.status in (301, 302, 303):
                method, body = "GET", None
                extra.pop("Content-Type", None)
                extra.pop("Referer", None)
            name = f"{name.split(' (')[0]} (redirect)"
