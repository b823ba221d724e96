"""Two-factor rules: who must use it, what a typed code looks like, and which codes are accepted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from pathway.rules import two_factor as rules

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 11, 22, 10, 0, 5, tzinfo=UTC)
STEP = int(NOW.timestamp()) // 30


@pytest.mark.parametrize(("role", "advisers", "expected"), [
    ("manager", False, True), ("admin", False, True), ("manager", True, True),
    ("adviser", True, True), ("adviser", False, False),
    ("young_person", True, False), ("young_person", False, False),
])
def test_who_must_use_it(role, advisers, expected):
    assert rules.required_for(role, advisers_required=advisers) is expected


def test_advisers_must_by_default():
    assert rules.required_for("adviser") is True


def test_only_staff_may_use_it():
    assert [r for r in ("adviser", "manager", "admin", "young_person") if rules.may_use(r)] == ["adviser", "manager", "admin"]


@pytest.mark.parametrize(("typed", "clean"), [
    ("123456", "123456"), (" 123 456 ", "123456"), ("123-456", "123456"), ("123\u00a0456", "123456"),
    ("ABCDE-23456", "abcde23456"), (None, ""),
])
def test_clean_code(typed, clean):
    assert rules.clean_code(typed) == clean


@pytest.mark.parametrize(("typed", "problem"), [
    ("", "Enter the 6-digit code from your authenticator app"),
    ("   ", "Enter the 6-digit code from your authenticator app"),
    ("12345", "The code must be 6 numbers"),
    ("1234567", "The code must be 6 numbers"),
    ("12345a", "The code must only include numbers 0 to 9"),
    ("١٢٣٤٥٦", "The code must only include numbers 0 to 9"),  # Arabic-Indic digits are not 0 to 9
    ("123 456", None),
    ("000000", None),
])
def test_code_problem(typed, problem):
    assert rules.code_problem(typed) == problem


def test_code_at_matches_an_authenticator_app():
    assert rules.code_at(SECRET, STEP) == pyotp.TOTP(SECRET).at(NOW)
    assert rules.time_step(NOW) == STEP
    assert rules.time_step(NOW + timedelta(seconds=24)) == STEP
    assert rules.time_step(NOW + timedelta(seconds=25)) == STEP + 1


@pytest.mark.parametrize(("offset", "accepted"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)])
def test_one_step_of_drift_either_way(offset, accepted):
    step = rules.accepted_step(SECRET, rules.code_at(SECRET, STEP + offset), now=NOW, last_used_step=None)
    assert step == (STEP + offset if accepted else None)


def test_a_code_is_accepted_once():
    code = rules.code_at(SECRET, STEP)
    assert rules.accepted_step(SECRET, code, now=NOW, last_used_step=None) == STEP
    assert rules.accepted_step(SECRET, code, now=NOW, last_used_step=STEP) is None
    # Nor an earlier one once a later one was used.
    assert rules.accepted_step(SECRET, rules.code_at(SECRET, STEP - 1), now=NOW, last_used_step=STEP) is None
    # The next step's code is still new.
    assert rules.accepted_step(SECRET, rules.code_at(SECRET, STEP + 1), now=NOW, last_used_step=STEP) == STEP + 1


def test_wrong_and_malformed_codes_are_refused():
    right = rules.code_at(SECRET, STEP)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert rules.accepted_step(SECRET, wrong, now=NOW, last_used_step=None) is None
    assert rules.accepted_step(SECRET, "", now=NOW, last_used_step=None) is None
    assert rules.accepted_step(SECRET, right + "0", now=NOW, last_used_step=None) is None
    assert rules.accepted_step(SECRET, f"{right[:3]} {right[3:]}", now=NOW, last_used_step=None) == STEP


def test_lockout_after_five():
    assert [rules.locked(n) for n in range(7)] == [False] * 5 + [True] * 2
    assert [rules.attempts_left(n) for n in (0, 4, 5, 6)] == [5, 1, 0, 0]


def test_set_up_key_in_groups_of_four():
    assert rules.group_key(SECRET) == "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"


def test_recovery_code_format():
    assert rules.format_recovery_code("abcde23456") == "abcde-23456"
    assert rules.looks_like_recovery_code("ABCDE-23456")
    assert rules.looks_like_recovery_code("abcde 23456")
    assert not rules.looks_like_recovery_code("abcde-2345")
    assert not rules.looks_like_recovery_code("abcd0-23456")  # 0 is not in the alphabet
    assert len(set(rules.RECOVERY_ALPHABET)) == len(rules.RECOVERY_ALPHABET)
    assert not set("01ilo") & set(rules.RECOVERY_ALPHABET)
