"""Fixtures for pytest-alembic: a fresh, empty database per test, reached through the Flask app.

Flask-Migrate's migrations/env.py runs against the app's own engine (current_app), so each test gets an app
bound to its empty database and runs inside that app's context; alembic_engine is that same engine.
SQLite always (a file in the test's temporary folder); PostgreSQL too when TEST_DATABASE_URL is PostgreSQL
(a scratch database named after the test database, emptied before each test and dropped at the end).
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


@pytest.fixture(scope="session")
def postgres_scratch_url():
    """A scratch PostgreSQL database for the migration tests, or None when the suite runs on SQLite."""
    base = _postgres_url()
    if base is None:
        yield None
        return
    base_url = make_url(base)
    name = f"{base_url.database}_ops_migrations"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def migration_db_url(request, tmp_path, postgres_scratch_url) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    if postgres_scratch_url is None:
        pytest.skip("TEST_DATABASE_URL is not PostgreSQL")
    engine = create_engine(postgres_scratch_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return postgres_scratch_url


@pytest.fixture
def migration_app(migration_db_url):
    from pathway import create_app
    from pathway.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=migration_db_url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def alembic_config(migration_app):
    """Flask-Migrate's own alembic configuration (migrations/alembic.ini and the script folder)."""
    return migration_app.extensions["migrate"].migrate.get_config()


@pytest.fixture
def alembic_engine(migration_app):
    from pathway.extensions import db

    return db.engine
