"""Whole rendered pages, kept in memory for as long as nothing they show has changed.

Rendering a page through the GOV.UK templates, and loading what it shows, costs 10 to 20 ms; a care
leaver opening "My plan" again, or a PA going back to their worklist, usually sees exactly what they
saw last time. So the busiest pages (My plan, My offer, My passport, the worklist and the record
page) keep their rendered HTML in each app server's memory, keyed on:

- the page (path and query string, and whether htmx asked for the fragment) and the signed-in user:
  a page is never served to anyone but the user it was rendered for;
- the date the page was worked out for (flags, ages and due dates move with the calendar);
- version counters read from the database on every request (one query), so several app servers
  sharing one database never serve a page older than the data: ``cache_version`` holds one counter
  per young person, bumped in the same transaction as any change to a row that belongs to them
  (found through the schema: a ``young_person_id`` column, or a foreign key to a row that has one),
  and counter 0, bumped by any other change (the offer catalogue, passport items, settings, users,
  teams). Bookkeeping that no cached page shows does not count: the audit trail, sessions,
  two-factor secrets, the flag cache and the counters themselves, and a user's password hash and
  sign-in lockout.

What each request still does on a hit: check the session, authorise, read the counters, write the
audit row for the view, and put this request's CSRF token and CSP nonce into the page (they are
stored as markers, never cached). A page is not cached while a flash message is waiting to be shown.

The counters only ever go up (a rolled-back change rolls its bump back with it). After a database
restore, ``invalidate_everything`` moves counter 0 to a random value, so no app server's memory
can match. Set PAGE_CACHE_SIZE to 0 to turn the cache off.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import Select, bindparam, event, inspect, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pathway.extensions import db, htmx
from pathway.models import Allocation, CacheVersion, TeamManager, User, YoungPerson
from pathway.models.cache import EVERYTHING_ELSE

# Tables whose rows no cached page shows: a change to them leaves every counter alone.
BOOKKEEPING_TABLES = frozenset({
    "audit_event", "auth_session", "two_factor", "recovery_code", "flag_cache", "cache_version",
})
# Columns of the user table that no page shows: signing in (or failing to) leaves the counters alone.
USER_BOOKKEEPING = frozenset({"password_hash", "failed_sign_ins", "locked_until"})

_VERSIONS = CacheVersion.__table__
_MARKER = secrets.token_hex(12)  # per process: cannot occur in a page by chance
CSRF_MARK = f"@@csrf-{_MARKER}@@"
_PENDING = "page_cache_pending"  # in session.info: the counters to bump at commit
NONCE_MARK = f"@@nonce-{_MARKER}@@"


# --- Counting changes ------------------------------------------------------------------------------------

_LINKS: dict[type, tuple[str, type] | None] = {}


def _parent_link(cls: type, seen: frozenset = frozenset()) -> tuple[str, type] | None:
    """For a mapped class without ``young_person_id``: (foreign key attribute, parent class) of its first
    foreign key to a class that belongs to a young person, if any (a target's plan, a payment's claim)."""
    if cls in _LINKS:
        return _LINKS[cls]
    found = None
    for prop in inspect(cls).column_attrs:
        for column in prop.columns:
            for fk in getattr(column, "foreign_keys", ()):
                target = _class_for_table(fk.column.table.name)
                if target is None or target is cls or target in seen:
                    continue
                if (target is YoungPerson or "young_person_id" in inspect(target).attrs
                        or _parent_link(target, seen | {cls})):
                    found = (prop.key, target)
                    break
            if found:
                break
        if found:
            break
    if not seen:  # only a complete answer is remembered
        _LINKS[cls] = found
    return found


def _class_for_table(name: str) -> type | None:
    for mapper in db.Model.registry.mappers:
        if mapper.local_table is not None and mapper.local_table.name == name:
            return mapper.class_
    return None


def _people_of(session: Session, obj: Any, depth: int = 0) -> set[int] | None:
    """The young people a row belongs to, or None when it is not one young person's."""
    if isinstance(obj, YoungPerson):
        return {obj.id} if obj.id is not None else None
    state = inspect(obj)
    if "young_person_id" in state.mapper.attrs:
        history = state.attrs.young_person_id.history
        ids = {v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None}
        return ids or None
    link = _parent_link(type(obj)) if depth < 4 else None
    if link is None:
        return None
    attribute, parent_class = link
    parent_id = getattr(obj, attribute)
    if parent_id is None:
        return None
    if parent_class is YoungPerson:
        return {parent_id}
    with session.no_autoflush:
        parent = session.get(parent_class, parent_id)
    return _people_of(session, parent, depth + 1) if parent is not None else None


def _counts(session: Session, obj: Any) -> bool:
    table = inspect(obj).mapper.local_table
    if table.name in BOOKKEEPING_TABLES:
        return False
    if obj in session.new or obj in session.deleted:
        return True
    if not session.is_modified(obj):
        return False
    if isinstance(obj, User):
        state = inspect(obj)
        changed = {a.key for a in state.attrs if a.history.has_changes()}
        return not changed <= USER_BOOKKEEPING
    return True


def _bump(session: Session, keys: Iterable[int]) -> None:
    keys = sorted(set(keys))  # always in the same order: two transactions never wait on each other in a circle
    if not keys:
        return
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(_VERSIONS).values([{"key": k, "version": 1} for k in keys])
    statement = statement.on_conflict_do_update(
        index_elements=[_VERSIONS.c.key], set_={"version": _VERSIONS.c.version + 1},
    )
    session.connection().execute(statement)


def _pending(session: Session) -> set[int]:
    """The counters this transaction will bump when it commits."""
    return session.info.setdefault(_PENDING, set())


@event.listens_for(Session, "after_flush")
def _count_flushed_changes(session: Session, flush_context) -> None:
    keys: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not _counts(session, obj):
            continue
        people = _people_of(session, obj)
        keys.update(people if people else {EVERYTHING_ELSE})
    _pending(session).update(keys)


@event.listens_for(Session, "do_orm_execute")
def _count_bulk_changes(state) -> None:
    """INSERT, UPDATE or DELETE statements sent through the session (not one object at a time): they
    may touch anyone's rows, so they count as a change to everything else."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and getattr(table, "name", None) in BOOKKEEPING_TABLES:
        return
    _pending(state.session).add(EVERYTHING_ELSE)


@event.listens_for(Session, "before_commit")
def _bump_at_commit(session: Session) -> None:
    """Bump every counter the transaction touched in one statement, in key order, just before it commits:
    the rows are locked for the shortest time, and two transactions can never deadlock on them (each
    takes its locks in the same order, once). Changes not yet flushed are flushed and counted first."""
    session.flush()
    keys = session.info.pop(_PENDING, None)
    if keys:
        _bump(session, keys)


@event.listens_for(Session, "after_transaction_end")
def _forget_at_the_end(session: Session, transaction) -> None:
    """A transaction rolled back changed nothing, so it bumps nothing. (A savepoint rolled back inside a
    transaction keeps what it counted: bumping too much only costs a page being worked out again.)"""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def invalidate_everything(session: Session) -> None:
    """Make every page cached by any app server unusable (after restoring a backup, whose counters
    may be lower than the ones the servers last saw). Does not commit."""
    session.connection().execute(_VERSIONS.delete().where(_VERSIONS.c.key == EVERYTHING_ELSE))
    session.connection().execute(
        _VERSIONS.insert().values(key=EVERYTHING_ELSE, version=secrets.randbits(62) + 1_000_000))


# --- Reading the counters --------------------------------------------------------------------------------

# The statements are built once: building a union with its column collections on every request cost
# more than running it.
_FOR_PEOPLE = (
    select(_VERSIONS.c.key, _VERSIONS.c.version)
    .where(_VERSIONS.c.key.in_(bindparam("keys", expanding=True)))
)


def versions_for(person_ids: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """(key, version) for these young people and for everything else, in one query."""
    keys = sorted({EVERYTHING_ELSE, *person_ids})
    found = dict(db.session.execute(_FOR_PEOPLE, {"keys": keys}).all())
    return tuple((k, found.get(k, 0)) for k in keys)


def _versions_of(people) -> Select:
    """(key, version) for each young person the select names, and for everything else, by key."""
    people = people.union(select(literal(EVERYTHING_ELSE).label("key"))).subquery()
    return (
        select(people.c.key, _VERSIONS.c.version)
        .outerjoin(_VERSIONS, _VERSIONS.c.key == people.c.key)
        .order_by(people.c.key)
    )


# The counters of every young person allocated to this adviser now.
_FOR_CASELOAD = _versions_of(
    select(Allocation.young_person_id.label("key"))
    .where(Allocation.adviser_id == bindparam("user_id"), Allocation.end_date.is_(None))
)
# The counters of every young person ever allocated to an adviser in this manager's teams (the
# indicators look back a year). An adviser moving team changes a user row: everything else's counter.
_FOR_MANAGED_TEAMS = _versions_of(
    select(Allocation.young_person_id.label("key"))
    .join(User, User.id == Allocation.adviser_id)
    .join(TeamManager, TeamManager.team_id == User.team_id)
    .where(TeamManager.user_id == bindparam("user_id"))
)


def _digest(statement: Select, user_id: int) -> str:
    """One digest of (key, version) for every row, in one query. The set itself is in the digest: a
    young person joining or leaving it changes the key."""
    digest = hashlib.blake2b(digest_size=20)
    for key, version in db.session.execute(statement, {"user_id": user_id}):
        digest.update(f"{key}:{version or 0};".encode())
    return digest.hexdigest()


def versions_for_caseload(adviser_id: int) -> str:
    """The counters of every young person allocated to this adviser now, and of everything else."""
    return _digest(_FOR_CASELOAD, adviser_id)


def versions_for_managed_teams(manager_id: int) -> str:
    """The counters of every young person ever allocated to an adviser in this manager's teams, and of
    everything else."""
    return _digest(_FOR_MANAGED_TEAMS, manager_id)


# --- The cache -------------------------------------------------------------------------------------------

class PageCache:
    """A bounded, thread-safe store of rendered pages: least recently used first out."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: OrderedDict[tuple, tuple[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[str, Any] | None:
        with self._lock:
            entry = self._pages.get(key)
            if entry is not None:
                self._pages.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: tuple[str, Any]) -> None:
        with self._lock:
            self._pages[key] = entry
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)


def init_app(app) -> None:
    size = int(app.config.get("PAGE_CACHE_SIZE") or 0)
    app.extensions["page_cache"] = PageCache(size) if size > 0 else None


def clear(app=None) -> None:
    """Forget every page this process holds (tests do this between tests, as they roll the database back)."""
    store = (app or current_app).extensions.get("page_cache")
    if store is not None:
        store.clear()


def _to_template(html: str) -> str:
    token, nonce = g.get("csrf_token"), g.get("csp_nonce")
    if token:
        html = html.replace(token, CSRF_MARK)
    if nonce:
        html = html.replace(nonce, NONCE_MARK)
    return html


def _from_template(html: str) -> str:
    if CSRF_MARK in html:
        html = html.replace(CSRF_MARK, generate_csrf())
    if NONCE_MARK in html:
        html = html.replace(NONCE_MARK, g.get("csp_nonce", ""))
    return html


def cached_page(versions: tuple, render: Callable[[], tuple[str, Any]]) -> tuple[str, Any]:
    """The page ``render()`` would give now, with anything the view needs afterwards (``render`` returns
    ``(html, extra)``; ``extra`` is kept with the page, e.g. the plan id to audit).

    ``versions`` must cover everything the page shows (see versions_for) plus the date it is for.
    """
    store = current_app.extensions.get("page_cache")
    if store is None or session.get("_flashes"):
        return render()
    key = (request.endpoint, request.full_path, bool(htmx), current_user.id, versions)
    entry = store.get(key)
    if entry is not None:
        html, extra = entry
        return _from_template(html), extra
    html, extra = render()
    store.put(key, (_to_template(html), extra))
    return html, extra
