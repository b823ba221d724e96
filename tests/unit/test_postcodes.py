"""Tests for pathway.rules.postcodes: reading postcodes and the council's postcode districts."""

import pytest

from pathway.rules.postcodes import in_area, normalise_postcode, outward_code, parse_districts

NORTHSHIRE = frozenset({"TS1", "TS2", "TS3", "DL1", "W1", "EC1A"})


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [
        ("TS1 3BX", "TS1"),
        ("ts1 3bx", "TS1"),
        ("TS13BX", "TS1"),
        ("  ts1   3bx  ", "TS1"),
        ("TS1\t3BX", "TS1"),
        ("TS10 1AA", "TS10"),
        ("DL1 1AA", "DL1"),
        ("M1 1AE", "M1"),
        ("B33 8TH", "B33"),
        ("CR2 6XH", "CR2"),
        ("W1A 0AX", "W1A"),
        ("EC1A 1BB", "EC1A"),
        ("SW1A 2AA", "SW1A"),
        ("DN55 1PT", "DN55"),
        ("BS0 1AA", "BS0"),
    ],
)
def test_outward_code_of_a_valid_postcode(postcode, expected):
    assert outward_code(postcode) == expected


@pytest.mark.parametrize(
    "postcode",
    [
        None,
        "",
        "   ",
        "TS1",  # an outward code alone is not a postcode
        "TS1 3B",
        "TS1 3BXX",
        "TS1 BX3",
        "QS1 3BX",  # Q never starts a postcode
        "TI1 3BX",  # I is never the second letter
        "TS1 3CX",  # C is never in the inward code
        "TS1 3BI",
        "TS01 3BX",  # a two-digit district never starts with 0
        "TS123 3BX",
        "1TS 3BX",
        "TS1-3BX",
        "TS1 3BX!",
        "GIR 0AA",
        "BFPO 123",
        "not a postcode",
        "ＴＳ1 3BX",  # full-width letters
    ],
)
def test_outward_code_is_none_when_not_a_postcode(postcode):
    assert outward_code(postcode) is None


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [("ts13bx", "TS1 3BX"), (" ec1a1bb ", "EC1A 1BB"), ("TS10 1AA", "TS10 1AA"), ("TS1", None), (None, None)],
)
def test_normalise_postcode(postcode, expected):
    assert normalise_postcode(postcode) == expected


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("TS1-TS8, TS10, DL1", {"TS1", "TS2", "TS3", "TS4", "TS5", "TS6", "TS7", "TS8", "TS10", "DL1"}),
        ("TS1-3", {"TS1", "TS2", "TS3"}),
        ("ts1 - ts3", {"TS1", "TS2", "TS3"}),
        ("TS1\u2013TS3", {"TS1", "TS2", "TS3"}),  # an en dash, as pasted from a document
        ("TS9-TS11", {"TS9", "TS10", "TS11"}),
        ("TS5-TS5", {"TS5"}),
        ("TS1;DL1\nDL2", {"TS1", "DL1", "DL2"}),
        ("TS1 DL1  DL2", {"TS1", "DL1", "DL2"}),
        ("TS1,,TS2,", {"TS1", "TS2"}),
        ("TS1, TS1-TS2", {"TS1", "TS2"}),
        ("EC1A, W1, M1", {"EC1A", "W1", "M1"}),
        ("B0-B2", {"B0", "B1", "B2"}),
        (["TS1-TS2", "DL1", "dl2, dl3"], {"TS1", "TS2", "DL1", "DL2", "DL3"}),
        ("", set()),
        ("  ,  ", set()),
        ([], set()),
    ],
)
def test_parse_districts(spec, expected):
    assert parse_districts(spec) == frozenset(expected)


def test_parse_districts_returns_a_frozenset():
    assert isinstance(parse_districts("TS1"), frozenset)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("TS1-DL8", '"TS1-DL8" mixes postcode areas: a range must stay in one area, like TS1-TS8'),
        ("TS8-TS1", '"TS8-TS1" goes backwards: put the lower district first, like TS1-TS8'),
        ("TS1, TS8-3", '"TS8-3" goes backwards: put the lower district first, like TS1-TS8'),
        ("TS1-TS2-TS3", '"TS1-TS2-TS3" is not a postcode district range: enter a range like TS1-TS8'),
        ("TS1-", '"TS1-" is not a postcode district range: enter a range like TS1-TS8'),
        ("-TS1", '"-TS1" is not a postcode district range: enter a range like TS1-TS8'),
        ("EC1A-EC1C", '"EC1A-EC1C" is not a postcode district range: enter a range like TS1-TS8'),
        ("TS1-TSX", '"TS1-TSX" is not a postcode district range: enter a range like TS1-TS8'),
        ("TS1, T$1", '"T$1" is not a postcode district: enter districts like TS1 or ranges like TS1-TS8'),
        ("TS", '"TS" is not a postcode district: enter districts like TS1 or ranges like TS1-TS8'),
        ("TS01", '"TS01" is not a postcode district: enter districts like TS1 or ranges like TS1-TS8'),
        ("QS1", '"QS1" is not a postcode district: enter districts like TS1 or ranges like TS1-TS8'),
        ("TS1 3BX", '"3BX" is not a postcode district: enter districts like TS1 or ranges like TS1-TS8'),
        ("TS100", '"TS100" is not a postcode district: enter districts like TS1 or ranges like TS1-TS8'),
    ],
)
def test_parse_districts_names_the_malformed_part(spec, message):
    with pytest.raises(ValueError) as error:
        parse_districts(spec)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [
        ("TS1 3BX", True),
        ("ts3 1aa", True),
        ("TS4 1AA", False),
        ("TS10 1AA", False),  # TS1 does not cover TS10
        ("DL1 1AA", True),
        ("DL10 1AA", False),
        ("W1A 0AX", True),  # W1 covers its sub-districts
        ("EC1A 1BB", True),
        ("EC1M 1AA", False),  # EC1A does not cover EC1M
        ("SW1A 2AA", False),
        (None, None),
        ("", None),
        ("TS1", None),
        ("rubbish", None),
    ],
)
def test_in_area(postcode, expected):
    assert in_area(postcode, NORTHSHIRE) is expected


def test_in_area_is_unknown_when_the_council_has_not_set_its_districts():
    assert in_area("TS1 3BX", frozenset()) is None


def test_in_area_with_parsed_setting():
    districts = parse_districts("TS1-TS8, TS10, DL1")
    assert in_area("TS8 9ZZ", districts) is True
    assert in_area("TS9 1AA", districts) is False
