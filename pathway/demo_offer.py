"""Demo facts for the local offer: care histories, where people live, what they do, and some claims."""

from __future__ import annotations

import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from pathway.extensions import db
from pathway.models import CareEpisode, Claim, ClaimStatus, Entitlement, Payment, User, YoungPerson
from pathway.rules.dates import age_on, birthday
from pathway.services.offer_file import DEFAULT_OFFER, load_offer, read_offer_file

IN_AREA = ["TS1 3BX", "TS2 1AB", "TS3 6PD", "TS4 2QW", "TS5 7HL", "TS6 0RT", "TS7 8NB", "TS8 9SS"]
ACTIVITIES = ["F2", "F5", "P5", "F4", "G5", "F1", "G6", "P2", "G4"]


def load_demo_offer(people: list[YoungPerson], advisers_by_person: dict[int, User], today: date) -> None:
    load_offer(read_offer_file(DEFAULT_OFFER), by=None)
    rng = random.Random(4)  # nosec B311 # made-up demo data, not a secret
    for i, person in enumerate(people):
        dob = person.date_of_birth
        age = age_on(dob, today)
        start = birthday(dob, 14) + timedelta(days=30 + rng.randint(0, 200))
        if age < 18 and i % 2 == 1:
            end = None  # still looked after: eligible
        elif age < 18:
            end = min(birthday(dob, 16) + timedelta(days=60), today)  # left care after 16: relevant
        else:
            end = birthday(dob, 18)  # looked after until 18: former relevant
        db.session.add(CareEpisode(young_person_id=person.id, start_date=start, end_date=end, legal_status="C2",
                                   end_reason=None if end is None else ("E3" if age >= 18 else "E5")))
        person.home_postcode = IN_AREA[i % len(IN_AREA)]
        person.main_activity = ACTIVITIES[i % len(ACTIVITIES)]
        if age >= 18 and i % 3 == 0:
            person.independent_move_on = today - relativedelta(months=rng.randint(1, 30))
    # Two young people living just outside the area: the council tax gap the inspection found.
    people[12].home_postcode = "LS1 4AP"
    people[21].home_postcode = "DL3 6AA"
    # Jo left care after 16, lives in a flat of her own and has used some of her setting up home allowance.
    jo = people[0]
    jo.home_postcode, jo.main_activity = "TS1 3BX", "F2"
    jo.independent_move_on = today - relativedelta(months=3)
    db.session.flush()
    suha = db.session.query(Entitlement).filter_by(slug="setting-up-home-allowance").one()
    adviser = advisers_by_person[jo.id]
    claim = Claim(young_person_id=jo.id, entitlement_id=suha.id, entitlement_version_id=suha.current_version_id,
                  status=ClaimStatus.APPROVED, requested_on=today - relativedelta(months=3), recorded_by_id=adviser.id,
                  request_note="Bed, cooker and kitchen things for the new flat", decided_on=today - relativedelta(months=3),
                  decided_by_id=adviser.id, approved_pence=116_000)
    db.session.add(claim)
    db.session.flush()
    db.session.add_all([
        Payment(claim_id=claim.id, paid_on=today - relativedelta(months=3), amount_pence=76_000, note="Bed and mattress",
                recorded_by_id=adviser.id),
        Payment(claim_id=claim.id, paid_on=today - relativedelta(months=2), amount_pence=40_000, note="Cooker",
                recorded_by_id=adviser.id),
    ])
    driving = db.session.query(Entitlement).filter_by(slug="driving-lessons").one()
    db.session.add(Claim(young_person_id=people[3].id, entitlement_id=driving.id,
                         entitlement_version_id=driving.current_version_id, status=ClaimStatus.DECLINED,
                         requested_on=today - relativedelta(weeks=3), recorded_by_id=advisers_by_person[people[3].id].id,
                         decided_on=today - relativedelta(weeks=2), decided_by_id=advisers_by_person[people[3].id].id,
                         decline_reason="You have already had driving lessons paid for this year. Ask again in April."))
