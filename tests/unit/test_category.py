"""Tests for pathway.rules.category: who is a care leaver, at every birthday boundary."""

from datetime import date, timedelta

import pytest

from pathway.rules.category import (
    CareEpisode,
    Category,
    care_counts,
    care_leaver_category,
    days_of_care_that_counts,
    eligible_from,
    last_day_looked_after,
    looked_after_on,
)
from pathway.rules.dates import add_months

DOB = date(2009, 6, 15)
D14 = date(2023, 6, 15)
D16 = date(2025, 6, 15)
D18 = date(2027, 6, 15)
D21 = date(2030, 6, 15)
D25 = date(2034, 6, 15)
DAY = timedelta(days=1)

ELIGIBLE = Category.ELIGIBLE
RELEVANT = Category.RELEVANT
FORMER_RELEVANT = Category.FORMER_RELEVANT
QUALIFYING = Category.QUALIFYING
NOT_CARE_LEAVER = Category.NOT_CARE_LEAVER

# Looked after from age 14 and a half until the 18th birthday.
CARE_TO_18 = [CareEpisode(date(2024, 1, 1), D18)]
# Looked after for 40 days either side of the 16th birthday: left care after 16, under 13 weeks.
SHORT_CARE_AFTER_16 = [CareEpisode(D16 - 10 * DAY, D16 + 30 * DAY)]
# Looked after for a year from 14, then again for 200 days at 16: left care at 16, eligible.
LEFT_AT_16 = [
    CareEpisode(D14, D14 + 365 * DAY, end_reason="E13"),
    CareEpisode(D16 + 10 * DAY, D16 + 210 * DAY, legal_status="V2"),
]


def category(episodes, today, **kwargs):
    return care_leaver_category(DOB, episodes, today, **kwargs).category


def test_category_values_are_stable_strings():
    assert {c.value for c in Category} == {
        "eligible",
        "relevant",
        "former_relevant",
        "qualifying",
        "not_care_leaver",
    }
    assert Category.FORMER_RELEVANT == "former_relevant"
    assert Category.FORMER_RELEVANT.label == "Former relevant"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D16 - DAY, NOT_CARE_LEAVER),
        (D16, ELIGIBLE),
        (D16 + DAY, ELIGIBLE),
        (D18 - DAY, ELIGIBLE),
        (D18, FORMER_RELEVANT),
        (D18 + DAY, FORMER_RELEVANT),
        (D21 - DAY, FORMER_RELEVANT),
        (D21, FORMER_RELEVANT),
        (D21 + DAY, FORMER_RELEVANT),
        (D25 - DAY, FORMER_RELEVANT),
        (D25, NOT_CARE_LEAVER),
        (D25 + DAY, NOT_CARE_LEAVER),
    ],
)
def test_looked_after_until_18_at_each_birthday(today, expected):
    assert category(CARE_TO_18, today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D16 - DAY, NOT_CARE_LEAVER),
        (
            D16,
            NOT_CARE_LEAVER,
        ),  # looked after, but only 1 day since the 16th birthday...
        (D16 + 29 * DAY, NOT_CARE_LEAVER),  # ...and 40 days in all: not eligible
        (D16 + 30 * DAY, QUALIFYING),  # left care after 16
        (D18 - DAY, QUALIFYING),
        (D18, QUALIFYING),
        (D18 + DAY, QUALIFYING),
        (D21 - DAY, QUALIFYING),
        (D21, NOT_CARE_LEAVER),
        (D21 + DAY, NOT_CARE_LEAVER),
        (D25, NOT_CARE_LEAVER),
    ],
)
def test_short_care_after_16_is_qualifying_until_21(today, expected):
    assert category(SHORT_CARE_AFTER_16, today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D16 + 209 * DAY, ELIGIBLE),
        (D16 + 210 * DAY, RELEVANT),
        (D18 - DAY, RELEVANT),
        (D18, FORMER_RELEVANT),
        (D21, FORMER_RELEVANT),
        (D25 - DAY, FORMER_RELEVANT),
        (D25, NOT_CARE_LEAVER),
    ],
)
def test_eligible_on_leaving_care_at_16_is_relevant_then_former_relevant(
    today, expected
):
    assert category(LEFT_AT_16, today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D14 + 400 * DAY, NOT_CARE_LEAVER),
        (D16 - DAY, NOT_CARE_LEAVER),
        (D16, NOT_CARE_LEAVER),
        (D16 + DAY, NOT_CARE_LEAVER),
        (D18, NOT_CARE_LEAVER),
        (D21 - DAY, NOT_CARE_LEAVER),
    ],
)
def test_care_that_ended_before_16_does_not_make_a_care_leaver(today, expected):
    episodes = [CareEpisode(D14, D16 - 30 * DAY)]
    result = care_leaver_category(DOB, episodes, today)
    assert result.category == expected
    if today >= D16:
        assert any("before your 16th birthday" in reason for reason in result.reasons)


@pytest.mark.parametrize(
    ("days_before_16", "days_after_16", "expected"),
    [
        (89, 2, RELEVANT),  # 91 days, 2 of them after 16
        (89, 1, QUALIFYING),  # 90 days
        (0, 91, RELEVANT),
        (0, 90, QUALIFYING),
    ],
)
def test_13_weeks_boundary_when_leaving_care(days_before_16, days_after_16, expected):
    episodes = [CareEpisode(D16 - days_before_16 * DAY, D16 + days_after_16 * DAY)]
    assert category(episodes, D16 + 200 * DAY) == expected


def test_13_weeks_boundary_while_looked_after():
    episodes = [CareEpisode(D16 - 80 * DAY)]
    not_yet = care_leaver_category(DOB, episodes, D16 + 9 * DAY)
    assert not_yet.category == NOT_CARE_LEAVER
    assert not_yet.days_of_care == 90
    assert not_yet.looked_after_now
    assert any("91 days" in reason for reason in not_yet.reasons)
    assert any("25 June 2025" in reason for reason in not_yet.reasons)
    now = care_leaver_category(DOB, episodes, D16 + 10 * DAY)
    assert now.category == ELIGIBLE
    assert now.days_of_care == 91
    assert eligible_from(DOB, episodes, D18) == D16 + 10 * DAY


def test_eligible_reason_gives_days_since_14th_birthday():
    episodes = [CareEpisode(D16 - 100 * DAY)]
    result = care_leaver_category(DOB, episodes, D16 + 139 * DAY)
    assert result.category == ELIGIBLE
    assert (
        "You have been looked after for 240 days since your 14th birthday "
        "(13 weeks are needed)." in result.reasons
    )


def test_care_counts_needs_13_weeks_and_some_care_after_16():
    before_16_only = [CareEpisode(D14, D14 + 200 * DAY)]
    assert days_of_care_that_counts(DOB, before_16_only, D16 + 10 * DAY) == 200
    assert not care_counts(DOB, before_16_only, D16 + 10 * DAY)
    across_16 = [CareEpisode(D16 - 90 * DAY, D16 + DAY)]
    assert not care_counts(DOB, across_16, D16 - DAY)  # 90 days, none after 16
    assert care_counts(DOB, across_16, D16)  # 91 days, one after 16


def test_care_before_14th_birthday_is_clipped():
    episodes = [CareEpisode(D14 - 100 * DAY, D14 + 50 * DAY)]
    assert days_of_care_that_counts(DOB, episodes, D18) == 50
    assert days_of_care_that_counts(DOB, episodes, D14 - DAY) == 0
    assert days_of_care_that_counts(DOB, episodes, D14) == 1


def test_open_episode_counts_up_to_and_including_as_of():
    episodes = [CareEpisode(D16)]
    assert days_of_care_that_counts(DOB, episodes, D16) == 1
    assert days_of_care_that_counts(DOB, episodes, D16 + 90 * DAY) == 91
    assert days_of_care_that_counts(DOB, episodes, D16 - DAY) == 0


def test_episode_end_is_exclusive():
    episodes = [CareEpisode(D16, D16 + 10 * DAY)]
    assert days_of_care_that_counts(DOB, episodes, D18) == 10
    assert looked_after_on(episodes, D16 + 9 * DAY)
    assert not looked_after_on(episodes, D16 + 10 * DAY)
    assert last_day_looked_after(episodes, D18) == D16 + 9 * DAY
    assert last_day_looked_after(episodes, D16 - DAY) is None


def test_overlapping_episodes_are_counted_once():
    episodes = [
        CareEpisode(D16, D16 + 60 * DAY),
        CareEpisode(D16 + 30 * DAY, D16 + 100 * DAY),
        CareEpisode(D16 + 40 * DAY, D16 + 50 * DAY),
    ]
    assert days_of_care_that_counts(DOB, episodes, D18) == 100


@pytest.mark.parametrize("legal_status", ["V3", "V4", "v3"])
def test_short_breaks_do_not_count(legal_status):
    episodes = [
        CareEpisode(D14 + k * 30 * DAY, D14 + (k * 30 + 20) * DAY, legal_status)
        for k in range(30)
    ]
    assert days_of_care_that_counts(DOB, episodes, D18) == 0
    assert not care_counts(DOB, episodes, D18 - DAY)
    result = care_leaver_category(DOB, episodes, D16 + 300 * DAY)
    assert result.category == NOT_CARE_LEAVER
    assert any("short breaks" in reason for reason in result.reasons)


def test_short_breaks_are_ignored_beside_care_that_counts():
    episodes = [
        CareEpisode(D16 - 200 * DAY, D16 + 100 * DAY),
        CareEpisode(D16 + 150 * DAY, D16 + 160 * DAY, "V3"),
    ]
    assert category(episodes, D16 + 155 * DAY) == RELEVANT


@pytest.mark.parametrize("end_reason", ["E11", "E12"])
@pytest.mark.parametrize("today", [D16 + 200 * DAY, D18, D21 - DAY])
def test_adoption_ends_care_leaver_status(end_reason, today):
    episodes = [CareEpisode(D14, D16 + 100 * DAY, end_reason=end_reason)]
    result = care_leaver_category(DOB, episodes, today)
    assert result.category == NOT_CARE_LEAVER
    assert any("adoption" in reason for reason in result.reasons)


def test_only_care_after_adoption_counts_when_back_in_care():
    episodes = [
        CareEpisode(D14, D16 + 10 * DAY, end_reason="E12"),
        CareEpisode(D16 + 50 * DAY),
    ]
    assert category(episodes, D16 + 139 * DAY) == NOT_CARE_LEAVER
    assert category(episodes, D16 + 140 * DAY) == ELIGIBLE


def test_living_with_a_parent_for_6_months_ends_relevant_status():
    since = D16 + 210 * DAY
    six_months = add_months(since, 6)
    assert six_months < D18
    before = care_leaver_category(
        DOB, LEFT_AT_16, six_months - DAY, living_with_parent_since=since
    )
    assert before.category == RELEVANT
    assert any("lived with a parent" in reason for reason in before.reasons)
    after = care_leaver_category(
        DOB, LEFT_AT_16, six_months, living_with_parent_since=since
    )
    assert after.category == QUALIFYING
    assert any("6 months" in reason for reason in after.reasons)


@pytest.mark.parametrize(
    ("today", "since", "expected"),
    [
        (
            D18 + DAY,
            D16 + 300 * DAY,
            QUALIFYING,
        ),  # still at home: would not be relevant
        (D18 + DAY, None, FORMER_RELEVANT),  # home broke down: relevant again
        (D21, D16 + 300 * DAY, NOT_CARE_LEAVER),
    ],
)
def test_living_with_a_parent_after_18(today, since, expected):
    result = care_leaver_category(
        DOB, LEFT_AT_16, today, living_with_parent_since=since
    )
    assert result.category == expected


def test_looked_after_at_18_is_former_relevant_even_living_with_a_parent():
    result = care_leaver_category(
        DOB, CARE_TO_18, D18 + 300 * DAY, living_with_parent_since=D18
    )
    assert result.category == FORMER_RELEVANT
    assert "You were looked after when you turned 18." in result.reasons


def test_looked_after_at_18_without_13_weeks_is_qualifying():
    episodes = [CareEpisode(D18 - 30 * DAY, D18)]
    assert category(episodes, D18 - DAY) == NOT_CARE_LEAVER
    assert category(episodes, D18) == QUALIFYING


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D16 - DAY, NOT_CARE_LEAVER),
        (D16, QUALIFYING),
        (D18, QUALIFYING),
        (D21 - DAY, QUALIFYING),
        (D21, NOT_CARE_LEAVER),
    ],
)
def test_left_special_guardianship_after_16_is_qualifying(today, expected):
    result = care_leaver_category(
        DOB, [], today, left_special_guardianship_or_other_after_16=True
    )
    assert result.category == expected


def test_never_looked_after_is_not_a_care_leaver():
    result = care_leaver_category(DOB, [], D16 + 100 * DAY)
    assert result.category == NOT_CARE_LEAVER
    assert "There is no record of you being looked after." in result.reasons


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 2, 28), NOT_CARE_LEAVER),
        (date(2024, 2, 29), ELIGIBLE),
        (date(2026, 2, 27), ELIGIBLE),
        (date(2026, 2, 28), FORMER_RELEVANT),
        (date(2029, 2, 28), FORMER_RELEVANT),
        (date(2033, 2, 27), FORMER_RELEVANT),
        (date(2033, 2, 28), NOT_CARE_LEAVER),
    ],
)
def test_29_february_birth(today, expected):
    dob = date(2008, 2, 29)
    episodes = [CareEpisode(date(2023, 1, 1), date(2026, 2, 28))]
    assert care_leaver_category(dob, episodes, today).category == expected


def test_29_february_birth_qualifying_ends_on_28_february():
    dob = date(2008, 2, 29)
    episodes = [CareEpisode(date(2024, 3, 1), date(2024, 3, 11))]
    assert care_leaver_category(dob, episodes, date(2029, 2, 27)).category == QUALIFYING
    assert (
        care_leaver_category(dob, episodes, date(2029, 2, 28)).category
        == NOT_CARE_LEAVER
    )


@pytest.mark.parametrize(
    ("today", "fragment"),
    [
        (D16 - DAY, "under 16"),
        (D25, "ends at 25"),
        (D21, "under 21"),
    ],
)
def test_not_a_care_leaver_says_which_condition_failed(today, fragment):
    result = care_leaver_category(DOB, SHORT_CARE_AFTER_16, today)
    assert result.category == NOT_CARE_LEAVER
    assert any(fragment in reason for reason in result.reasons)


def test_over_21_former_relevant_reason_mentions_support_to_25():
    result = care_leaver_category(DOB, CARE_TO_18, D21)
    assert any("until you are 25" in reason for reason in result.reasons)


def test_episode_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        CareEpisode(date(2026, 1, 2), date(2026, 1, 1))
