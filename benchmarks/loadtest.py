"""Load test (issue 7 section 3): 50 simulated users for 60 seconds against gunicorn, on SQLite then PostgreSQL.

`make loadtest` runs it. For each database it:

1. builds a fresh database: SQLite in a temporary folder (WAL, busy timeout and foreign keys are set by
   the app, pathway/database.py), then PostgreSQL in its own database (LOADTEST_POSTGRES_URL, default
   ``postgresql+psycopg://postgres@127.0.0.1:5432/pathway_loadtest``; created here and dropped at the
   end: never an existing database); `flask db upgrade`, then `flask pathway generate --young-people N`
   (LOADTEST_YOUNG_PEOPLE, default 2,000: 20 personal advisers, 4 teams, 5 managers and 200 young people
   with accounts, so every simulated user has an account of their own);
2. starts gunicorn with the documented production settings (gunicorn.conf.py, PATHWAY_ENV=production,
   a freshly generated SECRET_KEY, PROXY_FIX_X_FOR=1 as behind the README's reverse proxy), bound to
   127.0.0.1 on a free port, and waits until /healthz answers;
3. runs GET /hello alone with the same number of users for LOADTEST_HELLO_SECONDS (10): each user sends
   its next request as soon as the last one answers, so this is the server's ceiling for a page with
   no database and no template;
4. warms up, unmeasured: one user of each role signs in and opens that role's pages a few times, so
   every worker has compiled every template before the clock starts (as on a server that has been up);
5. signs in LOADTEST_USERS (50) users, arriving evenly over LOADTEST_RAMP seconds (10), measured on its
   own ("signing in": the sign-in page, the POST and the redirect to each home page). A sign-in is a real
   POST /sign-in with its CSRF token, checked with argon2id at the production cost, which is a quarter to
   half a second of one core here by design, so 50 of them in 10 s are a burst of their own;
6. when all are signed in, runs the mixed load for LOADTEST_SECONDS (60), each user pausing
   LOADTEST_THINK seconds ("1,3": uniform between 1 and 3) between pages, as a person reading does:
   - young people (half): My plan, My offer, My passport, tick a passport item (the htmx post
     the page makes on a phone with JavaScript);
   - personal advisers (two in five): worklist, a young person's record, the visit form, record
     a home visit (the real form: every value the page filled in plus the visit's answers; the
     wellbeing note carries a unique marker), and on every other round change a target on a plan
     they are drafting (the target form with its version field), when they have one;
   - managers (one in ten): manager home, indicators.
   Every form post carries the CSRF token from its page;
7. stops gunicorn, then counts in the database the visits whose marker the load test saw saved (a 303
   back to the contacts list) and the passport answers added, and reports any missing as lost writes.

Error: a connection error, a status outside 2xx/3xx (the app's error pages come with their status), a
redirect to the sign-in page (a lost session), or a form post that did not save (the form came back).
Targets, printed as PASS/FAIL per database (exit 1 on any FAIL): zero errors (journeys, sign-ins and
hello), zero lost writes, p95 of the mixed load under 500 ms (the sign-in burst's figures are printed
beside it, not held to the 500 ms: one argon2id check is most of that budget on its own).

Sign-in rate limit: production limits POST /sign-in to SIGNIN_RATE_LIMIT ("30 per minute") per client
address. 50 people signing in at once come from 50 addresses, not one, so the load test runs the server
as production runs behind its reverse proxy (PROXY_FIX_X_FOR=1: the app takes the client address from
X-Forwarded-For) and each simulated user sends its own loopback address (127.0.1.N) in X-Forwarded-For,
as the proxy would. The limit itself is left at the production setting, and each address signs in once.

Cookies: production marks the session cookie Secure. The client keeps every cookie the server sets and
sends it back (as the browser behind the TLS proxy does); it talks plain http to loopback. With
LOADTEST_HTTPS=1 it also sends X-Forwarded-Proto: https, so the app believes the request came over TLS
(then Flask-WTF's strict referrer check applies, and the client sends a Referer on posts only when the
page's Referrer-Policy allows it, as a browser does).

Results: printed, and written to benchmarks/results/loadtest.md. LOADTEST_DATABASES=sqlite,postgresql
chooses which to run. Not part of the test run.
"""

from __future__ import annotations

import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from loadtest_client import Browser, Stats, parse_forms  # noqa: E402

BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results" / "loadtest.md"
P95_LIMIT_MS = 500
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/pathway_loadtest"
PASSPORT_ITEM = re.compile(r"^/me/passport/items/\d+$")
ERROR_SUMMARY = re.compile(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', re.S)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


@dataclass
class Settings:
    users: int = field(default_factory=lambda: _env_int("LOADTEST_USERS", 50))
    seconds: int = field(default_factory=lambda: _env_int("LOADTEST_SECONDS", 60))
    hello_seconds: int = field(default_factory=lambda: _env_int("LOADTEST_HELLO_SECONDS", 10))
    ramp: int = field(default_factory=lambda: _env_int("LOADTEST_RAMP", 10))
    young_people: int = field(default_factory=lambda: _env_int("LOADTEST_YOUNG_PEOPLE", 2000))
    think: tuple[float, float] = field(default_factory=lambda: tuple(
        float(x) for x in os.environ.get("LOADTEST_THINK", "1,3").split(",")))
    databases: list[str] = field(default_factory=lambda: [
        d.strip() for d in os.environ.get("LOADTEST_DATABASES", "sqlite,postgresql").split(",") if d.strip()])
    postgres_url: str = field(default_factory=lambda: os.environ.get("LOADTEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    https: bool = field(default_factory=lambda: os.environ.get("LOADTEST_HTTPS", "") in {"1", "true", "yes"})


# --- the database ---------------------------------------------------------------------------------

def _flask(env: dict, *args: str) -> None:
    command = [str(BIN / "flask"), *args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,  # noqa: S603 - our venv's flask
                            check=False)
    if result.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


# A fresh key for each run, shared by the data build and the server (see build_database).
SECRET_KEY = secrets.token_urlsafe(48)


def _base_env(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PATHWAY_", "FLASK_", "LOADTEST_"))}
    env.update(FLASK_APP="wsgi.py", DATABASE_URL=url, PYTHONUNBUFFERED="1")
    return env


def build_database(url: str, young_people: int) -> float:
    """Migrate and generate (generate refuses production, so these two run as development). Seconds."""
    start = time.monotonic()
    # The same SECRET_KEY as the server: staff two-factor secrets are stored encrypted with it.
    env = {**_base_env(url), "PATHWAY_ENV": "development", "SECRET_KEY": SECRET_KEY}
    _flask(env, "db", "upgrade")
    _flask(env, "pathway", "generate", "--young-people", str(young_people), "--seed", "7")
    return time.monotonic() - start


def _admin_url(url: str):
    from sqlalchemy.engine import make_url

    return make_url(url).set(database="postgres")


def create_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    if not name or name in {"postgres", "test", "template0", "template1"} or not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"Refusing to use the database {name!r}: the load test creates and drops its own database.")
    engine = create_engine(_admin_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))  # a previous run's, left by a crash
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def drop_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(_admin_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


@dataclass
class Accounts:
    young_people: list[str]
    advisers: list[tuple[str, list[int]]]  # email, young people whose draft plan they are writing
    managers: list[str]
    passport_answers: int
    contacts: int


def read_accounts(url: str) -> Accounts:
    from sqlalchemy import func, select

    from pathway import create_app
    from pathway.extensions import db
    from pathway.models import Allocation, Contact, PassportAnswer, PathwayPlan, PlanStatus, Role, User

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        def emails(role):
            return list(db.session.scalars(select(User.email).where(User.role == role, User.active)
                                           .order_by(User.id)))
        drafts: dict[int, list[int]] = {}
        rows = db.session.execute(
            select(Allocation.adviser_id, PathwayPlan.young_person_id)
            .join(PathwayPlan, PathwayPlan.young_person_id == Allocation.young_person_id)
            .where(Allocation.end_date.is_(None), PathwayPlan.status == PlanStatus.DRAFT))
        for adviser_id, person_id in rows:
            drafts.setdefault(adviser_id, []).append(person_id)
        advisers = [(email, drafts.get(uid, [])) for uid, email in db.session.execute(
            select(User.id, User.email).where(User.role == Role.ADVISER, User.active).order_by(User.id))]
        accounts = Accounts(
            young_people=emails(Role.YOUNG_PERSON), advisers=advisers, managers=emails(Role.MANAGER),
            passport_answers=db.session.scalar(select(func.count()).select_from(PassportAnswer)),
            contacts=db.session.scalar(select(func.count()).select_from(Contact)))
        db.engine.dispose()
    return accounts


def count_writes(url: str, run_id: str) -> tuple[set[str], int]:
    """The visit markers of this run found in the database, and the passport answers now held."""
    from sqlalchemy import func, select

    from pathway import create_app
    from pathway.extensions import db
    from pathway.models import Contact, PassportAnswer

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        found = set(db.session.scalars(select(Contact.wellbeing).where(
            Contact.wellbeing.like(f"Load test visit {run_id}-%"))))
        answers = db.session.scalar(select(func.count()).select_from(PassportAnswer))
        db.engine.dispose()
    return found, answers


# --- the server -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with gunicorn.conf.py and the production settings, on loopback."""

    def __init__(self, url: str, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        env = {**_base_env(url), "PATHWAY_ENV": "production", "SECRET_KEY": SECRET_KEY,
               "PROXY_FIX_X_FOR": "1"}
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn, fixed arguments
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self, timeout: float = 60.0) -> None:
        import http.client

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start: see {self.log_path}\n{self.log_path.read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer /healthz in {timeout:.0f} s: see {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop: workers finish their requests
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def problems(self) -> dict[str, int]:
        text = self.log_path.read_text(errors="replace")
        return {"database is locked": text.count("database is locked"), "tracebacks": text.count("Traceback"),
                "worker timeouts": text.count("WORKER TIMEOUT")}


# --- the simulated users --------------------------------------------------------------------------

class Over(Exception):
    """The run's time is up: the user stops."""


@dataclass
class Run:
    deadline: float
    think: tuple[float, float]
    run_id: str
    visits: set[str] = field(default_factory=set)
    ticks: int = 0
    target_edits: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pause(self, rng: random.Random) -> None:
        wait = rng.uniform(*self.think)
        left = self.deadline - time.monotonic()
        if left <= wait:
            time.sleep(max(left, 0))
            raise Over
        time.sleep(wait)


def _error_messages(body: str) -> str:
    found = ERROR_SUMMARY.search(body)
    if not found:
        return "the form came back"
    return "form refused: " + "; ".join(re.sub(r"<[^>]+>", "", m).strip()
                                        for m in re.findall(r"<li>(.*?)</li>", found.group(1), re.S))[:200]


def _saved_redirect(suffix: str):
    def check(resp):
        if resp.status == 303 and resp.location.split("?")[0].split("#")[0].endswith(suffix):
            return None
        return _error_messages(resp.body) if resp.status == 200 else f"HTTP {resp.status} to {resp.location!r}"
    return check


def page_form(page, path: str):
    """The page's own form (posting to itself), not the sign-out button in the header."""
    if page is None:
        return None
    return next((f for f in parse_forms(page.body)
                 if f.method == "post" and f.action.split("?")[0] in ("", path)), None)


_sign_ins: dict[str, int] = {}
_sign_ins_lock = threading.Lock()


def second_factor(email: str) -> tuple[str, str] | None:
    """(page, code) for this account's next sign-in: the first uses the authenticator app's code (the
    documented GENERATED_TWO_FACTOR_KEY); a code is accepted once, so later sign-ins of the same account
    in this run (the warm-up's user, or accounts shared by simulated users) each use one of the documented
    GENERATED_RECOVERY_CODES instead. None once those run out."""
    import pyotp

    from pathway.generate import GENERATED_RECOVERY_CODES, GENERATED_TWO_FACTOR_KEY

    with _sign_ins_lock:
        n = _sign_ins.get(email, 0)
        _sign_ins[email] = n + 1
    if n == 0:
        return "/sign-in/code", pyotp.TOTP(GENERATED_TWO_FACTOR_KEY).now()
    if n - 1 < len(GENERATED_RECOVERY_CODES):
        return "/sign-in/recovery-code", GENERATED_RECOVERY_CODES[n - 1]
    return None


def sign_in(b: Browser, email: str) -> bool:
    """The real sign-in: the form's CSRF token and the password, then (staff) the two-factor step."""
    from pathway.generate import GENERATED_PASSWORD

    page = b.request("Sign in page", "GET", "/sign-in")
    if page is None:
        return False
    form = page_form(page, "/sign-in")
    values = form.values() if form else {}
    values.update(email=[email], password=[GENERATED_PASSWORD])

    def check(resp):
        if resp.status == 303 and (resp.location == "/sign-in/code" or not resp.location.startswith("/sign-in")):
            return None
        return "sign-in refused" if resp.status == 200 else f"HTTP {resp.status}"
    page = b.request("Sign in (POST)", "POST", "/sign-in", data=values, check=check)
    if page is None:
        return False
    if not (b.page_url or "").endswith("/sign-in/code"):
        return True  # a young person: signed in with the password
    step = second_factor(email)
    if step is None:
        b.stats.add("Sign in code (POST)", 0.0, False, "no recovery code left for another sign-in of this account")
        return False
    path, code = step
    if path != "/sign-in/code":
        page = b.request("Sign in recovery code page", "GET", path)
        if page is None:
            return False
    form = page_form(page, path)
    values = form.values() if form else {}
    values.update(code=[code])

    def check_code(resp):
        if resp.status == 303 and not resp.location.startswith("/sign-in"):
            return None
        return "two-factor code refused" if resp.status == 200 else f"HTTP {resp.status}"
    return b.request("Sign in code (POST)", "POST", path, data=values, check=check_code) is not None


def young_person(b: Browser, run: Run, rng: random.Random) -> None:
    while True:
        run.pause(rng)
        b.request("YP My plan", "GET", "/me/plan")
        run.pause(rng)
        b.request("YP My offer", "GET", "/me/offer")
        run.pause(rng)
        page = b.request("YP My passport", "GET", "/me/passport")
        if page is None:
            continue
        forms = [f for f in parse_forms(page.body) if PASSPORT_ITEM.match(f.action) and f.buttons]
        if not forms:
            continue
        run.pause(rng)
        form = rng.choice(forms)
        values = form.values()
        name, value = rng.choice(form.buttons)
        values[name] = [value]
        token = values.get("csrf_token", [""])[0]
        saved = b.request("YP tick passport item (htmx POST)", "POST", form.action, data=values,
                          headers={"HX-Request": "true", "X-CSRFToken": token},
                          check=lambda r: None if r.status == 200 and "Saved" in r.body else "not saved")
        if saved is not None:
            with run.lock:
                run.ticks += 1


def adviser(b: Browser, drafts: list[int], run: Run, rng: random.Random, user: int) -> None:
    round_no = 0
    people: list[str] = []
    while True:
        round_no += 1
        run.pause(rng)
        page = b.request("PA worklist", "GET", "/caseload")
        if page is not None:
            people = sorted(set(re.findall(r'href="/young-people/(\d+)"', page.body))) or people
        if not people:
            continue
        person = rng.choice(people)
        run.pause(rng)
        b.request("PA record page", "GET", f"/young-people/{person}")
        run.pause(rng)
        path = f"/young-people/{person}/contacts/new"
        page = b.request("PA visit form", "GET", f"{path}?kind=home_visit")
        form = page_form(page, path)
        if form is not None:
            run.pause(rng)
            marker = f"Load test visit {run.run_id}-u{user}-{round_no}"
            values = form.values()
            values.update(kind=["home_visit"], reached=["yes"], seen_alone=["yes"], accommodation_seen=["yes"],
                          home_safe=["yes"], new_risks=["none"], wellbeing=[marker],
                          next_steps=["Meet again in a fortnight to go through the budget."])
            if b.request("PA record a visit (POST)", "POST", form.action or path, data=values,
                         check=_saved_redirect(f"/young-people/{person}/contacts")) is not None:
                with run.lock:
                    run.visits.add(marker)
        if drafts and round_no % 2 == 0:
            edit_target(b, rng.choice(drafts), run, rng)


TARGET_STATUSES = ["not_started", "in_progress", "done"]


def edit_target(b: Browser, person: int, run: Run, rng: random.Random) -> None:
    run.pause(rng)
    page = b.request("PA plan page", "GET", f"/young-people/{person}/plan")
    if page is None:
        return
    targets = sorted(set(re.findall(rf'href="/young-people/{person}/plan/targets/(\d+)"', page.body)))
    if not targets:
        return
    path = f"/young-people/{person}/plan/targets/{rng.choice(targets)}"
    run.pause(rng)
    page = b.request("PA target form", "GET", path)
    form = page_form(page, path)
    if form is None:
        return
    run.pause(rng)
    values = form.values()
    current = values.get("status", ["not_started"])[0]
    values["status"] = [rng.choice([s for s in TARGET_STATUSES if s != current])]
    if b.request("PA change a target (POST)", "POST", form.action or path, data=values,
                 check=_saved_redirect(f"/young-people/{person}/plan")) is not None:
        with run.lock:
            run.target_edits += 1


def manager(b: Browser, run: Run, rng: random.Random) -> None:
    while True:
        run.pause(rng)
        b.request("Manager home", "GET", "/manager")
        run.pause(rng)
        b.request("Manager indicators", "GET", "/manager/indicators")


def plan_users(accounts: Accounts, users: int) -> list[tuple[str, str, list[int]]]:
    """(role, email, drafts) for each simulated user: half young people, 2 in 5 advisers, 1 in 10 managers.

    Each has an account of their own while the generated council has enough; past that, accounts are
    shared (each simulated user still has its own sign-in and session) and the table says so.
    """
    n_managers = max(1, round(users / 10)) if users >= 3 else 0
    n_advisers = max(1, round(users * 2 / 5)) if users >= 2 else 0
    n_young = users - n_managers - n_advisers
    plan = [("young person", accounts.young_people[i % len(accounts.young_people)], []) for i in range(n_young)]
    plan += [("adviser", *accounts.advisers[i % len(accounts.advisers)]) for i in range(n_advisers)]
    plan += [("manager", accounts.managers[i % len(accounts.managers)], []) for i in range(n_managers)]
    return plan


def run_mixed(port: int, users: list[tuple[str, str, list[int]]], settings: Settings,
              run_id: str) -> tuple[Stats, Stats, Run, float]:
    """Sign everyone in (arriving evenly over the ramp), then run the journeys for the measured seconds.

    The sign-ins are measured on their own: each is an argon2id hash at the production cost (about a
    quarter to half a second of one core here), so 50 of them in a few seconds are a burst of their own,
    not the steady load the journeys measure.
    """
    signin_stats, stats = Stats(), Stats()
    run = Run(deadline=0.0, think=settings.think, run_id=run_id)
    clock: dict[str, float] = {}

    def start_clock() -> None:
        clock["start"] = time.monotonic()
        run.deadline = clock["start"] + settings.seconds

    barrier = threading.Barrier(len(users), action=start_clock)
    order = list(range(len(users)))
    random.Random(1).shuffle(order)  # roles arrive mixed, not all young people first

    def user_thread(slot: int, index: int) -> None:
        role, email, drafts = users[index]
        time.sleep(slot * settings.ramp / max(len(users), 1))
        rng = random.Random(index)
        b = Browser("127.0.0.1", port, signin_stats, forwarded_for=f"127.0.1.{index + 1}", https=settings.https)
        signed_in = sign_in(b, email)
        try:
            barrier.wait(timeout=settings.ramp + 300)
        except threading.BrokenBarrierError:
            signed_in = False
        b.stats = stats
        try:
            if not signed_in:
                return
            if role == "young person":
                young_person(b, run, rng)
            elif role == "adviser":
                adviser(b, drafts, run, rng, index)
            else:
                manager(b, run, rng)
        except Over:
            pass
        finally:
            b.close()

    threads = [threading.Thread(target=user_thread, args=(slot, index), daemon=True)
               for slot, index in enumerate(order)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(settings.ramp + settings.seconds + 400)
    wall = time.monotonic() - clock.get("start", time.monotonic())
    return signin_stats, stats, run, wall


def warm_up(port: int, users: list[tuple[str, str, list[int]]], rounds: int = 8) -> None:
    """Not measured: the first request for each page in each gunicorn worker compiles its templates.

    One user of each role (its own address, 127.0.2.N) signs in and opens that role's pages a few
    times, so each worker has served each page once before the clock starts, as on a server that has
    been up for a while. Writes nothing but sessions, audit entries and the flag cache.
    """
    pages = {"young person": ["/me", "/me/plan", "/me/offer", "/me/passport"],
             "adviser": ["/caseload"], "manager": ["/manager", "/manager/indicators"]}
    stats = Stats()
    anonymous = Browser("127.0.0.1", port, stats, forwarded_for="127.0.2.100")
    for _ in range(rounds):
        anonymous.request("warm", "GET", "/sign-in")
    anonymous.close()
    for n, role in enumerate(pages, start=1):
        who = next((u for u in users if u[0] == role), None)
        if who is None:
            continue
        b = Browser("127.0.0.1", port, stats, forwarded_for=f"127.0.2.{n}")
        if sign_in(b, who[1]):
            extra = []
            if role == "adviser":
                page = b.request("warm", "GET", "/caseload")
                person = re.search(r'href="/young-people/(\d+)"', page.body) if page else None
                if person:
                    extra = [f"/young-people/{person[1]}", f"/young-people/{person[1]}/contacts/new"]
            for _ in range(rounds):
                for path in pages[role] + extra:
                    b.request("warm", "GET", path)
        b.close()


def run_hello(port: int, users: int, seconds: int) -> tuple[Stats, float]:
    stats = Stats()
    start = time.monotonic()
    deadline = start + seconds

    def user_thread(index: int) -> None:
        b = Browser("127.0.0.1", port, stats, forwarded_for=f"127.0.1.{index + 1}")
        while time.monotonic() < deadline:
            b.request("hello", "GET", "/hello")
        b.close()

    threads = [threading.Thread(target=user_thread, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    return stats, time.monotonic() - start


# --- one database -----------------------------------------------------------------------------------

@dataclass
class Result:
    database: str
    build_seconds: float
    users: list[tuple[str, str, list[int]]]
    mixed: dict
    signin: dict
    signin_errors: dict[str, int]
    hello: dict
    per_page: list[tuple[str, dict]]
    errors: dict[str, int]
    visits_saved: int
    visits_found: int
    ticks_saved: int
    answers_added: int
    target_edits: int
    server_problems: dict[str, int]

    @property
    def lost_writes(self) -> int:
        return (self.visits_saved - self.visits_found) + max(0, self.ticks_saved - self.answers_added)

    def checks(self) -> list[tuple[str, bool]]:
        return [
            (f"zero errors ({self.mixed['errors']} in the journeys, {self.signin['errors']} signing in, "
             f"{self.hello['errors']} on hello)",
             self.mixed["errors"] == 0 and self.signin["errors"] == 0 and self.hello["errors"] == 0),
            (f"zero lost writes ({self.visits_found:,} of {self.visits_saved:,} visits found, "
             f"{self.answers_added:,} passport answers for {self.ticks_saved:,} ticks)", self.lost_writes == 0),
            (f"p95 under {P95_LIMIT_MS} ms ({self.mixed['p95']:.0f} ms)", self.mixed["p95"] < P95_LIMIT_MS),
        ]


def measure(database: str, url: str, settings: Settings, workdir: Path) -> Result:
    print(f"\n== {database}: building {settings.young_people:,} young people ...", flush=True)
    build = build_database(url, settings.young_people)
    accounts = read_accounts(url)
    users = plan_users(accounts, settings.users)
    print(f"   built in {build:.0f} s; starting gunicorn (production settings) ...", flush=True)
    server = Server(url, workdir / f"gunicorn-{database}.log")
    try:
        server.wait()
        print(f"   GET /hello alone: {settings.users} users for {settings.hello_seconds} s ...", flush=True)
        hello_stats, hello_wall = run_hello(server.port, settings.users, settings.hello_seconds)
        warm_up(server.port, users)
        run_id = f"{database[:2]}{secrets.token_hex(4)}"
        print(f"   mixed load: {settings.users} users for {settings.seconds} s (run {run_id}) ...", flush=True)
        signin_stats, stats, run, wall = run_mixed(server.port, users, settings, run_id)
    finally:
        server.stop()
    found, answers = count_writes(url, run.run_id)
    names = sorted({s[0] for s in stats.samples})
    return Result(
        database=database, build_seconds=build, users=users, mixed=stats.summary(wall),
        signin=signin_stats.summary(), signin_errors=dict(signin_stats.errors),
        hello=hello_stats.summary(hello_wall),
        per_page=[(name, signin_stats.summary(None, {name})) for name in sorted({x[0] for x in signin_stats.samples})]
        + [(name, stats.summary(wall, {name})) for name in names], errors=dict(stats.errors),
        visits_saved=len(run.visits), visits_found=len(found & run.visits), ticks_saved=run.ticks,
        answers_added=answers - accounts.passport_answers, target_edits=run.target_edits,
        server_problems=server.problems())


# --- the report -------------------------------------------------------------------------------------

def _row(label: str, s: dict) -> str:
    return (f"| {label} | {s['requests']:,} | {s['rps']:.1f} | {s['p50']:.0f} | {s['p95']:.0f} | {s['p99']:.0f} "
            f"| {s['errors']} |")


def report(results: list[Result], settings: Settings) -> str:
    lines = [
        "# Load test",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} cores, "
        f"Python {platform.python_version()}): gunicorn with gunicorn.conf.py and PATHWAY_ENV=production on "
        f"127.0.0.1; {settings.users} simulated users signed in over {settings.ramp} s, then their journeys for "
        f"{settings.seconds} s ({settings.think[0]:g} to {settings.think[1]:g} s pause between pages) on a generated council of "
        f"{settings.young_people:,} young people; GET /hello alone: {settings.users} users for "
        f"{settings.hello_seconds} s, no pause. Latencies in ms.",
        "",
        "| Database | Load | Requests | Requests/s | p50 | p95 | p99 | Errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(_row(f"{r.database} | mixed journeys ({settings.seconds} s)", r.mixed))
        lines.append(_row(f"{r.database} | signing in ({len(r.users)} users over {settings.ramp} s)", r.signin))
        lines.append(_row(f"{r.database} | GET /hello alone", r.hello))
    lines.append("")
    for r in results:
        roles = {role: sum(1 for u in r.users if u[0] == role) for role in ("young person", "adviser", "manager")}
        distinct = len({u[1] for u in r.users})
        lines += [
            f"## {r.database}",
            "",
            f"Users: {roles['young person']} young people, {roles['adviser']} personal advisers, "
            f"{roles['manager']} managers ({distinct} distinct accounts). Database built in {r.build_seconds:.0f} s.",
            f"Writes: {r.visits_saved:,} visits saved, {r.visits_found:,} found in the database; "
            f"{r.ticks_saved:,} passport ticks saved, {r.answers_added:,} passport answers added; "
            f"{r.target_edits:,} targets changed.",
            "Server log: " + ", ".join(f"{k}: {v}" for k, v in r.server_problems.items()) + ".",
            "",
            "| Request | Requests | Requests/s | p50 | p95 | p99 | Errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            *[_row(name, s) for name, s in r.per_page],
            "",
        ]
        errors = {**r.signin_errors, **r.errors}
        if errors:
            lines += ["Errors:", "", *[f"- {k}: {v}" for k, v in sorted(errors.items())], ""]
        lines += [f"- {'PASS' if ok else 'FAIL'} {r.database}: {label}" for label, ok in r.checks()]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    settings = Settings()
    if settings.users < 1 or settings.seconds < 1:
        raise SystemExit("LOADTEST_USERS and LOADTEST_SECONDS must be at least 1.")
    unknown = set(settings.databases) - {"sqlite", "postgresql"}
    if unknown:
        raise SystemExit(f"LOADTEST_DATABASES: unknown {', '.join(sorted(unknown))} (use sqlite, postgresql).")
    workdir = Path(tempfile.mkdtemp(prefix="pathway-loadtest-"))
    results: list[Result] = []
    try:
        for database in settings.databases:
            if database == "sqlite":
                results.append(measure("SQLite", f"sqlite:///{workdir / 'loadtest.db'}", settings, workdir))
            else:
                create_postgres(settings.postgres_url)
                try:
                    results.append(measure("PostgreSQL", settings.postgres_url, settings, workdir))
                finally:
                    drop_postgres(settings.postgres_url)
    finally:
        for log in workdir.glob("gunicorn-*.log"):
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(log, RESULTS.parent / f"loadtest-{log.name}")
        shutil.rmtree(workdir, ignore_errors=True)
    text = report(results, settings)
    print("\n" + text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text + "\n")
    print(f"Written to {RESULTS.relative_to(ROOT)}; gunicorn logs beside it.")
    failed = [r for r in results for _, ok in r.checks() if not ok]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
