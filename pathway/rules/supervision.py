"""How often a personal adviser must be supervised (issue 6 section 4).

Local practice, *configurable* (council settings ``supervision_weeks_first_year`` and
``supervision_weeks``): by default a personal adviser in their first year in the role is supervised
at least every 4 weeks, and every 6 weeks after that.

- First year: the adviser's start date in the role is known and ``today`` is before the first
  anniversary of it (``started_role_on`` + 1 calendar year; a 29 February start's anniversary is
  28 February). On the anniversary itself the longer standard applies. An unknown start date means
  the longer standard.
- The standard that applies is the one on ``today``, so the due date moves out on the anniversary.
- Due: the last supervision + the standard in weeks (7 days each). Still within the standard on the
  due date itself; overdue from the day after.
"""

from __future__ import annotations

from datetime import date, timedelta

from pathway.rules.dates import birthday

FIRST_YEAR_WEEKS = 4
"""Default standard for a personal adviser in their first year in the role: supervised every 4 weeks."""
WEEKS = 6
"""Default standard for everyone else: supervised every 6 weeks."""


def in_first_year(started_role_on: date | None, today: date) -> bool:
    """True if the adviser started the role less than a year before ``today`` (see the module docstring)."""
    return started_role_on is not None and today < birthday(started_role_on, 1)


def supervision_standard_weeks(started_role_on: date | None, today: date, *,
                               first_year_weeks: int = FIRST_YEAR_WEEKS, weeks: int = WEEKS) -> int:
    """The most weeks allowed between supervisions on ``today``: ``first_year_weeks`` in the adviser's
    first year in the role, otherwise ``weeks``."""
    return first_year_weeks if in_first_year(started_role_on, today) else weeks


def supervision_due(last: date | None, started_role_on: date | None, today: date, *,
                    first_year_weeks: int = FIRST_YEAR_WEEKS, weeks: int = WEEKS) -> date | None:
    """The latest date the next supervision is due.

    - Supervised before: ``last`` + the standard on ``today`` in weeks.
    - Never supervised, start date known: ``started_role_on`` + the standard in weeks.
    - Never supervised and the start date unknown: None (there is nothing to count from).
    """
    standard = supervision_standard_weeks(started_role_on, today, first_year_weeks=first_year_weeks, weeks=weeks)
    start = last if last is not None else started_role_on
    if start is None:
        return None
    return start + timedelta(weeks=standard)


def supervision_overdue(last: date | None, started_role_on: date | None, today: date, *,
                        first_year_weeks: int = FIRST_YEAR_WEEKS, weeks: int = WEEKS) -> bool:
    """True when supervision is older than the standard.

    Exactly: overdue when ``today`` is after the date ``supervision_due`` gives (on the due date itself
    it is not overdue). An adviser never supervised is overdue once more than the standard has passed
    since they started in the role. An adviser never supervised whose start date is unknown is overdue:
    nothing shows they have ever been supervised.
    """
    due = supervision_due(last, started_role_on, today, first_year_weeks=first_year_weeks, weeks=weeks)
    if due is None:
        return True
    return today > due
