"""Foreign keys are enforced (issue 8 section 6), on SQLite as well as PostgreSQL.

SQLite ignores foreign keys unless each connection turns them on (PRAGMA foreign_keys=ON, set in
pathway.database for every new connection). Without it, a row could point at a young person who does
not exist, or a young person could be deleted from under their contacts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, insert, text
from sqlalchemy.exc import IntegrityError

from pathway.extensions import db
from pathway.models import Allocation, Contact, YoungPerson

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
NOBODY = 987_654_321


def _refused(statement) -> None:
    """The statement fails on a foreign key, and the test's transaction carries on."""
    with pytest.raises(IntegrityError) as error:
        with db.session.begin_nested():
            db.session.execute(statement)
    assert "foreign key" in str(error.value).lower()


def test_a_contact_for_a_young_person_who_does_not_exist_is_refused(db_transaction):
    _refused(insert(Contact).values(young_person_id=NOBODY, contact_at=NOW, kind="phone", reached=True, created_at=NOW))
    assert db.session.query(Contact).count() == 0


def test_an_allocation_to_an_adviser_who_does_not_exist_is_refused(make):
    unallocated = make.young_person()
    _refused(insert(Allocation).values(young_person_id=unallocated.id, adviser_id=NOBODY, start_date=date(2026, 1, 1)))


def test_a_young_person_with_contacts_cannot_be_deleted_from_under_them(world):
    db.session.add(Contact(young_person_id=world.colleague_person.id, contact_at=NOW, kind="phone", reached=True))
    db.session.flush()
    _refused(delete(YoungPerson).where(YoungPerson.id == world.colleague_person.id))
    assert db.session.get(YoungPerson, world.colleague_person.id) is not None


def test_every_new_connection_enforces_foreign_keys(app):
    """Not only the test's connection: each connection the pool opens (as a gunicorn worker would)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL always enforces foreign keys; the pragma is SQLite's")
    with app.app_context():
        for _ in range(3):
            with db.engine.connect() as connection:
                assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
                connection.invalidate()  # the next connect() opens a fresh one


def test_the_migrated_schema_has_no_orphans(db_transaction):
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
    else:
        unvalidated = db.session.execute(text(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND NOT convalidated")).all()
        assert unvalidated == []
