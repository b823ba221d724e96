"""Deleting a young person's record at the end of its retention period (issue 8 section 8).

Records are kept until the 75th birthday (pathway.rules.retention). After that a person decides:
the retention report lists the records that are due, and ``delete_person`` deletes one whole
record, refusing before the date. What is deleted is exactly what the subject access export holds
(pathway.queries.personal_data.collect: every row linked to the young person through the schema's
foreign keys, and their sign-in account with its sessions and links), children before parents, in
one transaction: either all of it goes or none of it does. Emails sent to the young person's
addresses (the outbox) go too.

The audit trail stays. Its events name the young person by record number only (no foreign key),
and it is append-only, so nothing about the deletion can rewrite it: a "delete_record" event and a
row in the deletion register (RecordDeletion: record number, date, who, why, rows per table) record
the decision itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, inspect, or_, select, tuple_

from pathway.extensions import db
from pathway.models import OutboxEmail, RecordDeletion, User, YoungPerson
from pathway.queries.personal_data import ROOT_TABLE, collect
from pathway.rules.retention import RetentionNotDue, check_can_delete, latest_due_date_of_birth, retention_for
from pathway.services import audit

REASON_MAX = 500

__all__ = ["DeletionProblem", "DueRecord", "RetentionNotDue", "delete_person", "list_due_records"]


class DeletionProblem(Exception):
    """The deletion could not go ahead (no such record, or no reason given). ``str()`` says why."""


@dataclass(frozen=True)
class DueRecord:
    """A record past its retention date, for the retention report."""

    person_id: int
    name: str
    date_of_birth: date
    kept_until: date
    days_past: int


def list_due_records(today: date) -> list[DueRecord]:
    """Records whose retention period has ended on ``today``, longest overdue first."""
    # A coarse filter in the database, then the rule itself decides (29 February birthdays).
    people = db.session.execute(
        select(YoungPerson.id, YoungPerson.given_name, YoungPerson.preferred_name, YoungPerson.family_name,
               YoungPerson.date_of_birth)
        .where(YoungPerson.date_of_birth <= latest_due_date_of_birth(today))
        .order_by(YoungPerson.date_of_birth, YoungPerson.id)
    ).all()
    due = []
    for person_id, given, preferred, family, dob in people:
        decision = retention_for(dob, today)
        if decision.due and decision.keep_until is not None:
            due.append(DueRecord(person_id, f"{preferred or given} {family}", dob, decision.keep_until,
                                 decision.days_past))
    return due


@dataclass(frozen=True)
class Deletion:
    person_id: int
    rows_deleted: int
    counts: dict[str, int]


def _forget(data) -> None:
    """Take the deleted rows' objects out of the session: a new row may get a deleted one's id (SQLite)."""
    deleted = {(table.name, key) for table in data.tables for key in data.primary_keys(table)}
    for obj in list(db.session.identity_map.values()):
        state = inspect(obj)
        if (state.mapper.local_table.name, state.identity) in deleted:
            db.session.expunge(obj)


def delete_person(person_id: int, *, reason: str, by: User | None, today: date) -> Deletion:
    """Delete the young person's whole record if its retention period is over, and commit.

    Raises DeletionProblem (no such record, no reason) or RetentionNotDue (before the 75th birthday,
    or no date of birth); nothing is changed then.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DeletionProblem("Enter why the record is being deleted")
    if len(reason) > REASON_MAX:
        raise DeletionProblem(f"The reason must be {REASON_MAX} characters or fewer")
    # Lock the record's row (PostgreSQL): a second deletion of the same record waits, then finds it gone.
    db.session.execute(select(YoungPerson.id).where(YoungPerson.id == person_id).with_for_update())
    person = db.session.get(YoungPerson, person_id)
    if person is None:
        raise DeletionProblem(f"There is no young person with record number {person_id}")
    decision = check_can_delete(person.date_of_birth, today)

    data = collect(person)
    addresses = {a.lower() for a in (person.email, person.user.email if person.user else None) if a}
    counts = {name: n for name, n in data.counts().items() if n}
    try:
        db.session.flush()  # anything pending goes first; the rows then go by SQL, children before parents
        for table in reversed(data.tables):  # children before parents
            keys = data.primary_keys(table)
            if not keys:
                continue
            columns = list(table.primary_key.columns)
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                if len(columns) == 1:
                    condition = columns[0].in_([k[0] for k in chunk])
                else:
                    condition = tuple_(*columns).in_(chunk)
                gone = db.session.execute(delete(table).where(condition)).rowcount
                if table.name == ROOT_TABLE and gone != len(chunk):  # deleted meanwhile by someone else
                    raise DeletionProblem(f"Record {person_id} has already been deleted")
        _forget(data)
        if addresses:
            emails = db.session.execute(
                delete(OutboxEmail).where(or_(*[func.lower(OutboxEmail.to) == a for a in sorted(addresses)]))
            ).rowcount
            if emails:
                counts["outbox_email"] = emails
        rows = sum(counts.values())
        summary = ",".join(f"{name}:{n}" for name, n in counts.items())
        db.session.add(RecordDeletion(young_person_id=person_id, kept_until=decision.keep_until, reason=reason,
                                      deleted_by_id=by.id if by else None, rows_deleted=rows, tables=summary))
        audit.record("delete_record", "young_person", person_id, young_person_id=person_id,
                     fields=counts.keys(), user=by)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return Deletion(person_id, rows, counts)
