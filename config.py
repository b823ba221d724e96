"""Configuration from the environment.

Production is the default: it needs SECRET_KEY and refuses to start without it.
Development and tests get their own safe settings. Pick one with PATHWAY_ENV.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Northshire Council")
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "Pathway")
    # The council's area for the local offer: a name for messages and its postcode districts.
    # Both can be changed by an administrator in the app (council settings); these are the defaults.
    COUNCIL_AREA_NAME = os.environ.get("COUNCIL_AREA_NAME", "Northshire")
    COUNCIL_AREA_DISTRICTS = os.environ.get("COUNCIL_AREA_DISTRICTS", "TS1-TS8")
    # Where the app is reached, for links in emails ("https://pathway.example.gov.uk").
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")

    # Sessions: server-side records, rotated at sign-in, revoked at sign-out.
    SESSION_COOKIE_NAME = "pathway_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    SESSION_IDLE_MINUTES = _int("SESSION_IDLE_MINUTES", 30)
    SESSION_ABSOLUTE_HOURS = _int("SESSION_ABSOLUTE_HOURS", 12)

    # Sign-in protection.
    SIGNIN_MAX_FAILURES = _int("SIGNIN_MAX_FAILURES", 10)
    SIGNIN_LOCK_MINUTES = _int("SIGNIN_LOCK_MINUTES", 15)
    SIGNIN_RATE_LIMIT = os.environ.get("SIGNIN_RATE_LIMIT", "30 per minute")
    # memory:// is per process; several app servers share redis://host:6379.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    INVITATION_DAYS = _int("INVITATION_DAYS", 7)
    # Break-glass cover: how long a personal adviser's cover access to a colleague's young person lasts.
    BREAK_GLASS_HOURS = _int("BREAK_GLASS_HOURS", 24)
    # Rendered pages kept in each app server's memory (pathway/services/page_cache.py); 0 turns it off.
    # A page is 30 to 150 KB, so the default holds at most about 20 MB per worker.
    PAGE_CACHE_SIZE = _int("PAGE_CACHE_SIZE", 200)
    # argon2id cost. Empty = the argon2-cffi recommendation. Hashes are re-made at sign-in when these change.
    ARGON2_TIME_COST = _int("ARGON2_TIME_COST", 0) or None
    ARGON2_MEMORY_COST = _int("ARGON2_MEMORY_COST", 0) or None
    ARGON2_PARALLELISM = _int("ARGON2_PARALLELISM", 0) or None

    # Requests larger than this get a 413 page.
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    MAX_FORM_MEMORY_SIZE = _int("MAX_FORM_MEMORY_SIZE", 2 * 1024 * 1024)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    WTF_CSRF_SSL_STRICT = True

    # Email: GOV.UK Notify when a key is set, SMTP when a host is set, else the outbox table.
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY")
    NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID")  # template with ((subject)) and ((body))
    SMTP_HOST = os.environ.get("SMTP_HOST")
    SMTP_PORT = _int("SMTP_PORT", 587)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SMTP_USE_TLS = _bool("SMTP_USE_TLS", True)
    MAIL_FROM = os.environ.get("MAIL_FROM", "pathway@northshire.example")
    SHOW_OUTBOX = False

    # Trust X-Forwarded-* from this many proxies (gunicorn behind nginx: 1).
    PROXY_FIX_X_FOR = _int("PROXY_FIX_X_FOR", 0)
    HSTS = True
    STATIC_MAX_AGE = 365 * 24 * 3600
    DEMO_ALLOWED = False


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'pathway.db'}"
    )
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    WTF_CSRF_SSL_STRICT = False
    HSTS = False
    SHOW_OUTBOX = True
    DEMO_ALLOWED = True


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-only-not-secret"  # noqa: S105 - tests only # nosec B105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = True
    WTF_CSRF_SSL_STRICT = False
    HSTS = False
    SHOW_OUTBOX = True
    DEMO_ALLOWED = True
    RATELIMIT_STORAGE_URI = "memory://"
    SIGNIN_RATE_LIMIT = "1000 per minute"
    # Cheap hashing keeps the suite fast; the production default is tested for rehashing separately.
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    SERVER_NAME = None


class ProductionConfig(Config):
    pass


CONFIGS = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("PATHWAY_ENV") or os.environ.get("FLASK_ENV") or "production"
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"Unknown PATHWAY_ENV {name!r}: use one of {', '.join(CONFIGS)}") from None
