"""Needs assessment and pathway plan review dates.

- Needs assessment: not more than 3 months after the 16th birthday, or after becoming eligible if
  that is later (CPPCR 2010 reg 42(1)).
- Review at least every 6 calendar months (pathway plan reviews: CPPCR 2010 Part 7 for eligible
  children, CLR 2010 Part 2 for relevant and former relevant young people; DOMAIN.md
  "Pathway plan").
- Review after a significant change: local practice, *configurable*, default within 28 working days
  of a change of accommodation (DOMAIN.md "Pathway plan").
"""

from __future__ import annotations

from datetime import date

from pathway.rules.dates import add_months, add_working_days, birthday

NEEDS_ASSESSMENT_MONTHS = 3
REVIEW_INTERVAL_MONTHS = 6
REVIEW_AFTER_MOVE_WORKING_DAYS = 28
"""Local standard (configurable): review the plan within this many working days of a move."""


def needs_assessment_due(dob: date, became_eligible: date | None = None) -> date:
    """Return when the needs assessment is due: max(16th birthday, became eligible) + 3 months.

    CPPCR 2010 reg 42(1): "not more than three months after the date on which C reaches the age
    of 16 or becomes an eligible child after that age".
    """
    start = birthday(dob, 16)
    if became_eligible is not None and became_eligible > start:
        start = became_eligible
    return add_months(start, NEEDS_ASSESSMENT_MONTHS)


def next_review_due(last_review: date) -> date:
    """Return the latest date for the next pathway plan review: 6 calendar months after the last.

    Pathway plan reviews "at least every 6 months" (CPPCR 2010 Part 7; CLR 2010 Part 2).
    """
    return add_months(last_review, REVIEW_INTERVAL_MONTHS)


def review_due_after_move(
    move_in: date, working_days: int = REVIEW_AFTER_MOVE_WORKING_DAYS
) -> date:
    """Return when the plan must be reviewed after a change of accommodation.

    Local standard (*configurable*), default 28 working days after the move-in date.
    """
    return add_working_days(move_in, working_days)
