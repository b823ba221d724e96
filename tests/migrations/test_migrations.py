"""The migrations: one head, they build the schema from empty, they go down and up again, and the schema they
build is exactly the one the models describe (pytest-alembic's checks, on SQLite and on PostgreSQL)."""

from __future__ import annotations

import pytest
from pytest_alembic.tests import (
    test_model_definitions_match_ddl as check_model_definitions_match_ddl,
)
from pytest_alembic.tests import (
    test_single_head_revision as check_single_head_revision,
)
from pytest_alembic.tests import (
    test_up_down_consistency as check_up_down_consistency,
)
from pytest_alembic.tests import (
    test_upgrade as check_upgrade,
)
from sqlalchemy import Column, inspect, text

from pathway.extensions import db

# SQLite cannot reflect an expression index (user's lower(email)): comparing models with the database, or a
# batch rebuild reflecting a table that points to user, skips it with this warning. PostgreSQL compares it,
# and test_expression_indexes_survive checks by name that SQLite keeps it.
pytestmark = [
    pytest.mark.filterwarnings(
        "ignore:Skipped unsupported reflection of expression-based index:sqlalchemy.exc.SAWarning"),
    pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index:UserWarning"),
]


def test_single_head_revision(alembic_runner):
    check_single_head_revision(alembic_runner)


def test_upgrade_from_empty(alembic_runner):
    check_upgrade(alembic_runner)
    assert alembic_runner.current == alembic_runner.heads[0]
    assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_expression_indexes_survive(alembic_runner):
    """Autogenerate cannot see an expression index on SQLite, so check by name that no migration lost one
    (a batch rebuild of a table drops the indexes it cannot reflect)."""
    alembic_runner.migrate_up_to("heads")
    expected = {index.name for table in db.metadata.tables.values() for index in table.indexes
                if any(not isinstance(expression, Column) for expression in index.expressions)}
    assert expected, "the models have expression indexes (user's lower(email)) to look for"
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            found = set(connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'index'")))
        else:
            found = set(connection.scalars(text("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")))
    assert expected <= found


def test_up_down_consistency(alembic_runner):
    """Up one revision at a time, then down one at a time to the first."""
    check_up_down_consistency(alembic_runner)


def test_downgrade_to_empty_and_upgrade_again(alembic_runner):
    alembic_runner.migrate_up_to("heads")
    alembic_runner.migrate_down_to("base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    alembic_runner.migrate_up_to("heads")
    assert alembic_runner.current == alembic_runner.heads[0]


def test_model_definitions_match_ddl(alembic_runner):
    check_model_definitions_match_ddl(alembic_runner)


def test_model_definitions_match_ddl_after_a_round_trip(alembic_runner):
    alembic_runner.migrate_up_to("heads")
    alembic_runner.migrate_down_to("base")
    check_model_definitions_match_ddl(alembic_runner)
