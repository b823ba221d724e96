"""Two-factor sign-in for staff: setting up an authenticator app, checking codes, recovery codes,
lockout, an administrator's reset and the council's setting for personal advisers.

The rules (who must use it, which codes are accepted) are in pathway.rules.two_factor. This module
stores and audits. Secrets are encrypted at rest with a key derived from SECRET_KEY, and recovery codes
are kept as keyed hashes (HMAC-SHA256, also keyed from SECRET_KEY), so a copy of the database alone
gives neither. Changing SECRET_KEY therefore means everyone sets up their app again (an administrator
resets them).
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, func, or_, select, update

from pathway.extensions import db
from pathway.models import RecoveryCode, Role, TwoFactor, User
from pathway.models.types import utcnow
from pathway.queries.settings import get_settings
from pathway.rules import two_factor as rules
from pathway.services import audit
from pathway.services.accounts import open_session
from pathway.services.settings import save_settings

ADVISERS_KEY = "two_factor_advisers"


# The council's setting.

def advisers_required() -> bool:
    """Do personal advisers need two-factor sign-in? Yes unless an administrator has said no."""
    return get_settings([ADVISERS_KEY]).get(ADVISERS_KEY, "on") != "off"


def set_advisers_required(required: bool, *, by: User, expected_version: int | None = None) -> None:
    """Commits (through save_settings, audited). SettingsConflict if saved since ``expected_version``."""
    save_settings({ADVISERS_KEY: "on" if required else "off"}, by=by, expected_version=expected_version)


def required(user: User, *, advisers: bool | None = None) -> bool:
    if user.role is Role.ADVISER and advisers is None:
        advisers = advisers_required()
    return rules.required_for(user.role.value, advisers_required=bool(advisers))


# Reading a user's state.

def record_for(user: User) -> TwoFactor | None:
    return db.session.scalar(select(TwoFactor).where(TwoFactor.user_id == user.id))


def is_enabled(user: User) -> bool:
    record = record_for(user)
    return record is not None and record.enabled


def needs_second_step(user: User) -> bool:
    """After a correct password: does this person enter a code (or set up an app) before signing in?"""
    if not rules.may_use(user.role.value):
        return False
    return is_enabled(user) or required(user)


@dataclass
class Status:
    enabled: bool
    required: bool
    locked: bool
    recovery_codes_left: int
    set_up_at: datetime | None


def status(user: User) -> Status:
    record = record_for(user)
    left = db.session.scalar(
        select(func.count()).select_from(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ) if record is not None and record.enabled else 0
    return Status(
        enabled=bool(record and record.enabled),
        required=required(user),
        locked=bool(record and record.locked_at),
        recovery_codes_left=left or 0,
        set_up_at=record.confirmed_at if record else None,
    )


# Keys derived from SECRET_KEY.

def _key(purpose: str) -> bytes:
    secret_key = current_app.config["SECRET_KEY"]
    if isinstance(secret_key, str):
        secret_key = secret_key.encode()
    return hmac.new(secret_key, f"pathway two-factor {purpose}".encode(), hashlib.sha256).digest()


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key("encryption")))


def encrypt_secret(secret: str) -> str:
    """Encrypt with Fernet (AES-128-CBC with HMAC-SHA256, from the cryptography library) under a key
    derived from SECRET_KEY. Each encryption has a fresh IV. Format: "v2$" + the Fernet token."""
    return "v2$" + _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(stored: str | None) -> str | None:
    """The secret, or None when the value was not made with this SECRET_KEY (or was tampered with)."""
    if not stored or not stored.startswith("v2$"):
        return None
    try:
        return _fernet().decrypt(stored[3:].encode()).decode()
    except (InvalidToken, ValueError, UnicodeDecodeError):
        return None


def hash_recovery_code(user_id: int, code: str) -> str:
    return hmac.new(_key("recovery codes"), f"{user_id}:{rules.clean_code(code)}".encode(), hashlib.sha256).hexdigest()


# Setting up.

def new_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters: 160 bits


def provisioning_uri(user: User, secret: str) -> str:
    issuer = f"{current_app.config['SERVICE_NAME']} ({current_app.config['COUNCIL_NAME']})"
    return pyotp.TOTP(secret, digits=rules.DIGITS, interval=rules.INTERVAL).provisioning_uri(
        name=user.email, issuer_name=issuer)


def qr_code_svg(user: User, secret: str) -> Markup:
    """The set-up QR code as inline SVG: black on white (scannable in dark mode too), with a text
    alternative. The page shows the key as text as well, for people who cannot scan it."""
    qr = segno.make(provisioning_uri(user, secret), error="m")
    svg = qr.svg_inline(scale=5, dark="#0b0c0c", light="#ffffff", svgclass="app-qr-code", omitsize=False)
    label = "QR code to scan with your authenticator app. If you cannot scan it, enter the set-up key shown below."
    # segno's output is our own markup (numbers and path data); add an accessible name and role.
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1))  # noqa: S704 # nosec B704


def _new_recovery_codes(user: User, now: datetime) -> list[str]:
    """Replace the user's recovery codes with ten new ones. Returns them as shown (formatted). No commit."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(rules.RECOVERY_ALPHABET) for _ in range(rules.RECOVERY_LENGTH))
             for _ in range(rules.RECOVERY_CODE_COUNT)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_recovery_code(user.id, code), created_at=now))
    return [rules.format_recovery_code(code) for code in codes]


def confirm_set_up(user: User, secret: str, code: str, *, now: datetime | None = None) -> list[str] | None:
    """Turn on two-factor sign-in with this secret if the code from the app matches it.

    Returns the new recovery codes (shown once), or None when the code is wrong. Commits on success.
    """
    now = now or utcnow()
    step = rules.accepted_step(secret, code, now=now, last_used_step=None)
    if step is None:
        return None
    record = record_for(user)
    if record is None:
        record = TwoFactor(user_id=user.id, created_at=now)
        db.session.add(record)
    replacing = record.enabled
    record.secret = encrypt_secret(secret)
    record.confirmed_at = now
    record.last_used_step = step
    record.failed_attempts = 0
    record.locked_at = None
    db.session.flush()
    codes = _new_recovery_codes(user, now)
    audit.record("two_factor_replaced" if replacing else "two_factor_set_up", "user", user.id, user=user,
                 fields=["secret", "recovery_codes"])
    db.session.commit()
    return codes


def enrol(user: User, secret: str, *, recovery_codes: list[str] = (), now: datetime | None = None) -> TwoFactor:
    """Set up two-factor sign-in with a known secret, without a code: for the demo council, generated
    benchmark data and test factories only (never from a request). No commit, no audit."""
    now = now or utcnow()
    record = record_for(user) or TwoFactor(user_id=user.id, created_at=now)
    record.secret, record.confirmed_at, record.failed_attempts = encrypt_secret(secret), now, 0
    db.session.add(record)
    for code in recovery_codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_recovery_code(user.id, code), created_at=now))
    return record


# The second step of signing in.

class Outcome(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    LOCKED = "locked"


def _failed(record: TwoFactor, user: User, now: datetime, kind: str) -> Outcome:
    record.failed_attempts = (record.failed_attempts or 0) + 1
    audit.record(f"two_factor_{kind}_wrong", "user", user.id, user=user, fields=["failed_attempts"])
    if rules.locked(record.failed_attempts):
        record.locked_at = now
        audit.record("two_factor_locked", "user", user.id, user=user, fields=["locked_at"])
        db.session.commit()
        return Outcome.LOCKED
    db.session.commit()
    return Outcome.WRONG


def _record_taking_codes(user: User) -> tuple[TwoFactor | None, Outcome | None]:
    """(their app's record, None) when the second step may take a code now; else (None, the answer)."""
    record = record_for(user)
    if record is None or not record.enabled:
        return None, Outcome.WRONG
    if record.locked_at is not None:
        return None, Outcome.LOCKED
    return record, None


def check_code(user: User, code: str, *, now: datetime | None = None) -> Outcome:
    """The 6-digit code at sign-in. Commits (the step used, or the failure)."""
    now = now or utcnow()
    record, refused = _record_taking_codes(user)
    if refused is not None:
        return refused
    secret = decrypt_secret(record.secret)
    step = rules.accepted_step(secret, code, now=now, last_used_step=record.last_used_step) if secret else None
    if step is None:
        return _failed(record, user, now, "code")
    # Conditional, so two requests racing with the same code cannot both be accepted.
    taken = db.session.execute(
        update(TwoFactor)
        .where(TwoFactor.id == record.id,
               or_(TwoFactor.last_used_step.is_(None), TwoFactor.last_used_step < step))
        .values(last_used_step=step, failed_attempts=0)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return Outcome.ACCEPTED if taken == 1 else Outcome.WRONG


def check_recovery_code(user: User, code: str, *, now: datetime | None = None) -> Outcome:
    """A recovery code at sign-in: accepted once. Commits."""
    now = now or utcnow()
    record, refused = _record_taking_codes(user)
    if refused is not None:
        return refused
    # One conditional UPDATE finds and uses the code, so two requests racing with it cannot both succeed.
    used = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == hash_recovery_code(user.id, code),
               RecoveryCode.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if used != 1:
        return _failed(record, user, now, "recovery_code")
    record.failed_attempts = 0
    audit.record("two_factor_recovery_code_used", "user", user.id, user=user, fields=["recovery_code"])
    db.session.commit()
    return Outcome.ACCEPTED


def is_locked(user: User) -> bool:
    record = record_for(user)
    return bool(record and record.locked_at)


def finish_sign_in(user: User, *, user_agent: str | None = None, method: str = "password") -> str:
    """Open the server-side session once every step is done. Returns its token. Commits."""
    token = open_session(user, user_agent=user_agent)
    audit.record("sign_in", "user", user.id, user=user, fields=[] if method == "password" else [method])
    db.session.commit()
    return token


# From the account page (the password has been checked again by the caller).

def new_recovery_codes(user: User) -> list[str]:
    """Replace the recovery codes. Commits."""
    codes = _new_recovery_codes(user, utcnow())
    audit.record("two_factor_recovery_codes_replaced", "user", user.id, user=user, fields=["recovery_codes"])
    db.session.commit()
    return codes


def _remove(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))


def turn_off(user: User) -> bool:
    """Turn two-factor sign-in off where it is not required. False (and no change) where it is. Commits."""
    if required(user):
        return False
    _remove(user)
    audit.record("two_factor_turned_off", "user", user.id, user=user, fields=["secret", "recovery_codes"])
    db.session.commit()
    return True


def reset(user: User, *, by: User) -> None:
    """An administrator's reset (a lost phone, a lock): the app and recovery codes are removed, and the
    person sets up again at their next sign-in (where it is required). Commits."""
    _remove(user)
    audit.record("two_factor_reset", "user", user.id, user=by, fields=["secret", "recovery_codes", "locked_at"])
    db.session.commit()
