"""The app's CSV writer: cells that a spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from pathway.services.csv_export import csv_text, safe_cell


@pytest.mark.parametrize("text", [
    '=HYPERLINK("http://x")', "+44 7700 900123", "-2+3", "@SUM(A1:A2)", "\tcmd", "\rcmd", "=1+1",
])
def test_each_dangerous_start_gets_a_single_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Jordan Taylor", "", " =not at the start", "a=b", "O'Neil", "'quoted"])
def test_ordinary_text_is_unchanged(text):
    assert safe_cell(text) == text


def test_none_is_an_empty_cell():
    assert safe_cell(None) == ""


def test_numbers_are_written_as_numbers():
    assert safe_cell(18) == "18"
    assert safe_cell(0) == "0"
    assert safe_cell(-5) == "-5"  # a number, not a formula
    assert safe_cell(2.5) == "2.5"
    assert safe_cell("-5") == "'-5"  # text that starts with a minus is neutralised


def test_other_values_are_text():
    assert safe_cell(date(2026, 3, 31)) == "2026-03-31"
    assert safe_cell(True) == "True"


def test_csv_text_has_crlf_minimal_quoting_and_every_cell_made_safe():
    text = csv_text(("CHILD", "NAME", "REASON"), [
        (1, '=HYPERLINK("http://x")', "Fine"),
        ("2", "Smith, Jo", None),
        (3, "Line\nbreak", "-1"),
    ])
    assert text.startswith("CHILD,NAME,REASON\r\n")
    assert text.endswith("\r\n")
    assert '"\'=HYPERLINK(""http://x"")"' in text
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed == [
        ["CHILD", "NAME", "REASON"],
        ["1", "'=HYPERLINK(\"http://x\")", "Fine"],
        ["2", "Smith, Jo", ""],
        ["3", "Line\nbreak", "'-1"],
    ]


def test_header_only():
    assert csv_text(("A", "B"), []) == "A,B\r\n"


def test_utf8_text_survives():
    assert csv_text(("NAME",), [("Zoë Ó Briain",)]).encode("utf-8").decode("utf-8") == "NAME\r\nZoë Ó Briain\r\n"
