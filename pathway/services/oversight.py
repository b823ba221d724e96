"""Management oversight (issue 6 section 4): notes on a record, supervision of advisers, and the
council's supervision standard.

Notes and supervision records are append-only: nothing here edits or deletes one. A correction is
a new note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pathway.extensions import db
from pathway.models import User, YoungPerson
from pathway.models.oversight import OversightKind, OversightNote, Supervision
from pathway.queries.settings import get_settings
from pathway.rules import supervision as rules
from pathway.services import audit
from pathway.services.settings import save_settings

FIRST_YEAR_KEY = "supervision_weeks_first_year"
WEEKS_KEY = "supervision_weeks"
MAX_WEEKS = 52


class OversightProblem(Exception):
    """An oversight action the rules do not allow; the message is shown to the user."""


@dataclass(frozen=True)
class SupervisionStandard:
    """The council's standard: weeks between supervisions in a PA's first year, and after it."""

    first_year_weeks: int = rules.FIRST_YEAR_WEEKS
    weeks: int = rules.WEEKS

    def as_kwargs(self) -> dict[str, int]:
        return {"first_year_weeks": self.first_year_weeks, "weeks": self.weeks}


def _weeks(value: str | None, default: int) -> int:
    try:
        weeks = int((value or "").strip())
    except ValueError:
        return default
    return weeks if 1 <= weeks <= MAX_WEEKS else default


def supervision_standard() -> SupervisionStandard:
    """The standard from the council's settings, or the defaults (4 and 6 weeks). One query."""
    values = get_settings((FIRST_YEAR_KEY, WEEKS_KEY))
    return SupervisionStandard(
        first_year_weeks=_weeks(values.get(FIRST_YEAR_KEY), rules.FIRST_YEAR_WEEKS),
        weeks=_weeks(values.get(WEEKS_KEY), rules.WEEKS),
    )


def set_supervision_standard(*, first_year_weeks: int, weeks: int, by: User,
                             expected_version: int | None = None) -> None:
    """An administrator changes the standard. Audited; commits. ``expected_version``: see save_settings."""
    for value in (first_year_weeks, weeks):
        if not 1 <= value <= MAX_WEEKS:
            raise OversightProblem(f"The number of weeks must be between 1 and {MAX_WEEKS}")
    save_settings({FIRST_YEAR_KEY: first_year_weeks, WEEKS_KEY: weeks}, by=by, expected_version=expected_version)


def add_note(person: YoungPerson, *, by: User, kind: OversightKind | str, noted_on: date, note: str) -> OversightNote:
    """A manager's oversight note on a young person's record, attributed to them and to the personal
    adviser allocated now (a supervision discussion counts as that adviser's supervision). Commits."""
    kind = OversightKind(kind.value if isinstance(kind, OversightKind) else kind)  # ValueError for an unknown kind
    text = (note or "").strip()
    if not text:
        raise OversightProblem("Enter the note")
    if noted_on < person.date_of_birth:
        raise OversightProblem("The date must be on or after their date of birth")
    current = person.current_allocation
    entry = OversightNote(young_person_id=person.id, kind=kind.value, noted_on=noted_on, note=text,
                          adviser_id=current.adviser_id if current else None, by_id=by.id)
    db.session.add(entry)
    db.session.flush()
    audit.record("create", "oversight_note", entry.id, young_person_id=person.id,
                 fields=["kind", "noted_on", "note", "adviser_id"], user=by)
    db.session.commit()
    return entry


def record_supervision(adviser: User, *, by: User, held_on: date, notes: str | None) -> Supervision:
    """A manager records a supervision session with a personal adviser. Audited (no young person); commits."""
    session = Supervision(adviser_id=adviser.id, held_on=held_on, notes=(notes or "").strip() or None, by_id=by.id)
    db.session.add(session)
    db.session.flush()
    audit.record("create", "supervision", session.id, young_person_id=None,
                 fields=["adviser_id", "held_on", "notes"], user=by)
    db.session.commit()
    return session
