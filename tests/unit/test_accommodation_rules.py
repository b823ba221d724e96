"""Tests for pathway.rules.accommodation: codes, suitability, staying put, registered providers."""

from datetime import date

import pytest

from pathway.rules.accommodation import (
    ACCOMMODATION_TYPES,
    REGISTRATION_REQUIRED,
    SUITABILITY_FACTORS,
    AccommodationCode,
    accommodation_choices,
    assess_suitability,
    format_accommodation_code,
    is_independent,
    needs_registered_provider,
    parse_accommodation_code,
    staying_put_allowed,
    staying_put_ends,
    validate_move,
)

DOB = date(2009, 5, 10)
D16 = date(2025, 5, 10)
D18 = date(2027, 5, 10)
D21 = date(2030, 5, 10)
ALL_SUITABLE = dict.fromkeys(SUITABILITY_FACTORS, True)


def test_codes_are_the_ssda903_care_leaver_letters():
    assert "".join(ACCOMMODATION_TYPES) == "BCDEGHKRSTUVWXYZ"
    assert ACCOMMODATION_TYPES["W"] == "Bed and breakfast"
    assert ACCOMMODATION_TYPES["Z"] == "With former foster carers (staying put)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("U1", ("U", True)),
        ("U2", ("U", False)),
        ("w2", ("W", False)),
        (" z1 ", ("Z", True)),
        ("X", ("X", None)),
    ],
)
def test_parse_accommodation_code(text, expected):
    assert parse_accommodation_code(text) == expected


def test_parsed_code_has_code_and_label():
    code = parse_accommodation_code("u1")
    assert code == AccommodationCode("U", True)
    assert code.code == "U1"
    assert code.label == "Independent living (suitable)"
    assert parse_accommodation_code("W2").label == "Bed and breakfast (unsuitable)"
    assert parse_accommodation_code("X").label == "In custody"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Select the type of accommodation"),
        (None, "Select the type of accommodation"),
        ("   ", "Select the type of accommodation"),
        ("Q1", '"Q1" is not an accommodation code: use a letter from the list, such as U for independent living'),
        ("A", '"A" is not an accommodation code: use a letter from the list, such as U for independent living'),
        ("U3", '"U3" is not an accommodation code: after the letter, use 1 for suitable or 2 for unsuitable'),
        ("U0", '"U0" is not an accommodation code: after the letter, use 1 for suitable or 2 for unsuitable'),
        ("U12", "Enter an accommodation code as a letter and 1 (suitable) or 2 (unsuitable), like U1"),
        ("<script>", "Enter an accommodation code as a letter and 1 (suitable) or 2 (unsuitable), like U1"),
    ],
)
def test_unknown_codes_are_refused_with_a_message(text, message):
    with pytest.raises(ValueError) as error:
        parse_accommodation_code(text)
    assert str(error.value) == message


@pytest.mark.parametrize(("letter", "suitable", "code"), [("U", True, "U1"), ("w", False, "W2"), ("X", None, "X")])
def test_format_accommodation_code(letter, suitable, code):
    assert format_accommodation_code(letter, suitable) == code


def test_format_refuses_unknown_letter():
    with pytest.raises(ValueError):
        format_accommodation_code("Q", True)


@pytest.mark.parametrize(("code", "independent"), [("U1", True), ("U2", True), ("K1", False), ("D1", False)])
def test_is_independent_reuses_the_offer_rule(code, independent):
    assert is_independent(code) is independent


def test_is_independent_with_local_codes():
    assert is_independent("K1", codes=frozenset({"U", "K"})) is True


def test_suitability_factors_are_schedule_2():
    assert list(SUITABILITY_FACTORS.values()) == [
        "safety",
        "state of repair",
        "facilities",
        "location",
        "support",
        "tenancy",
        "affordability",
        "the young person's view",
    ]


def test_all_factors_suitable_is_suitable():
    result = assess_suitability(ALL_SUITABLE)
    assert result.suitable is True
    assert result.reasons == ()
    assert result.complete is True
    assert result.suitability is True


def test_one_unsuitable_factor_makes_it_unsuitable_with_the_reason():
    answers = {**ALL_SUITABLE, "state_of_repair": False, "young_persons_view": False}
    result = assess_suitability(answers, notes={"state_of_repair": " Damp in the bedroom "})
    assert result.suitable is False
    assert result.reasons == (
        "Not suitable: state of repair (Damp in the bedroom)",
        "Not suitable: the young person's view",
    )
    assert result.unsuitable_factors == ("state_of_repair", "young_persons_view")
    assert result.suitability is False


def test_unanswered_factors_cannot_be_judged_suitable():
    answers = {**ALL_SUITABLE, "tenancy": None}
    del answers["affordability"]
    result = assess_suitability(answers)
    assert result.suitable is False
    assert result.complete is False
    assert result.reasons == ("Not yet assessed: tenancy", "Not yet assessed: affordability")
    assert result.suitability is None


def test_unsuitable_and_unassessed_lists_unsuitable_first():
    result = assess_suitability({"safety": None, "location": False})
    assert result.reasons[0] == "Not suitable: location"
    assert result.reasons[1] == "Not yet assessed: safety"
    assert len(result.reasons) == 8
    assert result.suitability is False


def test_unknown_factor_is_an_error():
    with pytest.raises(ValueError, match="Not a suitability factor: colour"):
        assess_suitability({"colour": True})
    with pytest.raises(ValueError, match="Not a suitability factor: view"):
        assess_suitability(ALL_SUITABLE, notes={"view": "x"})


@pytest.mark.parametrize(
    ("move_in", "allowed"),
    [
        (date(2027, 5, 9), False),  # the day before the 18th birthday: 17, never staying put
        (D18, True),  # the 18th birthday
        (date(2026, 1, 1), False),  # 16
        (date(2030, 5, 9), True),  # the day before the 21st birthday
        (D21, False),  # staying put ends at 21 (s23CZA)
    ],
)
def test_staying_put_never_at_17_and_ends_at_21(move_in, allowed):
    assert staying_put_allowed(DOB, move_in) is allowed


def test_staying_put_for_a_29_february_birthday():
    dob = date(2008, 2, 29)
    assert staying_put_allowed(dob, date(2026, 2, 27)) is False
    assert staying_put_allowed(dob, date(2026, 2, 28)) is True
    assert staying_put_ends(dob) == date(2029, 2, 28)


def test_staying_put_ends_on_21st_birthday():
    assert staying_put_ends(DOB) == D21


@pytest.mark.parametrize(
    ("move_in", "code", "needed"),
    [
        (D16, "D1", True),
        (date(2025, 5, 9), "D1", False),  # 15
        (date(2027, 5, 9), "E1", True),  # the day before the 18th birthday
        (D18, "E1", False),
        (D16, "T2", True),
        (D16, "C1", True),
        (D16, "U1", False),
        (D16, "B1", False),
        (D16, "K1", False),
        (D16, "Z1", False),
    ],
)
def test_needs_registered_provider_for_16_17_in_supported_accommodation(move_in, code, needed):
    assert needs_registered_provider(DOB, move_in, code) is needed


def test_registration_codes_are_c_d_e_t_and_configurable():
    assert REGISTRATION_REQUIRED == frozenset({"C", "D", "E", "T"})
    assert needs_registered_provider(DOB, D16, "C1", codes=frozenset({"D", "E", "T"})) is False


TODAY = date(2027, 6, 1)


@pytest.mark.parametrize(
    ("move_in", "code", "errors"),
    [
        (date(2027, 5, 10), "Z1", []),
        (date(2027, 5, 10), "U1", []),
        (
            date(2027, 5, 9),
            "Z1",
            ["Staying put can only start from their 18th birthday (10 May 2027): choose another type of accommodation"],
        ),
        (None, "U1", ["Enter the date of the move"]),
        (date(2009, 5, 9), "U1", ["The date of the move must be on or after their date of birth (10 May 2009)"]),
        (date(2027, 6, 2), "U1", ["The date of the move must be today or in the past"]),
        (TODAY, "U1", []),
        (
            date(2027, 5, 10),
            "Q1",
            ['"Q1" is not an accommodation code: use a letter from the list, such as U for independent living'],
        ),
        (date(2027, 5, 10), "", ["Select the type of accommodation"]),
    ],
)
def test_validate_move(move_in, code, errors):
    assert validate_move(DOB, move_in, code, TODAY) == errors


def test_validate_move_refuses_staying_put_from_21():
    assert validate_move(DOB, D21, "Z1", date(2031, 1, 1)) == [
        "Staying put ends on their 21st birthday (10 May 2030): choose another type of accommodation"
    ]


def test_accommodation_choices_list_every_full_code():
    choices = accommodation_choices()
    assert len(choices) == 32
    assert choices[0] == ("B1", "With parents or relatives (suitable)")
    assert choices[-1] == ("Z2", "With former foster carers (staying put) (unsuitable)")
