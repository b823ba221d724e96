"""The manager's indicators against figures worked out by hand on a small fixed dataset.

D = 15 June 2026. D - 56 days = 20 April 2026. D - 12 months = 15 June 2025.
Advisers in the team: Ann (1, active), Bob (2, active), Cat (3, inactive). Adviser 9 is in another team.

Cohort on D (aged 16 to under 25, allocated on D to an adviser in the team): P1, P2, P5, P6, P7.
Left out: P3 (25th birthday on D), P4 (allocation ended on D), P8 (adviser in another team).
"""

from __future__ import annotations

from datetime import date

import pytest

from pathway.rules import indicators as ind
from pathway.rules.indicators import (
    AdviserFacts,
    AllocationFact,
    ContactFact,
    Key,
    MoveFact,
    PersonFacts,
)

D = date(2026, 6, 15)
ADVISERS = [AdviserFacts(1, "Ann", True), AdviserFacts(2, "Bob", True), AdviserFacts(3, "Cat", False)]


def people() -> list[PersonFacts]:
    return [
        PersonFacts(  # age 20. Plan exactly 6 months old; seen exactly 56 days ago; visited on day 7 after a move.
            1, "P1", date(2006, 1, 10),
            allocations=(AllocationFact(10, 1, date(2025, 1, 1)),),
            plan_dates=(date(2025, 12, 15),),
            moves=(MoveFact(date(2025, 3, 1), "U1"), MoveFact(date(2026, 3, 1), "B1")),
            contacts=(
                ContactFact(date(2026, 3, 8), "home_visit"),
                ContactFact(date(2026, 4, 20), "home_visit", in_touch="YES", activity="F1"),
                ContactFact(date(2026, 6, 20), "phone", in_touch="NO", activity="G5"),  # after D: ignored
            ),
        ),
        PersonFacts(  # age 19. Plan 6 months and a day old; seen 57 days ago; move with no visit.
            2, "P2", date(2007, 3, 3),
            allocations=(AllocationFact(20, 2, date(2025, 2, 1)),),
            plan_dates=(date(2025, 12, 14),),
            moves=(MoveFact(date(2026, 1, 10), "U2"),),
            contacts=(
                ContactFact(date(2026, 4, 19), "visit_elsewhere", in_touch="NO"),
                ContactFact(date(2026, 6, 16), "home_visit"),  # after D: ignored
            ),
            main_activity="G5",
        ),
        PersonFacts(  # 25th birthday on D: not in the cohort, but on Ann's caseload
            3, "P3", date(2001, 6, 15),
            allocations=(AllocationFact(30, 1, date(2024, 1, 1)),),
        ),
        PersonFacts(  # allocation ends on D: not allocated on D
            4, "P4", date(2002, 1, 1),
            allocations=(AllocationFact(40, 1, date(2025, 1, 1), date(2026, 6, 15)),),
        ),
        PersonFacts(  # age 17, allocated to an inactive adviser, 3 changes of adviser in 12 months, nothing recorded
            5, "P5", date(2008, 9, 1),
            allocations=(
                AllocationFact(50, 1, date(2025, 7, 1), date(2025, 9, 1)),
                AllocationFact(51, 2, date(2025, 9, 1), date(2025, 11, 1)),
                AllocationFact(52, 1, date(2025, 11, 1), date(2026, 1, 1)),
                AllocationFact(53, 3, date(2026, 1, 1)),
            ),
        ),
        PersonFacts(  # just 16: first plan not yet due. In custody. In touch and activity from before the window.
            6, "P6", date(2010, 5, 1),
            allocations=(AllocationFact(60, 2, date(2026, 5, 1)),),
            moves=(MoveFact(date(2026, 6, 1), "X"),),
            in_touch_before=(date(2025, 1, 1), "YES"),
            activity_before=(date(2025, 1, 1), "P5"),
        ),
        PersonFacts(  # age 21. Visited on day 8 after a move; the record's activity overridden by a contact's.
            7, "P7", date(2005, 2, 1),
            allocations=(AllocationFact(71, 2, date(2026, 1, 1)), AllocationFact(70, 9, date(2024, 1, 1), date(2026, 1, 1))),
            moves=(
                MoveFact(date(2025, 6, 15), "C1"),  # exactly 12 months before D: not in (D - 12 months, D]
                MoveFact(date(2026, 5, 1), "D1"),
                MoveFact(date(2026, 6, 9), "E1"),  # visit not due until 16 June
            ),
            contacts=(
                ContactFact(date(2026, 5, 5), "attempted_visit", reached=False),
                ContactFact(date(2026, 5, 9), "visit_elsewhere", activity="G4"),
            ),
            main_activity="F1",
        ),
        PersonFacts(  # adviser in another team
            8, "P8", date(2006, 1, 1),
            allocations=(AllocationFact(80, 9, date(2025, 1, 1)),),
        ),
    ]


@pytest.fixture
def results() -> dict[str, ind.IndicatorResult]:
    return {r.key: r for r in ind.compute(people(), ADVISERS, D)}


def test_every_indicator_in_order(results):
    assert list(results) == list(ind.KEYS)
    assert all(r.definition and r.label for r in results.values())


@pytest.mark.parametrize(("key", "numerator", "denominator", "met", "not_met"), [
    (Key.PLAN_IN_DATE, 1, 4, (1,), (2, 5, 7)),  # P6's first plan is not due until 1 August 2026
    (Key.IN_TOUCH, 2, 5, (1, 6), (2, 5, 7)),
    (Key.SUITABLE_ACCOMMODATION, 3, 5, (1, 6, 7), (2, 5)),  # custody "X" has no suffix: not unsuitable
    (Key.EET_19_21, 1, 3, (1,), (2, 7)),
    (Key.EET_ALL, 2, 5, (1, 6), (2, 5, 7)),
    (Key.PA_ALLOCATED, 4, 5, (1, 2, 6, 7), (5,)),
    (Key.SEEN, 2, 5, (1, 7), (2, 5, 6)),
    (Key.POST_MOVE_VISIT, 1, 3, (1,), (2, 7)),  # moves: P1 1 March (day 7), P2 10 January, P7 1 May (day 8)
    (Key.PA_CHANGES, 1, 5, (5,), (1, 2, 6, 7)),
])
def test_percentages_and_people(results, key, numerator, denominator, met, not_met):
    result = results[key]
    assert (result.numerator, result.denominator) == (numerator, denominator)
    assert result.numerator_ids == met
    assert result.not_met_ids == not_met
    assert set(result.denominator_ids) == set(met) | set(not_met)


def test_values_and_display(results):
    assert results[Key.PLAN_IN_DATE].value == 25.0
    assert results[Key.PLAN_IN_DATE].display == "25%"
    assert results[Key.PLAN_IN_DATE].summary == "1 of 4 young people"
    assert results[Key.POST_MOVE_VISIT].value == pytest.approx(100 / 3)
    assert results[Key.POST_MOVE_VISIT].display == "33%"
    assert results[Key.POST_MOVE_VISIT].summary == "1 of 3 moves"
    assert results[Key.PA_CHANGES].value == 1
    assert results[Key.PA_CHANGES].summary == "1 of 5 young people"
    assert results[Key.PA_CHANGES].higher_is_better is False
    assert results[Key.IN_TOUCH].higher_is_better is True


def test_caseloads_count_active_advisers_and_any_age(results):
    average = results[Key.AVERAGE_CASELOAD]
    # Ann: P1, P3 (25 today, still allocated). Bob: P2, P6, P7. Cat is inactive. P4's allocation ended on D.
    assert (average.numerator, average.denominator, average.value, average.display) == (5, 2, 2.5, "2.5")
    assert average.summary == "5 young people, 2 active advisers"
    assert average.not_met_ids == (5,)
    largest = results[Key.LARGEST_CASELOAD]
    assert (largest.value, largest.display, largest.summary) == (3, "3", "3 young people: Bob")
    assert set(largest.numerator_ids) == {2, 6, 7}


def test_an_adviser_with_no_young_people_counts_in_the_average():
    result = {r.key: r for r in ind.compute(people(), [*ADVISERS, AdviserFacts(4, "Dee", True)], D)}
    assert result[Key.AVERAGE_CASELOAD].value == round(5 / 3, 1) == 1.7


def test_the_day_before_the_25th_birthday_is_in_the_cohort():
    facts = [PersonFacts(1, "P", date(2001, 6, 16), allocations=(AllocationFact(1, 1, date(2020, 1, 1)),))]
    assert ind.compute(facts, ADVISERS, D)[1].denominator == 1  # in touch: the cohort
    assert ind.compute(facts, ADVISERS, date(2026, 6, 16))[1].denominator == 0


def test_allocation_starting_on_the_date_covers_it():
    facts = [PersonFacts(1, "P", date(2006, 1, 1), allocations=(AllocationFact(1, 1, D),))]
    assert ind.compute(facts, ADVISERS, D)[1].denominator == 1
    assert ind.compute(facts, ADVISERS, date(2026, 6, 14))[1].denominator == 0


def test_nothing_to_count_gives_no_figure():
    results = {r.key: r for r in ind.compute([], [], D)}
    assert results[Key.IN_TOUCH].value is None
    assert results[Key.IN_TOUCH].display == "No figure"
    assert results[Key.AVERAGE_CASELOAD].value is None
    assert results[Key.LARGEST_CASELOAD].display == "No active advisers"


def test_a_plan_due_at_the_date_counts_once_due():
    # Born 15 March 2010: 16 on 15 March 2026, first plan due 15 June 2026 (D): counted from D, not met.
    facts = [PersonFacts(1, "P", date(2010, 3, 15), allocations=(AllocationFact(1, 1, date(2026, 3, 15)),))]
    assert ind.compute(facts, ADVISERS, date(2026, 6, 14))[0].denominator == 0
    on_d = ind.compute(facts, ADVISERS, D)[0]
    assert (on_d.numerator, on_d.denominator) == (0, 1)


def test_series_has_12_monthly_points_ending_on_the_date():
    points = ind.series(people(), ADVISERS, D)
    seen = points[Key.SEEN]
    assert [d for d, _ in seen] == [date(2025, 7, 15), date(2025, 8, 15), date(2025, 9, 15), date(2025, 10, 15),
                                    date(2025, 11, 15), date(2025, 12, 15), date(2026, 1, 15), date(2026, 2, 15),
                                    date(2026, 3, 15), date(2026, 4, 15), date(2026, 5, 15), D]
    assert seen[-1][1] == 40.0
    # 15 May 2026 (seen from 20 March): P3 (24) and P4 (allocation not yet ended) are in the cohort too.
    # Seen: P1 (20 April), P2 (19 April), P7 (9 May) of P1 to P7.
    assert seen[-2][1] == pytest.approx(100 * 3 / 7)
    assert set(points) == set(ind.KEYS)


def test_report_matches_compute_and_carries_the_series():
    reported = ind.report(people(), ADVISERS, D)
    computed = ind.compute(people(), ADVISERS, D)
    assert reported == computed  # series is not compared
    assert len(reported[0].series) == 12
    assert reported[0].series[-1] == (D, reported[0].value)


def test_month_end_series_dates_clamp():
    assert ind.series_dates(date(2026, 8, 31))[:3] == [date(2025, 9, 30), date(2025, 10, 31), date(2025, 11, 30)]
    assert ind.series_dates(date(2026, 8, 31))[5] == date(2026, 2, 28)


def test_same_day_latest_in_touch_wins():
    facts = [PersonFacts(
        1, "P", date(2006, 1, 1), allocations=(AllocationFact(1, 1, date(2025, 1, 1)),),
        contacts=(ContactFact(D, "phone", in_touch="NO"), ContactFact(D, "phone", in_touch="YES")),
    )]
    assert ind.compute(facts, ADVISERS, D)[1].numerator == 1


def test_is_eet():
    assert ind.is_eet("F1") and ind.is_eet("p5")
    assert not ind.is_eet("G4") and not ind.is_eet(None) and not ind.is_eet("")


def test_format_value():
    assert ind.format_value(None, "%") == "No figure"
    assert ind.format_value(66.666, "%") == "67%"
    assert ind.format_value(12.0, "") == "12"
    assert ind.format_value(12.25, "") == "12.2"


def test_every_series_point_equals_compute_on_that_date():
    points = ind.series(people(), ADVISERS, D)
    for i, day in enumerate(ind.series_dates(D)):
        on_day = {r.key: r.value for r in ind.compute(people(), ADVISERS, day)}
        assert {key: points[key][i][1] for key in ind.KEYS} == on_day, day


def test_fast_date_arithmetic_agrees_with_the_shared_rules():
    from pathway.rules.dates import add_months, birthday
    from pathway.rules.reviews import needs_assessment_due

    day = date(2007, 1, 1)
    while day < date(2009, 1, 1):  # includes 29 February 2008 and every month end
        for months in (-23, -12, -11, -1, 3, 6, 12 * 16, 12 * 25):
            assert ind._plus_months(day, months) == add_months(day, months)
        assert ind._birthdays(day) == (birthday(day, 16), birthday(day, 19), birthday(day, 22), birthday(day, 25),
                                       needs_assessment_due(day))
        day = date.fromordinal(day.toordinal() + 1)
