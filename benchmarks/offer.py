"""Benchmark: the young person's "My offer" page.

Prints SQL queries per request with a small and a large catalogue and claim history (they must be
equal), the median and 95th-percentile server time against a plain "hello" route measured in the
same run, and the bytes a phone downloads on its first visit (HTML + CSS + JS, compressed as
served; target at most 70 KB) and on a repeat visit (assets cached). Not part of the test run.
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from plan import count_queries, sign_in, timed  # noqa: E402

TODAY = date.today()
LIMIT_FIRST_LOAD = 70 * 1024
LIMIT_REPEAT = 10 * 1024


def build(app, extra_entitlements: int, claims: int):
    from dateutil.relativedelta import relativedelta

    from pathway.extensions import db
    from pathway.models import (
        Allocation,
        CareEpisode,
        Claim,
        ClaimStatus,
        Frequency,
        Payment,
        Role,
        Scope,
        Team,
        User,
        YoungPerson,
    )
    from pathway.services import offer as offer_service
    from pathway.services.offer_file import DEFAULT_OFFER, load_offer, read_offer_file
    from pathway.services.passwords import hash_password

    with app.app_context():
        if not offer_service.list_catalogue():
            load_offer(read_offer_file(DEFAULT_OFFER), by=None)
        for n in range(extra_entitlements):
            offer_service.create_entitlement(
                slug=f"bench-{claims}-{n}", by=None, name=f"Local grant {n}", description="A local grant.",
                scope=Scope.LOCAL, amount_pence=10_000, cap_pence=50_000, frequency=Frequency.PER_CLAIM,
                how_to_claim="Ask your PA.", age_from=16, age_under=25, categories=None, in_area_only=n % 2 == 0,
                activities=None, needs_independent_move=False, needs_pa_decision=n % 3 == 0, age_on_reference=None,
                min_continuous_care_days=None, starts_on=None, ends_on=None)
        team = Team(name=f"Offer bench {claims}")
        db.session.add(team)
        db.session.flush()
        password = hash_password("bench-password-123")
        adviser = User(name="Adviser", email=f"oa{claims}@bench.example", role=Role.ADVISER, password_hash=password,
                       team_id=team.id)
        young = User(name="Young", email=f"oy{claims}@bench.example", role=Role.YOUNG_PERSON, password_hash=password)
        db.session.add_all([adviser, young])
        db.session.flush()
        dob = TODAY - relativedelta(years=19)
        person = YoungPerson(given_name="Bench", family_name="Offer", date_of_birth=dob, user_id=young.id,
                             home_postcode="TS1 3BX", main_activity="F1", independent_move_on=TODAY - relativedelta(months=2))
        db.session.add(person)
        db.session.flush()
        db.session.add(Allocation(young_person_id=person.id, adviser_id=adviser.id, start_date=TODAY))
        db.session.add(CareEpisode(young_person_id=person.id, start_date=dob + relativedelta(years=14),
                                   end_date=dob + relativedelta(years=18), legal_status="C2"))
        catalogue = offer_service.list_catalogue()
        for n in range(claims):
            entitlement = catalogue[n % len(catalogue)]
            claim = Claim(young_person_id=person.id, entitlement_id=entitlement.id,
                          entitlement_version_id=entitlement.current_version_id, status=ClaimStatus.APPROVED,
                          requested_on=TODAY, approved_pence=5_000, decided_on=TODAY)
            db.session.add(claim)
            db.session.flush()
            db.session.add(Payment(claim_id=claim.id, paid_on=TODAY, amount_pence=5_000))
        db.session.commit()
        return young.email



def transfer_sizes(client, url):
    """Bytes over the wire: HTML gzipped (as a proxy would), assets as WhiteNoise serves them (brotli)."""
    html = client.get(url).get_data()
    html_bytes = len(gzip.compress(html, 6))
    assets = re.findall(rb'(?:href|src|from) ?=? ?"(/static/dist/[^"]+)"', html)
    asset_bytes = 0
    for asset in sorted(set(assets)):
        path = ROOT / asset.decode().lstrip("/")
        compressed = Path(f"{path}.br")
        asset_bytes += (compressed if compressed.exists() else path).stat().st_size
    return html_bytes, asset_bytes


def main() -> int:
    from flask_migrate import upgrade

    from pathway import create_app

    tmp = tempfile.mkdtemp()
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.db")
    with app.app_context():
        upgrade()
    small = sign_in(app, build(app, extra_entitlements=0, claims=1))
    big = sign_in(app, build(app, extra_entitlements=30, claims=40))
    hello = app.test_client()
    q_small, q_big = count_queries(app, small, "/me/offer"), count_queries(app, big, "/me/offer")
    hello_median, _ = timed(hello, "/hello")
    median, p95 = timed(big, "/me/offer")
    html_bytes, asset_bytes = transfer_sizes(big, "/me/offer")
    first, repeat = html_bytes + asset_bytes, html_bytes
    rows = [
        ("My offer SQL queries (11 entitlements, 1 claim / 41 entitlements, 40 claims)", f"{q_small} / {q_big}",
         "PASS" if q_small == q_big else "FAIL"),
        ("My offer median / p95 (41 entitlements, 40 claims)", f"{median * 1000:.1f} ms / {p95 * 1000:.1f} ms", ""),
        ("My offer median / hello median", f"{median / hello_median:.1f}x", ""),
        ("First load: HTML (gzip) + CSS + JS (brotli)", f"{first / 1024:.1f} KB", "PASS" if first <= LIMIT_FIRST_LOAD else "FAIL"),
        ("Repeat visit (assets cached for a year)", f"{repeat / 1024:.1f} KB", "PASS" if repeat <= LIMIT_REPEAT else "FAIL"),
    ]
    width = max(len(r[0]) for r in rows)
    print("\nMy offer benchmark (SQLite, this machine)\n")
    print(f"| {'Measure'.ljust(width)} | Result | Target |")
    print(f"|{'-' * (width + 2)}|--------|--------|")
    for name, value, verdict in rows:
        print(f"| {name.ljust(width)} | {value} | {verdict} |")
    return 1 if any(r[2] == "FAIL" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
