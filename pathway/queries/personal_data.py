"""Everything the database holds about one young person, found from the schema's links to them.

Used by the subject access export (pathway.services.subject_access) and by deletion at the end of
the retention period (pathway.services.retention), so what is exported is exactly what is deleted.

Which tables: no list is kept by hand. ``linked_tables`` walks the foreign keys in ``db.metadata``:
the ``young_person`` table, every table with a foreign key to it, every table with a foreign key to
one of those (``plan_target`` -> ``pathway_plan`` -> ``young_person``), and so on; and the young
person's sign-in account (``user``) with the tables keyed by it (their sessions, sign-in links, forms
kept when a session timed out). A table added later with a foreign key to any of these is covered
without anyone editing this module, and a test compares the export with its own walk of the schema.

Which rows: starting from the young person's row and their account's row, the rows of each linked
table whose foreign keys point at rows already found, repeated until nothing new turns up. Staff
rows are never picked up this way: a staff member is linked from a young person's rows (who recorded
a visit), not the other way round.

The audit trail is not found by the walk: its ``young_person_id`` and ``user_id`` are plain numbers
with no foreign key (migration 0010_rights), so audit events outlive the record they describe and
stay append-only. ``list_audit_events`` reads them separately.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Table, or_, select
from sqlalchemy.orm import aliased

from pathway.extensions import db
from pathway.models import AuditEvent, User, YoungPerson

ROOT_TABLE = "young_person"
ACCOUNT_TABLE = "user"

# Column names that hold sign-in secrets. They are never exported: a hash of a password, a session
# token or a recovery code is not information about the young person and would only help an attacker.
SECRET_WORDS = frozenset({"hash", "password", "secret", "totp", "token", "otp", "recovery", "codes"})


def is_secret_column(name: str) -> bool:
    return bool(SECRET_WORDS.intersection(name.lower().split("_")))


def linked_tables(metadata=None) -> list[Table]:
    """The tables that can hold a young person's data, parents before children (metadata order)."""
    metadata = metadata if metadata is not None else db.metadata
    linked = {ROOT_TABLE, ACCOUNT_TABLE}
    changed = True
    while changed:
        changed = False
        for table in metadata.tables.values():
            if table.name in linked:
                continue
            if any(fk.column.table.name in linked for fk in table.foreign_keys):
                linked.add(table.name)
                changed = True
    return [t for t in metadata.sorted_tables if t.name in linked]


@dataclass
class PersonalData:
    """The rows found for one young person, table by table (rows as dicts of column name -> value)."""

    person_id: int
    user_id: int | None
    tables: list[Table]
    rows: dict[str, list[dict]] = field(default_factory=dict)

    def primary_keys(self, table: Table) -> list[tuple]:
        columns = list(table.primary_key.columns)
        return [tuple(row[c.name] for c in columns) for row in self.rows.get(table.name, [])]

    def counts(self) -> dict[str, int]:
        return {table.name: len(self.rows.get(table.name, [])) for table in self.tables}


def _key(table: Table, row: dict) -> tuple:
    return tuple(row[c.name] for c in table.primary_key.columns)


def _chunks(values: list, size: int = 500) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def collect(person: YoungPerson) -> PersonalData:
    """Every row linked to ``person`` (see the module docstring), read in a handful of queries per table."""
    tables = linked_tables()
    by_name = {t.name: t for t in tables}
    data = PersonalData(person.id, person.user_id, tables)
    found: dict[str, dict[tuple, dict]] = {t.name: {} for t in tables}

    def add(table: Table, rows) -> list[dict]:
        new = []
        for row in rows:
            values = dict(row._mapping)
            key = _key(table, values)
            if key not in found[table.name]:
                found[table.name][key] = values
                new.append(values)
        return new

    root = by_name[ROOT_TABLE]
    frontier = {ROOT_TABLE: add(root, db.session.execute(select(root).where(root.c.id == person.id)))}
    if person.user_id is not None:
        account = by_name[ACCOUNT_TABLE]
        frontier[ACCOUNT_TABLE] = add(account, db.session.execute(
            select(account).where(account.c.id == person.user_id)))

    # Follow the foreign keys from the rows found last round to the rows that point at them, until a round
    # finds nothing new. Each round asks each table once, and only about rows it has not been asked about.
    while frontier:
        found_now: dict[str, list[dict]] = {}
        for table in tables:
            if table.name == ACCOUNT_TABLE:
                continue  # only the young person's own account: never staff accounts linked from their rows
            conditions = []
            for fk in table.foreign_keys:
                rows = frontier.get(fk.column.table.name)
                if not rows:
                    continue
                values = sorted({row[fk.column.name] for row in rows} - {None})
                conditions.extend(fk.parent.in_(chunk) for chunk in _chunks(values))
            if conditions:
                new = add(table, db.session.execute(select(table).where(or_(*conditions))))
                if new:
                    found_now[table.name] = new
        frontier = found_now

    for table in tables:
        data.rows[table.name] = [found[table.name][k] for k in sorted(found[table.name], key=_sort_key)]
    return data


def _sort_key(key: tuple) -> tuple:
    return tuple((0, v) if isinstance(v, int) else (1, str(v)) for v in key)


def user_columns(table: Table) -> list[str]:
    """The columns of ``table`` that point at a user account (who recorded, who decided...)."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == ACCOUNT_TABLE]


def staff_names(data: PersonalData) -> dict[int, str]:
    """Names of the accounts named in the rows found (staff who recorded things, and the young person)."""
    ids: set[int] = set()
    for table in data.tables:
        for name in user_columns(table):
            ids.update(row[name] for row in data.rows.get(table.name, []) if row.get(name) is not None)
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(sorted(ids)))).all())


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    by: str | None
    role: str | None
    action: str
    record_type: str
    record_id: int | None
    changed_fields: str | None
    about_them: bool  # about their record (young_person_id), rather than something they did themselves


def list_audit_events(person: YoungPerson) -> list[AuditLine]:
    """Audit events about the young person's record, and those made by their own account, oldest first.

    Only events from when the record (or the account) was created: an event cannot be older than
    what it describes. This matters on SQLite, which gives a new row the highest id plus one, so
    after the record with the highest id is deleted the next young person can get the same number;
    the deleted record's audit events (kept, as plain numbers) are then older than the new record
    and are not shown as the new young person's. PostgreSQL never reuses an id.
    """
    who = aliased(User)
    condition = (AuditEvent.young_person_id == person.id) & (AuditEvent.at >= person.created_at)
    if person.user is not None:
        condition = or_(condition, (AuditEvent.user_id == person.user.id) & (AuditEvent.at >= person.user.created_at))
    rows = db.session.execute(
        select(AuditEvent, who.name)
        .outerjoin(who, who.id == AuditEvent.user_id)
        .where(condition)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    return [AuditLine(e.at, name, e.role, e.action, e.record_type, e.record_id, e.changed_fields,
                      e.young_person_id == person.id) for e, name in rows]


def plain(value):
    """A value as JSON can hold it: dates as ISO 8601, enums by their stored value, bytes as hex."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)
