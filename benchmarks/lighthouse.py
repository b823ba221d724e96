"""Benchmark: Lighthouse performance and accessibility scores on a phone, for My plan, My offer and the worklist.

What is measured: Google's Lighthouse (the npm package pinned in package.json) loads each page in Debian's
Chromium with its default mobile settings (a mid-range phone's screen, a 4x slower CPU and a slow 4G
connection, simulated) and scores it from 0 to 100 for performance (how soon the page is drawn and usable)
and accessibility (automated checks: contrast, names, landmarks, tap targets...). Each page is measured
RUNS times and the run with the median performance score is reported, as Lighthouse's authors advise,
because one run on a busy machine can be unlucky.

Why: young people open My plan and My offer on cheap phones on weak signals, so both pages must score at
least 95 for both categories (the target of issue 7; this script exits non-zero when they do not). The
personal adviser's worklist is used on council laptops: its scores are printed for information only.

How: the demo council is loaded into a throwaway SQLite database (`flask pathway demo`, which only runs
with PATHWAY_ENV=development), then the app is served by gunicorn with the production settings
(PATHWAY_ENV=production, a freshly generated SECRET_KEY, gunicorn.conf.py) on 127.0.0.1 and a free port.
Production marks the session cookie Secure, which a browser would not send back over plain http; that does
not get in the way here because this script signs in itself (a real GET of the sign-in form, its CSRF token,
a POST) and hands the cookie to Lighthouse as a Cookie request header (--extra-headers), which Chromium sends
as it is. The script checks that every page answered 200 to the signed-in cookie before and during the run.

Not part of the test run: `make lighthouse`. Writes the table to benchmarks/results/lighthouse.md as well.
Options: --runs N (default 3), --keep-reports DIR (keep Lighthouse's JSON reports).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
RESULTS = ROOT / "benchmarks" / "results" / "lighthouse.md"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
COOKIE_NAME = "pathway_session"  # config.py: SESSION_COOKIE_NAME
TARGET = 95

DEMO_PASSWORD = "northshire-demo-pathway"  # noqa: S105 - the public demo password (pathway/demo.py)
# Demo staff use two-factor sign-in with the published demo key (pathway/demo.py DEMO_TWO_FACTOR_KEY). The
# secret is stored encrypted with SECRET_KEY, so the demo is loaded and served with the same fresh key.
DEMO_TWO_FACTOR_KEY = "NORTHSHIREDEMOKEYPATHWAYTWOFACTR"
SERVER_SECRET_KEY = secrets.token_urlsafe(48)
YOUNG_PERSON = "jordan@northshire.example"
ADVISER = "adviser@northshire.example"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    who: str  # the demo sign-in whose cookie loads the page
    targeted: bool  # True: must reach TARGET for both scores


PAGES = [
    Page("My plan (young person)", "/me/plan", YOUNG_PERSON, True),
    Page("My offer (young person)", "/me/offer", YOUNG_PERSON, True),
    Page("Worklist (PA)", "/caseload", ADVISER, False),
]


@dataclass
class Result:
    page: Page
    performance: int
    accessibility: int
    runs: list[tuple[int, int]]
    benchmark_index: int  # Lighthouse's measure of this machine's speed during the reported run
    problems: list[str] = field(default_factory=list)  # audits that lost points, from the reported run
    warnings: list[str] = field(default_factory=list)  # Lighthouse's own run warnings (a slow host...)

    @property
    def passed(self) -> bool:
        return self.performance >= TARGET and self.accessibility >= TARGET

    @property
    def verdict(self) -> str:
        if not self.page.targeted:
            return "info"
        return "PASS" if self.passed else "FAIL"


# --- the app --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_demo(database_url: str) -> None:
    """Create the schema and load the demo council (development only: production refuses demo data)."""
    env = {**os.environ, "PATHWAY_ENV": "development", "DATABASE_URL": database_url, "FLASK_APP": "wsgi.py",
           "SECRET_KEY": SERVER_SECRET_KEY}
    for args in (["db", "upgrade"], ["pathway", "demo"]):
        done = subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env,  # noqa: S603 - our own venv's flask
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def start_server(database_url: str, port: int, log_path: Path) -> subprocess.Popen:
    """gunicorn with the production settings (gunicorn.conf.py, PATHWAY_ENV=production) on loopback."""
    env = {
        **os.environ,
        "PATHWAY_ENV": "production",
        "SECRET_KEY": SERVER_SECRET_KEY,
        "DATABASE_URL": database_url,
    }
    log = log_path.open("w")
    server = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn, fixed arguments
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at start:\n{log_path.read_text()}")
        try:
            status, _, _ = Client(port).get("/sign-in")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    sys.exit(f"gunicorn did not answer within 30 s:\n{log_path.read_text()}")


class Client:
    """A tiny HTTP client that keeps the session cookie itself (Secure or not) and never follows redirects."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "expires=Thu, 01 Jan 1970" not in header:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        conn.close()
        return response.status, dict(response.headers), text

    def get(self, path: str):
        return self.request("GET", path)

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def sign_in(port: int, email: str) -> Client:
    """Sign in through the real form: its CSRF token, then a POST; returns a client holding the session cookie."""
    from urllib.parse import urlencode

    client = Client(port)
    status, _, html = client.get("/sign-in")
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if status != 200 or not match:
        sys.exit(f"GET /sign-in gave {status} without a CSRF token")
    body = urlencode({"csrf_token": unescape(match.group(1)), "email": email, "password": DEMO_PASSWORD})
    status, headers, _ = client.request("POST", "/sign-in", body)
    if status == 303 and headers.get("Location", "") == "/sign-in/code":
        # Staff: the 6-digit code from the authenticator app holding the published demo key. Each demo
        # account signs in once per run, so the code is not one already used.
        import pyotp

        status, _, html = client.get("/sign-in/code")
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        if status != 200 or not match:
            sys.exit(f"GET /sign-in/code gave {status} without a CSRF token")
        body = urlencode({"csrf_token": unescape(match.group(1)), "code": pyotp.TOTP(DEMO_TWO_FACTOR_KEY).now()})
        status, headers, _ = client.request("POST", "/sign-in/code", body)
    if status not in (302, 303) or "/sign-in" in headers.get("Location", "") or COOKIE_NAME not in client.cookies:
        sys.exit(f"Signing in as {email} failed: {status} {headers.get('Location', '')}")
    return client


# --- Lighthouse -----------------------------------------------------------------------------------------


def lighthouse_version() -> str:
    done = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True)  # noqa: S603
    return done.stdout.strip()


def chromium_version() -> str:
    done = subprocess.run([CHROME_PATH, "--version"], capture_output=True, text=True)  # noqa: S603
    return done.stdout.strip() or "unknown"


def run_lighthouse(url: str, headers_file: Path, report: Path) -> dict:
    command = [
        str(LIGHTHOUSE), url,
        "--form-factor=mobile",  # the default; said out loud
        "--only-categories=performance,accessibility",
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json", f"--output-path={report}",
        f"--extra-headers={headers_file}",
        "--quiet",
    ]
    done = subprocess.run(command, cwd=ROOT,  # noqa: S603 - the pinned lighthouse, arguments built here
                          env={**os.environ, "CHROME_PATH": CHROME_PATH},
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not report.exists():
        sys.exit(f"Lighthouse failed on {url}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    data = json.loads(report.read_text())
    if data.get("runtimeError"):
        sys.exit(f"Lighthouse could not load {url}: {data['runtimeError']}")
    final = data.get("finalDisplayedUrl") or data.get("finalUrl", "")
    if final.rstrip("/") != url.rstrip("/"):
        sys.exit(f"{url} ended on {final}: the session cookie was not accepted")
    document = data["audits"]["network-requests"]["details"]["items"][0]
    if document.get("statusCode") != 200:
        sys.exit(f"{url} answered {document.get('statusCode')} to Lighthouse")
    return data


def score(data: dict, category: str) -> int:
    value = data["categories"][category]["score"]
    return round((value or 0) * 100)


def lost_points(data: dict) -> list[str]:
    """Audits that count towards a score and did not pass, with what Lighthouse measured."""
    problems = []
    for category in ("performance", "accessibility"):
        for ref in data["categories"][category]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                shown = audit.get("displayValue", "")
                problems.append(f"{category}: {ref['id']} (score {audit['score']:.2f}{', ' + shown if shown else ''})")
    return problems


def measure(page: Page, client: Client, base: str, work: Path, runs: int, keep: Path | None) -> Result:
    status, headers, _ = client.get(page.path)  # also picks up the session's CSRF token, as a browser would
    if status != 200:
        sys.exit(f"{page.path} answered {status} ({headers.get('Location', '')}) to the signed-in cookie")
    headers_file = work / "headers.json"
    headers_file.write_text(json.dumps({"Cookie": client.cookie_header()}))
    reports = []
    for run in range(runs):
        report = work / f"{page.path.strip('/').replace('/', '-')}-{run + 1}.json"
        data = run_lighthouse(base + page.path, headers_file, report)
        reports.append((score(data, "performance"), score(data, "accessibility"), data, report))
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(report, keep / report.name)
    ordered = sorted(reports, key=lambda r: r[0])
    performance, accessibility, data, _ = ordered[(len(ordered) - 1) // 2]  # the median run (lower middle)
    return Result(page, performance, accessibility, [(r[0], r[1]) for r in reports],
                  round(data["environment"].get("benchmarkIndex") or 0), lost_points(data),
                  list(data.get("runWarnings") or []))


# --- report ---------------------------------------------------------------------------------------------


def table(results: list[Result]) -> list[str]:
    lines = [
        "| Page | Path | Performance | Accessibility | Runs (perf/a11y) | Host benchmark index | Target | Result |",
        "|---|---|---:|---:|---|---:|---|---|",
    ]
    for r in results:
        runs = ", ".join(f"{p}/{a}" for p, a in r.runs)
        target = f">= {TARGET} both" if r.page.targeted else "none (information)"
        lines.append(f"| {r.page.name} | {r.page.path} | {r.performance} | {r.accessibility} | {runs} "
                     f"| {r.benchmark_index} | {target} | {r.verdict} |")
    return lines


def write_results(results: list[Result], about: list[str]) -> None:
    lines = ["# Lighthouse (mobile)", "", *[f"- {line}" for line in about], "", *table(results), ""]
    for r in results:
        if r.problems:
            lines += [f"Points lost on {r.page.name} (median run):", "", *[f"- {p}" for p in r.problems], ""]
        if r.warnings:
            lines += [f"Lighthouse's warnings on {r.page.name}:", "", *[f"- {w}" for w in r.warnings], ""]
    lines.append("Made by `make lighthouse` (benchmarks/lighthouse.py).")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is reported")
    parser.add_argument("--keep-reports", type=Path, default=None, help="copy Lighthouse's JSON reports here")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci` (make lighthouse does)")
    if not Path(CHROME_PATH).exists():
        sys.exit(f"Chromium not found at {CHROME_PATH}: `make chromium` or set CHROME_PATH")
    if not (ROOT / "static" / "dist" / "manifest.json").exists():
        sys.exit("static/dist is not built: `make assets`")

    with tempfile.TemporaryDirectory(prefix="pathway-lighthouse-") as tmp:
        work = Path(tmp)
        database_url = f"sqlite:///{work / 'lighthouse.db'}"
        print("Loading the demo council into a temporary SQLite database...", flush=True)
        load_demo(database_url)
        port = free_port()
        server = start_server(database_url, port, work / "gunicorn.log")
        try:
            base = f"http://127.0.0.1:{port}"
            clients = {email: sign_in(port, email) for email in {p.who for p in PAGES}}
            results = []
            for page in PAGES:
                print(f"Lighthouse: {page.name} {page.path} ({args.runs} run(s))...", flush=True)
                results.append(measure(page, clients[page.who], base, work, args.runs, args.keep_reports))
        finally:
            server.terminate()
            server.wait(timeout=30)

    about = [
        f"When: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {platform.platform()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}",
        f"Lighthouse {lighthouse_version()}, {chromium_version()} (headless), mobile form factor with "
        "Lighthouse's default simulated throttling (slow 4G, 4x CPU slowdown)",
        "Server: gunicorn (gunicorn.conf.py), PATHWAY_ENV=production, demo council on SQLite, 127.0.0.1",
        f"Each page measured {args.runs} time(s); the run with the median performance score is reported",
        "Host benchmark index: Lighthouse's own measure of the machine during the run (a typical developer "
        "laptop scores 1,000 to 2,000); the CPU slowdown is simulated on top of it, so a busy or slow machine "
        "scores lower on total blocking time",
        f"Machine load average when done: {', '.join(f'{x:.1f}' for x in os.getloadavg())}",
    ]
    print()
    for line in about:
        print(line)
    print()
    for line in table(results):
        print(line)
    for r in results:
        if r.problems:
            print(f"\nPoints lost on {r.page.name} (median run):")
            for problem in r.problems:
                print(f"  {problem}")
        for warning in r.warnings:
            print(f"  Lighthouse warns: {warning}")
    write_results(results, about)
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    failed = [r for r in results if r.page.targeted and not r.passed]
    if failed:
        print(f"FAIL: {', '.join(r.page.name for r in failed)} below {TARGET}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
