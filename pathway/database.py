"""Engine settings that make SQLite safe for a web app and for savepoint-based tests."""

from __future__ import annotations

import re

from sqlalchemy import event
from sqlalchemy.engine import Engine

_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|SAVEPOINT|CREATE|DROP|ALTER)\b", re.I)


def configure_engine_events(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin
        # (so SAVEPOINTs work), then set the pragmas every connection needs.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN")
        connection.info["sqlite_writing"] = False

    if engine.url.database in (None, "", ":memory:"):
        return

    # A file database is shared by several gunicorn workers. A transaction that reads and then writes
    # would, in WAL mode, fail at once with "database is locked" when another worker committed in
    # between (SQLITE_BUSY_SNAPSHOT: SQLite cannot move the read snapshot forward, and the busy timeout
    # does not apply). So at a transaction's first write, end its read part and start the write part
    # with BEGIN IMMEDIATE, which waits its turn for the write lock on the busy timeout. Reads stay
    # concurrent and the write lock is held only from the first write to the commit. What was read
    # before still counts as read (as under PostgreSQL's READ COMMITTED); version columns guard updates.
    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(connection, cursor, statement, parameters, context, executemany):
        if connection.info.get("sqlite_writing", True) or not _WRITE.match(statement):
            return
        connection.info["sqlite_writing"] = True
        if cursor.connection.in_transaction:
            cursor.execute("COMMIT")
        cursor.execute("BEGIN IMMEDIATE")
