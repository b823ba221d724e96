"""Key dates on a young person's record: birthdays that change duties, and plan deadlines.

- 18th birthday: leaves care; former relevant duties start (Children Act 1989 s23C).
- 21st birthday: qualifying status and core former relevant duties end (ss23C, 24), unless in
  education or training under the plan.
- 25th birthday: personal adviser support and the local offer end (s23CZB).
- Needs assessment due: CPPCR 2010 reg 42(1). Next review due: every 6 months.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from pathway.rules.dates import birthday
from pathway.rules.reviews import needs_assessment_due, next_review_due


class KeyDate(NamedTuple):
    """One key date. Unpacks as ``(label, date, is_past)``; ``is_past`` means before today."""

    label: str
    date: date
    is_past: bool


def key_dates(
    dob: date,
    today: date,
    last_review: date | None = None,
    became_eligible: date | None = None,
) -> list[KeyDate]:
    """Return the key dates in date order (the next review only when ``last_review`` is known)."""
    entries = [
        ("18th birthday", birthday(dob, 18)),
        ("21st birthday", birthday(dob, 21)),
        ("25th birthday", birthday(dob, 25)),
        ("Needs assessment due", needs_assessment_due(dob, became_eligible)),
    ]
    if last_review is not None:
        entries.append(("Next review due", next_review_due(last_review)))
    entries.sort(key=lambda entry: entry[1])
    return [KeyDate(label, when, when < today) for label, when in entries]
