"""Two-factor sign-in rules: who must use it, and whether a code from an authenticator app is accepted.

Pure functions: no Flask, no database, no clock (the moment is passed in as `now`).
A code is a TOTP (RFC 6238): 6 digits, a new one every 30 seconds, from a base32 secret.
"""

from __future__ import annotations

import hmac
import re
from datetime import datetime

import pyotp

DIGITS = 6
INTERVAL = 30  # seconds per code
DRIFT_STEPS = 1  # a phone's clock may be one code ahead or behind
MAX_FAILURES = 5  # wrong codes in a row before the second step locks
RECOVERY_CODE_COUNT = 10
# Recovery codes: 10 characters in two groups, from an alphabet without look-alikes (no 0/O, 1/I/L).
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RECOVERY_LENGTH = 10

STAFF_ROLES = frozenset({"adviser", "manager", "admin"})
ALWAYS_REQUIRED = frozenset({"manager", "admin"})


def required_for(role: str, *, advisers_required: bool = True) -> bool:
    """Must someone in this role use two-factor sign-in? Managers and administrators always; personal
    advisers when the council says so (the default); young people never (they may not have an app)."""
    if role in ALWAYS_REQUIRED:
        return True
    if role == "adviser":
        return advisers_required
    return False


def may_use(role: str) -> bool:
    """Staff may turn two-factor sign-in on even where it is not required."""
    return role in STAFF_ROLES


def clean_code(text: str | None) -> str:
    """What someone typed or pasted, without spaces, hyphens and the like ("123 456" -> "123456")."""
    return re.sub(r"[\s\-\u00a0\u2009\u200b]", "", text or "").lower()


def code_problem(text: str | None) -> str | None:
    """A GOV.UK error message for a 6-digit code that cannot be right whatever the secret, or None."""
    code = clean_code(text)
    if not code:
        return "Enter the 6-digit code from your authenticator app"
    if not code.isascii() or not code.isdigit():
        return "The code must only include numbers 0 to 9"
    if len(code) != DIGITS:
        return "The code must be 6 numbers"
    return None


def time_step(now: datetime) -> int:
    """The 30-second step `now` falls in (the TOTP counter)."""
    return int(now.timestamp()) // INTERVAL


def code_at(secret: str, step: int) -> str:
    """The code an authenticator app shows during this step."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).generate_otp(step)


def accepted_step(secret: str, code: str, *, now: datetime, last_used_step: int | None) -> int | None:
    """The time step a correct code belongs to, or None when it is wrong or already used.

    Codes from the step before and after now are accepted too (clock drift). A code is accepted once:
    a step at or before the last one used is refused, so a code seen over someone's shoulder, or
    replayed from a network log, does not work again.
    """
    code = clean_code(code)
    if code_problem(code) is not None:
        return None
    current = time_step(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def locked(failures: int) -> bool:
    return failures >= MAX_FAILURES


def attempts_left(failures: int) -> int:
    return max(MAX_FAILURES - failures, 0)


def group_key(secret: str, size: int = 4) -> str:
    """The set-up key in groups of 4 for people who type it in ("ABCD EFGH ...")."""
    return " ".join(secret[i:i + size] for i in range(0, len(secret), size))


def format_recovery_code(code: str) -> str:
    """"abcde23456" -> "abcde-23456"."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def looks_like_recovery_code(text: str | None) -> bool:
    code = clean_code(text)
    return len(code) == RECOVERY_LENGTH and all(c in RECOVERY_ALPHABET for c in code)
