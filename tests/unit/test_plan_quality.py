"""Tests for pathway.rules.plan_areas and pathway.rules.plan_quality."""

from dataclasses import replace
from datetime import date

import pytest

from pathway.rules.plan_areas import PLAN_AREAS, PlanArea
from pathway.rules.plan_quality import (
    CONTINGENCY_ONLY_ACCOMMODATION,
    MISSING_CURRENT_SITUATION,
    NO_CONTINGENCY,
    NO_TARGET,
    NO_YOUNG_PERSON_WORDS,
    TARGET_INCOMPLETE,
    TARGET_OVERDUE,
    THIRD_PERSON,
    AreaDraft,
    ContingencyDraft,
    Severity,
    TargetDraft,
    check_plan_quality,
    third_person_words,
)

TODAY = date(2026, 11, 18)


def good_areas():
    return [
        AreaDraft(area, f"You told us how {area.title.lower()} is going.", "")
        for area in PLAN_AREAS
    ] + [AreaDraft(PlanArea.HEALTH, "", "I want to see a dentist near my flat.")]


def good_targets():
    return [
        TargetDraft(
            area,
            what="You will register with a GP near your flat.",
            who="You, with Sam your PA",
            due=date(2027, 1, 31),
            how_we_know="You will have a GP letter.",
            status="in_progress",
        )
        for area in PLAN_AREAS
        if area is not PlanArea.CONTINGENCY
    ]


def good_contingencies():
    return [
        ContingencyDraft(
            PlanArea.FINANCE,
            what_might_go_wrong="Your Universal Credit payment is late.",
            what_we_will_do="We will give you an emergency payment the same day.",
            who="Sam your PA",
        )
    ]


def check(areas=None, targets=None, contingencies=None, today=TODAY):
    return check_plan_quality(
        good_areas() if areas is None else areas,
        good_targets() if targets is None else targets,
        good_contingencies() if contingencies is None else contingencies,
        today,
    )


def codes(issues):
    return [(issue.code, issue.area) for issue in issues]


def test_plan_areas_are_the_ten_schedule_1_areas_in_order():
    assert [(a.number, a.value, a.title) for a in PlanArea] == [
        (1, "contact_support", "Contact and personal support"),
        (2, "education_training", "Education or training"),
        (3, "employment", "Employment or other purposeful activity"),
        (4, "contingency", "Contingency plans"),
        (5, "accommodation", "Accommodation"),
        (6, "family_relationships", "Family and social relationships"),
        (7, "independent_living", "Practical and independent living skills"),
        (8, "finance", "Financial support"),
        (9, "health", "Health and development, including mental health"),
        (10, "identity", "Identity: religion, racial origin, culture and language"),
    ]
    assert PlanArea("health") is PlanArea.HEALTH


def test_a_complete_plan_has_no_issues():
    report = check()
    assert report.issues == ()
    assert report.can_submit


def test_area_without_current_situation_is_a_blocker():
    areas = [a for a in good_areas() if a.area is not PlanArea.ACCOMMODATION]
    areas.append(AreaDraft(PlanArea.ACCOMMODATION, "   \n", "I like my flat."))
    report = check(areas=areas)
    assert codes(report.blockers) == [
        (MISSING_CURRENT_SITUATION, PlanArea.ACCOMMODATION)
    ]
    assert not report.can_submit


def test_area_missing_from_the_plan_is_a_blocker():
    areas = [a for a in good_areas() if a.area is not PlanArea.IDENTITY]
    report = check(areas=areas)
    assert codes(report.blockers) == [(MISSING_CURRENT_SITUATION, PlanArea.IDENTITY)]


def test_area_without_a_target_is_a_blocker_except_contingency_plans():
    targets = [t for t in good_targets() if t.area is not PlanArea.IDENTITY]
    report = check(targets=targets)
    assert codes(report.blockers) == [(NO_TARGET, PlanArea.IDENTITY)]
    assert report.blockers[0].message == (
        "Add at least one target for Identity: religion, racial origin, culture and language."
    )


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"who": ""}, "who will do it"),
        ({"due": None}, "when it is due"),
        ({"how_we_know": "  "}, "how we will know it is done"),
        ({"who": "", "due": None}, "who will do it and when it is due"),
        ({"what": ""}, "what will happen"),
    ],
)
def test_target_missing_what_who_due_or_how_we_know_is_a_blocker(changes, missing):
    targets = good_targets()
    targets[0] = replace(targets[0], **changes)
    report = check(targets=targets)
    assert codes(report.blockers) == [(TARGET_INCOMPLETE, PlanArea.CONTACT_SUPPORT)]
    assert report.blockers[0].message.endswith(f"does not say {missing}.")


@pytest.mark.parametrize(
    "contingencies",
    [[], [ContingencyDraft(PlanArea.FINANCE, "  ", "", "Sam")]],
)
def test_no_contingency_is_a_blocker(contingencies):
    report = check(contingencies=contingencies)
    assert codes(report.blockers) == [(NO_CONTINGENCY, PlanArea.CONTINGENCY)]


def test_contingencies_only_about_accommodation_are_a_warning():
    only_housing = [
        ContingencyDraft(
            PlanArea.ACCOMMODATION,
            "Your tenancy breaks down.",
            "We find you a room.",
            "Sam",
        ),
        ContingencyDraft(
            PlanArea.ACCOMMODATION, "Your landlord sells.", "We help you move.", "Sam"
        ),
    ]
    report = check(contingencies=only_housing)
    assert report.can_submit
    assert codes(report.warnings) == [
        (CONTINGENCY_ONLY_ACCOMMODATION, PlanArea.CONTINGENCY)
    ]
    mixed = [*only_housing, *good_contingencies()]
    assert check(contingencies=mixed).warnings == []


def test_no_young_persons_words_is_a_warning():
    areas = [replace(a, young_person_words="") for a in good_areas()]
    report = check(areas=areas)
    assert report.can_submit
    assert codes(report.warnings) == [(NO_YOUNG_PERSON_WORDS, None)]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("She is doing well at college.", ["she"]),
        ("His mum visits on Sundays.", ["his"]),
        ("We will help her open a bank account.", ["her"]),
        ("He's moving next week and he'll need help.", ["he"]),
        ("Give him the forms.", ["him"]),
        ("The young person will attend.", ["the young person"]),
        ("The  Young\nPerson's views", ["the young person"]),
        ("Support for the young person and her son.", ["the young person", "her"]),
        ("YP to attend college.", ["YP"]),
        ("YP's PA will call.", ["YP"]),
        ("You are in a shelter near the theatre.", []),
        ("Hermione helps with the rent; Shelly too.", []),
        ("They will ring you.", []),
        ("yp is lowercase and not matched", []),
        ("Apply for the HE bursary.", []),
        ("You want to go to university.", []),
        ("", []),
    ],
)
def test_third_person_words(text, words):
    assert third_person_words(text) == words


def test_third_person_text_is_reported_with_area_and_word():
    areas = good_areas()
    areas[8] = AreaDraft(PlanArea.HEALTH, "She has asthma. She needs an inhaler.", "")
    targets = good_targets()
    targets[0] = replace(targets[0], how_we_know="The young person will tell us.")
    contingencies = [
        replace(good_contingencies()[0], what_we_will_do="We will pay him.")
    ]
    report = check(areas=areas, targets=targets, contingencies=contingencies)
    assert report.can_submit
    third = [i for i in report.warnings if i.code == THIRD_PERSON]
    assert [(i.area, i.word) for i in third] == [
        (PlanArea.CONTACT_SUPPORT, "the young person"),
        (PlanArea.FINANCE, "him"),
        (PlanArea.HEALTH, "she"),
    ]
    assert third[2].message == (
        'Health and development, including mental health: "she" is used in the current '
        'situation. Write the plan to the young person, using "you".'
    )


def test_young_persons_own_words_are_not_checked_for_third_person():
    areas = good_areas()
    areas[-1] = AreaDraft(PlanArea.HEALTH, "", "My sister says she will come with me.")
    assert check(areas=areas).issues == ()


@pytest.mark.parametrize(
    ("due", "status", "overdue"),
    [
        (date(2026, 11, 17), "in_progress", True),
        (date(2026, 11, 17), "not_started", True),
        (date(2026, 11, 18), "in_progress", False),
        (date(2026, 11, 17), "done", False),
        (date(2026, 11, 17), "not_needed", False),
        (date(2026, 11, 17), "Not needed", False),
    ],
)
def test_overdue_targets_are_warnings(due, status, overdue):
    targets = good_targets()
    targets[4] = replace(targets[4], due=due, status=status)
    report = check(targets=targets)
    assert report.can_submit
    expected = [(TARGET_OVERDUE, PlanArea.FAMILY_RELATIONSHIPS)] if overdue else []
    assert codes(report.warnings) == expected
    if overdue:
        assert report.warnings[0].message == (
            'The target "You will register with a GP near your flat." in Family and social '
            "relationships was due on 17 November 2026."
        )


def test_blockers_come_before_warnings_and_severity_is_a_string():
    targets = good_targets()
    targets[1] = replace(targets[1], who="", due=date(2026, 1, 1))
    report = check(targets=targets, contingencies=[])
    assert [i.severity for i in report.issues] == ["blocker", "blocker", "warning"]
    assert report.issues[0].severity is Severity.BLOCKER
    assert not report.can_submit


def test_area_may_be_given_as_its_string_value():
    draft = TargetDraft("health", what="x")
    assert draft.area is PlanArea.HEALTH
    with pytest.raises(ValueError):
        AreaDraft("not_an_area")
