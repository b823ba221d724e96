"""Demo moves, contacts and help requests: most young people seen regularly, and one of each risk."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from pathway.extensions import db
from pathway.models import AccommodationMove, Contact, FlagAction, HelpRequest, User, YoungPerson
from pathway.rules.dates import age_on
from pathway.rules.flags import FlagKind


def _at(day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _move(person, day, code, *, suitable=True, postcode=None, provider=None, registered=None, by=None):
    factors = {name: suitable for name in ("safety", "state_of_repair", "facilities", "location", "support", "tenancy",
                                           "affordability", "young_persons_view")}
    db.session.add(AccommodationMove(young_person_id=person.id, move_in=day, code=code, postcode=postcode or person.home_postcode,
                                     provider=provider, registered_provider=registered, suitable=suitable,
                                     recorded_by_id=by.id if by else None, **factors))


def _visit(person, day, by, *, kind="home_visit", reached=True, activity=None):
    fields = {}
    if reached and kind in ("home_visit", "visit_elsewhere"):
        fields = {"seen_alone": True, "accommodation_seen": kind == "home_visit", "home_safe_and_suitable": True,
                  "new_risks": "none", "wellbeing": "Doing well, sleeping better.", "next_steps": "Meet again in a month."}
    db.session.add(Contact(young_person_id=person.id, contact_at=_at(day), kind=kind, reached=reached,
                           in_touch="YES" if reached else None, activity=activity if reached else None,
                           recorded_by_id=by.id, **fields))


def load_demo_contact(people: list[YoungPerson], advisers_by_person: dict[int, User], today: date) -> None:
    rng = random.Random(5)  # nosec B311 # made-up demo data, not a secret
    # These people's stories (below) start after their regular contact ended three weeks ago.
    special = {2, 5, 8, 11, 14}
    for i, person in enumerate(people):
        adviser = advisers_by_person[person.id]
        age = age_on(person.date_of_birth, today)
        first_home = max(today - relativedelta(months=rng.randint(8, 20)), person.date_of_birth + relativedelta(years=16))
        code = "U1" if age >= 18 else "D1"
        _move(person, first_home, code, provider="Northshire Housing" if code == "D1" else None,
              registered=True if code == "D1" else None, by=adviser)
        # The team started using Pathway after this move: its review was on paper. Closing the
        # historic flag with a reason is what a council does at go-live; the flag stays on record.
        db.session.add(FlagAction(young_person_id=person.id, action="close", by_id=adviser.id,
                                  flag_key=f"{FlagKind.PLAN_REVIEW_AFTER_MOVE}:{first_home.isoformat()}",
                                  reason="Reviewed on paper before the team started using Pathway."))
        # Most young people: seen every few weeks since they moved in.
        until = today - timedelta(days=21 if i in special else 10)
        day = first_home + timedelta(days=5)
        while day < until:
            _visit(person, day, adviser, kind="home_visit" if rng.random() < 0.6 else "phone", activity=person.main_activity)
            day += timedelta(days=rng.randint(21, 42))
        last_seen = until if i in special else today - timedelta(days=rng.randint(3, 12))
        _visit(person, last_seen, adviser, activity=person.main_activity)

    def adviser_of(person):
        return advisers_by_person[person.id]

    # A recent move with no visit yet (due within the week).
    _move(people[2], today - timedelta(days=3), "U1", postcode="TS3 6PD", by=adviser_of(people[2]))
    # A move two weeks ago: the 7-day visit is overdue.
    _move(people[5], today - timedelta(days=14), "D1", postcode="TS5 7HL", provider="Harbour Lodge",
          registered=True, by=adviser_of(people[5]))
    # Custody.
    _move(people[8], today - timedelta(days=4), "X1", postcode=None, provider="HMP Northshire", by=adviser_of(people[8]))
    # Five days in bed and breakfast.
    _move(people[11], today - timedelta(days=5), "W2", suitable=False, postcode="TS1 2EE", provider="Station Guest House",
          by=adviser_of(people[11]))
    # Unreachable: two attempted visits in a row since the last time anyone saw them.
    for days in (9, 2):
        _visit(people[14], today - timedelta(days=days), adviser_of(people[14]), kind="attempted_visit", reached=False)
    # An open help request.
    db.session.add(HelpRequest(young_person_id=people[0].id, topic="money", unsafe=False, how_to_reach="Text me",
                               message="My electric has run out and I don't get paid till Friday.",
                               created_at=datetime.now(UTC) - timedelta(hours=3)))
