"""`flask pathway send-reminders` (issue 5 section 6): one digest per adviser per day, only when something is due."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import OutboxEmail
from pathway.models.contact import AccommodationMove, ReminderSent

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["pathway", "send-reminders", *args])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def add_move(person, move_in: date) -> None:
    db.session.add(AccommodationMove(young_person_id=person.id, move_in=move_in, code="U1"))
    db.session.commit()


def emails() -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def test_one_digest_per_adviser_with_items_due_and_not_twice_the_same_day(app, world, frozen):
    add_move(world.person, date(2026, 11, 8))  # post-move visit due 15 November: 7 days overdue
    add_move(world.other_person, date(2026, 11, 15))  # due 22 November: due today
    # The colleague's young person has nothing due.

    assert run(app) == "Sent 2 reminders."
    sent = emails()
    assert sorted(e.to for e in sent) == sorted([world.adviser.email, world.other_adviser.email])
    mine = next(e for e in sent if e.to == world.adviser.email)
    assert mine.subject.endswith("due today or overdue")
    assert "Jordan Taylor: Visit within 7 days of the move (due 15 November 2026, 7 days overdue)" in mine.body
    theirs = next(e for e in sent if e.to == world.other_adviser.email)
    assert "Aisha Khan: Visit within 7 days of the move (due 22 November 2026, due today)" in theirs.body
    assert "Jordan" not in theirs.body

    assert run(app) == "Sent 0 reminders."
    assert len(emails()) == 2
    rows = db.session.scalars(select(ReminderSent)).all()
    assert {(r.adviser_id, r.sent_on) for r in rows} == {(world.adviser.id, date(2026, 11, 22)),
                                                         (world.other_adviser.id, date(2026, 11, 22))}

    frozen.move_to(datetime(2026, 11, 23, 6, 0, tzinfo=UTC))
    assert run(app) == "Sent 2 reminders."
    assert len(emails()) == 4


def test_no_digest_when_nothing_is_due_or_the_adviser_is_inactive(app, world):
    add_move(world.person, date(2026, 11, 20))  # due 27 November: not yet
    add_move(world.other_person, date(2026, 11, 1))
    world.other_adviser.active = False
    db.session.commit()
    assert run(app) == "Sent 0 reminders."
    assert emails() == []
