"""Fixtures for the security battery and the crawl.

They reuse the integration fixtures (one migrated database per run: ``app``), but build the big
world ONCE per module, inside a transaction rolled back when the module ends, and run each test
(and each request the battery sends) inside a savepoint that is rolled back afterwards, so every
post starts from the same world. Time is frozen at ``world.NOW``.
"""

from __future__ import annotations

import pytest
import time_machine

from tests.integration.conftest import *  # noqa: F403 - fixtures: app, db_url, client...
from tests.security.world import NOW, Clients, World, build_full_world


@pytest.fixture(scope="module")
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture(scope="module")
def module_connection(app, frozen_clock):
    """One connection and outer transaction for the whole module (rolled back at the end)."""
    from flask_sqlalchemy.session import _app_ctx_id
    from sqlalchemy.orm import scoped_session, sessionmaker

    from pathway.extensions import db
    from pathway.services import page_cache

    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        db.session = scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield connection
        finally:
            db.session.remove()
            db.session = original
            if outer.is_active:
                outer.rollback()
            connection.close()
            page_cache.clear()


@pytest.fixture(scope="module")
def full_world(app, module_connection) -> World:
    """One of every kind of record, built once per module (ids only: no live ORM objects)."""
    from pathway.extensions import db

    w = build_full_world()
    db.session.remove()
    return w


@pytest.fixture(scope="module")
def clients(app, full_world, module_connection) -> Clients:
    """Signed-in clients for each kind of user (and an anonymous one), shared by the module's tests."""
    from pathway.extensions import db

    made = Clients(app, full_world)
    made.sign_in_everyone()
    db.session.commit()  # (closing the session with an open savepoint would roll the sign-ins back)
    db.session.remove()
    return made


@pytest.fixture(autouse=True)
def db_transaction(request, app, module_connection, full_world, clients):
    """Overrides the integration fixture: each test runs in a savepoint of the module's transaction."""
    from pathway.extensions import db, limiter
    from pathway.services import page_cache

    limiter.reset()
    savepoint = module_connection.begin_nested()
    try:
        yield db.session
    finally:
        db.session.remove()
        if savepoint.is_active:
            savepoint.rollback()
        page_cache.clear()  # its version counters were rolled back with the test
        clients.end_test()
