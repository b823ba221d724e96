"""The care leaver return (OC3) rules, with expected values worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pathway.rules import oc3
from pathway.rules.category import CareEpisode
from pathway.rules.dates import birthday
from pathway.rules.oc3 import ContactFact, MoveFact, Oc3Row

TODAY = date(2026, 11, 22)


def former_relevant_episodes(dob: date) -> list[CareEpisode]:
    """Looked after from the 14th birthday until the 18th: former relevant from 18."""
    return [CareEpisode(start=birthday(dob, 14), end=birthday(dob, 18))]


def relevant_episodes(dob: date) -> list[CareEpisode]:
    """Looked after from 14 until 16 and a half: relevant at 17."""
    return [CareEpisode(start=birthday(dob, 14), end=date(dob.year + 16, 12, 1))]


def row(**fields) -> Oc3Row:
    values = {
        "child": "7",
        "dob": date(2007, 6, 15),
        "birthday_age": 18,
        "birthday": date(2025, 6, 15),
        "window": (date(2025, 3, 15), date(2025, 7, 15)),
        "in_touch": "YES",
        "activity": "F2",
        "accommodation": "U1",
        "info_date": date(2025, 6, 1),
    }
    values.update(fields)
    return Oc3Row(**values)


# --- the collection year -------------------------------------------------------------------------

def test_collection_year_2026_runs_april_2025_to_march_2026():
    assert oc3.collection_year(2026) == (date(2025, 4, 1), date(2026, 3, 31))


@pytest.mark.parametrize(("day", "year"), [
    (date(2026, 3, 31), 2026), (date(2026, 4, 1), 2027), (date(2026, 1, 1), 2026), (date(2026, 11, 22), 2027),
])
def test_collection_year_containing_a_day(day, year):
    assert oc3.collection_year_containing(day) == year


@pytest.mark.parametrize("text", ["2000", "2026", " 2027 ", 2026])
def test_good_years(text):
    assert oc3.check_year(text, TODAY) == int(str(text).strip())


@pytest.mark.parametrize(("text", "message"), [
    ("", "Enter the year the collection year ends in, for example 2026"),
    (None, "Enter the year the collection year ends in, for example 2026"),
    ("twenty", "The year must be a number, like 2026"),
    ("2026.5", "The year must be a number, like 2026"),
    ("1999", "The year must be between 2000 and 2027"),
    ("2028", "The year must be between 2000 and 2027"),
    ("-5", "The year must be between 2000 and 2027"),
    ("9" * 5000, "The year must be between 2000 and 2027"),
])
def test_bad_years_are_refused_with_a_message(text, message):
    with pytest.raises(ValueError) as error:
        oc3.check_year(text, TODAY)
    assert str(error.value) == message


@pytest.mark.parametrize(("value", "expected"), [(None, 3), ("", 3), ("2", 2), ("0", 0), ("12", 12), ("13", 3),
                                                 ("-1", 3), ("two", 3), ("²", 3), ("9" * 5000, 3)])
def test_window_setting_falls_back_to_the_default(value, expected):
    assert oc3.window_months(value, 3) == expected


# --- the window ----------------------------------------------------------------------------------

def test_window_is_calendar_months_and_clamps_to_month_ends():
    assert oc3.information_window(date(2025, 5, 31)) == (date(2025, 2, 28), date(2025, 6, 30))
    assert oc3.information_window(date(2024, 5, 31)) == (date(2024, 2, 29), date(2024, 6, 30))
    assert oc3.information_window(date(2025, 10, 10), 2, 2) == (date(2025, 8, 10), date(2025, 12, 10))


@pytest.mark.parametrize(("day", "counted"), [
    (date(2025, 7, 9), False), (date(2025, 7, 10), True), (date(2025, 11, 10), True), (date(2025, 11, 11), False),
])
def test_window_edges_are_included(day, counted):
    dob = date(2007, 10, 10)  # 18 on 10 October 2025: window 10 July to 10 November 2025
    result = oc3.derive_row("1", dob, 18, date(2025, 10, 10), [ContactFact(day, "phone", in_touch="YES", activity="F2")],
                            [MoveFact(date(2025, 1, 1), "U1")], today=TODAY)
    assert result.window == (date(2025, 7, 10), date(2025, 11, 10))
    assert (result.info_date == day) is counted
    assert (result.in_touch == "YES") is counted


def test_a_contact_late_on_a_summer_evening_in_utc_is_the_next_day_in_england():
    # 23:30 UTC on 9 July 2025 is 00:30 on 10 July in England: inside the window.
    dob = date(2007, 10, 10)
    contact = ContactFact(datetime(2025, 7, 9, 23, 30, tzinfo=UTC), "phone", in_touch="YES", activity="F2")
    result = oc3.derive_row("1", dob, 18, date(2025, 10, 10), [contact], [MoveFact(date(2025, 1, 1), "U1")], today=TODAY)
    assert result.info_date == date(2025, 7, 10)


# --- birthdays -----------------------------------------------------------------------------------

@pytest.mark.parametrize("age", [17, 18, 19, 20, 21, 22, 23, 24, 25])
def test_each_birthday_age_in_the_year(age):
    dob = date(2025 - age, 6, 15)
    assert oc3.birthday_in_year(dob, 2026) == (age, date(2025, 6, 15))


@pytest.mark.parametrize("age", [16, 26])
def test_birthdays_outside_17_to_25_are_not_in_the_return(age):
    assert oc3.birthday_in_year(date(2025 - age, 6, 15), 2026) is None


def test_year_edges_for_birthdays():
    assert oc3.birthday_in_year(date(2008, 4, 1), 2026) == (17, date(2025, 4, 1))
    assert oc3.birthday_in_year(date(2009, 3, 31), 2026) == (17, date(2026, 3, 31))
    assert oc3.birthday_in_year(date(2008, 3, 31), 2026) == (18, date(2026, 3, 31))


def test_a_29_february_birthday_falls_on_28_february_in_other_years():
    assert oc3.birthday_in_year(date(2008, 2, 29), 2026) == (18, date(2026, 2, 28))
    assert oc3.birthday_in_year(date(2004, 2, 29), 2025) == (21, date(2025, 2, 28))
    assert oc3.birthday_in_year(date(2004, 2, 29), 2024) == (20, date(2024, 2, 29))
    # The window around 28 February 2026: 28 November 2025 to 28 March 2026.
    result = oc3.derive_row("1", date(2008, 2, 29), 18, date(2026, 2, 28), [], [], today=TODAY)
    assert result.window == (date(2025, 11, 28), date(2026, 3, 28))


# --- who is included -----------------------------------------------------------------------------

@pytest.mark.parametrize("age", [17, 18, 19, 20, 21])
def test_relevant_or_former_relevant_at_17_to_21_are_included(age):
    dob = date(2025 - age, 6, 15)
    episodes = relevant_episodes(dob) if age == 17 else former_relevant_episodes(dob)
    assert oc3.qualifying_birthdays(dob, episodes, [], 2026, today=TODAY) == [(age, date(2025, 6, 15))]


def test_not_care_leavers_are_not_included():
    dob = date(2007, 6, 15)
    assert oc3.qualifying_birthdays(dob, [], [], 2026, today=TODAY) == []
    # Still looked after at 17 (an eligible child, not a care leaver yet).
    still_in_care = [CareEpisode(start=date(2022, 1, 1))]
    assert oc3.qualifying_birthdays(date(2008, 6, 15), still_in_care, [], 2026, today=TODAY) == []
    # Qualifying (left care after 16 with fewer than 13 weeks): not relevant or former relevant.
    short = [CareEpisode(start=date(2024, 7, 1), end=date(2024, 8, 1))]
    assert oc3.qualifying_birthdays(dob, short, [], 2026, today=TODAY) == []


@pytest.mark.parametrize("age", [22, 23, 24, 25])
def test_22_to_25_need_a_contact_that_reached_them_in_the_window(age):
    dob = date(2025 - age, 6, 15)
    episodes = former_relevant_episodes(dob)
    reached = ContactFact(date(2025, 5, 1), "phone", reached=True)
    attempt = ContactFact(date(2025, 5, 1), "attempted_visit", reached=True)
    unanswered = ContactFact(date(2025, 5, 1), "phone", reached=False)
    too_early = ContactFact(date(2025, 3, 14), "home_visit", reached=True)  # window starts 15 March 2025
    assert oc3.qualifying_birthdays(dob, episodes, [reached], 2026, today=TODAY) == [(age, date(2025, 6, 15))]
    for contacts in ([], [attempt], [unanswered], [too_early]):
        assert oc3.qualifying_birthdays(dob, episodes, contacts, 2026, today=TODAY) == []
    assert oc3.qualifying_birthdays(dob, [], [reached], 2026, today=TODAY) == []


def test_contacts_after_today_do_not_count():
    dob = date(2003, 6, 15)  # 22 on 15 June 2025
    contact = ContactFact(date(2025, 6, 20), "phone")
    assert oc3.qualifying_birthdays(dob, former_relevant_episodes(dob), [contact], 2026,
                                    today=date(2025, 6, 19)) == []


# --- what each row says --------------------------------------------------------------------------

def test_row_from_the_latest_in_touch_contact_in_the_window():
    dob = date(2007, 6, 15)
    contacts = [
        ContactFact(date(2024, 1, 5), "phone", activity="G5"),  # before the window: activity carried forward
        ContactFact(date(2025, 4, 1), "phone", in_touch="NO"),
        ContactFact(date(2025, 6, 20), "home_visit", in_touch="yes"),
        ContactFact(date(2025, 7, 1), "message", reached=False),  # no in touch recorded: not information
        ContactFact(date(2025, 8, 1), "phone", in_touch="NO"),  # after the window (15 July 2025)
    ]
    moves = [MoveFact(date(2024, 3, 1), "D1", order=1), MoveFact(date(2025, 6, 20), "U2", order=2),
             MoveFact(date(2025, 6, 21), "B1", order=3)]
    result = oc3.derive_row("42", dob, 18, date(2025, 6, 15), contacts, moves, today=TODAY)
    assert result.cells() == ("42", "15/06/2007", "18", "YES", "G5", "U2", "20/06/2025")
    assert oc3.validate_row(result) == []


def test_the_contacts_own_activity_wins_and_same_day_moves_go_to_the_one_recorded_last():
    contacts = [ContactFact(date(2025, 5, 1), "phone", activity="G5"),
                ContactFact(date(2025, 6, 1), "office", in_touch="YES", activity="P4")]
    moves = [MoveFact(date(2025, 5, 1), "E1", order=9), MoveFact(date(2025, 5, 1), "T2", order=3)]
    result = oc3.derive_row("1", date(2007, 6, 15), 18, date(2025, 6, 15), contacts, moves, today=TODAY)
    assert (result.activity, result.accommodation) == ("P4", "E1")


@pytest.mark.parametrize("status", ["DIED", "RHOM"])
def test_died_and_returned_home_leave_activity_and_accommodation_blank(status):
    contacts = [ContactFact(date(2025, 5, 1), "phone", in_touch=status, activity="F1")]
    result = oc3.derive_row("1", date(2007, 6, 15), 18, date(2025, 6, 15), contacts,
                            [MoveFact(date(2025, 1, 1), "U1")], today=TODAY)
    assert result.cells()[3:] == (status, "", "", "01/05/2025")
    assert oc3.validate_row(result) == []


def test_no_information_in_the_window():
    result = oc3.derive_row("1", date(2007, 6, 15), 18, date(2025, 6, 15),
                            [ContactFact(date(2025, 1, 1), "phone", in_touch="YES")], [], today=TODAY)
    assert result.cells() == ("1", "15/06/2007", "18", "", "", "", "")
    assert oc3.validate_row(result) == ["No information recorded between 15 March 2025 and 15 July 2025"]


# --- checks --------------------------------------------------------------------------------------

def test_a_good_row_passes():
    assert oc3.validate_row(row()) == []


def test_yes_without_activity_or_accommodation():
    assert oc3.validate_row(row(activity=None)) == ["Select their main activity: they are in touch"]
    assert oc3.validate_row(row(activity=None, accommodation=None)) == [
        "Select their main activity: they are in touch", "Select their accommodation: they are in touch"]


def test_died_with_activity():
    assert oc3.validate_row(row(in_touch="DIED", accommodation=None)) == [
        "Leave the main activity blank: the young person has died"]


def test_returned_home_with_accommodation():
    assert oc3.validate_row(row(in_touch="RHOM", activity=None, accommodation="B1")) == [
        "Leave the accommodation blank: they have returned home for 6 months or more"]


@pytest.mark.parametrize("status", ["NO", "REFU", "NREQ"])
def test_other_statuses_may_leave_activity_and_accommodation_blank(status):
    assert oc3.validate_row(row(in_touch=status, activity=None, accommodation=None)) == []


def test_codes_must_be_real():
    assert oc3.validate_row(row(in_touch="MAYBE")) == ["Choose an in touch status from the list"]
    assert oc3.validate_row(row(activity="F9")) == ["Choose a main activity from the list"]
    assert oc3.validate_row(row(accommodation="U")) == [
        "Select whether their accommodation is suitable (1) or unsuitable (2)"]
    assert oc3.validate_row(row(accommodation="U3")) == [
        '"U3" is not an accommodation code: after the letter, use 1 for suitable or 2 for unsuitable']


def test_staying_put_is_never_valid_at_17():
    message = "Staying put (Z) is never valid at the 17th birthday: choose another type of accommodation"
    assert oc3.validate_row(row(birthday_age=17, accommodation="Z1")) == [message]
    assert oc3.validate_row(row(birthday_age=17, accommodation="Z2")) == [message]
    assert oc3.validate_row(row(birthday_age=18, accommodation="Z1")) == []


def test_information_date_must_be_inside_the_window():
    assert oc3.validate_row(row(info_date=date(2025, 3, 15))) == []
    assert oc3.validate_row(row(info_date=date(2025, 7, 15))) == []
    assert oc3.validate_row(row(info_date=date(2025, 3, 14))) == [
        "The information is dated 14 March 2025: it must be between 15 March 2025 and 15 July 2025"]
    assert oc3.validate_row(row(info_date=None)) == ["Enter the date of the information"]
