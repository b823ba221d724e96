"""Shared fixtures: one migrated database per run, a rolled-back transaction per test.

TEST_DATABASE_URL picks the database (SQLite in a temporary file by default;
.ci/run sets a PostgreSQL URL). The schema is made by the migrations, as in production.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import scoped_session, sessionmaker

from tests.factories import Factory, make, world  # noqa: F401 - fixtures
from tests.helpers import PageClient


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def reset_database(url: str) -> None:
    """Drop everything in the test database so migrations start from empty."""
    engine = create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def migrate_to_head(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


@pytest.fixture(scope="session")
def db_url(tmp_path_factory) -> str:
    url = database_url(tmp_path_factory)
    reset_database(url)
    return url


@pytest.fixture(scope="session")
def app(db_url):
    from pathway import create_app
    from pathway.extensions import db

    application = create_app("testing", SQLALCHEMY_DATABASE_URI=db_url)
    migrate_to_head(application)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def db_transaction(request, app):
    """Every test runs inside a transaction that is rolled back at the end.

    Code under test commits as usual: each commit only releases a savepoint. Pages cached in memory
    are forgotten too: the rollback takes the database's version counters back with it.
    """
    from pathway.services import page_cache

    page_cache.clear(app)
    if request.node.get_closest_marker("no_db_transaction"):
        yield None
        return
    from flask_sqlalchemy.session import _app_ctx_id

    from pathway.extensions import db

    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        db.session = scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            if outer.is_active:
                outer.rollback()
            connection.close()


@pytest.fixture
def app_ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def client(app) -> PageClient:
    return PageClient(app)
