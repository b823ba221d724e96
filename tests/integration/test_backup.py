"""`flask pathway backup` and `flask pathway restore`: a backup restores into an empty database, whole and sound.

These tests make databases of their own (outside the suite's rolled-back transaction): a source migrated and
filled with the demo council, and an empty target. SQLite always; PostgreSQL too when TEST_DATABASE_URL is
PostgreSQL (scratch databases named after the test database, dropped at the end).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pathway.services import backup as backup_service
from pathway.services.backup import SQLITE_MAGIC, case_rows, row_counts

pytestmark = pytest.mark.no_db_transaction

TODAY = date(2026, 11, 22)


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path):
    """(source URL, empty target URL) on one kind of database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'source.db'}", f"sqlite:///{tmp_path / 'target.db'}"
        return
    base = _postgres_url()
    if base is None:
        pytest.skip("TEST_DATABASE_URL is not PostgreSQL")
    base_url = make_url(base)
    names = [f"{base_url.database}_ops_backup_source", f"{base_url.database}_ops_backup_target"]
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield tuple(base_url.set(database=name).render_as_string(hide_password=False) for name in names)
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _app(url: str):
    from pathway import create_app

    return create_app("testing", SQLALCHEMY_DATABASE_URI=url)


def _dispose(app) -> None:
    from pathway.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def source(databases):
    """The source database: migrated, holding the demo council. Yields (app, url)."""
    from flask_migrate import upgrade

    from pathway.demo import load_demo
    from pathway.extensions import db

    url = databases[0]
    app = _app(url)
    with app.app_context():
        upgrade()
        load_demo(today=TODAY)
        db.session.commit()
    yield app, url
    _dispose(app)


@pytest.fixture
def target(databases):
    url = databases[1]
    app = _app(url)
    yield app, url
    _dispose(app)


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return row_counts(connection)
    finally:
        engine.dispose()


def _integrity_problems(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                checks = [tuple(row) for row in connection.exec_driver_sql("PRAGMA integrity_check")]
                return [row for row in checks if row != ("ok",)] + list(
                    connection.exec_driver_sql("PRAGMA foreign_key_check"))
            # PostgreSQL: every foreign key and check constraint is in force (validated), none left NOT VALID.
            return list(connection.execute(text("SELECT conname FROM pg_constraint WHERE NOT convalidated")))
    finally:
        engine.dispose()


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=["pathway", *args])


def test_backup_restores_into_an_empty_database_whole_and_sound(source, target, tmp_path):
    source_app, source_url = source
    target_app, target_url = target
    path = tmp_path / "pathway.backup"

    made = _run(source_app, "backup", str(path))
    assert made.exit_code == 0, made.output
    assert f"Backed up the database to {path}" in made.output
    expected = _counts(source_url)
    filled = {name for name, n in expected.items() if n and name != "alembic_version"}
    assert len(filled) >= 8, f"the demo council should fill many tables, filled only {sorted(filled)}"
    for name, n in expected.items():  # the counts printed are the backup's
        assert any(line.split() == [name, f"{n:,}"] for line in made.output.splitlines()), name
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no partial file left beside it

    restored = _run(target_app, "restore", str(path))
    assert restored.exit_code == 0, restored.output
    assert "Checks passed:" in restored.output
    assert _counts(target_url) == expected
    assert _integrity_problems(target_url) == []
    for name in filled:
        assert any(line.split() == [name, f"{expected[name]:,}"] for line in restored.output.splitlines()), name

    # The restored database works as Pathway's: a demo sign-in's account is there and its password checks.
    from sqlalchemy import select

    from pathway.demo import DEMO_PASSWORD
    from pathway.extensions import db
    from pathway.models import User
    from pathway.services.passwords import verify_password

    with target_app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin@northshire.example"))
        assert admin is not None and verify_password(admin.password_hash, DEMO_PASSWORD)


def test_restore_refuses_a_database_with_records_unless_forced(source, tmp_path):
    source_app, source_url = source
    path = tmp_path / "pathway.backup"
    assert _run(source_app, "backup", str(path)).exit_code == 0
    before = _counts(source_url)

    refused = _run(source_app, "restore", str(path))
    assert refused.exit_code != 0
    assert "The target database is not empty" in refused.output
    assert "--force" in refused.output
    assert _counts(source_url) == before

    forced = _run(source_app, "restore", "--force", str(path))
    assert forced.exit_code == 0, forced.output
    assert _counts(source_url) == before
    assert _integrity_problems(source_url) == []


def test_forced_postgres_restore_names_the_tables_it_left_alone(source, target, tmp_path):
    source_app, source_url = source
    target_app, target_url = target
    if not source_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: a SQLite restore replaces the whole file")
    path = tmp_path / "pathway.backup"
    assert _run(source_app, "backup", str(path)).exit_code == 0
    engine = create_engine(target_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE newer_feature (id integer PRIMARY KEY)"))
        connection.execute(text("INSERT INTO newer_feature VALUES (1)"))
    engine.dispose()
    result = _run(target_app, "restore", "--force", str(path))
    assert result.exit_code == 0, result.output
    assert "Not in the backup, so left as they were: newer_feature." in result.output
    assert {name: n for name, n in _counts(target_url).items() if name != "newer_feature"} == _counts(source_url)


def test_restore_refuses_a_missing_or_damaged_file(target, tmp_path):
    target_app, target_url = target
    missing = _run(target_app, "restore", str(tmp_path / "no-such.backup"))
    assert missing.exit_code != 0
    assert "There is no backup file at" in missing.output

    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"this is not a backup\n" * 100)
    damaged = _run(target_app, "restore", str(junk))
    assert damaged.exit_code != 0
    assert "Nothing was restored" in damaged.output


def test_restore_refuses_a_truncated_backup_and_changes_nothing(source, target, tmp_path):
    source_app, source_url = source
    target_app, target_url = target
    path = tmp_path / "pathway.backup"
    assert _run(source_app, "backup", str(path)).exit_code == 0
    for fraction in (3, 100):  # cut in its data, and in its header (SQLite) or table of contents (pg_dump)
        truncated = tmp_path / f"truncated-{fraction}.backup"
        truncated.write_bytes(path.read_bytes()[: path.stat().st_size // fraction])
        result = _run(target_app, "restore", str(truncated))
        assert result.exit_code != 0
        assert "nothing was restored" in result.output.lower()
        assert case_rows(_counts(target_url)) == {}


def test_restore_refuses_a_backup_of_the_other_kind_of_database(tmp_path):
    pg_dump_file = tmp_path / "pg.backup"
    pg_dump_file.write_bytes(b"PGDMP\x01\x0f\x00" + b"\x00" * 100)
    with pytest.raises(backup_service.BackupError, match="it is a PostgreSQL backup"):
        backup_service.restore(f"sqlite:///{tmp_path / 'target.db'}", pg_dump_file)
    assert not (tmp_path / "target.db").exists()


def test_sqlite_backup_is_one_self_contained_sqlite_file(source, tmp_path):
    source_app, source_url = source
    if not source_url.startswith("sqlite"):
        pytest.skip("SQLite only")
    path = tmp_path / "pathway.backup"
    assert _run(source_app, "backup", str(path)).exit_code == 0
    assert path.read_bytes()[:16] == SQLITE_MAGIC
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        connection.close()
    assert not Path(f"{path}-wal").exists()
    assert path.stat().st_mode & 0o077 == 0  # only its owner may read a backup of these records


def test_sqlite_backup_is_a_consistent_snapshot_while_the_app_is_writing(source, tmp_path):
    source_app, source_url = source
    if not source_url.startswith("sqlite"):
        pytest.skip("SQLite only (pg_dump works in one snapshot by design)")
    before = _counts(source_url)
    writer = sqlite3.connect(make_url(source_url).database, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another worker is half-way through a change
        writer.execute("INSERT INTO team (name, created_at) VALUES ('Half-saved', '2026-11-22 09:00:00')")
        path = tmp_path / "pathway.backup"
        result = _run(source_app, "backup", str(path))
        assert result.exit_code == 0, result.output
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert _counts(f"sqlite:///{path}") == before  # what was committed, and nothing half-done


def test_a_failed_backup_leaves_the_previous_one_and_no_partial_file(source, tmp_path, monkeypatch):
    source_app, source_url = source
    path = tmp_path / "pathway.backup"
    path.write_bytes(b"yesterday's backup")

    def failing_checks(connection):
        return ["page 7 is never used"]

    def failing_run(argv, env, what):
        Path(next(a for a in argv if a.startswith("--file=")).removeprefix("--file=")).write_bytes(b"PGDMP half")
        raise backup_service.BackupError("pg_dump failed (exit status 1): disk full")

    monkeypatch.setattr(backup_service, "_sqlite_checks", failing_checks)
    monkeypatch.setattr(backup_service, "_run", failing_run)
    result = _run(source_app, "backup", str(path))
    assert result.exit_code != 0
    assert "No backup was written" in result.output
    assert path.read_bytes() == b"yesterday's backup"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".partial") == []


def test_postgres_connection_details_keep_the_password_off_the_command_line():
    url = make_url("postgresql+psycopg://pathway:s3cret%20pw@db.example:6543/pathway?sslmode=require")
    argv = backup_service._pg_connection_args(url)
    assert argv == ["--host", "db.example", "--port", "6543", "--username", "pathway", "--no-password",
                    "--dbname", "pathway"]
    assert not any("s3cret" in part for part in argv)
    env = backup_service._pg_env(url)
    assert env["PGPASSWORD"] == "s3cret pw"
    assert env["PGSSLMODE"] == "require"


def _fake_tool(folder: Path, name: str, version: str) -> None:
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
    tool.chmod(0o755)


def test_pg_tools_no_older_than_the_server_are_chosen(tmp_path, monkeypatch):
    _fake_tool(tmp_path / "new", "pg_dump", "99.1")
    monkeypatch.setenv("PATHWAY_PG_BIN", str(tmp_path / "new"))
    assert backup_service.find_pg_tool("pg_dump", 99) == str(tmp_path / "new" / "pg_dump")

    _fake_tool(tmp_path / "old", "pg_dump", "14.9")
    monkeypatch.setenv("PATHWAY_PG_BIN", str(tmp_path / "old"))
    with pytest.raises(backup_service.BackupError, match="The server is PostgreSQL 99 but the pg_dump found is older"):
        backup_service.find_pg_tool("pg_dump", 99)
