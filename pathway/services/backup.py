"""Backing up and restoring the whole database (`flask pathway backup PATH` / `flask pathway restore PATH`).

SQLite goes through SQLite's online backup API (never a file copy, which could catch a half-written page or
miss what is still in the write-ahead log). PostgreSQL goes through pg_dump (custom format, -Fc) and
pg_restore, with the connection details of the database URL; the password reaches them in PGPASSWORD, never
on the command line. A backup is written to a temporary file beside PATH and renamed only once it is complete
and checked, so PATH never holds half a backup.

A restore refuses a missing or unreadable file and, unless forced, a target database that already holds
rows. After restoring it checks the result: on SQLite PRAGMA integrity_check, PRAGMA foreign_key_check and
the row count of every table against the backup's; on PostgreSQL pg_restore's exit status (one transaction,
stopping at the first error, so foreign keys and unique constraints are checked as they are re-created),
every table of the backup present, and the row counts.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404 # pg_dump/pg_restore run with an argument list, never a shell
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# Tables that say which migration the schema is at, not case data: a database holding only these is empty.
BOOKKEEPING_TABLES = frozenset({"alembic_version"})
# libpq settings that may ride in the URL's query string, passed to pg_dump/pg_restore as environment.
LIBPQ_QUERY_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, for the person running it."""


@dataclass
class BackupResult:
    path: Path
    row_counts: dict[str, int]
    revision: str | None


@dataclass
class RestoreResult:
    row_counts: dict[str, int]
    revision: str | None
    checks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the person restoring should know


# --- shared ---------------------------------------------------------------------------------------------------


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows in every table of the database, by table name (sorted)."""
    names = sorted(inspect(connection).get_table_names())
    return {name: connection.scalar(select(func.count()).select_from(table(name))) for name in names}


def schema_revision(connection: Connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.scalar(select(text("version_num")).select_from(table("alembic_version")))


def case_rows(counts: dict[str, int]) -> dict[str, int]:
    """The tables that hold rows, leaving out migration bookkeeping."""
    return {name: n for name, n in counts.items() if n and name not in BOOKKEEPING_TABLES}


def _refuse_unless_empty(counts: dict[str, int], force: bool) -> None:
    holding = case_rows(counts)
    if holding and not force:
        examples = ", ".join(f"{name} ({n})" for name, n in list(holding.items())[:3])
        raise BackupError(
            f"The target database is not empty: {sum(holding.values())} rows in {len(holding)} "
            f"table{'s' if len(holding) != 1 else ''}, "
            f"for example {examples}. A restore replaces what is in it. "
            "Restore into an empty database, or add --force to replace this one."
        )


@contextlib.contextmanager
def _partial_file_beside(path: Path) -> Iterator[Path]:
    """A temporary file in PATH's folder, renamed to PATH by the caller; removed if anything fails."""
    folder = path.parent
    if not folder.is_dir():
        raise BackupError(f"The folder {folder} does not exist.")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _publish(partial: Path, path: Path) -> None:
    """fsync the finished backup, then rename it over PATH in one step."""
    with open(partial, "rb") as file:
        os.fsync(file.fileno())
    os.replace(partial, path)
    with contextlib.suppress(OSError):  # not every file system lets a folder be fsynced
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _readable_backup(path: Path, magic: bytes, kind: str) -> None:
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    with open(path, "rb") as file:
        start = file.read(len(SQLITE_MAGIC))
    if not start.startswith(magic):
        if start.startswith(PGDUMP_MAGIC):
            found = "it is a PostgreSQL backup (pg_dump)"
        elif start.startswith(SQLITE_MAGIC):
            found = "it is a SQLite backup"
        else:
            found = "it is not a Pathway backup, or it is damaged"
        raise BackupError(f"{path} is not {kind}: {found}. Nothing was restored.")


def backup(database_url: str | URL, path: str | Path) -> BackupResult:
    url = make_url(database_url)
    path = Path(path).resolve()
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give the name of the backup file to write.")
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_backup(url, path)
        if url.get_backend_name() == "postgresql":
            return _pg_backup(url, path)
    except SQLAlchemyError as error:
        raise BackupError(f"The database could not be read ({_first_line(error)}).") from None
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported (SQLite or PostgreSQL).")


def restore(database_url: str | URL, path: str | Path, *, force: bool = False) -> RestoreResult:
    url = make_url(database_url)
    path = Path(path).resolve()
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_restore(url, path, force)
        if url.get_backend_name() == "postgresql":
            return _pg_restore(url, path, force)
    except SQLAlchemyError as error:
        raise BackupError(f"The database could not be reached or read ({_first_line(error)}).") from None
    raise BackupError(f"Restoring into {url.get_backend_name()} databases is not supported (SQLite or PostgreSQL).")


def _first_line(error: SQLAlchemyError) -> str:
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]


@contextlib.contextmanager
def _engine(url: str | URL) -> Iterator[Engine]:
    engine = create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


# --- SQLite ---------------------------------------------------------------------------------------------------


def _sqlite_file(url: URL) -> Path:
    if url.database in (None, "", ":memory:") or url.database.startswith("file::memory:"):
        raise BackupError("The database is in memory: there is nothing on disk to back up or restore into.")
    return Path(url.database).resolve()


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def _sqlite_checks(connection: sqlite3.Connection) -> list[str]:
    """Problems found by SQLite's own checks; empty when the database is sound."""
    problems = [row[0] for row in connection.execute("PRAGMA integrity_check") if row[0] != "ok"]
    problems += [
        f"{child} row {rowid} points to a missing {parent} row"
        for child, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check")
    ]
    return problems


def _sqlite_counts(path: Path) -> tuple[dict[str, int], str | None]:
    with _engine(_sqlite_url(path)) as engine, engine.connect() as connection:
        return row_counts(connection), schema_revision(connection)


def _sqlite_backup(url: URL, path: Path) -> BackupResult:
    source_file = _sqlite_file(url)
    if not source_file.is_file():
        raise BackupError(f"There is no database at {source_file}.")
    if source_file == path:
        raise BackupError("The backup cannot be written over the database itself.")
    with _partial_file_beside(path) as partial:
        source = _read_only(source_file)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)  # a consistent snapshot, even while the app is writing (WAL)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            problems = _sqlite_checks(target)
        except sqlite3.Error as error:
            raise BackupError(f"SQLite could not make the backup ({error}).") from None
        finally:
            target.close()
            source.close()
        if problems:
            raise BackupError("The backup failed SQLite's checks: " + "; ".join(problems[:5]))
        counts, revision = _sqlite_counts(partial)
        _publish(partial, path)
    return BackupResult(path=path, row_counts=counts, revision=revision)


def _sqlite_restore(url: URL, path: Path, force: bool) -> RestoreResult:
    _readable_backup(path, SQLITE_MAGIC, "a SQLite backup")
    target_file = _sqlite_file(url)
    if target_file == path:
        raise BackupError("The backup file is the database itself: nothing to restore.")
    source = _read_only(path)
    try:
        problems = _sqlite_checks(source)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is damaged ({error}). Nothing was restored.") from None
    finally:
        source.close()
    if problems:
        raise BackupError(f"{path} is damaged: " + "; ".join(problems[:5]) + ". Nothing was restored.")
    expected, revision = _sqlite_counts(path)

    if target_file.exists():
        try:
            current, _ = _sqlite_counts(target_file)
        except (SQLAlchemyError, sqlite3.Error) as error:
            raise BackupError(f"The target {target_file} cannot be read as a database ({error}).") from None
        _refuse_unless_empty(current, force)
    elif not target_file.parent.is_dir():
        raise BackupError(f"The folder {target_file.parent} does not exist.")

    source = _read_only(path)
    target = sqlite3.connect(target_file, timeout=30)
    try:
        source.backup(target)  # page by page inside one write transaction: all of it or none
        problems = _sqlite_checks(target)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not restore into {target_file} ({error}); it is as it was before.") from None
    finally:
        target.close()
        source.close()
    if problems:
        raise BackupError("The restored database failed SQLite's checks: " + "; ".join(problems[:5]))
    restored, _ = _sqlite_counts(target_file)
    if restored != expected:
        raise BackupError(f"The restored row counts differ from the backup's: {_differences(expected, restored)}")
    checks = [
        "PRAGMA integrity_check: ok",
        "PRAGMA foreign_key_check: no broken links",
        f"row counts match the backup in all {len(restored)} tables",
    ]
    return RestoreResult(row_counts=restored, revision=revision, checks=checks)


def _differences(expected: dict[str, int], actual: dict[str, int]) -> str:
    names = sorted(set(expected) | set(actual))
    return ", ".join(
        f"{name} {expected.get(name, 'missing')} -> {actual.get(name, 'missing')}"
        for name in names
        if expected.get(name) != actual.get(name)
    )


# --- PostgreSQL -----------------------------------------------------------------------------------------------


def _pg_env(url: URL) -> dict[str, str]:
    # The app's own connection (psycopg, on libpq) sees the same PG* variables, so pg_dump/pg_restore reach
    # the database the same way; the URL's parts take precedence.
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    for key, name in LIBPQ_QUERY_ENV.items():
        value = url.query.get(key)
        if isinstance(value, str):
            env[name] = value
    return env


def _pg_connection_args(url: URL) -> list[str]:
    if not url.database:
        raise BackupError("The database URL names no database.")
    args = []
    host = url.host or (url.query.get("host") if isinstance(url.query.get("host"), str) else None)
    if host:
        args += ["--host", host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    args += ["--no-password", "--dbname", url.database]
    return args


def _server_major(connection: Connection) -> int:
    return int(connection.scalar(text("SHOW server_version_num"))) // 10000


def _tool_major(executable: str) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603 # nosec B603 # a found pg tool's path and a fixed argument, no shell
            [executable, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    return int(match.group(1)) if match else None


def find_pg_tool(name: str, server_major: int) -> str:
    """pg_dump or pg_restore no older than the server (an older one refuses to dump a newer server).

    Looks in PATHWAY_PG_BIN, then Debian's /usr/lib/postgresql/<server major>/bin, then PATH.
    """
    candidates = []
    if os.environ.get("PATHWAY_PG_BIN"):
        candidates.append(Path(os.environ["PATHWAY_PG_BIN"]) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{server_major}/bin") / name)
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    found = []
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            major = _tool_major(str(candidate))
            found.append(f"{candidate} ({major})")
            if major is not None and major >= server_major:
                return str(candidate)
    if not found:
        raise BackupError(f"{name} is not installed. Install PostgreSQL's client tools "
                          f"(Debian: postgresql-client-{server_major}) or set PATHWAY_PG_BIN to their folder.")
    raise BackupError(f"The server is PostgreSQL {server_major} but the {name} found is older: {', '.join(found)}. "
                      f"Install postgresql-client-{server_major} or set PATHWAY_PG_BIN.")


def _run(argv: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    # An argument list (never a shell) built from the URL's parts; the password travels in env (PGPASSWORD).
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603 # nosec B603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} failed (exit status {result.returncode}): " + " | ".join(detail[-5:]))
    return result


def _pg_backup(url: URL, path: Path) -> BackupResult:
    with _engine(url) as engine:
        with engine.connect() as connection:
            server_major = _server_major(connection)
        pg_dump = find_pg_tool("pg_dump", server_major)
        # Count the rows in the very snapshot pg_dump dumps, so the counts printed are the backup's.
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection, connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            counts = row_counts(connection)
            revision = schema_revision(connection)
            with _partial_file_beside(path) as partial:
                argv = [pg_dump, "--format=custom", f"--file={partial}", f"--snapshot={snapshot}",
                        *_pg_connection_args(url)]
                _run(argv, _pg_env(url), "pg_dump")
                _pg_table_list(url, partial, server_major)  # the file reads back
                _publish(partial, path)
    return BackupResult(path=path, row_counts=counts, revision=revision)


def _pg_table_list(url: URL, path: Path, server_major: int) -> list[str]:
    """The tables whose rows are in a pg_dump file (its table of contents); BackupError if unreadable."""
    pg_restore = find_pg_tool("pg_restore", server_major)
    try:
        listing = _run([pg_restore, "--list", str(path)], _pg_env(url), "Reading the backup")
    except BackupError as error:
        raise BackupError(f"{path} is damaged or not a pg_dump backup ({error}).") from None
    tables = []
    for line in listing.stdout.splitlines():
        # "215; 0 16390 TABLE DATA public users postgres"
        match = re.match(r"^\d+;\s+\d+\s+\d+\s+TABLE DATA\s+(\S+)\s+(\S+)", line)
        if match:
            tables.append(match.group(2))
    return sorted(tables)


def _pg_restore(url: URL, path: Path, force: bool) -> RestoreResult:
    _readable_backup(path, PGDUMP_MAGIC, "a PostgreSQL backup (pg_dump custom format)")
    with _engine(url) as engine:
        with engine.connect() as connection:
            server_major = _server_major(connection)
            try:
                tables = _pg_table_list(url, path, server_major)
            except BackupError as error:
                raise BackupError(f"{error} Nothing was restored.") from None
            _refuse_unless_empty(row_counts(connection), force)
        pg_restore = find_pg_tool("pg_restore", server_major)
        argv = [pg_restore, "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
                "--no-owner", "--no-privileges", *_pg_connection_args(url), str(path)]
        try:
            _run(argv, _pg_env(url), "pg_restore")
        except BackupError as error:
            raise BackupError(f"{error} The restore ran as one transaction: nothing was restored.") from None
        with engine.connect() as connection:
            restored = row_counts(connection)
            revision = schema_revision(connection)
    missing = [name for name in tables if name not in restored]
    if missing:
        raise BackupError(f"Tables in the backup are missing after the restore: {', '.join(missing)}")
    checks = [
        "pg_restore: exit status 0 (one transaction, stopped at the first error; keys and constraints re-checked)",
        f"all {len(tables)} tables in the backup are present",
    ]
    extra = [name for name in restored if name not in tables and name not in BOOKKEEPING_TABLES]
    notes = [f"Not in the backup, so left as they were: {', '.join(extra)}. "
             "Restore into an empty database to leave nothing behind."] if extra else []
    return RestoreResult(row_counts=restored, revision=revision, checks=checks, notes=notes)
