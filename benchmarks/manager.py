"""Benchmark: the manager's home (/manager) and indicators (/manager/indicators) on a generated council.

Issue 6 "Performance": with 5,000 young people, 50 PAs, about 250,000 contacts and 20,000 moves
(`pathway.generate`), each page renders in a fixed number of SQL queries (no query per young person)
and in under 250 ms median on SQLite on this machine, with the ratio to a plain "hello" page measured
in the same run.

By default it builds two fresh SQLite databases in a temporary folder (500 and 5,000 young people),
signs in as manager1 (one team: about 500 young people at 5,000) and as the head of service (every
team), and prints a markdown table. `--database URL` measures an existing generated database instead
(one size). It refuses (exit 2) to measure a database that holds anything but generated data.
Not part of the test run: `make bench`.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from plan import count_queries, timed  # noqa: E402

RUNS = 50
SLOW_RUNS = 10  # a page slower than SLOW_SECONDS a request is measured fewer times, and the table says so
SLOW_SECONDS = 1.0
LIMIT_MS = 250
PAGES = ["/manager", "/manager/indicators"]
TODAY = date.today()


class NotGenerated(Exception):
    pass


def check_generated(app) -> dict:
    """The generated_dataset setting, or NotGenerated if the database holds anything else."""
    from sqlalchemy import func, select

    from pathway.extensions import db
    from pathway.generate import EMAIL_DOMAIN, SETTING_KEY
    from pathway.models import CouncilSetting, User, YoungPerson

    with app.app_context():
        # Only the columns every schema version has: this runs before an older database is migrated.
        value = db.session.scalar(select(CouncilSetting.value).where(CouncilSetting.key == SETTING_KEY))
        if value is None:
            raise NotGenerated(f"the database has no '{SETTING_KEY}' setting: it was not built by "
                               "`flask pathway generate`, so it may hold real records. Refusing to measure it.")
        info = json.loads(value)
        people = db.session.scalar(select(func.count()).select_from(YoungPerson))
        others = db.session.scalar(select(func.count()).select_from(User)
                                   .where(~func.lower(User.email).like(f"%@{EMAIL_DOMAIN}")))
        if people != info.get("young_people") or others:
            raise NotGenerated(f"the database holds non-generated data ({people} young people where "
                               f"{info.get('young_people')} were generated, {others} users from elsewhere). "
                               "Refusing to measure it.")
        return info


def sign_in(app, email):
    """plan.sign_in with the generated council's password."""
    from benchmarks.two_factor_sign_in import finish_sign_in, signed_in
    from pathway.generate import GENERATED_PASSWORD

    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/sign-in", data={"csrf_token": token, "email": email, "password": GENERATED_PASSWORD})
    response = finish_sign_in(app, client, response, email)  # staff: the two-factor step
    assert signed_in(response), (email, response.status_code)
    return client


def measure(client, url) -> tuple[int, float, float, int]:
    """(status, median seconds, p95 seconds, runs). Uses plan.timed for a page that answers 200."""
    start = time.perf_counter()
    status = client.get(url).status_code
    slow = time.perf_counter() - start > SLOW_SECONDS
    runs = SLOW_RUNS if slow else RUNS
    if status == 200:
        median, p95 = timed(client, url, runs=runs)
        return status, median, p95, runs
    for _ in range(5):  # not finished yet (404, 500...): time what it answers, the same way
        client.get(url)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - start)
    samples.sort()
    return status, statistics.median(samples), samples[int(len(samples) * 0.95) - 1], runs


def make_app(url: str):
    from pathway import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=True)
    app.logger.setLevel(logging.CRITICAL)  # a page still being built may 500: the table shows its status
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return app


def build(size: int, folder: str) -> tuple[str, float]:
    """A fresh migrated SQLite database with a generated council; returns its URL and seconds to generate."""
    from flask_migrate import upgrade

    from pathway.extensions import db
    from pathway.generate import generate

    url = f"sqlite:///{folder}/manager-{size}.db"
    app = make_app(url)
    with app.app_context():
        upgrade()
        summary = generate(size, today=TODAY)
        db.engine.dispose()
    print(f"Generated {size:,} young people in {summary.seconds:.1f} s: {summary.advisers} PAs, {summary.teams} teams, "
          f"{summary.contacts:,} contacts, {summary.moves:,} moves, {summary.plans:,} plans.", flush=True)
    return url, summary.seconds


def run(url: str) -> tuple[dict, list[dict]]:
    from pathway.generate import EMAIL_DOMAIN

    app = make_app(url)
    info = check_generated(app)
    print(f"Measuring {url} (generated: {json.dumps(info)})", flush=True)
    hello_median, _ = timed(app.test_client(), "/hello", runs=RUNS)
    results = []
    for who, email in (("manager1", f"manager1@{EMAIL_DOMAIN}"), ("head of service", f"head.of.service@{EMAIL_DOMAIN}")):
        client = sign_in(app, email)
        for page in PAGES:
            client.get(page)  # first request: fills any per-day cache, so the count is the steady state
            # The sign-in session's last-seen time is written at most every 30 seconds: the smaller of two
            # counts leaves that bookkeeping out, so only the page's own queries are compared.
            queries = min(count_queries(app, client, page), count_queries(app, client, page))
            status, median, p95, runs = measure(client, page)
            results.append(dict(size=info["young_people"], who=who, page=page, status=status, queries=queries,
                                median=median, p95=p95, runs=runs, ratio=median / hello_median))
            print(f"  {page} as {who}: {status}, {queries} queries, median {median * 1000:.1f} ms", flush=True)
    return {"hello": hello_median, **info}, results


def report(runs: list[tuple[dict, list[dict]]], build_seconds: dict[int, float]) -> int:
    print("\nManager pages benchmark (SQLite, this machine; median and p95 of requests after 5 warm-ups)\n")
    print("| Page | Signed in as | Young people | Status | SQL queries | Median | p95 | Median / hello |")
    print("|------|--------------|-------------:|-------:|------------:|-------:|----:|---------------:|")
    for info, results in runs:
        for r in results:
            note = "" if r["runs"] == RUNS else f" ({r['runs']} runs)"
            print(f"| {r['page']} | {r['who']} | {r['size']:,} | {r['status']} | {r['queries']} | "
                  f"{r['median'] * 1000:.1f} ms{note} | {r['p95'] * 1000:.1f} ms | {r['ratio']:.0f}x |")
        print(f"| /hello | nobody | {info['young_people']:,} | 200 | - | {info['hello'] * 1000:.2f} ms | - | 1x |")
    for size, seconds in build_seconds.items():
        print(f"\nGeneration of {size:,} young people took {seconds:.1f} s.")

    verdicts = []
    all_results = [r for _, results in runs for r in results]
    sizes = sorted({r["size"] for r in all_results})
    for page in PAGES:
        for who in ("manager1", "head of service"):
            counts = [r["queries"] for r in all_results if r["page"] == page and r["who"] == who]
            if len(sizes) > 1:
                label = " / ".join(f"{s:,}" for s in sizes)
                verdicts.append((f"{page} queries as {who} ({label} young people)", " / ".join(map(str, counts)),
                                 "PASS" if len(set(counts)) == 1 else "FAIL"))
        big = [r for r in all_results if r["page"] == page and r["who"] == "manager1" and r["size"] == max(sizes)]
        for r in big:
            ok = r["status"] == 200 and r["median"] * 1000 < LIMIT_MS
            verdicts.append((f"{page} median as manager1 at {r['size']:,} (status {r['status']})",
                             f"{r['median'] * 1000:.1f} ms", f"{'PASS' if ok else 'FAIL'} (< {LIMIT_MS} ms)"))
    print("\n| Check | Result | Verdict |")
    print("|-------|--------|---------|")
    for name, value, verdict in verdicts:
        print(f"| {name} | {value} | {verdict} |")
    return 1 if any(v[2].startswith("FAIL") for v in verdicts) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="measure this existing generated database instead of building new ones")
    parser.add_argument("--sizes", default="500,5000", help="young people in each fresh database (default 500,5000)")
    parser.add_argument("--keep", action="store_true", help="keep the generated databases (to measure again)")
    args = parser.parse_args(argv)
    folder = None
    try:
        if args.database:
            return report([run(args.database)], {})
        folder = tempfile.mkdtemp(prefix="pathway-bench-")
        runs, seconds = [], {}
        for size in (int(s) for s in args.sizes.split(",")):
            url, seconds[size] = build(size, folder)
            runs.append(run(url))
        return report(runs, seconds)
    except NotGenerated as refusal:
        print(f"Refusing to run: {refusal}", file=sys.stderr)
        return 2
    finally:
        if folder and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        elif folder:
            print(f"\nThe generated databases are in {folder}")


if __name__ == "__main__":
    raise SystemExit(main())
