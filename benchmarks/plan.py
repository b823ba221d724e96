"""Benchmark: a full pathway plan (ten areas, 30 targets, 10 contingency plans).

Prints the SQL queries per request for the plan page at two plan sizes (they must be equal),
the median and 95th-percentile server time against a plain "hello" route measured in the
same run, and the PDF render time (target: under 1 second). Not part of the test run:
`make bench`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.two_factor_sign_in import finish_sign_in, signed_in  # noqa: E402

RUNS = 60
TODAY = date.today()


def build(app, targets: int, contingencies: int):
    from dateutil.relativedelta import relativedelta

    from pathway.extensions import db
    from pathway.models import (
        Allocation,
        Contingency,
        PathwayPlan,
        PlanAreaEntry,
        PlanStatus,
        Responsible,
        ReviewReason,
        Role,
        Target,
        TargetStatus,
        Team,
        TeamManager,
        User,
        YoungPerson,
    )
    from pathway.rules.plan_areas import PLAN_AREAS
    from pathway.services.passwords import hash_password

    with app.app_context():
        team = Team(name=f"Bench {targets}")
        db.session.add(team)
        db.session.flush()
        password = hash_password("bench-password-123")
        adviser = User(name="Bench Adviser", email=f"adviser{targets}@bench.example", role=Role.ADVISER,
                       password_hash=password, team_id=team.id)
        manager = User(name="Bench Manager", email=f"manager{targets}@bench.example", role=Role.MANAGER,
                       password_hash=password)
        db.session.add_all([adviser, manager])
        db.session.flush()
        db.session.add(TeamManager(team_id=team.id, user_id=manager.id))
        person = YoungPerson(given_name="Bench", family_name=f"Person{targets}", date_of_birth=TODAY - relativedelta(years=19))
        db.session.add(person)
        db.session.flush()
        db.session.add(Allocation(young_person_id=person.id, adviser_id=adviser.id, start_date=TODAY))
        plan = PathwayPlan(young_person_id=person.id, number=1, status=PlanStatus.ACTIVE, reason=ReviewReason.FIRST_PLAN,
                           plan_date=TODAY, signed_off_on=TODAY, signed_off_by_id=manager.id)
        db.session.add(plan)
        db.session.flush()
        for i, area in enumerate(PLAN_AREAS):
            db.session.add(PlanAreaEntry(plan_id=plan.id, area=area, position=i,
                                         current_situation="You are doing well. " * 20, young_person_words="My words. " * 10))
        areas = [a for a in PLAN_AREAS if a.value != "contingency"]
        for i in range(targets):
            db.session.add(Target(plan_id=plan.id, area=areas[i % len(areas)], position=i, what=f"Target number {i}",
                                  responsible=Responsible.YOUNG_PERSON, due_on=TODAY + relativedelta(months=3),
                                  how_we_know="You show me", status=TargetStatus.IN_PROGRESS))
        for i in range(contingencies):
            db.session.add(Contingency(plan_id=plan.id, area=PLAN_AREAS[i % 10], what_might_go_wrong=f"Problem {i}",
                                       what_we_will_do="We act the same day", who="Your personal adviser"))
        db.session.commit()
        return person.id, adviser.email


def sign_in(app, email):
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/sign-in", data={"csrf_token": token, "email": email, "password": "bench-password-123"})
    response = finish_sign_in(app, client, response, email)  # staff: the two-factor step
    assert signed_in(response), response.status_code
    return client


def timed(client, url, runs=RUNS):
    for _ in range(5):
        client.get(url)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def count_queries(app, client, url) -> int:
    from pathway.extensions import db

    with app.app_context():
        engine = db.engine
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def main() -> int:
    from flask_migrate import upgrade

    from pathway import create_app

    tmp = tempfile.mkdtemp()
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.db", WTF_CSRF_ENABLED=True)
    with app.app_context():
        upgrade()
    small_id, small_email = build(app, targets=1, contingencies=1)
    big_id, big_email = build(app, targets=30, contingencies=10)

    small = sign_in(app, small_email)
    big = sign_in(app, big_email)
    hello = app.test_client()
    small_url, big_url = f"/young-people/{small_id}/plan", f"/young-people/{big_id}/plan"

    q_small, q_big = count_queries(app, small, small_url), count_queries(app, big, big_url)
    hello_median, hello_p95 = timed(hello, "/hello")
    plan_median, plan_p95 = timed(big, big_url)

    from pathway.extensions import db
    from pathway.models import PathwayPlan, YoungPerson
    from pathway.services.plan_pdf import plan_pdf

    with app.app_context():
        plan = db.session.query(PathwayPlan).filter_by(young_person_id=big_id).one()
        person = db.session.get(YoungPerson, big_id)
        plan_pdf(plan, person, None, today=TODAY)  # warm-up: fonts and stylesheets
        pdf_times = []
        for _ in range(5):
            start = time.perf_counter()
            pdf = plan_pdf(plan, person, None, today=TODAY)
            pdf_times.append(time.perf_counter() - start)
    pdf_median = statistics.median(pdf_times)

    rows = [
        ("Plan page SQL queries (1 target / 30 targets)", f"{q_small} / {q_big}", "PASS" if q_small == q_big else "FAIL"),
        ('"hello" median / p95', f"{hello_median * 1000:.2f} ms / {hello_p95 * 1000:.2f} ms", ""),
        ("Plan page median / p95 (30 targets, 10 contingencies)", f"{plan_median * 1000:.1f} ms / {plan_p95 * 1000:.1f} ms", ""),
        ("Plan page median / hello median", f"{plan_median / hello_median:.1f}x", ""),
        ("Plan PDF render (median of 5, warm)", f"{pdf_median * 1000:.0f} ms, {len(pdf) // 1024} KB",
         "PASS" if pdf_median < 1.0 else "FAIL"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\nPathway plan benchmark ({RUNS} requests after warm-up, SQLite, this machine)\n")
    print(f"| {'Measure'.ljust(width)} | Result | Target |")
    print(f"|{'-' * (width + 2)}|--------|--------|")
    for name, value, verdict in rows:
        print(f"| {name.ljust(width)} | {value} | {verdict} |")
    failed = any(r[2] == "FAIL" for r in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
