"""Personal adviser visits and contact.

- After accommodation is provided: visit within 7 days of the move-in date, then at intervals of
  not more than 2 calendar months (CLR 2010 reg 8; ss23B, 23C(2) Children Act 1989).
  The statutory trigger is accommodation under s23B/s24B; Pathway applies it to every recorded
  move.
- Local contact standard, *configurable*: seen at least every 8 weeks (56 days). 8 weeks and
  2 months are different and are kept distinct.
- Custody: visit within 10 working days of first detention (*unconfirmed* for England;
  configurable).
- Bed and breakfast is unsuitable except in an emergency, and then for at most 2 working days
  (DOMAIN.md "Accommodation").
"""

from __future__ import annotations

from datetime import date

from pathway.rules.dates import add_days, add_months, add_working_days

POST_MOVE_VISIT_DAYS = 7
STATUTORY_VISIT_MONTHS = 2
CONTACT_STANDARD_DAYS = 56
"""Local standard (configurable): the young person is seen at least every 8 weeks."""
CUSTODY_VISIT_WORKING_DAYS = 10
"""Unconfirmed for England (configurable): visit within 10 working days of first detention."""
BED_AND_BREAKFAST_MAX_WORKING_DAYS = 2


def post_move_visit_due(move_in: date) -> date:
    """Return the last day for the post-move visit: on or before the move-in date + 7 days.

    CLR 2010 reg 8: "within 7 days" of accommodation being provided.
    """
    return add_days(move_in, POST_MOVE_VISIT_DAYS)


def post_move_visit_in_time(move_in: date, visited_on: date) -> bool:
    """Return True if a visit on ``visited_on`` meets the post-move duty for ``move_in``.

    The visit must be on or after the move-in date and on or before move-in + 7 days (CLR 2010
    reg 8). Only a visit that saw the young person counts; that is for the caller to check.
    """
    return move_in <= visited_on <= post_move_visit_due(move_in)


def statutory_visit_due(last_visit: date) -> date:
    """Return the last day for the next visit: not more than 2 calendar months after the last.

    CLR 2010 reg 8.
    """
    return add_months(last_visit, STATUTORY_VISIT_MONTHS)


def contact_due(last_contact: date, standard_days: int = CONTACT_STANDARD_DAYS) -> date:
    """Return when the young person must next be seen under the local contact standard.

    Local standard (*configurable*), default 56 days (8 weeks) after the last time they were seen.
    """
    return add_days(last_contact, standard_days)


def custody_visit_due(
    detained_on: date, working_days: int = CUSTODY_VISIT_WORKING_DAYS
) -> date:
    """Return the last day for a visit after first detention in custody.

    *Unconfirmed* for England and configurable: default 10 working days after ``detained_on``.
    """
    return add_working_days(detained_on, working_days)


def bed_and_breakfast_limit(placed_on: date) -> date:
    """Return the last day a young person may stay in bed and breakfast: 2 working days.

    Bed and breakfast (SSDA903 accommodation code W) is unsuitable except in an emergency, and then
    for no more than 2 working days.
    """
    return add_working_days(placed_on, BED_AND_BREAKFAST_MAX_WORKING_DAYS)
