"""Tests for pathway.rules.offer: who can get each entitlement, and money in pence."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from pathway.rules.offer import (
    INDEPENDENT_ACCOMMODATION,
    MAX_PENCE,
    NATIONAL_OFFER,
    Conditions,
    Decision,
    Frequency,
    Outcome,
    PersonFacts,
    age_on_reference_date,
    apprenticeship_bursary_amount,
    claimable_remaining,
    decide,
    first_independent_move,
    format_month_day,
    format_pounds,
    parse_money,
    parse_month_day,
    reference_date,
)

DAY = timedelta(days=1)
DOB = date(2008, 6, 15)
D18 = date(2026, 6, 15)
D21 = date(2029, 6, 15)
D25 = date(2033, 6, 15)
TODAY = date(2027, 1, 10)  # DOB is 18

ELIGIBLE = Outcome.ELIGIBLE
LATER = Outcome.LATER
ASK = Outcome.NEEDS_PA_DECISION
NO = Outcome.NOT_ELIGIBLE

AGE_17_18 = "You are 17: this starts at 18"
OUTSIDE = "You live outside Northshire: this is only for people living in Northshire"
AREA_UNKNOWN = "We do not know where you live: your personal adviser will check"
PA_DECIDES = "Your personal adviser decides this with you"
NOT_IN_HE = "You are not in higher education: this is for people at university (F1/P1)"
NOT_MOVED = "You have not moved into your own home yet: this is for when you move into your first home of your own"

COUNCIL_TAX = Conditions(age_from=18, age_under=25, in_area_only=True)
"""The local council tax reduction: own care leavers aged 18 to under 25 living in the area."""
BURSARY_16_19 = Conditions(age_from=16, age_under=19, age_on_reference=(8, 31))


def person(**changes):
    facts = PersonFacts(
        date_of_birth=DOB,
        category="former_relevant",
        lives_in_area=True,
        area_name="Northshire",
        activity="F1",
        independent_move_on=date(2026, 9, 1),
        longest_continuous_care_days=400,
    )
    return replace(facts, **changes)


def national(slug):
    return next(item for item in NATIONAL_OFFER if item.slug == slug)


# Age from / age under, at every birthday boundary -------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D18 - DAY, Decision(LATER, (AGE_17_18,), available_from=D18)),
        (D18, Decision(ELIGIBLE)),
        (D18 + DAY, Decision(ELIGIBLE)),
    ],
)
def test_age_from_18(today, expected):
    assert decide(Conditions(age_from=18), person(), today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D21 - DAY, Decision(ELIGIBLE, ends_on=D21)),
        (D21, Decision(NO, ("You are 21: this is for people under 21",))),
        (D21 + DAY, Decision(NO, ("You are 21: this is for people under 21",))),
    ],
)
def test_age_under_21(today, expected):
    assert decide(Conditions(age_under=21), person(), today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D25 - DAY, Decision(ELIGIBLE, ends_on=D25)),
        (D25, Decision(NO, ("You are 25: this is for people under 25",))),
        (D25 + DAY, Decision(NO, ("You are 25: this is for people under 25",))),
    ],
)
def test_age_under_25(today, expected):
    # The category is still former relevant here so that only the age condition is tested.
    assert decide(Conditions(age_under=25), person(), today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D18 - DAY, Decision(LATER, (AGE_17_18,), available_from=D18, ends_on=D25)),
        (D18, Decision(ELIGIBLE, ends_on=D25)),
        (D21, Decision(ELIGIBLE, ends_on=D25)),
        (D25 - DAY, Decision(ELIGIBLE, ends_on=D25)),
        (D25, Decision(NO, ("You are 25: this is for people under 25",))),
    ],
)
def test_council_tax_reduction_ages_18_to_24(today, expected):
    assert decide(COUNCIL_TAX, person(), today) == expected


def test_age_under_on_its_own_is_measured_today_at_16():
    assert decide(Conditions(age_under=18), person(), date(2024, 6, 15)) == Decision(ELIGIBLE, ends_on=D18)


LEAP_DOB = date(2008, 2, 29)


@pytest.mark.parametrize(
    ("conditions", "today", "expected"),
    [
        # 16th birthday in a leap year falls on 29 February.
        (
            Conditions(age_from=16),
            date(2024, 2, 28),
            Decision(LATER, ("You are 15: this starts at 16",), available_from=date(2024, 2, 29)),
        ),
        (Conditions(age_from=16), date(2024, 2, 29), Decision(ELIGIBLE)),
        # 18th birthday in a non-leap year falls on 28 February.
        (Conditions(age_from=18), date(2026, 2, 27), Decision(LATER, (AGE_17_18,), available_from=date(2026, 2, 28))),
        (Conditions(age_from=18), date(2026, 2, 28), Decision(ELIGIBLE)),
        (Conditions(age_from=18), date(2026, 3, 1), Decision(ELIGIBLE)),
        (Conditions(age_under=21), date(2029, 2, 27), Decision(ELIGIBLE, ends_on=date(2029, 2, 28))),
        (Conditions(age_under=21), date(2029, 2, 28), Decision(NO, ("You are 21: this is for people under 21",))),
        (Conditions(age_under=25), date(2033, 2, 27), Decision(ELIGIBLE, ends_on=date(2033, 2, 28))),
        (Conditions(age_under=25), date(2033, 2, 28), Decision(NO, ("You are 25: this is for people under 25",))),
    ],
)
def test_29_february_birthday(conditions, today, expected):
    assert decide(conditions, person(date_of_birth=LEAP_DOB), today) == expected


# Age on 31 August (16 to 19 Bursary Fund) ----------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 8, 30), date(2025, 8, 31)),
        (date(2026, 8, 31), date(2026, 8, 31)),
        (date(2026, 9, 1), date(2026, 8, 31)),
        (date(2027, 1, 1), date(2026, 8, 31)),
    ],
)
def test_reference_date_is_the_last_31_august_on_or_before_today(today, expected):
    assert reference_date(today, 8, 31) == expected


@pytest.mark.parametrize(
    ("dob", "today", "expected"),
    [
        # 16th birthday on 31 August 2026.
        (date(2010, 8, 31), date(2026, 8, 30), 15),
        (date(2010, 8, 31), date(2026, 8, 31), 16),
        (date(2010, 8, 31), date(2026, 9, 1), 16),
        # 16th birthday on 1 September 2026: still 15 on 31 August 2026, all year.
        (date(2010, 9, 1), date(2026, 9, 1), 15),
        (date(2010, 9, 1), date(2027, 8, 30), 15),
        (date(2010, 9, 1), date(2027, 8, 31), 16),
        # 29 February: 28 February 2026 is the 18th birthday.
        (LEAP_DOB, date(2026, 8, 30), 17),
        (LEAP_DOB, date(2026, 8, 31), 18),
    ],
)
def test_age_on_reference_date(dob, today, expected):
    assert age_on_reference_date(dob, today, 8, 31) == expected


@pytest.mark.parametrize(
    ("dob", "today", "expected"),
    [
        (
            date(2010, 8, 31),
            date(2026, 8, 30),
            Decision(
                LATER,
                ("You were 15 on 31 August 2025: this is for people aged 16 to 18 on 31 August",),
                available_from=date(2026, 8, 31),
                ends_on=date(2029, 8, 31),
            ),
        ),
        (date(2010, 8, 31), date(2026, 8, 31), Decision(ELIGIBLE, ends_on=date(2029, 8, 31))),
        (date(2010, 8, 31), date(2026, 9, 1), Decision(ELIGIBLE, ends_on=date(2029, 8, 31))),
        (
            date(2010, 9, 1),
            date(2026, 9, 1),
            Decision(
                LATER,
                ("You were 15 on 31 August 2026: this is for people aged 16 to 18 on 31 August",),
                available_from=date(2027, 8, 31),
                ends_on=date(2030, 8, 31),
            ),
        ),
        # 19th birthday on 1 September 2026: 18 on 31 August 2026, so a whole year more.
        (date(2007, 9, 1), date(2027, 8, 30), Decision(ELIGIBLE, ends_on=date(2027, 8, 31))),
        (
            date(2007, 9, 1),
            date(2027, 8, 31),
            Decision(NO, ("You were 19 on 31 August 2027: this is for people aged 16 to 18 on 31 August",)),
        ),
        # 19th birthday on 31 August 2026.
        (date(2007, 8, 31), date(2026, 8, 30), Decision(ELIGIBLE, ends_on=date(2026, 8, 31))),
        (
            date(2007, 8, 31),
            date(2026, 8, 31),
            Decision(NO, ("You were 19 on 31 August 2026: this is for people aged 16 to 18 on 31 August",)),
        ),
    ],
)
def test_age_on_31_august(dob, today, expected):
    assert decide(BURSARY_16_19, person(date_of_birth=dob, category="eligible"), today) == expected


@pytest.mark.parametrize(
    ("conditions", "dob", "reason"),
    [
        (
            Conditions(age_from=16, age_on_reference=(8, 31)),
            date(2009, 9, 1),
            "You were 15 on 31 August 2025: this is for people aged 16 or over on 31 August",
        ),
        (
            Conditions(age_under=16, age_on_reference=(8, 31)),
            date(2009, 8, 31),
            "You were 16 on 31 August 2025: this is for people aged under 16 on 31 August",
        ),
    ],
)
def test_age_on_reference_wording_with_one_limit(conditions, dob, reason):
    decision = decide(conditions, person(date_of_birth=dob), date(2026, 1, 1))
    assert decision.reasons == (reason,)


# Living in the council's area -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lives_in_area", "expected"),
    [
        (True, Decision(ELIGIBLE, ends_on=D25)),
        (False, Decision(NO, (OUTSIDE,))),
        (None, Decision(ASK, (AREA_UNKNOWN,), ends_on=D25)),
    ],
)
def test_in_area_only(lives_in_area, expected):
    assert decide(COUNCIL_TAX, person(lives_in_area=lives_in_area), TODAY) == expected


@pytest.mark.parametrize("lives_in_area", [True, False, None])
def test_residence_does_not_matter_when_not_in_area_only(lives_in_area):
    assert decide(Conditions(), person(lives_in_area=lives_in_area), TODAY) == Decision(ELIGIBLE)


def test_area_reason_without_an_area_name():
    decision = decide(COUNCIL_TAX, person(lives_in_area=False, area_name="  "), TODAY)
    assert decision.reasons == (
        "You live outside the council's area: this is only for people living in the council's area",
    )


# LATER only when everything else passes -------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, Decision(LATER, (AGE_17_18,), available_from=D18, ends_on=D25)),
        ({"lives_in_area": False}, Decision(NO, (AGE_17_18, OUTSIDE))),
        ({"lives_in_area": None}, Decision(LATER, (AGE_17_18, AREA_UNKNOWN), available_from=D18, ends_on=D25)),
        (
            {"category": "not_care_leaver"},
            Decision(NO, ("You are not a care leaver: this is for care leavers", AGE_17_18)),
        ),
    ],
)
def test_later_only_when_every_other_condition_passes(changes, expected):
    assert decide(COUNCIL_TAX, person(**changes), D18 - DAY) == expected


def test_later_and_a_pa_decision_gives_later_with_both_reasons():
    conditions = Conditions(age_from=18, needs_pa_decision=True)
    assert decide(conditions, person(), D18 - DAY) == Decision(LATER, (AGE_17_18, PA_DECIDES), available_from=D18)


def test_later_is_not_eligible_when_the_offer_ends_first():
    conditions = Conditions(age_from=18, ends_on=date(2026, 3, 31))
    assert decide(conditions, person(), date(2026, 1, 1)) == Decision(
        NO, (AGE_17_18, "This ends on 31 March 2026, before you could get it")
    )


def test_later_when_the_offer_ends_after_the_birthday():
    conditions = Conditions(age_from=18, ends_on=D18)
    decision = decide(conditions, person(), date(2026, 1, 1))
    assert decision == Decision(LATER, (AGE_17_18,), available_from=D18, ends_on=D18 + DAY)
    assert decision.last_day == D18


# Every reason, in order ----------------------------------------------------------------------


def test_every_failing_condition_is_reported_in_order():
    conditions = Conditions(
        age_from=18,
        age_under=21,
        categories=frozenset({"former_relevant"}),
        in_area_only=True,
        activities=frozenset({"F1", "P1"}),
        needs_independent_move=True,
        needs_pa_decision=True,
        min_continuous_care_days=365,
        ends_on=date(2026, 12, 31),
    )
    facts = person(
        category="qualifying",
        lives_in_area=False,
        activity="G5",
        independent_move_on=None,
        longest_continuous_care_days=364,
    )
    assert decide(conditions, facts, date(2029, 7, 1)) == Decision(
        NO,
        (
            "This offer ended on 31 December 2026",
            "You are a qualifying care leaver: this is for former relevant care leavers",
            "You are 21: this is for people under 21",
            OUTSIDE,
            NOT_IN_HE,
            NOT_MOVED,
            "You were not looked after for 12 months without a break: "
            "this is for people looked after for 12 months or more without a break",
            PA_DECIDES,
        ),
    )


def test_unknowns_together_need_a_pa_decision():
    conditions = Conditions(in_area_only=True, activities=frozenset({"F1", "P1"}), needs_pa_decision=True)
    facts = person(lives_in_area=None, activity=None)
    assert decide(conditions, facts, TODAY) == Decision(
        ASK,
        (AREA_UNKNOWN, "We do not know if you are in higher education: your personal adviser will check", PA_DECIDES),
    )


# Categories ------------------------------------------------------------------------------------


@pytest.mark.parametrize("category", ["eligible", "relevant", "former_relevant", "qualifying"])
def test_any_care_leaver_when_categories_is_none(category):
    assert decide(Conditions(), person(category=category), TODAY) == Decision(ELIGIBLE)


def test_not_a_care_leaver_never_gets_an_entitlement():
    assert decide(Conditions(), person(category="not_care_leaver"), TODAY) == Decision(
        NO, ("You are not a care leaver: this is for care leavers",)
    )


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("relevant", Decision(ELIGIBLE)),
        ("former_relevant", Decision(ELIGIBLE)),
        (
            "eligible",
            Decision(NO, ("You are an eligible care leaver: this is for relevant or former relevant care leavers",)),
        ),
        (
            "qualifying",
            Decision(NO, ("You are a qualifying care leaver: this is for relevant or former relevant care leavers",)),
        ),
    ],
)
def test_categories(category, expected):
    conditions = Conditions(categories="relevant, former_relevant")
    assert decide(conditions, person(category=category), TODAY) == expected


def test_three_categories_are_listed_in_order():
    conditions = Conditions(categories=frozenset({"qualifying", "eligible", "relevant"}))
    assert decide(conditions, person(), TODAY).reasons == (
        "You are a former relevant care leaver: this is for eligible, relevant or qualifying care leavers",
    )


# Activity --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        ("F1", Decision(ELIGIBLE)),
        ("P1", Decision(ELIGIBLE)),
        ("p1", Decision(ELIGIBLE)),
        ("F2", Decision(NO, (NOT_IN_HE,))),
        ("G5", Decision(NO, (NOT_IN_HE,))),
        (None, Decision(ASK, ("We do not know if you are in higher education: your personal adviser will check",))),
        ("", Decision(ASK, ("We do not know if you are in higher education: your personal adviser will check",))),
    ],
)
def test_higher_education_activity(activity, expected):
    assert decide(Conditions(activities=frozenset({"F1", "P1"})), person(activity=activity), TODAY) == expected


@pytest.mark.parametrize(
    ("activities", "reason"),
    [
        (
            {"F2", "P2"},
            "You are not on a school or college course: this is for people on a course at school or college (F2/P2)",
        ),
        ({"F4", "P4"}, "You are not doing an apprenticeship: this is for people on an apprenticeship (F4/P4)"),
        ({"F5", "P5"}, "You are not in training or work: this is for people in training or employment (F5/P5)"),
        (
            {"P4", "F1", "F4", "P1"},
            "You are not in higher education or doing an apprenticeship: "
            "this is for people at university or on an apprenticeship (F1/P1/F4/P4)",
        ),
        ({"F1"}, "You are not in full-time higher education: this is for people in full-time higher education (F1)"),
        (
            {"F1", "P1", "F4"},
            "You are not in higher education or on a full-time apprenticeship: "
            "this is for people at university or on a full-time apprenticeship (F1/P1/F4)",
        ),
    ],
)
def test_activity_reasons(activities, reason):
    decision = decide(Conditions(activities=activities), person(activity="G6"), TODAY)
    assert decision == Decision(NO, (reason,))


# Moving into a first independent home --------------------------------------------------------


@pytest.mark.parametrize(
    ("moved_on", "expected"),
    [
        (None, Decision(NO, (NOT_MOVED,))),
        (TODAY - DAY, Decision(ELIGIBLE)),
        (TODAY, Decision(ELIGIBLE)),
        (
            TODAY + DAY,
            Decision(
                LATER,
                (
                    "You move into your own home on 11 January 2027: this is for when you move into your first home of your own",
                ),
                available_from=TODAY + DAY,
            ),
        ),
    ],
)
def test_independent_move(moved_on, expected):
    conditions = Conditions(needs_independent_move=True)
    assert decide(conditions, person(independent_move_on=moved_on), TODAY) == expected


def test_later_takes_the_latest_of_a_birthday_and_a_planned_move():
    conditions = Conditions(age_from=18, needs_independent_move=True)
    facts = person(independent_move_on=D18 + 10 * DAY)
    decision = decide(conditions, facts, D18 - DAY)
    assert decision.outcome is LATER
    assert decision.available_from == D18 + 10 * DAY
    assert decision.reasons == (
        AGE_17_18,
        "You move into your own home on 25 June 2026: this is for when you move into your first home of your own",
    )


@pytest.mark.parametrize(
    ("moves", "codes", "expected"),
    [
        ([], INDEPENDENT_ACCOMMODATION, None),
        ([(date(2026, 1, 1), "D1"), (date(2026, 5, 1), "E1")], INDEPENDENT_ACCOMMODATION, None),
        (
            [(date(2026, 1, 1), "D1"), (date(2026, 5, 1), "U2"), (date(2026, 3, 1), "u1")],
            INDEPENDENT_ACCOMMODATION,
            date(2026, 3, 1),
        ),
        ([(date(2026, 1, 1), "K1"), (date(2026, 5, 1), "U1")], INDEPENDENT_ACCOMMODATION, date(2026, 5, 1)),
        ([(date(2026, 1, 1), "K1"), (date(2026, 5, 1), "U1")], frozenset({"U", "K"}), date(2026, 1, 1)),
        ([(date(2026, 1, 1), "")], INDEPENDENT_ACCOMMODATION, None),
    ],
)
def test_first_independent_move(moves, codes, expected):
    assert first_independent_move(moves, codes) == expected


def test_independent_accommodation_is_u_only_by_default():
    assert frozenset({"U"}) == INDEPENDENT_ACCOMMODATION


# Continuous care, PA decision, offer dates ---------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (
            364,
            Decision(
                NO,
                (
                    "You were not looked after for 12 months without a break: "
                    "this is for people looked after for 12 months or more without a break",
                ),
            ),
        ),
        (365, Decision(ELIGIBLE)),
        (1000, Decision(ELIGIBLE)),
    ],
)
def test_min_continuous_care_days(days, expected):
    conditions = Conditions(min_continuous_care_days=365)
    assert decide(conditions, person(longest_continuous_care_days=days), TODAY) == expected


def test_min_continuous_care_days_not_a_whole_year_in_days():
    decision = decide(Conditions(min_continuous_care_days=91), person(longest_continuous_care_days=0), TODAY)
    assert decision.reasons == (
        "You were not looked after for 91 days without a break: this is for people looked after for 91 days or more without a break",
    )


def test_needs_pa_decision_when_everything_else_passes():
    assert decide(Conditions(needs_pa_decision=True, age_under=25), person(), TODAY) == Decision(
        ASK, (PA_DECIDES,), ends_on=D25
    )


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "expected"),
    [
        (TODAY + DAY, None, Decision(NO, ("This offer starts on 11 January 2027",))),
        (TODAY, None, Decision(ELIGIBLE)),
        (None, TODAY, Decision(ELIGIBLE, ends_on=TODAY + DAY)),
        (None, TODAY - DAY, Decision(NO, ("This offer ended on 9 January 2027",))),
        (TODAY, TODAY, Decision(ELIGIBLE, ends_on=TODAY + DAY)),
    ],
)
def test_offer_period(starts_on, ends_on, expected):
    assert decide(Conditions(starts_on=starts_on, ends_on=ends_on), person(), TODAY) == expected


@pytest.mark.parametrize(
    ("ends_on", "expected"),
    [(None, D25), (date(2030, 3, 31), date(2030, 4, 1)), (date(2034, 1, 1), D25)],
)
def test_ends_on_is_the_earlier_of_the_age_limit_and_the_offer_end(ends_on, expected):
    decision = decide(Conditions(age_under=25, ends_on=ends_on), person(), TODAY)
    assert decision.ends_on == expected
    assert decision.last_day == expected - DAY


def test_today_before_birth_raises():
    with pytest.raises(ValueError):
        decide(Conditions(age_from=18), person(), DOB - DAY)


# Conditions and facts --------------------------------------------------------------------------


def test_conditions_accept_the_stored_text_forms():
    conditions = Conditions(categories="relevant, former_relevant", activities="f1,p1", age_on_reference="08-31")
    assert conditions.categories == frozenset({"relevant", "former_relevant"})
    assert conditions.activities == frozenset({"F1", "P1"})
    assert conditions.age_on_reference == (8, 31)


@pytest.mark.parametrize("empty", ["", " , ", frozenset(), []])
def test_empty_categories_or_activities_mean_no_condition(empty):
    conditions = Conditions(categories=empty, activities=empty, age_on_reference="")
    assert conditions.categories is None
    assert conditions.activities is None
    assert conditions.age_on_reference is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"categories": "former relevant"}, "not a care leaver category: former relevant"),
        ({"categories": "not_care_leaver"}, "not a care leaver category: not_care_leaver"),
        ({"activities": {"F1", "F3", "X"}}, "not an SSDA903 activity code: F3, X"),
        ({"age_from": 25, "age_under": 25}, "age_from (25) must be less than age_under (25)"),
        ({"age_from": -1}, "age_from must be 0 or more, not -1"),
        ({"age_on_reference": (2, 29)}, "the reference day must occur every year: 29 February does not"),
        ({"age_on_reference": (13, 1)}, "13-1 is not a month and day"),
        ({"age_on_reference": "31/08"}, '"31/08" is not a month and day like 08-31'),
        ({"min_continuous_care_days": 0}, "min_continuous_care_days must be 1 or more, not 0"),
        (
            {"starts_on": date(2026, 4, 1), "ends_on": date(2026, 3, 31)},
            "the offer ends (2026-03-31) before it starts (2026-04-01)",
        ),
    ],
)
def test_conditions_refuse_nonsense(kwargs, message):
    with pytest.raises(ValueError) as error:
        Conditions(**kwargs)
    assert str(error.value) == message


def test_month_day_round_trip():
    assert parse_month_day("08-31") == (8, 31)
    assert parse_month_day("8-31") == (8, 31)
    assert format_month_day((8, 31)) == "08-31"


def test_person_facts_refuse_an_unknown_category():
    with pytest.raises(ValueError):
        person(category="care leaver")


def test_person_facts_normalise_activity():
    assert person(activity=" f1 ").activity == "F1"
    assert person(activity="  ").activity is None


# National offer ----------------------------------------------------------------------------------


def test_national_offer_amounts_and_frequencies():
    assert [(o.slug, o.amount_pence, o.cap_pence, o.frequency) for o in NATIONAL_OFFER] == [
        ("setting-up-home-allowance", 300_000, 300_000, Frequency.ONE_OFF),
        ("higher-education-bursary", 200_000, 200_000, Frequency.ONE_OFF),
        ("16-to-19-bursary", 120_000, None, Frequency.YEARLY),
        ("apprenticeship-bursary", 300_000, 300_000, Frequency.ONE_OFF),
        ("junior-isa", None, None, Frequency.ONE_OFF),
        ("universal-credit-shared-accommodation-rate-exemption", None, None, Frequency.PER_CLAIM),
    ]
    assert all(o.scope == "national" and o.description and o.how_to_claim and o.source for o in NATIONAL_OFFER)


@pytest.mark.parametrize(
    ("slug", "changes", "today", "expected"),
    [
        ("setting-up-home-allowance", {}, TODAY, Decision(ELIGIBLE)),
        (
            "setting-up-home-allowance",
            {"category": "qualifying", "independent_move_on": None},
            TODAY,
            Decision(
                NO,
                ("You are a qualifying care leaver: this is for relevant or former relevant care leavers", NOT_MOVED),
            ),
        ),
        ("higher-education-bursary", {}, TODAY, Decision(ELIGIBLE)),
        (
            "higher-education-bursary",
            {"category": "relevant"},
            D18 - DAY,
            Decision(NO, ("You are a relevant care leaver: this is for former relevant care leavers",)),
        ),
        (
            "16-to-19-bursary",
            {"activity": "F2", "category": "eligible"},
            date(2025, 10, 1),
            Decision(ELIGIBLE, ends_on=date(2027, 8, 31)),
        ),
        ("apprenticeship-bursary", {"activity": "P4"}, D25 - DAY, Decision(ELIGIBLE, ends_on=D25)),
        ("apprenticeship-bursary", {"activity": "P4"}, D25, Decision(NO, ("You are 25: this is for people under 25",))),
        ("junior-isa", {}, D18 - DAY, Decision(LATER, (AGE_17_18,), available_from=D18)),
        ("junior-isa", {}, D18, Decision(ELIGIBLE)),
        (
            "universal-credit-shared-accommodation-rate-exemption",
            {"category": "qualifying"},
            TODAY,
            Decision(ELIGIBLE, ends_on=D25),
        ),
    ],
)
def test_national_offer_decisions(slug, changes, today, expected):
    assert decide(national(slug).conditions, person(**changes), today) == expected


@pytest.mark.parametrize(
    ("started_on", "expected"),
    [
        (date(2023, 7, 31), 100_000),
        (date(2023, 8, 1), 300_000),
        (date(2023, 8, 2), 300_000),
        (date(2020, 1, 1), 100_000),
    ],
)
def test_apprenticeship_bursary_amount_depends_on_the_start_date(started_on, expected):
    assert apprenticeship_bursary_amount(started_on) == expected


# Money -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("£1,000", 100_000),
        ("1000", 100_000),
        ("1,000.50", 100_050),
        (" 12.5 ", 1250),
        ("1.5", 150),
        ("£ 12.50", 1250),
        ("0.01", 1),
        (".5", 50),
        ("12.", 1200),
        ("1.500", 150),
        ("007", 700),
        ("£100,000", MAX_PENCE),
        ("100000.00", MAX_PENCE),
        ("99,999.99", 9_999_999),
    ],
)
def test_parse_money(text, pence):
    assert parse_money(text) == pence


NOT_A_NUMBER = "Enter an amount in pounds, like £12.50 or £1,000"
MORE_THAN_ZERO = "Enter an amount more than £0"
TOO_MUCH = "Enter an amount of £100,000 or less"
PART_OF_A_PENNY = "Enter an amount in pounds and pence, with no more than 2 numbers after the decimal point"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter an amount"),
        ("   ", "Enter an amount"),
        ("£", "Enter an amount"),
        ("-1", MORE_THAN_ZERO),
        ("-£5", MORE_THAN_ZERO),
        ("£-5", MORE_THAN_ZERO),
        ("\u22125", MORE_THAN_ZERO),
        ("0", MORE_THAN_ZERO),
        ("0.00", MORE_THAN_ZERO),
        ("£0", MORE_THAN_ZERO),
        ("-0", MORE_THAN_ZERO),
        ("0.001", PART_OF_A_PENNY),
        ("12.345", PART_OF_A_PENNY),
        ("1e309", NOT_A_NUMBER),
        ("1e3", NOT_A_NUMBER),
        ("NaN", NOT_A_NUMBER),
        ("nan", NOT_A_NUMBER),
        ("inf", NOT_A_NUMBER),
        ("Infinity", NOT_A_NUMBER),
        ("abc", NOT_A_NUMBER),
        (".", NOT_A_NUMBER),
        ("1,00", NOT_A_NUMBER),
        ("1 000", NOT_A_NUMBER),
        ("1.2.3", NOT_A_NUMBER),
        ("+5", NOT_A_NUMBER),
        ("£5£", NOT_A_NUMBER),
        ("0x10", NOT_A_NUMBER),
        ("١٢", NOT_A_NUMBER),  # Arabic-Indic digits
        ("100000.01", TOO_MUCH),
        ("100,001", TOO_MUCH),
        ("9" * 5000, TOO_MUCH),
    ],
)
def test_parse_money_refuses_bad_amounts(text, message):
    with pytest.raises(ValueError) as error:
        parse_money(text)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("pence", "text"),
    [
        (184_000, "£1,840"),
        (1250, "£12.50"),
        (5, "£0.05"),
        (0, "£0"),
        (300_000, "£3,000"),
        (MAX_PENCE, "£100,000"),
        (123_456_789, "£1,234,567.89"),
        (-500, "-£5"),
    ],
)
def test_format_pounds(pence, text):
    assert format_pounds(pence) == text


@pytest.mark.parametrize(
    ("cap", "claimed", "expected"),
    [
        (None, [100], None),
        (None, [], None),
        (300_000, [], 300_000),
        (300_000, [100_000, 16_000], 184_000),
        (300_000, [300_000], 0),
        (300_000, [200_000, 200_000], 0),
        (0, [], 0),
    ],
)
def test_claimable_remaining(cap, claimed, expected):
    assert claimable_remaining(cap, iter(claimed)) == expected


@pytest.mark.parametrize(("cap", "claimed"), [(-1, []), (300_000, [100, -1]), (None, [-1])])
def test_claimable_remaining_refuses_negative_amounts(cap, claimed):
    with pytest.raises(ValueError):
        claimable_remaining(cap, claimed)
