"""The DfE care leaver return (SSDA903 OC3): the rows, the records that fail its checks, and the audit.

Who is in it, what each row says and how it is checked are decided in pathway.rules.oc3 (see its
docstring: the collection year 2026 is 1 April 2025 to 31 March 2026; the information window is
3 months before to 1 month after the birthday unless the council sets ``oc3_months_before`` /
``oc3_months_after``). The data comes from pathway.queries.oc3 in a fixed number of queries.

An export is a view of each record it includes: ``record_export`` writes one audit "export" event
per young person in the file, and commits. ``build_return`` itself writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select

from pathway.extensions import db
from pathway.models import User
from pathway.queries.oc3 import get_oc3_data, get_window_months
from pathway.rules import oc3 as rules
from pathway.services import audit
from pathway.services.csv_export import csv_text

AUDIT_RECORD_TYPE = "care_leaver_return"
AUDIT_FIELDS = ("date_of_birth", "in_touch", "activity", "accommodation")
FAILURES_HEADER = ("CHILD", "NAME", "BIRTHDAY_AGE", "REASON")


@dataclass(frozen=True)
class Failure:
    """One reason one row fails the return's checks."""

    person_id: int
    name: str
    birthday_age: int
    reason: str


@dataclass
class Return:
    year: int
    start: date
    end: date
    months_before: int
    months_after: int
    rows: list[rules.Oc3Row] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def person_ids(self) -> list[int]:
        """Everyone in the file, once each."""
        return sorted({int(row.child) for row in self.rows})

    @property
    def failed_person_ids(self) -> list[int]:
        return sorted({failure.person_id for failure in self.failures})

    @property
    def rows_failing(self) -> int:
        return len({(f.person_id, f.birthday_age) for f in self.failures})

    @property
    def rows_passing(self) -> int:
        return len(self.rows) - self.rows_failing

    def csv(self) -> str:
        """The return as the DfE file: the header, then one line per row."""
        return csv_text(rules.HEADER, (row.cells() for row in self.rows))

    def failures_csv(self) -> str:
        """The failures: CHILD, NAME, BIRTHDAY_AGE, REASON (names are typed by people: made safe)."""
        return csv_text(
            FAILURES_HEADER, ((str(f.person_id), f.name, f.birthday_age, f.reason) for f in self.failures)
        )


def build_return(year: int, *, people_select: Select | None = None, today: date) -> Return:
    """Work out the return for the collection year ending 31 March ``year``. Reads only.

    ``people_select`` limits it to the young people a user may see (``visible_young_people``);
    None is the whole council. ``year`` must already be checked (``rules.check_year``).
    """
    start, end = rules.collection_year(year)
    before, after = get_window_months()
    data = get_oc3_data(year, months_before=before, months_after=after, people_select=people_select)
    result = Return(year=year, start=start, end=end, months_before=before, months_after=after)
    for person in data.people:
        contacts = data.contacts.get(person.id, [])
        moves = data.moves.get(person.id, [])
        birthdays = rules.qualifying_birthdays(
            person.date_of_birth, data.episodes.get(person.id, []), contacts, year,
            today=today, months_before=before, months_after=after,
        )
        for age, on in birthdays:
            row = rules.derive_row(
                str(person.id), person.date_of_birth, age, on, contacts, moves,
                today=today, months_before=before, months_after=after,
            )
            result.rows.append(row)
            result.failures.extend(
                Failure(person.id, person.display_name, age, reason) for reason in rules.validate_row(row)
            )
    result.failures.sort(key=lambda f: (f.name.casefold(), f.person_id, f.birthday_age))
    return result


def record_export(person_ids: Iterable[int], *, action: str = "export", user: User | None = None) -> None:
    """Audit one event per young person (an export, or a view of the failures list), then commit.

    ``user`` None in a request means the signed-in user; from the command line, nobody.
    """
    audit.record_many(action, AUDIT_RECORD_TYPE, person_ids, fields=AUDIT_FIELDS, user=user)
    db.session.commit()
