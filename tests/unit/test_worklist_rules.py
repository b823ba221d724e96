"""Tests for pathway.rules.worklist: next visit and contact due, and the worklist order."""

from datetime import date

import pytest

from pathway.rules.flags import Contact, Flag, FlagKind, Move
from pathway.rules.worklist import (
    Due,
    Urgency,
    WorklistRow,
    filter_rows,
    most_days_overdue,
    next_contact_due,
    next_review,
    next_visit_due,
    urgency,
    worklist_order,
)

TODAY = date(2026, 6, 10)
MOVE_IN = date(2026, 3, 2)


def visit(day, kind="home_visit", reached=True):
    return Contact(day, kind, reached)


# next_visit_due --------------------------------------------------------------------------------


def test_nothing_to_count_from():
    assert next_visit_due([], [], [], TODAY) is None
    assert next_contact_due([], TODAY) is None


def test_post_move_visit_is_due_7_days_after_the_move():
    assert next_visit_due([Move(MOVE_IN, "U1")], [], [], date(2026, 3, 3)) == Due(
        date(2026, 3, 9), "Within 7 days of the move on 2 March 2026"
    )


def test_an_attempted_visit_does_not_meet_the_post_move_duty():
    contacts = [visit(date(2026, 3, 4), "attempted_visit", False), visit(date(2026, 3, 5), "phone")]
    assert next_visit_due([Move(MOVE_IN, "U1")], contacts, [], date(2026, 3, 6)).on == date(2026, 3, 9)


def test_a_visit_before_the_move_does_not_meet_it():
    due = next_visit_due([Move(MOVE_IN, "U1")], [visit(date(2026, 3, 1))], [], date(2026, 3, 3))
    assert due.on == date(2026, 3, 9)


@pytest.mark.parametrize(
    ("last_visit", "expected"),
    [
        (date(2026, 3, 9), date(2026, 5, 9)),
        (date(2026, 3, 31), date(2026, 5, 31)),
        (date(2026, 12, 31), date(2027, 2, 28)),  # calendar months, clamped
    ],
)
def test_then_2_calendar_months_after_the_last_visit(last_visit, expected):
    due = next_visit_due([Move(MOVE_IN, "U1")], [visit(last_visit)], [date(2026, 3, 5)], last_visit)
    assert due == Due(expected, f"2 months after the last visit on {last_visit.day} {last_visit:%B %Y}")


def test_an_attempted_visit_does_not_restart_the_2_months():
    contacts = [visit(date(2026, 3, 9)), visit(date(2026, 5, 1), "attempted_visit", False)]
    assert next_visit_due([Move(MOVE_IN, "U1")], contacts, [date(2026, 3, 5)], TODAY).on == date(2026, 5, 9)


def test_a_visit_is_due_before_the_next_plan_review():
    # Reviewed on 1 April; the next review is due 1 October. No visit since the review: the review
    # date is the deadline only if it is sooner than the 2 months, so with a visit on 30 March the
    # 2-month rule (30 May) comes first.
    contacts = [visit(date(2026, 3, 30))]
    reviews = [date(2026, 4, 1)]
    assert next_visit_due([Move(MOVE_IN, "U1")], contacts, reviews, date(2026, 4, 2)).on == date(2026, 5, 30)
    booked = next_visit_due(
        [Move(MOVE_IN, "U1")], contacts, reviews, date(2026, 4, 2), upcoming_review=date(2026, 4, 20)
    )
    assert booked == Due(date(2026, 4, 20), "Before the plan review due on 20 April 2026")


def test_a_visit_since_the_last_review_meets_the_before_review_duty():
    contacts = [visit(date(2026, 4, 2))]
    due = next_visit_due([Move(MOVE_IN, "U1")], contacts, [date(2026, 4, 1)], date(2026, 4, 3), upcoming_review=date(2026, 4, 20))
    assert due.on == date(2026, 6, 2)


def test_before_the_first_review_uses_the_review_after_a_move():
    # No visit and no review: post-move (9 March) comes before the review (13 April).
    assert next_visit_due([Move(MOVE_IN, "U1")], [], [], date(2026, 3, 3)).on == date(2026, 3, 9)


def test_custody_uses_10_working_days_over_christmas():
    due = next_visit_due([Move(date(2026, 12, 18), "X")], [], [], date(2026, 12, 19))
    assert due == Due(date(2027, 1, 6), "Within 10 working days of detention on 18 December 2026")


def test_the_earliest_unmet_duty_wins_even_if_overdue():
    moves = [Move(MOVE_IN, "U1"), Move(date(2026, 6, 1), "D1")]
    contacts = [visit(date(2026, 3, 9))]
    # Two months after 9 March is 9 May (overdue), before the move on 1 June (due 8 June).
    assert next_visit_due(moves, contacts, [date(2026, 3, 5)], TODAY).on == date(2026, 5, 9)


def test_since_starts_the_2_months_before_any_visit():
    assert next_visit_due([], [], [], TODAY, since=date(2026, 6, 1)) == Due(
        date(2026, 8, 1), "2 months after the start on 1 June 2026"
    )


def test_a_local_in_person_standard_can_be_applied_to_visits():
    contacts = [visit(date(2026, 3, 9))]
    due = next_visit_due([Move(MOVE_IN, "U1")], contacts, [date(2026, 3, 5)], date(2026, 3, 10), standard_days=42)
    assert due == Due(date(2026, 4, 20), "42 days after the last visit on 9 March 2026")


def test_next_review():
    assert next_review([Move(MOVE_IN, "U1")], [], TODAY) == Due(
        date(2026, 4, 13), "Within 28 working days of the move on 2 March 2026"
    )
    assert next_review([Move(MOVE_IN, "U1")], [date(2026, 4, 1)], TODAY) == Due(
        date(2026, 10, 1), "6 months after the review on 1 April 2026"
    )
    assert next_review([], [], TODAY) is None


# next_contact_due ------------------------------------------------------------------------------


def test_next_contact_due_is_56_days_after_the_last_successful_contact():
    contacts = [visit(date(2026, 1, 1), "phone"), visit(date(2026, 1, 20), "attempted_visit", False)]
    assert next_contact_due(contacts, TODAY) == Due(
        date(2026, 2, 26), "56 days after they were last reached, on 1 January 2026"
    )
    assert next_contact_due(contacts, TODAY, standard_days=28).on == date(2026, 1, 29)
    assert next_contact_due([], TODAY, since=date(2026, 1, 1)).on == date(2026, 2, 26)


# Worklist order --------------------------------------------------------------------------------


def flag(due, kind=FlagKind.POST_MOVE_VISIT, resolved=False):
    return Flag(
        kind,
        "Visit within 7 days of the move",
        due=due,
        raised_on=date(2026, 1, 1),
        rule="r",
        resolved_on=due if resolved else None,
        resolution="Visited" if resolved else None,
    )


def row(person_id, name, flags=(), next_visit=None):
    return WorklistRow(person_id, name, tuple(flags), next_visit)


def names(rows):
    return [r.name for r in rows]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([], Urgency.OTHER),
        ([flag(date(2026, 6, 9))], Urgency.OVERDUE),
        ([flag(TODAY)], Urgency.DUE_SOON),  # due today is not overdue
        ([flag(date(2026, 6, 17))], Urgency.DUE_SOON),  # the 7th day
        ([flag(date(2026, 6, 18))], Urgency.OTHER),  # the 8th day
        ([flag(date(2026, 6, 1), resolved=True)], Urgency.OTHER),
    ],
)
def test_urgency(flags, expected):
    assert urgency(row(1, "A", flags), TODAY) is expected


def test_overdue_first_most_days_overdue_first_then_due_soon_then_by_next_visit():
    rows = [
        row(1, "Everyone else late", next_visit=date(2026, 7, 1)),
        row(2, "Due soon later", [flag(date(2026, 6, 15))]),
        row(3, "Overdue 1 day", [flag(date(2026, 6, 9))]),
        row(4, "Everyone else early", next_visit=date(2026, 6, 20)),
        row(5, "No date"),
        row(6, "Overdue 10 days", [flag(date(2026, 5, 31)), flag(date(2026, 6, 12))]),
        row(7, "Due soon first", [flag(date(2026, 6, 11))]),
        row(8, "Resolved only", [flag(date(2026, 5, 1), resolved=True)], next_visit=date(2026, 6, 25)),
        row(9, "Visit overdue, no flag", next_visit=date(2026, 6, 1)),
    ]
    assert names(worklist_order(rows, TODAY)) == [
        "Overdue 10 days",
        "Overdue 1 day",
        "Due soon first",
        "Due soon later",
        "Visit overdue, no flag",
        "Everyone else early",
        "Resolved only",
        "Everyone else late",
        "No date",
    ]


def test_ties_break_on_next_visit_then_name_then_input_order():
    same = [flag(date(2026, 6, 5))]
    rows = [
        row(1, "Zara", same, date(2026, 6, 20)),
        row(2, "amir", same, date(2026, 6, 20)),
        row(3, "Beth", same, date(2026, 6, 12)),
        row(4, "Amir", same, date(2026, 6, 20)),
        row(5, "Cal", same, None),
    ]
    ordered = worklist_order(rows, TODAY)
    assert [r.person_id for r in ordered] == [3, 2, 4, 1, 5]


def test_due_soon_ties_and_everyone_else_ties():
    rows = [
        row(1, "B", [flag(date(2026, 6, 12))], date(2026, 6, 30)),
        row(2, "A", [flag(date(2026, 6, 12))], date(2026, 6, 30)),
        row(3, "C", [flag(date(2026, 6, 12))], date(2026, 6, 14)),
        row(4, "Y", [], date(2026, 7, 1)),
        row(5, "X", [], date(2026, 7, 1)),
    ]
    assert [r.person_id for r in worklist_order(rows, TODAY)] == [3, 2, 1, 5, 4]


def test_most_days_overdue():
    assert most_days_overdue(row(1, "A", [flag(date(2026, 6, 1)), flag(date(2026, 6, 8))]), TODAY) == 9
    assert most_days_overdue(row(1, "A"), TODAY) == 0


def test_filter_rows():
    rows = [
        row(1, "Overdue visit", [flag(date(2026, 6, 1))]),
        row(2, "Help soon", [flag(date(2026, 6, 11), FlagKind.HELP_REQUEST)]),
        row(3, "Nothing"),
        row(4, "Resolved", [flag(date(2026, 6, 1), resolved=True)]),
    ]
    assert names(filter_rows(rows, TODAY)) == ["Overdue visit", "Help soon", "Nothing", "Resolved"]
    assert names(filter_rows(rows, TODAY, overdue_only=True)) == ["Overdue visit"]
    assert names(filter_rows(rows, TODAY, kind="help_request")) == ["Help soon"]
    assert names(filter_rows(rows, TODAY, overdue_only=True, kind=FlagKind.HELP_REQUEST)) == []
