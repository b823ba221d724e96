"""Benchmark: the PA's worklist for 60 young people, each with 3 years of contacts and moves.

Prints the SQL queries per request for 10 and 60 young people (they must be equal: no query
per young person) and the median server time against a plain "hello" route measured in the
same run. Not part of the test run.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from plan import count_queries, sign_in, timed  # noqa: E402

TODAY = date.today()


def build(app, people: int) -> str:
    from dateutil.relativedelta import relativedelta

    from pathway.extensions import db
    from pathway.models import AccommodationMove, Allocation, Contact, Role, Team, User, YoungPerson
    from pathway.services.passwords import hash_password

    with app.app_context():
        team = Team(name=f"Worklist bench {people}")
        db.session.add(team)
        db.session.flush()
        adviser = User(name="Adviser", email=f"w{people}@bench.example", role=Role.ADVISER,
                       password_hash=hash_password("bench-password-123"), team_id=team.id)
        db.session.add(adviser)
        db.session.flush()
        start = TODAY - relativedelta(years=3)
        for n in range(people):
            person = YoungPerson(given_name=f"Person{n}", family_name="Bench", date_of_birth=TODAY - relativedelta(years=20))
            db.session.add(person)
            db.session.flush()
            db.session.add(Allocation(young_person_id=person.id, adviser_id=adviser.id, start_date=start))
            for m in range(5):  # a move every seven months or so
                db.session.add(AccommodationMove(young_person_id=person.id, move_in=start + timedelta(days=220 * m + n),
                                                 code="U1" if m % 2 else "D1", suitable=True, registered_provider=True))
            day = start + timedelta(days=3)
            while day < TODAY:  # contact every three weeks, one in eight attempted
                attempted = (day.toordinal() + n) % 8 == 0
                db.session.add(Contact(young_person_id=person.id, contact_at=datetime.combine(day, time(10), tzinfo=UTC),
                                       kind="attempted_visit" if attempted else "home_visit", reached=not attempted))
                day += timedelta(days=21)
        db.session.commit()
        return adviser.email



def main() -> int:
    from flask_migrate import upgrade

    from pathway import create_app

    tmp = tempfile.mkdtemp()
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.db")
    with app.app_context():
        upgrade()
    small, big = sign_in(app, build(app, 10)), sign_in(app, build(app, 60))
    q_small, q_big = count_queries(app, small, "/caseload"), count_queries(app, big, "/caseload")
    hello_median, _ = timed(app.test_client(), "/hello")
    median, p95 = timed(big, "/caseload", runs=30)
    rows = [
        ("Worklist SQL queries (10 / 60 young people)", f"{q_small} / {q_big}", "PASS" if q_small == q_big else "FAIL"),
        ("Worklist median / p95 (60 young people, 3 years of history)", f"{median * 1000:.1f} ms / {p95 * 1000:.1f} ms", ""),
        ("Worklist median / hello median", f"{median / hello_median:.1f}x", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print("\nWorklist benchmark (SQLite, this machine)\n")
    print(f"| {'Measure'.ljust(width)} | Result | Target |")
    print(f"|{'-' * (width + 2)}|--------|--------|")
    for name, value, verdict in rows:
        print(f"| {name.ljust(width)} | {value} | {verdict} |")
    return 1 if any(r[2] == "FAIL" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
