"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MAX_LENGTH = 128

_HASHERS: dict[tuple, tuple[PasswordHasher, str]] = {}


def _hasher() -> tuple[PasswordHasher, str]:
    """argon2id with the configured parameters (default: the library's recommendation).

    Returns the hasher and a real hash to verify against when the email is unknown,
    so both sign-in paths take the same time.
    """
    config = current_app.config if has_app_context() else {}
    key = tuple(config.get(name) for name in ("ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM"))
    if key not in _HASHERS:
        params = {k: v for k, v in zip(("time_cost", "memory_cost", "parallelism"), key, strict=True) if v}
        hasher = PasswordHasher(**params)
        _HASHERS[key] = (hasher, hasher.hash("not-a-real-password-used-for-timing"))
    return _HASHERS[key]


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches. Always does the work of one verification."""
    hasher, dummy = _hasher()
    try:
        return hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than the configured ones."""
    return _hasher()[0].check_needs_rehash(password_hash)


def password_problems(password: str, *, user_inputs: list[str] | None = None) -> list[str]:
    """GOV.UK-style messages for a password that is too short, too long or too easy to guess."""
    if len(password) < MIN_LENGTH:
        return [f"Password must be {MIN_LENGTH} characters or more"]
    if len(password) > MAX_LENGTH:
        return [f"Password must be {MAX_LENGTH} characters or fewer"]
    if "\x00" in password:
        return ["Password must not contain invisible control characters"]
    # zxcvbn reads at most 72 characters; the rest of a long passphrase only adds strength.
    result = zxcvbn(password[:72], user_inputs=[u for u in (user_inputs or []) if u])
    if result["score"] < 2:
        warning = result["feedback"].get("warning") or "It is too easy to guess."
        return [f"Choose a password that is harder to guess. {warning}".strip()]
    return []
