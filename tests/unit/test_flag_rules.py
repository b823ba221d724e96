"""Tests for pathway.rules.flags: each automatic risk flag on its boundary dates."""

from datetime import UTC, date, datetime, timedelta

import pytest

from pathway.rules.dates import add_working_days
from pathway.rules.flags import (
    Contact,
    Flag,
    FlagKind,
    HelpRequest,
    Move,
    days_overdue,
    help_request_due,
    open_flags,
    overdue,
    risk_flags,
)
from pathway.rules.reviews import review_due_after_move
from pathway.rules.visits import custody_visit_due

DOB = date(2008, 6, 15)  # 17 until 15 June 2026, 18 after
MOVE_IN = date(2026, 3, 2)  # a Monday
POST_MOVE = "Visit within 7 days of the move"
PLAN_REVIEW = "Plan review within 28 working days of the move"
CUSTODY = "Visit within 10 working days of detention"
B_AND_B = "Bed and breakfast beyond 2 working days"
UNREGISTERED = "Provider not registered with Ofsted"
UNSUITABLE = "Unsuitable accommodation"
NOT_REACHED = "Not reached: make contact"


def only(flags, kind):
    return [f for f in flags if f.kind is kind]


def one(flags, kind):
    [flag] = only(flags, kind)
    return flag


def visit(day, kind="home_visit", reached=True):
    return Contact(day, kind, reached)


# A move: visit within 7 days ------------------------------------------------------------------


def test_a_move_raises_the_post_move_visit_and_plan_review_flags():
    flags = risk_flags(DOB, [Move(MOVE_IN, "U1")], [], MOVE_IN)
    post = one(flags, FlagKind.POST_MOVE_VISIT)
    assert post.title == POST_MOVE
    assert post.due == date(2026, 3, 9)
    assert post.raised_on == MOVE_IN
    assert post.rule == "CLR 2010 reg 8: visit within 7 days of the move"
    assert post.is_open and post.resolved_on is None and post.resolution is None
    review = one(flags, FlagKind.PLAN_REVIEW_AFTER_MOVE)
    assert review.title == PLAN_REVIEW
    assert review.due == review_due_after_move(MOVE_IN) == date(2026, 4, 13)
    assert review.rule == "Local standard: review the pathway plan within 28 working days of a move"


@pytest.mark.parametrize(
    ("today", "is_overdue", "days"),
    [(date(2026, 3, 8), False, 0), (date(2026, 3, 9), False, 0), (date(2026, 3, 10), True, 1), (date(2026, 3, 16), True, 7)],
)
def test_post_move_flag_is_overdue_from_the_8th_day(today, is_overdue, days):
    flag = one(risk_flags(DOB, [Move(MOVE_IN, "U1")], [], today), FlagKind.POST_MOVE_VISIT)
    assert overdue(flag, today) is is_overdue
    assert days_overdue(flag, today) == days


@pytest.mark.parametrize(
    ("visited_on", "in_time", "resolution"),
    [
        (date(2026, 3, 2), True, "Visited on 2 March 2026, in time"),
        (date(2026, 3, 9), True, "Visited on 9 March 2026, in time"),  # the 7th day
        (date(2026, 3, 10), False, "Visited on 10 March 2026, 1 day late"),  # the 8th day
        (date(2026, 3, 12), False, "Visited on 12 March 2026, 3 days late"),
    ],
)
def test_a_visit_resolves_the_post_move_flag_and_records_if_in_time(visited_on, in_time, resolution):
    today = date(2026, 3, 20)
    flag = one(risk_flags(DOB, [Move(MOVE_IN, "U1")], [visit(visited_on)], today), FlagKind.POST_MOVE_VISIT)
    assert flag.resolved_on == visited_on
    assert flag.in_time is in_time
    assert flag.resolution == resolution
    assert not flag.is_open
    assert days_overdue(flag, today) == 0
    assert overdue(flag, today) is False


def test_a_visit_elsewhere_resolves_it():
    flags = risk_flags(DOB, [Move(MOVE_IN, "U1")], [visit(date(2026, 3, 4), "visit_elsewhere")], date(2026, 3, 5))
    assert one(flags, FlagKind.POST_MOVE_VISIT).resolved_on == date(2026, 3, 4)


def test_a_visit_dated_before_the_move_does_not_resolve_it():
    flags = risk_flags(DOB, [Move(MOVE_IN, "U1")], [visit(date(2026, 3, 1))], date(2026, 3, 10))
    flag = one(flags, FlagKind.POST_MOVE_VISIT)
    assert flag.is_open
    assert days_overdue(flag, date(2026, 3, 10)) == 1


@pytest.mark.parametrize(
    "contact",
    [
        visit(date(2026, 3, 3), "attempted_visit", False),
        visit(date(2026, 3, 3), "home_visit", False),
        visit(date(2026, 3, 3), "phone"),
        visit(date(2026, 3, 3), "office"),
        visit(date(2026, 3, 3), "video"),
    ],
)
def test_an_attempted_visit_or_a_call_does_not_resolve_it(contact):
    flags = risk_flags(DOB, [Move(MOVE_IN, "U1")], [contact], date(2026, 3, 5))
    assert one(flags, FlagKind.POST_MOVE_VISIT).is_open


def test_a_visit_with_a_utc_time_counts_on_its_day_in_england():
    # 23:30 UTC on 9 March is 23:30 GMT, still the 7th day.
    contact = visit(datetime(2026, 3, 9, 23, 30, tzinfo=UTC))
    flag = one(risk_flags(DOB, [Move(MOVE_IN, "U1")], [contact], date(2026, 3, 10)), FlagKind.POST_MOVE_VISIT)
    assert flag.in_time is True


def test_each_move_has_its_own_flags_and_one_later_visit_resolves_both():
    moves = [Move(MOVE_IN, "U1"), Move(date(2026, 3, 5), "D1")]
    flags = risk_flags(DOB, moves, [visit(date(2026, 3, 6))], date(2026, 3, 20))
    posts = only(flags, FlagKind.POST_MOVE_VISIT)
    assert [(f.raised_on, f.resolved_on) for f in posts] == [(MOVE_IN, date(2026, 3, 6)), (date(2026, 3, 5), date(2026, 3, 6))]


def test_moves_and_contacts_after_today_are_ignored():
    moves = [Move(MOVE_IN, "U1"), Move(date(2026, 4, 1), "D1")]
    flags = risk_flags(DOB, moves, [visit(date(2026, 3, 20))], date(2026, 3, 10))
    assert [f.raised_on for f in only(flags, FlagKind.POST_MOVE_VISIT)] == [MOVE_IN]
    assert one(flags, FlagKind.POST_MOVE_VISIT).is_open


# Plan review after a move ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reviews", "resolved_on", "in_time"),
    [
        ([], None, None),
        ([date(2026, 3, 1)], None, None),  # a review before the move does not count
        ([date(2026, 4, 13)], date(2026, 4, 13), True),
        ([date(2026, 4, 14)], date(2026, 4, 14), False),
        ([date(2026, 5, 1), date(2026, 3, 20)], date(2026, 3, 20), True),
    ],
)
def test_plan_review_flag_resolved_by_a_review_after_the_move(reviews, resolved_on, in_time):
    flags = risk_flags(DOB, [Move(MOVE_IN, "U1")], [], date(2026, 6, 1), reviews=reviews)
    flag = one(flags, FlagKind.PLAN_REVIEW_AFTER_MOVE)
    assert flag.resolved_on == resolved_on
    assert flag.in_time is in_time


def test_plan_review_working_days_are_configurable():
    flags = risk_flags(DOB, [Move(MOVE_IN, "U1")], [], MOVE_IN, review_working_days=10)
    flag = one(flags, FlagKind.PLAN_REVIEW_AFTER_MOVE)
    assert flag.title == "Plan review within 10 working days of the move"
    assert flag.due == date(2026, 3, 16)


# Custody ---------------------------------------------------------------------------------------

DETAINED = date(2026, 12, 18)  # Friday before Christmas 2026


def test_custody_visit_over_christmas_bank_holidays():
    # 25 December, 28 December (substitute for Boxing Day) and 1 January are bank holidays.
    due = add_working_days(DETAINED, 10)
    assert due == custody_visit_due(DETAINED) == date(2027, 1, 6)
    flags = risk_flags(DOB, [Move(MOVE_IN, "U1"), Move(DETAINED, "X")], [], date(2027, 1, 6))
    flag = one(flags, FlagKind.CUSTODY_VISIT)
    assert flag.title == CUSTODY
    assert flag.due == date(2027, 1, 6)
    assert flag.raised_on == DETAINED
    assert flag.rule == "Local standard (unconfirmed for England): visit within 10 working days of detention"
    assert not overdue(flag, date(2027, 1, 6))
    assert days_overdue(flag, date(2027, 1, 7)) == 1


def test_custody_gets_the_custody_flag_not_the_7_day_flag():
    flags = risk_flags(DOB, [Move(DETAINED, "X")], [], date(2026, 12, 20))
    assert only(flags, FlagKind.POST_MOVE_VISIT) == []
    assert len(only(flags, FlagKind.CUSTODY_VISIT)) == 1
    assert len(only(flags, FlagKind.PLAN_REVIEW_AFTER_MOVE)) == 1


@pytest.mark.parametrize(
    ("visited_on", "resolved_on", "in_time"),
    [
        (date(2026, 12, 17), None, None),
        (date(2027, 1, 6), date(2027, 1, 6), True),
        (date(2027, 1, 7), date(2027, 1, 7), False),
    ],
)
def test_custody_flag_resolved_by_a_visit_on_or_after_detention(visited_on, resolved_on, in_time):
    flags = risk_flags(DOB, [Move(DETAINED, "X")], [visit(visited_on, "visit_elsewhere")], date(2027, 2, 1))
    flag = one(flags, FlagKind.CUSTODY_VISIT)
    assert flag.resolved_on == resolved_on
    assert flag.in_time is in_time


def test_a_transfer_between_prisons_is_not_a_new_detention():
    moves = [Move(DETAINED, "X"), Move(date(2027, 1, 4), "X")]
    flags = risk_flags(DOB, moves, [], date(2027, 1, 5))
    assert [f.raised_on for f in only(flags, FlagKind.CUSTODY_VISIT)] == [DETAINED]


def test_custody_working_days_are_configurable():
    flags = risk_flags(DOB, [Move(DETAINED, "X")], [], DETAINED, custody_working_days=5)
    flag = one(flags, FlagKind.CUSTODY_VISIT)
    assert flag.title == "Visit within 5 working days of detention"
    assert flag.due == date(2026, 12, 29)


# Bed and breakfast -----------------------------------------------------------------------------

PLACED = date(2026, 5, 22)  # Friday before the spring bank holiday, Monday 25 May 2026
LIMIT = date(2026, 5, 27)  # Tuesday 26 and Wednesday 27 are the 2 working days


def test_bed_and_breakfast_limit_skips_the_bank_holiday_monday():
    assert add_working_days(PLACED, 2) == LIMIT


@pytest.mark.parametrize(("today", "flagged"), [(date(2026, 5, 25), False), (LIMIT, False), (date(2026, 5, 28), True)])
def test_bed_and_breakfast_flag_only_once_the_limit_passes(today, flagged):
    flags = only(risk_flags(DOB, [Move(PLACED, "W2")], [], today), FlagKind.BED_AND_BREAKFAST)
    assert bool(flags) is flagged
    if flagged:
        [flag] = flags
        assert flag.title == B_AND_B
        assert flag.due == LIMIT
        assert flag.raised_on == date(2026, 5, 28)
        assert days_overdue(flag, today) == 1


def test_moving_out_on_the_last_day_raises_no_flag():
    moves = [Move(PLACED, "W2"), Move(LIMIT, "D1")]
    assert only(risk_flags(DOB, moves, [], date(2026, 6, 30)), FlagKind.BED_AND_BREAKFAST) == []


def test_moving_out_after_the_limit_leaves_a_resolved_flag():
    moves = [Move(PLACED, "W2"), Move(date(2026, 5, 29), "D1")]
    flag = one(risk_flags(DOB, moves, [], date(2026, 6, 30)), FlagKind.BED_AND_BREAKFAST)
    assert flag.resolved_on == date(2026, 5, 29)
    assert flag.resolution == "Moved out of bed and breakfast on 29 May 2026"


def test_moving_between_bed_and_breakfasts_does_not_restart_the_count():
    moves = [Move(PLACED, "W2"), Move(date(2026, 5, 26), "W2")]
    flags = only(risk_flags(DOB, moves, [], date(2026, 5, 28)), FlagKind.BED_AND_BREAKFAST)
    assert [(f.due, f.raised_on) for f in flags] == [(LIMIT, date(2026, 5, 28))]


# Unregistered provider and unsuitable accommodation -------------------------------------------


def test_unregistered_provider_for_a_17_year_old_in_supported_accommodation():
    flag = one(risk_flags(DOB, [Move(MOVE_IN, "D1", registered_provider=False)], [], MOVE_IN), FlagKind.UNREGISTERED_PROVIDER)
    assert flag.title == UNREGISTERED
    assert flag.due == flag.raised_on == MOVE_IN
    assert flag.is_open
    assert flag.rule.startswith("Supported Accommodation (England) Regulations 2023")


@pytest.mark.parametrize(
    ("move", "flagged"),
    [
        (Move(MOVE_IN, "D1", registered_provider=True), False),
        (Move(MOVE_IN, "D1", registered_provider=None), False),
        (Move(MOVE_IN, "U1", registered_provider=False), False),
        (Move(date(2026, 6, 15), "D1", registered_provider=False), False),  # the 18th birthday
        (Move(date(2026, 6, 14), "E1", registered_provider=False), True),
    ],
)
def test_unregistered_provider_only_for_16_17_in_supported_accommodation(move, flagged):
    flags = risk_flags(DOB, [move], [], date(2026, 6, 14))
    assert bool(only(flags, FlagKind.UNREGISTERED_PROVIDER)) is flagged


def test_unregistered_provider_resolved_by_a_move_or_the_18th_birthday():
    moved = risk_flags(DOB, [Move(MOVE_IN, "D1", registered_provider=False), Move(date(2026, 4, 1), "D1", True)], [], date(2026, 7, 1))
    flag = one(moved, FlagKind.UNREGISTERED_PROVIDER)
    assert (flag.resolved_on, flag.resolution) == (date(2026, 4, 1), "Moved on 1 April 2026")
    stayed = risk_flags(DOB, [Move(MOVE_IN, "D1", registered_provider=False)], [], date(2026, 6, 15))
    flag = one(stayed, FlagKind.UNREGISTERED_PROVIDER)
    assert (flag.resolved_on, flag.resolution) == (date(2026, 6, 15), "Turned 18 on 15 June 2026")
    assert one(risk_flags(DOB, [Move(MOVE_IN, "D1", registered_provider=False)], [], date(2026, 6, 14)), FlagKind.UNREGISTERED_PROVIDER).is_open


@pytest.mark.parametrize(
    ("move", "flagged"),
    [
        (Move(MOVE_IN, "U1", suitable=False), True),
        (Move(MOVE_IN, "U2"), True),  # no assessment: the code says unsuitable
        (Move(MOVE_IN, "U2", suitable=True), False),  # the assessment wins
        (Move(MOVE_IN, "U1"), False),
        (Move(MOVE_IN, "U"), False),
    ],
)
def test_unsuitable_accommodation(move, flagged):
    flags = only(risk_flags(DOB, [move], [], MOVE_IN), FlagKind.UNSUITABLE_ACCOMMODATION)
    assert bool(flags) is flagged
    if flagged:
        assert flags[0].title == UNSUITABLE
        assert flags[0].due == MOVE_IN


def test_unsuitable_accommodation_resolved_by_the_next_move():
    moves = [Move(MOVE_IN, "U2"), Move(date(2026, 4, 1), "U1")]
    flag = one(risk_flags(DOB, moves, [], date(2026, 4, 2)), FlagKind.UNSUITABLE_ACCOMMODATION)
    assert flag.resolved_on == date(2026, 4, 1)
    assert flag.resolution == "Moved on 1 April 2026"


def test_unknown_code_in_a_move_is_refused():
    with pytest.raises(ValueError):
        Move(MOVE_IN, "Q1")


# Unreachable -----------------------------------------------------------------------------------

REACHED = date(2026, 1, 1)


@pytest.mark.parametrize(("days_since", "flagged"), [(56, False), (57, True)])
def test_unreachable_after_56_days_without_successful_contact(days_since, flagged):
    today = REACHED + timedelta(days=days_since)
    flags = only(risk_flags(DOB, [], [Contact(REACHED, "phone")], today), FlagKind.UNREACHABLE)
    assert bool(flags) is flagged
    if flagged:
        [flag] = flags
        assert flag.title == NOT_REACHED
        assert flag.due == date(2026, 2, 26)
        assert flag.raised_on == date(2026, 2, 27)
        assert flag.detail == "No successful contact for more than 56 days"
        assert days_overdue(flag, today) == 1


def test_two_attempted_contacts_in_a_row():
    contacts = [Contact(REACHED, "phone"), Contact(date(2026, 1, 10), "attempted_visit", False), Contact(date(2026, 1, 12), "phone", False)]
    flag = one(risk_flags(DOB, [], contacts, date(2026, 1, 12)), FlagKind.UNREACHABLE)
    assert flag.due == flag.raised_on == date(2026, 1, 12)
    assert flag.detail == "2 contacts in a row did not reach them"
    assert not overdue(flag, date(2026, 1, 12))
    assert overdue(flag, date(2026, 1, 13))


def test_one_attempt_then_reached_raises_nothing():
    contacts = [Contact(REACHED, "phone"), Contact(date(2026, 1, 10), "attempted_visit", False), Contact(date(2026, 1, 12), "phone")]
    assert only(risk_flags(DOB, [], contacts, date(2026, 1, 13)), FlagKind.UNREACHABLE) == []


def test_unreachable_resolved_when_a_later_contact_reaches_them():
    contacts = [
        Contact(date(2026, 1, 10), "attempted_visit", False),
        Contact(date(2026, 1, 12), "phone", False),
        Contact(date(2026, 1, 14), "video"),
    ]
    flag = one(risk_flags(DOB, [], contacts, date(2026, 1, 15)), FlagKind.UNREACHABLE)
    assert flag.resolved_on == date(2026, 1, 14)
    assert flag.resolution == "Reached (video call) on 14 January 2026"


def test_contact_standard_counts_from_the_first_move_or_contact_since():
    flags = risk_flags(DOB, [Move(REACHED, "U1")], [], date(2026, 2, 27))
    assert one(flags, FlagKind.UNREACHABLE).due == date(2026, 2, 26)
    flags = risk_flags(DOB, [Move(REACHED, "U1")], [], date(2026, 2, 27), contact_since=date(2026, 2, 1))
    assert only(flags, FlagKind.UNREACHABLE) == []


def test_contact_standard_is_configurable():
    flags = risk_flags(DOB, [], [Contact(REACHED, "phone")], date(2026, 1, 30), standard_days=28)
    flag = one(flags, FlagKind.UNREACHABLE)
    assert flag.due == date(2026, 1, 29)
    assert "28 days" in flag.rule


# Help requests ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("made_at", "unsafe", "due"),
    [
        (datetime(2026, 11, 20, 15, 0, tzinfo=UTC), False, date(2026, 11, 23)),  # Friday -> Monday
        (datetime(2026, 11, 20, 15, 0, tzinfo=UTC), True, date(2026, 11, 20)),  # unsafe: same day
        (datetime(2026, 12, 24, 10, 0, tzinfo=UTC), False, date(2026, 12, 29)),  # over Christmas
        (datetime(2026, 12, 24, 10, 0, tzinfo=UTC), True, date(2026, 12, 24)),
        (datetime(2026, 8, 28, 12, 0, tzinfo=UTC), False, date(2026, 9, 1)),  # August bank holiday
        (datetime(2026, 11, 21, 9, 0, tzinfo=UTC), False, date(2026, 11, 23)),  # Saturday -> Monday
        (datetime(2026, 11, 21, 9, 0, tzinfo=UTC), True, date(2026, 11, 21)),  # unsafe on a Saturday
        (datetime(2026, 7, 2, 23, 30, tzinfo=UTC), False, date(2026, 7, 6)),  # 00:30 BST Friday
    ],
)
def test_help_request_due_in_1_working_day_or_same_day_if_unsafe(made_at, unsafe, due):
    request = HelpRequest(made_at, unsafe=unsafe)
    flag = one(risk_flags(DOB, [], [], due, help_requests=[request]), FlagKind.HELP_REQUEST)
    assert flag.due == due
    assert flag.is_open
    assert flag.title == (
        "Help request: they do not feel safe, reply today" if unsafe else "Help request: reply within 1 working day"
    )
    assert not overdue(flag, due)
    assert days_overdue(flag, due + timedelta(days=1)) == 1


def test_help_request_due_matches_add_working_days():
    assert help_request_due(date(2026, 11, 20), False) == add_working_days(date(2026, 11, 20), 1)
    assert help_request_due(date(2026, 11, 20), True) == date(2026, 11, 20)


def test_answered_help_request_is_resolved():
    made = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    answered = HelpRequest(made, answered_at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    flag = one(risk_flags(DOB, [], [], date(2026, 11, 25), help_requests=[answered]), FlagKind.HELP_REQUEST)
    assert flag.resolved_on == date(2026, 11, 24)
    assert flag.in_time is False
    assert flag.resolution == "Answered on 24 November 2026, 1 day late"
    no_time = one(risk_flags(DOB, [], [], date(2026, 11, 25), help_requests=[HelpRequest(made, answered=True)]), FlagKind.HELP_REQUEST)
    assert not no_time.is_open
    assert no_time.resolution == "Answered"


def test_help_request_made_after_today_is_ignored():
    request = HelpRequest(datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    assert risk_flags(DOB, [], [], date(2026, 11, 20), help_requests=[request]) == []


# Helpers and order -----------------------------------------------------------------------------


def test_open_flags_and_order():
    moves = [Move(MOVE_IN, "U2")]
    flags = risk_flags(DOB, moves, [visit(date(2026, 3, 4))], date(2026, 3, 5))
    assert [f.kind for f in flags] == [
        FlagKind.UNSUITABLE_ACCOMMODATION,
        FlagKind.POST_MOVE_VISIT,
        FlagKind.PLAN_REVIEW_AFTER_MOVE,
    ]
    assert [f.kind for f in open_flags(flags)] == [FlagKind.UNSUITABLE_ACCOMMODATION, FlagKind.PLAN_REVIEW_AFTER_MOVE]


def test_flags_have_stable_keys():
    flags = risk_flags(DOB, [Move(MOVE_IN, "U1")], [], MOVE_IN)
    assert [f.key for f in flags] == ["post_move_visit:2026-03-02", "plan_review_after_move:2026-03-02"]


def test_days_overdue_is_zero_for_resolved_flags_and_not_yet_due():
    flag = Flag(FlagKind.HELP_REQUEST, "x", due=date(2026, 1, 10), raised_on=date(2026, 1, 9), rule="r")
    assert days_overdue(flag, date(2026, 1, 9)) == 0
    assert days_overdue(flag, date(2026, 1, 12)) == 2
    done = Flag(FlagKind.HELP_REQUEST, "x", date(2026, 1, 10), date(2026, 1, 9), "r", date(2026, 1, 11), "Answered")
    assert days_overdue(done, date(2026, 1, 12)) == 0
    assert overdue(done, date(2026, 1, 12)) is False


def test_no_history_no_flags():
    assert risk_flags(DOB, [], [], date(2026, 1, 1)) == []


def test_flag_kind_labels():
    assert FlagKind.POST_MOVE_VISIT.label == "Post-move visit"
    assert len(FlagKind) == 8
