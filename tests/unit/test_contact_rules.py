"""Tests for pathway.rules.contacts: visits vs contacts, in touch status, unreachable spells."""

from datetime import UTC, date, datetime, timedelta

import pytest

from pathway.rules.contacts import (
    Contact,
    ContactKind,
    InTouch,
    in_touch_after_contact,
    in_touch_from_contacts,
    is_successful_contact,
    is_visit,
    last_successful_contact,
    last_visit,
    local_date,
    unreachable_spells,
    validate_in_touch,
)

LAST_REACHED = date(2026, 1, 1)
STANDARD_DUE = date(2026, 2, 26)  # 56 days after 1 January 2026


@pytest.mark.parametrize(
    ("kind", "reached", "visit", "successful"),
    [
        ("home_visit", True, True, True),
        ("visit_elsewhere", True, True, True),
        ("home_visit", False, False, False),
        ("office", True, False, True),
        ("phone", True, False, True),
        ("video", True, False, True),
        ("message", True, False, True),
        ("phone", False, False, False),
        ("message", False, False, False),
        ("attempted_visit", False, False, False),
        ("attempted_visit", True, False, False),  # an attempted visit never reaches them
    ],
)
def test_which_contacts_are_visits_and_which_succeed(kind, reached, visit, successful):
    assert is_visit(kind, reached) is visit
    assert is_successful_contact(kind, reached) is successful
    contact = Contact(date(2026, 1, 1), kind, reached)
    assert contact.is_visit is visit
    assert contact.is_successful is successful


def test_unknown_contact_kind_is_refused():
    with pytest.raises(ValueError, match='"carrier pigeon" is not a kind of contact'):
        Contact(date(2026, 1, 1), "carrier pigeon")


def test_kind_labels():
    assert ContactKind.ATTEMPTED_VISIT.label == "Attempted visit - not seen"
    assert [k.value for k in ContactKind] == [
        "home_visit",
        "visit_elsewhere",
        "office",
        "phone",
        "video",
        "message",
        "attempted_visit",
    ]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (date(2026, 7, 3), date(2026, 7, 3)),
        (datetime(2026, 7, 2, 23, 30, tzinfo=UTC), date(2026, 7, 3)),  # 00:30 BST on Friday
        (datetime(2026, 1, 15, 23, 30, tzinfo=UTC), date(2026, 1, 15)),  # GMT: same day
        (datetime(2026, 7, 2, 23, 30), date(2026, 7, 2)),  # naive: already local
    ],
)
def test_local_date(when, expected):
    assert local_date(when) == expected


def test_last_visit_ignores_attempts_phone_calls_and_the_future():
    contacts = [
        Contact(date(2026, 3, 1), "home_visit"),
        Contact(date(2026, 3, 5), "attempted_visit", False),
        Contact(date(2026, 3, 6), "phone"),
        Contact(date(2026, 3, 20), "home_visit"),
    ]
    assert last_visit(contacts, date(2026, 3, 10)) == date(2026, 3, 1)
    assert last_successful_contact(contacts, date(2026, 3, 10)) == date(2026, 3, 6)
    assert last_visit([], date(2026, 3, 10)) is None


@pytest.mark.parametrize(("days_since", "unreachable"), [(55, False), (56, False), (57, True)])
def test_no_successful_contact_within_56_days(days_since, unreachable):
    today = LAST_REACHED + timedelta(days=days_since)
    spells = unreachable_spells([Contact(LAST_REACHED, "phone")], today)
    assert bool(spells) is unreachable
    if unreachable:
        assert spells[0].due == STANDARD_DUE
        assert spells[0].raised_on == date(2026, 2, 27)
        assert spells[0].reason == "No successful contact for more than 56 days"
        assert spells[0].resolved_on is None


def test_standard_is_configurable():
    spells = unreachable_spells([Contact(LAST_REACHED, "phone")], date(2026, 1, 30), standard_days=28)
    assert spells[0].due == date(2026, 1, 29)
    assert spells[0].reason == "No successful contact for more than 28 days"


def test_two_attempts_in_a_row_make_them_unreachable_on_the_second():
    contacts = [
        Contact(date(2026, 3, 1), "phone"),
        Contact(date(2026, 3, 5), "attempted_visit", False),
        Contact(date(2026, 3, 6), "phone", False),
    ]
    spells = unreachable_spells(contacts, date(2026, 3, 7))
    assert len(spells) == 1
    assert spells[0].due == spells[0].raised_on == date(2026, 3, 6)
    assert spells[0].reason == "2 contacts in a row did not reach them"


def test_one_attempt_then_reached_is_not_unreachable():
    contacts = [
        Contact(date(2026, 3, 1), "phone"),
        Contact(date(2026, 3, 5), "attempted_visit", False),
        Contact(date(2026, 3, 6), "phone"),
        Contact(date(2026, 3, 7), "attempted_visit", False),
    ]
    assert unreachable_spells(contacts, date(2026, 3, 8)) == []


def test_a_later_contact_that_reaches_them_ends_the_spell():
    contacts = [
        Contact(date(2026, 3, 5), "attempted_visit", False),
        Contact(date(2026, 3, 6), "message", False),
        Contact(date(2026, 3, 8), "attempted_visit", False),
        Contact(datetime(2026, 3, 10, 10, 0, tzinfo=UTC), "phone"),
    ]
    [spell] = unreachable_spells(contacts, date(2026, 3, 11))
    assert spell.due == date(2026, 3, 6)
    assert spell.resolved_on == date(2026, 3, 10)
    assert spell.resolution == "Reached (phone) on 10 March 2026"


def test_contacts_are_read_in_date_order_and_the_future_ignored():
    contacts = [
        Contact(date(2026, 3, 20), "phone"),  # after today: ignored
        Contact(date(2026, 3, 6), "phone", False),
        Contact(date(2026, 3, 5), "phone", False),
    ]
    [spell] = unreachable_spells(contacts, date(2026, 3, 10))
    assert spell.due == date(2026, 3, 6)
    assert spell.resolved_on is None


def test_standard_counts_from_since_before_any_contact():
    assert unreachable_spells([], date(2026, 2, 26), since=LAST_REACHED) == []
    [spell] = unreachable_spells([], date(2026, 2, 27), since=LAST_REACHED)
    assert spell.due == STANDARD_DUE
    assert unreachable_spells([], date(2030, 1, 1)) == []


def test_history_keeps_resolved_spells_and_one_open():
    contacts = [
        Contact(LAST_REACHED, "home_visit"),
        Contact(date(2026, 3, 10), "phone"),  # 68 days later: a lapsed spell, now resolved
        Contact(date(2026, 3, 11), "phone", False),
        Contact(date(2026, 3, 12), "phone", False),
    ]
    spells = unreachable_spells(contacts, date(2026, 3, 13))
    assert [(s.due, s.resolved_on) for s in spells] == [
        (STANDARD_DUE, date(2026, 3, 10)),
        (date(2026, 3, 12), None),
    ]


@pytest.mark.parametrize(
    ("status", "activity", "accommodation", "errors"),
    [
        ("YES", "F1", "U1", []),
        ("yes", "g5", "d2", []),
        ("YES", None, "U1", ["Select their main activity: they are in touch"]),
        ("YES", "F1", "", ["Select their accommodation: they are in touch"]),
        (
            "YES",
            None,
            None,
            ["Select their main activity: they are in touch", "Select their accommodation: they are in touch"],
        ),
        ("DIED", None, None, []),
        (
            "DIED",
            "F1",
            "U1",
            [
                "Leave the main activity blank: the young person has died",
                "Leave the accommodation blank: the young person has died",
            ],
        ),
        ("RHOM", None, None, []),
        ("RHOM", "F5", "B1", []),
        ("NO", None, None, []),
        ("NO", "G5", "R2", []),
        ("REFU", None, None, []),
        ("NREQ", "F5", "U1", []),
        ("YES", "F1", "U", ["Select whether their accommodation is suitable (1) or unsuitable (2)"]),
        (None, None, None, ["Select whether they are in touch"]),
        ("MAYBE", None, None, ["Choose an in touch status from the list"]),
        ("YES", "F3", "U1", ["Choose a main activity from the list"]),
        (
            "YES",
            "F1",
            "Q1",
            ['"Q1" is not an accommodation code: use a letter from the list, such as U for independent living'],
        ),
    ],
)
def test_validate_in_touch(status, activity, accommodation, errors):
    assert validate_in_touch(status, activity, accommodation) == errors


@pytest.mark.parametrize(
    ("current", "reached", "expected"),
    [
        (None, True, InTouch.YES),
        ("NO", True, InTouch.YES),
        ("YES", False, InTouch.YES),
        (None, False, None),
        ("REFU", True, InTouch.REFU),
        ("DIED", True, InTouch.DIED),
        ("RHOM", True, InTouch.RHOM),
        ("NREQ", True, InTouch.NREQ),
    ],
)
def test_in_touch_after_contact(current, reached, expected):
    assert in_touch_after_contact(current, reached) == expected


def test_in_touch_from_contacts():
    reached = [Contact(LAST_REACHED, "phone")]
    assert in_touch_from_contacts(None, reached, date(2026, 2, 26)) is InTouch.YES
    assert in_touch_from_contacts("YES", reached, date(2026, 2, 27)) is InTouch.NO
    assert in_touch_from_contacts("REFU", reached, date(2026, 2, 27)) is InTouch.REFU
    assert in_touch_from_contacts("YES", [], date(2026, 2, 27)) is InTouch.YES
    failed = [Contact(date(2026, 1, 5), "phone", False), Contact(date(2026, 1, 6), "attempted_visit", False)]
    assert in_touch_from_contacts("YES", reached + failed, date(2026, 1, 7)) is InTouch.NO


def test_in_touch_labels():
    assert InTouch.RHOM.label == "Returned home for 6 months or more"
    assert [s.value for s in InTouch] == ["YES", "NO", "DIED", "REFU", "NREQ", "RHOM"]
