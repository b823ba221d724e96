"""Demo passport answers: about half the young people have started their passport to independence.

Jo (Jordan, the demo young person) has a mix: skills ticked on their phone and confirmed by their
personal adviser, some still waiting, a history that shows progress, and a passport that expires soon.
Answers are added oldest first, as they would have been.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import AnsweredBy, PassportAnswer, PassportItem, PassportStatus, User, YoungPerson

S = PassportStatus


def _at(day: date, hour: int = 14) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def load_demo_passport(people: list[YoungPerson], current_adviser: dict[int, User], jordan_user: User,
                       today: date) -> int:
    """Add passport answers; returns how many. No commit (load_demo commits)."""
    items = {i.title: i for i in db.session.scalars(select(PassportItem).where(PassportItem.active.is_(True)))}
    if not items:
        return 0
    rng = random.Random(4)  # nosec B311 # made-up demo data, not a secret
    rows: list[PassportAnswer] = []

    def add(person, title, status, when, *, by, confirmed=None, note=None, held=None, where_kept=None,
            expires_on=None):
        item = items.get(title)
        if item is None:
            return
        role = AnsweredBy.YOUNG_PERSON if by is jordan_user else AnsweredBy.ADVISER
        rows.append(PassportAnswer(
            young_person_id=person.id, item_id=item.id, status=status, answered_by_id=by.id, by_role=role,
            confirmed=(role is AnsweredBy.ADVISER) if confirmed is None else confirmed, note=note,
            held=held if item.is_document else None, where_kept=where_kept if item.is_document else None,
            expires_on=expires_on if item.is_document else None, created_at=when))

    jo, pa = people[0], current_adviser[people[0].id]
    d = lambda days: _at(today - timedelta(days=days))  # noqa: E731
    add(jo, "Open and use a bank account", S.LEARNING, d(95), by=jordan_user)
    add(jo, "Open and use a bank account", S.CAN_DO, d(40), by=jordan_user)
    add(jo, "Open and use a bank account", S.CAN_DO, d(33), by=pa, note="Showed me their banking app and debit card.")
    add(jo, "Make a budget", S.NOT_STARTED, d(95), by=jordan_user)
    add(jo, "Make a budget", S.LEARNING, d(20), by=pa, note="We started a weekly budget together. Food is the hard part.")
    add(jo, "Claim benefits", S.LEARNING, d(12), by=jordan_user)
    add(jo, "Cook a meal", S.LEARNING, d(80), by=jordan_user)
    add(jo, "Cook a meal", S.CAN_DO, d(2), by=jordan_user)
    add(jo, "Do your laundry", S.CAN_DO, d(60), by=pa)
    add(jo, "Do a weekly food shop", S.LEARNING, d(5), by=jordan_user)
    add(jo, "Registered with a GP", S.CAN_DO, d(70), by=jordan_user)
    add(jo, "Registered with a GP", S.CAN_DO, d(65), by=pa, note="Registered at Marsh Lane surgery.")
    add(jo, "Registered with a dentist", S.NOT_STARTED, d(30), by=pa, note="Waiting list at two practices.")
    add(jo, "Write a CV", S.CAN_DO, d(1), by=jordan_user)
    add(jo, "Register to vote", S.NOT_RELEVANT, d(50), by=jordan_user)
    add(jo, "Register to vote", S.LEARNING, d(10), by=pa, note="Jo turns 18 soon: we will register together.")
    add(jo, "Birth certificate", S.CAN_DO, d(90), by=pa, held=True, where_kept="In the safe at the leaving care office")
    add(jo, "Passport", S.LEARNING, d(45), by=jordan_user, held=True, where_kept="In my bedroom drawer",
        expires_on=today + relativedelta(months=2))
    add(jo, "National Insurance number", S.CAN_DO, d(25), by=jordan_user, held=True, where_kept="HMRC app on my phone")
    add(jo, "Provisional driving licence", S.NOT_STARTED, d(25), by=jordan_user, held=False)

    # About half the others: a few items each, set by their adviser over the last months.
    titles = sorted(items)
    for person in people[2::2]:
        adviser = current_adviser[person.id]
        for title in rng.sample(titles, rng.randint(3, 10)):
            status = rng.choice([S.LEARNING, S.CAN_DO, S.CAN_DO, S.NOT_STARTED, S.NOT_RELEVANT])
            document = items[title].is_document
            add(person, title, status, d(rng.randint(1, 200)), by=adviser,
                held=rng.choice([True, False]) if document else None,
                expires_on=today + timedelta(days=rng.randint(-30, 900)) if document and title == "Passport" else None)

    rows.sort(key=lambda r: (r.created_at, r.young_person_id))
    db.session.add_all(rows)
    return len(rows)
