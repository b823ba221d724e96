"""The demo council: a fictional Northshire with a team, three advisers and 30 young people.

Dates are relative to `today`, so the demo always looks current. Random choices are seeded,
so every run builds the same council.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from pathway.demo_contact import load_demo_contact
from pathway.demo_offer import load_demo_offer
from pathway.demo_oversight import load_demo_oversight
from pathway.demo_passport import load_demo_passport
from pathway.demo_plans import load_demo_plans
from pathway.extensions import db
from pathway.models import Allocation, Role, Team, TeamManager, User, YoungPerson
from pathway.services import audit, two_factor
from pathway.services.passwords import hash_password

DEMO_PASSWORD = "northshire-demo-pathway"  # nosec B105 # the published demo password, demo data only
# Every demo staff account uses two-factor sign-in with this published, fictional set-up key: add it
# to an authenticator app (as a time-based key) to get the 6-digit codes. Never use it for real staff.
DEMO_TWO_FACTOR_KEY = "NORTHSHIREDEMOKEYPATHWAYTWOFACTR"
DEMO_SIGN_INS = [
    ("Administrator", "admin@northshire.example"),
    ("Manager", "manager@northshire.example"),
    ("Personal adviser", "adviser@northshire.example"),
    ("Personal adviser", "sam.okafor@northshire.example"),
    ("Personal adviser", "priya.shah@northshire.example"),
    ("Young person", "jordan@northshire.example"),
]

GIVEN = ["Jordan", "Aisha", "Callum", "Mia", "Tyler", "Chloe", "Kieran", "Amira", "Liam", "Jade",
         "Reece", "Sophie", "Dylan", "Leah", "Ryan", "Zara", "Connor", "Ellie", "Bradley", "Hannah",
         "Jamal", "Courtney", "Nathan", "Megan", "Kyle", "Shannon", "Owen", "Tia", "Lewis", "Paige"]
FAMILY = ["Taylor", "Khan", "Robson", "Hughes", "Walker", "Bell", "Dixon", "Ahmed", "Carr", "Hall",
          "Scott", "Lee", "Brown", "Wood", "Young", "Ali", "Murphy", "Ward", "Harris", "Clarke",
          "Mensah", "Kelly", "Wilson", "Moore", "Jackson", "Green", "Turner", "Nowak", "Evans", "Price"]


@dataclass
class DemoResult:
    staff: int
    young_people: int


def load_demo(*, today: date) -> DemoResult | None:
    """Create the demo council, or return None if there are users already. Commits."""
    if db.session.scalar(select(func.count()).select_from(User)):
        return None
    rng = random.Random(2026)  # nosec B311 # made-up demo data, not a secret
    password_hash = hash_password(DEMO_PASSWORD)

    def staff(name, email, role, team=None, started=None):
        user = User(name=name, email=email, role=role, active=True, password_hash=password_hash,
                    team=team, started_role_on=started)
        db.session.add(user)
        return user

    team = Team(name="Leaving Care Team North")
    db.session.add(team)
    admin = staff("Alex Morgan", "admin@northshire.example", Role.ADMIN)
    manager = staff("Helen Carter", "manager@northshire.example", Role.MANAGER)
    advisers = [
        staff("Dan Fletcher", "adviser@northshire.example", Role.ADVISER, team, today - relativedelta(years=4)),
        staff("Sam Okafor", "sam.okafor@northshire.example", Role.ADVISER, team, today - relativedelta(months=7)),
        staff("Priya Shah", "priya.shah@northshire.example", Role.ADVISER, team, today - relativedelta(years=2)),
    ]
    leaver = staff("Chris Dunn", "chris.dunn@northshire.example", Role.ADVISER, team, today - relativedelta(years=6))
    leaver.active = False
    db.session.flush()
    for member in (admin, manager, *advisers, leaver):
        two_factor.enrol(member, DEMO_TWO_FACTOR_KEY)
    db.session.add(TeamManager(team_id=team.id, user_id=manager.id))

    people = []
    for i in range(30):
        age = 16 + (i % 9)  # ages 16 to 24
        dob = today - relativedelta(years=age) - timedelta(days=rng.randint(20, 340))
        person = YoungPerson(
            given_name=GIVEN[i], family_name=FAMILY[i], date_of_birth=dob,
            preferred_name="Jo" if i == 0 else None,
            phone=f"07700 900{i:03d}", email=f"{GIVEN[i].lower()}@northshire.example" if i == 0 else None,
        )
        db.session.add(person)
        people.append(person)
    db.session.flush()

    for i, person in enumerate(people):
        adviser = advisers[i % 3]
        sixteenth = person.date_of_birth + relativedelta(years=16)
        first_start = max(sixteenth, today - relativedelta(years=3))
        if i == 1:
            # Three changes of PA in the last year: the inspection's "too many changes".
            history = [(leaver, max(sixteenth, today - relativedelta(months=14))),
                       (advisers[2], today - relativedelta(months=10)),
                       (advisers[1], today - relativedelta(months=6)), (adviser, today - relativedelta(months=2))]
        elif i % 4 == 0 and (today - first_start).days > 60:
            changed_on = first_start + timedelta(days=rng.randint(30, (today - first_start).days - 1))
            history = [(leaver, first_start), (adviser, changed_on)]
        else:
            history = [(adviser, max(sixteenth, today - relativedelta(months=rng.randint(2, 30))))]
        for n, (who, start) in enumerate(history):
            end = history[n + 1][1] if n + 1 < len(history) else None
            db.session.add(Allocation(young_person_id=person.id, adviser_id=who.id, start_date=start, end_date=end,
                                      reason="Allocated at 16" if n == 0 else "Caseload change"))

    current_adviser = {}
    for i, person in enumerate(people):
        current_adviser[person.id] = advisers[i % 3]
    db.session.flush()
    load_demo_plans(people, current_adviser, manager, today)
    load_demo_offer(people, current_adviser, today)
    load_demo_contact(people, current_adviser, today)
    load_demo_oversight(people, advisers, manager, today)

    # Jordan (preferred name Jo) can sign in as the demo young person.
    jordan = people[0]
    jordan_user = User(name=jordan.display_name, email=jordan.email, role=Role.YOUNG_PERSON, active=True,
                       password_hash=password_hash)
    db.session.add(jordan_user)
    db.session.flush()
    jordan.user_id = jordan_user.id
    load_demo_passport(people, current_adviser, jordan_user, today)
    audit.record("demo_loaded", "council", None, user=admin)
    db.session.commit()
    return DemoResult(staff=6, young_people=len(people))
