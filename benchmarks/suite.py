"""The benchmark suite (`make bench`): every page that matters, at a council's size and at a region's.

Issue 7, sections 1 and 2. For each page (sign-in, the young person's My plan, My offer, My passport
and plan PDF, the PA's worklist and a record page, the manager's home and indicators, the public
offer page) it measures, in-process with the Flask test client:

- SQL queries per request: statements seen by an engine ``before_cursor_execute`` listener. Two
  kinds are left out, the same way on every database, because they are bookkeeping rather than the
  page's work: transaction control (``BEGIN``, ``SAVEPOINT``, ``RELEASE``, ``COMMIT``, ``ROLLBACK``:
  SQLite gets an explicit ``BEGIN`` from pathway/database.py, PostgreSQL's driver sends it unseen) and
  the session's idle clock (``UPDATE auth_session SET last_seen_at``, written at most every 30 seconds,
  after which the session is read again). So the count is taken on three requests after warm-up and
  the smallest is reported: the page's steady-state queries.
- Server time: median and 95th percentile (nearest rank) of 50 requests after 5 warm-up requests; a
  page whose warm-up requests took over 1 second (median of the last four) gets 10 requests instead,
  and the table says so. Sign-in (POST) uses a fresh client each time; fetching its form is not timed.
- The same page with nothing cached: SQL queries and the median of 10 requests with the page cache
  (pathway/services/page_cache.py) emptied before each one, which is what the first view of a page
  costs, or the first after anything it shows has changed. The main median is a repeat view, as most
  views are; both are reported so the cache cannot hide a slow page.
- The ratio of that median to the median of a plain "hello" route (GET /hello, no database) measured
  in the same run, so the figures can be compared across machines.
- First-load bytes: the HTML gzip-compressed (level 6, as a reverse proxy would) plus every file under
  /static/dist the HTML references (CSS, JS, the icon) at the size WhiteNoise serves it to a browser
  that accepts brotli (the pre-compressed ``.br`` file; ``.gz`` or the file itself when there is none).
  Repeat-visit bytes: the compressed HTML only (hashed assets are cached for a year). For the PDF,
  both are the PDF's own size (sent as it is, ``no-store``).

It runs at two sizes: a council (BENCH_COUNCIL_SIZE, default 2,000 young people) generated with
``pathway.generate`` into SQLite in a temporary folder, and, when BENCH_DATABASE_URL is set, a region
(BENCH_REGION_SIZE, default 100,000) on that database, normally PostgreSQL. The region database must
be empty (the suite migrates it and generates into it: about 10 minutes at 100,000) or already hold a
generated dataset of exactly that size (it is reused, so a second run does not generate again). Any
other database is refused (exit 2): the suite never measures or writes to real records. Measuring
does write a little to the generated database (sign-in sessions, audit events for record views and
PDF downloads), as real use would.

The users are chosen the same way at both sizes: manager1 (one team of five PAs, about 500 young
people whatever N is); the first young person with an account, a signed-off plan, claims and passport
answers whose current PA is in manager1's team and still works there; and that PA.

It prints one markdown table with both sizes side by side, the growth (region / council) of each
figure and PASS/FAIL against the issue's targets, and writes it to benchmarks/results/latest.md
(git-ignored). Exit status: 0 when every target passes, 1 when any fails (the failures are listed on
the last line), 2 when it refuses a database. `make bench` is informative: a FAIL is a finding to act
on, not a broken build. Not part of the test run.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import logging
import math
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from manager import NotGenerated, check_generated  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "latest.md"
WARM_UP = 5
RUNS = 50
HELLO_RUNS = 200
SLOW_RUNS = 10
SLOW_SECONDS = 1.0
QUERY_SAMPLES = 3
GZIP_LEVEL = 6
MAX_QUERIES = 15
YP_RATIO = 3.0
PA_RATIO = 5.0
FIRST_LOAD_LIMIT = 70 * 1024
REPEAT_LIMIT = 10 * 1024
MANAGER_LIMIT = {"council": 0.250, "region": 1.0}
PDF_LIMIT = 1.0
TODAY = date.today()

BOOKKEEPING = re.compile(
    r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|UPDATE\s+\"?auth_session\"?\s+SET\s+last_seen_at)", re.IGNORECASE)
ASSET = re.compile(r'(?:href|src)="(/static/dist/[^"]+)"|from\s+"(/static/dist/[^"]+)"')


@dataclass
class Page:
    key: str
    label: str
    who: str  # "young person", "PA", "manager" or "nobody"
    url: str
    group: str  # "yp", "pa", "manager", "pdf" or "other": which targets apply
    method: str = "GET"


@dataclass
class Result:
    status: int
    queries: int
    median: float
    p95: float
    runs: int
    ratio: float
    first_load: int | None = None
    repeat: int | None = None
    miss_queries: int | None = None  # with the page cache emptied before each request: a first view
    miss_median: float | None = None


@dataclass
class SizeRun:
    name: str  # "council" or "region"
    url: str
    dialect: str
    info: dict
    hello: float
    users: dict
    results: dict[str, Result] = field(default_factory=dict)
    floors: dict[str, float] = field(default_factory=dict)  # the signed-in baselines (see add_baselines)
    generated_seconds: float | None = None
    note: str = ""


class Refused(Exception):
    """The suite will not measure this database: the message says why."""


# --- measuring ---------------------------------------------------------------------------------------

def make_app(url: str):
    """The app as the tests build it, but with production's password hashing cost.

    The testing config keeps CSRF on and lifts the sign-in rate limit (the suite signs in 55 times from
    one address). Argon2's cost is production's, so the sign-in figure is what a real sign-in costs and
    the generated hashes never need re-hashing at sign-in.
    """
    from pathway import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=True,
                     ARGON2_TIME_COST=None, ARGON2_MEMORY_COST=None, ARGON2_PARALLELISM=None)
    app.logger.setLevel(logging.CRITICAL)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    add_baselines(app)
    return app


BASELINES = {
    "/bench/signed-in": "GET a signed-in page that does nothing (young person)",
    "/bench/signed-in-audited": "GET a signed-in page that only writes one audit row",
}


def add_baselines(app) -> None:
    """Two routes that exist only in the benchmark's app, measured beside /hello to show the floor under
    every signed-in page: checking the session (one query) and, for a page that shows a record, writing
    the audit row every view needs (one insert and a commit). They render nothing."""
    from pathway.access import roles_required
    from pathway.models import Role

    text = {"Content-Type": "text/plain; charset=utf-8"}

    @roles_required(*Role)
    def signed_in():
        return "signed in", 200, text

    @roles_required(*Role)
    def signed_in_audited():
        from pathway.extensions import db
        from pathway.services import audit

        audit.record("view", "benchmark_baseline", None)
        db.session.commit()
        return "signed in, audited", 200, text

    app.add_url_rule("/bench/signed-in", "bench_signed_in", signed_in)
    app.add_url_rule("/bench/signed-in-audited", "bench_signed_in_audited", signed_in_audited)


def percentile_95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def csrf_token(html: str) -> str:
    return html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def sign_in(app, email: str):
    """A test client signed in as this generated user (POST /sign-in with the form's CSRF token, then the
    6-digit code for staff)."""
    from benchmarks.two_factor_sign_in import finish_sign_in, signed_in
    from pathway.generate import GENERATED_PASSWORD

    client = app.test_client()
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    response = client.post("/sign-in", data={"csrf_token": token, "email": email, "password": GENERATED_PASSWORD})
    response = finish_sign_in(app, client, response, email)  # staff: the two-factor step
    if not signed_in(response):
        raise RuntimeError(f"could not sign in as {email}: status {response.status_code}")
    return client


class QueryCounter:
    """Counts the statements an engine executes, bookkeeping left out (see the module docstring)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.count = 0

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not BOOKKEEPING.match(statement):
            self.count += 1

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def engine_of(app):
    from pathway.extensions import db

    with app.app_context():
        return db.engine


def transfer_bytes(html: bytes) -> tuple[int, int]:
    """(first load, repeat visit) bytes for an HTML page, compressed as served."""
    page = len(gzip.compress(html, GZIP_LEVEL))
    assets = 0
    for match in sorted({a or b for a, b in ASSET.findall(html.decode("utf-8", "replace"))}):
        path = ROOT / match.lstrip("/")
        for candidate in (Path(f"{path}.br"), Path(f"{path}.gz"), path):
            if candidate.exists():
                assets += candidate.stat().st_size
                break
    return page + assets, page


def time_requests(request, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        request()
        samples.append(time.perf_counter() - start)
    return samples


def measure_get(app, client, page: Page, hello: float) -> Result:
    """Warm up, count queries, time, and weigh one GET page."""
    warm = time_requests(lambda: client.get(page.url), WARM_UP)
    slow = statistics.median(warm[1:]) > SLOW_SECONDS  # the first may fill caches: not a steady-state figure
    status = client.get(page.url).status_code
    engine = engine_of(app)
    counts = []
    for _ in range(QUERY_SAMPLES):
        with QueryCounter(engine) as counter:
            response = client.get(page.url)
        counts.append(counter.count)
    runs = SLOW_RUNS if slow else RUNS
    samples = time_requests(lambda: client.get(page.url), runs)
    miss_counts = []
    for _ in range(QUERY_SAMPLES):
        forget_pages(app)
        with QueryCounter(engine) as counter:
            client.get(page.url)
        miss_counts.append(counter.count)

    def missed() -> None:
        forget_pages(app)
        client.get(page.url)

    miss_samples = time_requests(missed, SLOW_RUNS)
    body = response.get_data()
    if page.group == "pdf":
        first = repeat = len(body)
    else:
        first, repeat = transfer_bytes(body)
    median = statistics.median(samples)
    return Result(status=status, queries=min(counts), median=median, p95=percentile_95(samples), runs=runs,
                  ratio=median / hello, first_load=first, repeat=repeat, miss_queries=min(miss_counts),
                  miss_median=statistics.median(miss_samples))


def forget_pages(app) -> None:
    """Empty the page cache (pathway/services/page_cache.py), as after a change to what the page shows."""
    from pathway.services import page_cache

    page_cache.clear(app)


def measure_sign_in_post(app, email: str, hello: float) -> Result:
    """POST /sign-in from a fresh browser each time (the GET for its CSRF token is not timed)."""
    from pathway.generate import GENERATED_PASSWORD

    engine = engine_of(app)

    def attempt(count: bool = False) -> tuple[int, float, int]:
        client = app.test_client()
        token = csrf_token(client.get("/sign-in").get_data(as_text=True))
        data = {"csrf_token": token, "email": email, "password": GENERATED_PASSWORD}
        with QueryCounter(engine) if count else contextlib.nullcontext() as counter:
            start = time.perf_counter()
            status = client.post("/sign-in", data=data).status_code
            elapsed = time.perf_counter() - start
        return status, elapsed, counter.count if count else 0

    for _ in range(WARM_UP):
        attempt()
    counts = [attempt(count=True)[2] for _ in range(QUERY_SAMPLES)]
    results = [attempt() for _ in range(RUNS)]
    samples = [r[1] for r in results]
    status = 303 if all(r[0] == 303 for r in results) else next(r[0] for r in results if r[0] != 303)
    median = statistics.median(samples)
    return Result(status=status, queries=min(counts), median=median, p95=percentile_95(samples), runs=RUNS,
                  ratio=median / hello)


# --- choosing users ------------------------------------------------------------------------------------

def choose_users(app) -> dict:
    """manager1, a young person with a full history in manager1's team, and their PA (see the docstring)."""
    from sqlalchemy import exists, select
    from sqlalchemy.orm import aliased

    from pathway.extensions import db
    from pathway.generate import EMAIL_DOMAIN
    from pathway.models import (
        Allocation,
        Claim,
        PassportAnswer,
        PathwayPlan,
        PlanStatus,
        TeamManager,
        User,
        YoungPerson,
    )

    manager_email = f"manager1@{EMAIL_DOMAIN}"
    with app.app_context():
        team = db.session.scalar(select(TeamManager.team_id).join(User, User.id == TeamManager.user_id)
                                 .where(User.email == manager_email))
        account, adviser = aliased(User), aliased(User)
        row = db.session.execute(
            select(YoungPerson.id, account.email, adviser.email)
            .join(account, account.id == YoungPerson.user_id)
            .join(Allocation, (Allocation.young_person_id == YoungPerson.id) & Allocation.end_date.is_(None))
            .join(adviser, adviser.id == Allocation.adviser_id)
            .where(adviser.active.is_(True), adviser.team_id == team, account.active.is_(True),
                   exists().where(PathwayPlan.young_person_id == YoungPerson.id,
                                  PathwayPlan.status == PlanStatus.ACTIVE),
                   exists().where(Claim.young_person_id == YoungPerson.id),
                   exists().where(PassportAnswer.young_person_id == YoungPerson.id))
            .order_by(YoungPerson.id).limit(1)
        ).first()
    if row is None:
        raise RuntimeError("no young person with an account, a plan, claims and passport answers in manager1's team")
    person_id, young_email, adviser_email = row
    return {"person_id": person_id, "young person": young_email, "PA": adviser_email, "manager": manager_email}


def pages(person_id: int) -> list[Page]:
    return [
        Page("sign-in-get", "Sign-in page (GET /sign-in)", "nobody", "/sign-in", "other"),
        Page("sign-in-post", "Sign in (POST /sign-in, young person)", "young person", "/sign-in", "other", "POST"),
        Page("me-plan", "My plan (/me/plan)", "young person", "/me/plan", "yp"),
        Page("me-offer", "My offer (/me/offer)", "young person", "/me/offer", "yp"),
        Page("me-passport", "My passport (/me/passport)", "young person", "/me/passport", "yp"),
        Page("plan-pdf", "Plan PDF (/me/plan/pdf)", "young person", "/me/plan/pdf", "pdf"),
        Page("caseload", "PA's worklist (/caseload)", "PA", "/caseload", "pa"),
        Page("record", "Record page (/young-people/<id>)", "PA", f"/young-people/{person_id}", "pa"),
        Page("manager", "Manager's home (/manager, manager1)", "manager", "/manager", "manager"),
        Page("indicators", "Indicators (/manager/indicators, manager1)", "manager", "/manager/indicators", "manager"),
        Page("public-offer", "Public offer page (/offer)", "nobody", "/offer", "other"),
    ]


def measure(name: str, url: str, info: dict, generated_seconds: float | None = None, note: str = "") -> SizeRun:
    from sqlalchemy.engine import make_url

    app = make_app(url)
    users = choose_users(app)
    dialect = make_url(url).get_backend_name()
    print(f"[{name}] signed in as {users['young person']} (young person {users['person_id']}), "
          f"{users['PA']} (their PA), {users['manager']}", flush=True)
    client = app.test_client()
    for _ in range(WARM_UP):
        client.get("/hello")
    hello_samples = time_requests(lambda: client.get("/hello"), HELLO_RUNS)
    hello = statistics.median(hello_samples)
    run = SizeRun(name=name, url=url, dialect=dialect, info=info, hello=hello, users=users,
                  generated_seconds=generated_seconds, note=note)
    clients = {"nobody": app.test_client()}
    for who in ("young person", "PA", "manager"):
        clients[who] = sign_in(app, users[who])
    for path in BASELINES:
        for _ in range(WARM_UP):
            clients["young person"].get(path)
        run.floors[path] = statistics.median(
            time_requests(lambda path=path: clients["young person"].get(path), HELLO_RUNS))
    for page in pages(users["person_id"]):
        if page.method == "POST":
            result = measure_sign_in_post(app, users[page.who], hello)
        else:
            result = measure_get(app, clients[page.who], page, hello)
        run.results[page.key] = result
        print(f"[{name}] {page.label}: status {result.status}, {result.queries} queries, "
              f"median {result.median * 1000:.1f} ms, p95 {result.p95 * 1000:.1f} ms", flush=True)
    with app.app_context():
        from pathway.extensions import db

        db.engine.dispose()
    return run


# --- the two databases ----------------------------------------------------------------------------------

def generate_into(app, size: int) -> float:
    from flask_migrate import upgrade

    from pathway.extensions import db
    from pathway.generate import generate

    with app.app_context():
        upgrade()
        summary = generate(size, today=TODAY)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:  # fresh planner statistics, as after any bulk load
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
        db.engine.dispose()
    print(f"  generated {summary.young_people:,} young people in {summary.seconds:.1f} s: {summary.advisers} PAs, "
          f"{summary.teams} teams, {summary.contacts:,} contacts, {summary.moves:,} moves, {summary.plans:,} plans, "
          f"{summary.claims:,} claims, {summary.passport_answers:,} passport answers", flush=True)
    return summary.seconds


def council(size: int, folder: str) -> SizeRun:
    url = f"sqlite:///{folder}/council.db"
    print(f"Council: generating {size:,} young people into SQLite ({url})", flush=True)
    seconds = generate_into(make_app(url), size)
    info = check_generated(make_app(url))
    return measure("council", url, info, seconds, "fresh SQLite database in a temporary folder")


def region_state(url: str, size: int) -> str:
    """'empty' or 'generated' (a generated dataset of this size); Refused for anything else. Writes nothing."""
    from sqlalchemy import func, inspect, select

    from pathway.extensions import db
    from pathway.generate import SETTING_KEY
    from pathway.models import CouncilSetting, User, YoungPerson

    shown = safe_url(url)
    app = make_app(url)
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        if not tables:
            state = "empty"
        elif "alembic_version" not in tables or "user" not in tables:
            state = "foreign"
        elif "council_setting" in tables and db.session.scalar(  # columns every schema version has
                select(CouncilSetting.key).where(CouncilSetting.key == SETTING_KEY)) is not None:
            state = "generated"
        elif (db.session.scalar(select(func.count()).select_from(User))
              or db.session.scalar(select(func.count()).select_from(YoungPerson))):
            state = "real"
        else:
            state = "empty"
        db.session.rollback()
        db.engine.dispose()
    if state == "foreign":
        raise Refused(f"{shown} holds tables that are not Pathway's ({len(tables)} tables). Use an empty database.")
    if state == "real":
        raise Refused(f"{shown} holds users or young people that were not generated (no '{SETTING_KEY}' "
                      "setting): it may hold real records. Use an empty database.")
    if state == "generated":
        info = check_generated(app)  # NotGenerated if anything else was added
        if info.get("young_people") != size:
            raise Refused(f"{shown} holds a generated dataset of {info.get('young_people'):,} young people, not "
                          f"{size:,}. Set BENCH_REGION_SIZE={info.get('young_people')} or use an empty database.")
    return state


def region(url: str, size: int, state: str) -> SizeRun:
    """Generate into the empty database, or reuse the generated dataset of this size already there."""
    from flask_migrate import upgrade

    from pathway.extensions import db

    shown = safe_url(url)
    app = make_app(url)
    if state == "empty":
        print(f"Region: {shown} is empty: migrating it and generating {size:,} young people", flush=True)
        seconds = generate_into(app, size)
        note = "empty database: generated by this run"
    else:
        print(f"Region: {shown} already holds a generated dataset of {size:,} young people: reusing it", flush=True)
        with app.app_context():
            upgrade()  # a generated database may be migrated forward: it holds nothing real
            # Staff two-factor secrets are encrypted with SECRET_KEY: enrol them again with this app's.
            from pathway.generate import enrol_staff_two_factor

            enrol_staff_two_factor()
            db.session.commit()
            db.engine.dispose()
        seconds, note = None, "reused the generated dataset already there, not generated again"
    return measure("region", url, check_generated(make_app(url)), seconds, note)


def safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# --- verdicts and the table -------------------------------------------------------------------------------

def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def kb(size: int | None) -> str:
    return "-" if size is None else f"{size / 1024:.1f} KB"


def growth(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return ""
    if a == 0:
        return "=" if b == 0 else "new"
    return f"x{b / a:.2f}"


def check(run: SizeRun, page: Page, r: Result, figure: str) -> tuple[str, str] | None:
    """(target, failure message or "") for a figure that has a target at this size, else None."""
    size = run.name
    ok_status = r.status == (303 if page.method == "POST" else 200)
    if figure == "status":
        return (f"{303 if page.method == 'POST' else 200}", "" if ok_status else f"{size} status {r.status}")
    if figure == "miss_queries" and r.miss_queries is not None:
        return (f"<= {MAX_QUERIES}", "" if r.miss_queries <= MAX_QUERIES else f"{size} {r.miss_queries} > {MAX_QUERIES}")
    if figure == "queries":
        return (f"<= {MAX_QUERIES}, equal", "" if r.queries <= MAX_QUERIES else f"{size} {r.queries} > {MAX_QUERIES}")
    if figure == "ratio" and page.group in ("yp", "pa"):
        limit = YP_RATIO if page.group == "yp" else PA_RATIO
        return (f"<= {limit:.0f}x hello", "" if r.ratio <= limit else f"{size} {r.ratio:.1f}x > {limit:.0f}x")
    if figure == "median" and page.group == "manager":
        limit = MANAGER_LIMIT[size]
        return (f"< {limit * 1000:.0f} ms council, < 1 s region",
                "" if r.median < limit else f"{size} {ms(r.median)} >= {ms(limit)}")
    if figure == "median" and page.group == "pdf":
        return ("< 1 s", "" if r.median < PDF_LIMIT else f"{size} {ms(r.median)} >= 1 s")
    if figure == "first" and page.group == "yp":
        return ("<= 70 KB", "" if r.first_load <= FIRST_LOAD_LIMIT else f"{size} {kb(r.first_load)} > 70 KB")
    if figure == "repeat" and page.group == "yp":
        return ("<= 10 KB", "" if r.repeat <= REPEAT_LIMIT else f"{size} {kb(r.repeat)} > 10 KB")
    return None


FIGURES = [
    ("status", "Status", lambda r: str(r.status), lambda r: None),
    ("queries", "SQL queries", lambda r: str(r.queries), lambda r: r.queries),
    ("median", "Median", lambda r: ms(r.median) + ("" if r.runs == RUNS else f" ({r.runs} runs: warm-up over 1 s)"),
     lambda r: r.median),
    ("p95", "p95", lambda r: ms(r.p95), lambda r: r.p95),
    ("miss_queries", "SQL queries, nothing cached", lambda r: str(r.miss_queries), lambda r: r.miss_queries),
    ("miss", f"Median, nothing cached ({SLOW_RUNS} runs: a first view, or the first after a change)",
     lambda r: ms(r.miss_median), lambda r: r.miss_median),
    ("ratio", "Median / hello", lambda r: f"{r.ratio:.1f}x", lambda r: r.ratio),
    ("first", "First load (compressed)", lambda r: kb(r.first_load), lambda r: r.first_load),
    ("repeat", "Repeat visit", lambda r: kb(r.repeat), lambda r: r.repeat),
]


def table(runs: list[SizeRun]) -> tuple[list[str], list[str]]:
    """The markdown lines and the failures."""
    council_run = next(r for r in runs if r.name == "council")
    region_run = next((r for r in runs if r.name == "region"), None)

    def heading(run: SizeRun | None) -> str:
        if run is None:
            return "Region (not run: BENCH_DATABASE_URL unset)"
        return f"{run.name.capitalize()} ({run.info['young_people']:,}, {run.dialect})"

    lines = [f"| Page | Figure | {heading(council_run)} | {heading(region_run)} | Growth | Target | Verdict |",
             "|------|--------|---:|---:|---:|--------|---------|"]
    failures = []
    hello_row = (f"| GET /hello (no database) | Median | {ms(council_run.hello)} | "
                 f"{ms(region_run.hello) if region_run else '-'} | "
                 f"{growth(council_run.hello, region_run.hello if region_run else None)} | | |")
    lines.append(hello_row)
    for path, label in BASELINES.items():
        c, g = council_run.floors[path], region_run.floors[path] if region_run else None
        lines.append(f"| {label} | Median (x hello) | {ms(c)} ({c / council_run.hello:.1f}x) | "
                     f"{f'{ms(g)} ({g / region_run.hello:.1f}x)' if g else '-'} | {growth(c, g)} | | |")
    for page in pages(council_run.users["person_id"]):
        for key, name, show, value in FIGURES:
            c = council_run.results[page.key]
            g = region_run.results[page.key] if region_run else None
            if key in ("first", "repeat") and c.first_load is None:
                continue
            if key in ("miss", "miss_queries") and c.miss_median is None:
                continue
            if key == "status" and c.status == (303 if page.method == "POST" else 200) and (
                    g is None or g.status == c.status):
                continue  # a status row only when something did not answer as it should
            checks = [x for x in (check(council_run, page, c, key), check(region_run, page, g, key) if g else None)
                      if x is not None]
            target = checks[0][0] if checks else ""
            problems = [p for _, p in checks if p]
            if key == "queries" and g is not None and g.queries != c.queries:
                problems.append(f"not equal across sizes ({c.queries} -> {g.queries})")
            if key == "miss_queries" and g is not None and g.miss_queries != c.miss_queries:
                problems.append(f"not equal across sizes ({c.miss_queries} -> {g.miss_queries})")
            verdict = ("FAIL: " + "; ".join(problems)) if problems else ("PASS" if checks else "")
            if problems:
                failures.append(f"{page.label} {name}: " + "; ".join(problems))
            lines.append(f"| {page.label} | {name} | {show(c)} | {show(g) if g else '-'} | "
                         f"{growth(value(c), value(g)) if g else ''} | {target} | {verdict} |")
    return lines, failures


def report(runs: list[SizeRun]) -> int:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    machine = (f"{platform.node()}: {platform.system()} {platform.release()}, {os.cpu_count()} CPUs, "
               f"Python {platform.python_version()}; load average at the end {load} (other work skews the times)")
    header = [f"# Pathway benchmark suite ({TODAY.isoformat()})", "",
              f"Machine: {machine}.", "",
              f"In-process (Flask test client): {WARM_UP} warm-up requests, then {RUNS} timed ({SLOW_RUNS} for a page "
              f"over {SLOW_SECONDS:.0f} s, marked); 'hello' {HELLO_RUNS} timed. Queries: smallest of {QUERY_SAMPLES} "
              "requests, transaction control and the session idle-clock update left out. Bytes: HTML gzip level "
              f"{GZIP_LEVEL} + referenced /static/dist files as WhiteNoise serves them (brotli); "
              "repeat = HTML only.", ""]
    for run in runs:
        gen = f", generated in {run.generated_seconds:.0f} s" if run.generated_seconds is not None else ""
        header.append(f"- {run.name.capitalize()}: {safe_url(run.url)} ({run.note}{gen}); generated_dataset = "
                      f"`{json.dumps(run.info)}`; users: {run.users['young person']}, {run.users['PA']}, "
                      f"{run.users['manager']}")
    lines, failures = table(runs)
    summary = ("All targets PASS." if not failures else
               f"{len(failures)} target(s) FAIL: " + " | ".join(failures))
    text = "\n".join([*header, "", *lines, "", summary, ""])
    print("\n" + text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(f"Written to {RESULTS.relative_to(ROOT)}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--council-size", type=int, default=int(os.environ.get("BENCH_COUNCIL_SIZE", "2000")))
    parser.add_argument("--region-size", type=int, default=int(os.environ.get("BENCH_REGION_SIZE", "100000")))
    parser.add_argument("--region-url", default=os.environ.get("BENCH_DATABASE_URL") or None,
                        help="the region's database (default: BENCH_DATABASE_URL; unset = council only)")
    args = parser.parse_args(argv)
    from pathway.generate import GenerationRefused, check_size

    folder = tempfile.mkdtemp(prefix="pathway-bench-")
    try:
        for size in (args.council_size, args.region_size):
            check_size(size)
        state = region_state(args.region_url, args.region_size) if args.region_url else None  # refuse early
        runs = [council(args.council_size, folder)]
        if args.region_url:
            runs.append(region(args.region_url, args.region_size, state))
        return report(runs)
    except (Refused, NotGenerated, GenerationRefused) as refusal:
        print(f"Refusing to run: {refusal}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
