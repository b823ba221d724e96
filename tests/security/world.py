"""A world with one of every kind of record, and what the battery, the crawl and the access matrix
need to use it:

- ``build_full_world`` makes the integration ``world``'s two teams and people, then a plan history (a
  signed-off plan and a draft review with targets and contingencies), a submitted plan for sign-off, a
  care episode, a move, a contact, a help request, the offer catalogue with claims and a payment, an
  offer question, passport answers, a manual flag, an oversight note, supervision, break-glass cover,
  a leaver, an invitation link and an expired one. It returns ids only (``World``).
- ``url_params``/``build_url`` fill a route's URL parameters from that world. A parameter they do not
  know fails the test by name, so a new route cannot be skipped silently.
- ``who_for`` picks the kind of user (a role the endpoint allows, with access to the world's records);
  ``Clients`` keeps one signed-in client per kind of user.
- ``snapshot`` takes per-table row counts and a checksum of every row, to prove nothing changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, text

from pathway.extensions import db
from pathway.models import (
    AccommodationMove,
    Allocation,
    CareEpisode,
    ClaimStatus,
    Contact,
    OneTimeToken,
    OversightKind,
    OversightNote,
    PassportItem,
    PassportStatus,
    Responsible,
    Role,
    Supervision,
    TargetStatus,
    TokenPurpose,
)
from pathway.models.break_glass import BreakGlassGrant
from pathway.rules.plan_areas import PlanArea
from pathway.services import flags as flag_service
from pathway.services import offer_questions as question_service
from pathway.services import passport as passport_service
from pathway.services import plans as plan_service
from pathway.services.tokens import hash_token, new_token
from tests.factories import Factory
from tests.offer_builders import DRIVING, EMERGENCY, build_catalogue, make_former_relevant, record_claim
from tests.plan_builders import build_plan

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday
TODAY = NOW.date()

# Tables written by design on any request, so they are left out of "nothing changed" comparisons.
# (The rate limiter's counters and the signed session cookie are not in the database at all.)
BOOKKEEPING_TABLES = frozenset({
    # Every view and change of a record is logged (Caldicott principle 4): GET pages write here by design.
    "audit_event",
    # Server-side sign-in sessions: last_seen_at moves on each request (idle time-out), sign-out revokes.
    "auth_session",
    # Derived data: the worklist's flags are recomputed and cached when a page needs them.
    "flag_cache",
})


@dataclass
class Snapshot:
    counts: dict[str, int]
    digests: dict[str, str]

    def changed_tables(self, other: Snapshot) -> list[str]:
        return sorted(t for t in self.counts if self.counts[t] != other.counts.get(t)
                      or self.digests[t] != other.digests.get(t))


def snapshot(ignore: frozenset[str] = BOOKKEEPING_TABLES) -> Snapshot:
    """Row counts and a checksum of every row of every table (but the bookkeeping ones)."""
    db.session.expire_all()
    counts, digests = {}, {}
    for table in db.metadata.sorted_tables:
        if table.name in ignore:
            continue
        pk = list(table.primary_key.columns) or list(table.columns)
        rows = db.session.execute(select(table).order_by(*pk)).all()
        counts[table.name] = len(rows)
        digests[table.name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return Snapshot(counts, digests)


def table_names() -> set[str]:
    """Every table in the database (to check the models cover them all: a table the snapshot
    cannot see would hide writes)."""
    bind = db.session.get_bind()
    if bind.dialect.name == "sqlite":
        rows = db.session.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars()
    else:
        rows = db.session.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars()
    return {r for r in rows if not r.startswith("sqlite_") and r != "alembic_version"}


@dataclass
class World:
    """Ids and sign-in details of the world's records and people (plain values: they outlive sessions)."""

    ids: dict[str, object]
    user_ids: dict[str, int]  # who ("adviser", "manager"...) -> user id

    def __getattr__(self, name):
        try:
            return self.ids[name]
        except KeyError:
            raise AttributeError(name) from None


def build_full_world() -> World:
    """Two teams (as the integration ``world``) and one of every kind of record, committed into the
    caller's transaction. Times are frozen at NOW by the caller."""
    make = Factory()
    north, south = make.team("North"), make.team("South")
    manager = make.manager(north, name="Manager North")
    other_manager = make.manager(south, name="Manager South")
    adviser = make.adviser(north, name="Adviser One")
    colleague = make.adviser(north, name="Adviser Two")
    other_adviser = make.adviser(south, name="Adviser South")
    admin = make.admin(name="Admin")
    person = make.young_person(adviser, account=True, given_name="Jordan", family_name="Taylor")
    person_user = person.user
    other_person = make.young_person(other_adviser, account=True, given_name="Aisha", family_name="Khan")
    colleague_person = make.young_person(colleague, given_name="Callum", family_name="Robson")

    # Plans: Jordan has a signed-off plan 1 and a draft review (plan 2) to edit;
    # Sam has a plan waiting for the manager's decision; Riley has no plan yet.
    signed_plan = build_plan(make, person, adviser, manager, today=TODAY - timedelta(days=120))
    draft_plan = plan_service.start_plan(person, by=adviser, today=TODAY)
    target = plan_service.add_target(draft_plan, plan_service.TargetFields(
        area=PlanArea.FINANCE, what="Set up a budget", responsible=Responsible.YOUNG_PERSON, responsible_name=None,
        due_on=TODAY + timedelta(days=30), how_we_know="You show us your budget", status=TargetStatus.NOT_STARTED,
        status_reason=None), by=adviser)
    db.session.refresh(draft_plan)
    submitted_person = make.young_person(adviser, given_name="Sam", family_name="Okafor", dob=date(2008, 2, 29))
    build_plan(make, submitted_person, adviser, manager, today=TODAY, signed_off=False)
    no_plan_person = make.young_person(adviser, given_name="Riley", family_name="Evans", dob=date(2009, 11, 23),
                                       email="riley.evans@example.com")  # not invited yet

    # Care history, moves and contacts.
    make_former_relevant(person, dob=person.date_of_birth)
    episode = db.session.scalar(select(CareEpisode).where(CareEpisode.young_person_id == person.id))
    db.session.add(AccommodationMove(young_person_id=person.id, move_in=TODAY - timedelta(days=40), code="U1",
                                     suitable=True))
    db.session.add(Contact(young_person_id=person.id, contact_at=NOW - timedelta(days=20), kind="home_visit",
                           reached=True, notes="Saw Jordan at home", recorded_by_id=adviser.id))
    db.session.commit()

    # The offer: catalogue, a requested claim (to decide), an approved claim with a payment, a question.
    catalogue = build_catalogue()
    entitlement = catalogue[DRIVING]
    open_claim = record_claim(person, catalogue[EMERGENCY], requested_on=TODAY - timedelta(days=3),
                              status=ClaimStatus.REQUESTED)
    approved_claim = record_claim(person, entitlement, requested_on=TODAY - timedelta(days=30),
                                  approved_pence=25_000, payments=((TODAY - timedelta(days=20), 10_000),))
    question = question_service.ask_about(person, entitlement, by=person_user, message="Can I have lessons?",
                                          adviser=None)

    # Help, flags, passport.
    help_request = flag_service.ask_for_help(person, by=person_user, topic="money", how_to_reach="07700 900 123",
                                             message="My rent is late", adviser=None)
    flag = flag_service.raise_flag(person, by=adviser, title="Check the new flat", due=TODAY + timedelta(days=7),
                                   reason="Worried about damp")
    passport_item = db.session.scalar(select(PassportItem).where(PassportItem.is_document.is_(False))
                                      .order_by(PassportItem.id))
    document_item = db.session.scalar(select(PassportItem).where(PassportItem.is_document.is_(True))
                                      .order_by(PassportItem.id))
    passport_service.answer_item(person, passport_item, by=person_user, status=PassportStatus.LEARNING)

    # Oversight and supervision.
    db.session.add(OversightNote(young_person_id=person.id, kind=OversightKind.SUPERVISION.value, noted_on=TODAY,
                                 note="Reviewed the file", by_id=manager.id))
    db.session.add(Supervision(adviser_id=adviser.id, held_on=TODAY - timedelta(days=14), by_id=manager.id))
    db.session.commit()

    # Break-glass cover: Adviser One covered Callum (Adviser Two's) yesterday; it has ended and waits
    # for the manager's review (so Adviser One can ask for cover again).
    cover_allocation = db.session.scalar(select(Allocation).where(Allocation.young_person_id == colleague_person.id))
    grant = BreakGlassGrant(adviser_id=adviser.id, young_person_id=colleague_person.id,
                            allocation_id=cover_allocation.id, team_id=north.id, reason="Adviser Two is off sick",
                            granted_at=NOW - timedelta(hours=26), expires_at=NOW - timedelta(hours=2))
    db.session.add(grant)
    db.session.commit()

    # A member of staff who has left (to reactivate), and an old set-password link that has expired.
    leaver = make.adviser(north, name="Former Adviser", active=False)
    expired_link = new_token()
    db.session.add(OneTimeToken(token_hash=hash_token(expired_link), user_id=leaver.id,
                                purpose=TokenPurpose.PASSWORD_RESET, expires_at=NOW - timedelta(days=1)))
    db.session.commit()

    # A staff member invited but not yet signed up, with a live set-password link.
    invited = make.adviser(north, name="Invited Adviser", password=False)
    link_token = new_token()
    db.session.add(OneTimeToken(token_hash=hash_token(link_token), user_id=invited.id,
                                purpose=TokenPurpose.INVITATION, expires_at=NOW + timedelta(days=7)))
    db.session.commit()

    ids = {
        "north": north.id, "south": south.id, "manager": manager.id, "other_manager": other_manager.id,
        "adviser": adviser.id, "colleague": colleague.id, "other_adviser": other_adviser.id, "admin": admin.id,
        "person": person.id, "person_user": person_user.id, "other_person": other_person.id,
        "colleague_person": colleague_person.id, "submitted_person": submitted_person.id,
        "no_plan_person": no_plan_person.id, "signed_plan_number": signed_plan.number,
        "target": target.id, "contingency": draft_plan.contingencies[0].id,
        "episode": episode.id, "entitlement": entitlement.id, "entitlement_slug": entitlement.slug,
        "open_claim": open_claim.id, "approved_claim": approved_claim.id, "question": question.id,
        "help_request": help_request.id, "flag_key": flag.flag_key, "passport_item": passport_item.id,
        "document_item": document_item.id, "invited": invited.id, "link_token": link_token,
        "grant": grant.id, "leaver": leaver.id, "expired_link": expired_link,
    }
    user_ids = {"young_person": person_user.id, "adviser": adviser.id, "manager": manager.id, "admin": admin.id}
    return World(ids=ids, user_ids=user_ids)


# How to fill each URL parameter name, per endpoint when it matters (the default otherwise).
def _param_values(w: World) -> dict[str, object]:
    return {
        "person_id": w.person,
        "episode_id": w.episode,
        "target_id": w.target,
        "contingency_id": w.contingency,
        "request_id": w.help_request,
        "claim_id": w.open_claim,
        "question_id": w.question,
        "entitlement_id": w.entitlement,
        "user_id": w.colleague,
        "adviser_id": w.adviser,
        "flag_key": w.flag_key,
        "area": "accommodation",
        "slug": w.entitlement_slug,
        "token": w.link_token,
        "number": w.signed_plan_number,
        "key": "in-touch",
        "item_id": w.passport_item,
        "grant_id": w.grant,
        "filename": "govuk-frontend.min.css",
    }


def _overrides(w: World) -> dict[tuple[str, str], object]:
    return {
        ("plans.decide", "person_id"): w.submitted_person,
        ("plans.start_plan", "person_id"): w.no_plan_person,
        ("offer.record_payment", "claim_id"): w.approved_claim,
        ("me.edit_passport_document", "item_id"): w.document_item,
        ("admin.resend_invitation", "user_id"): w.invited,
        ("admin.reactivate_user", "user_id"): w.leaver,
        ("admin.set_managed_teams", "user_id"): w.other_manager,
        ("auth.request_new_link", "token"): w.expired_link,
        ("records.invite", "person_id"): w.no_plan_person,  # the invitation is for someone with no account yet
    }


class UnknownParameter(LookupError):
    pass


def url_params(endpoint: str, arguments, w, extra: dict[tuple[str, str], object] | None = None) -> dict[str, object]:
    values, overrides = _param_values(w), {**_overrides(w), **(extra or {})}
    params = {}
    for name in sorted(arguments):
        if (endpoint, name) in overrides:
            params[name] = overrides[endpoint, name]
        elif name in values:
            params[name] = values[name]
        else:
            raise UnknownParameter(
                f"{endpoint}: no value for URL parameter {name!r}: add one to tests/security/world.py")
    return params


def build_url(app, rule, w: World, extra: dict[tuple[str, str], object] | None = None) -> str:
    params = url_params(rule.endpoint, rule.arguments, w, extra)
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **params)


ROLE_ORDER = (Role.ADVISER, Role.MANAGER, Role.YOUNG_PERSON, Role.ADMIN)


def allowed_roles(app, endpoint: str):
    from pathway.access import PUBLIC

    view = app.view_functions[endpoint]
    roles = getattr(view, "allowed_roles", frozenset())
    return "public" if roles is PUBLIC or endpoint == "static" else roles


ROLE_NAMES = {Role.ADVISER: "adviser", Role.MANAGER: "manager", Role.YOUNG_PERSON: "young_person",
              Role.ADMIN: "admin"}


def who_for(app, endpoint: str) -> str:
    """Who may use the endpoint on the world's records: "anonymous" for public pages, else a role name."""
    roles = allowed_roles(app, endpoint)
    if roles == "public":
        return "anonymous"
    for role in ROLE_ORDER:
        if role in roles:
            return ROLE_NAMES[role]
    raise AssertionError(f"{endpoint} declares no role: every endpoint must (pathway/access.py)")


class Clients:
    """One signed-in PageClient per kind of user, made on first use."""

    def __init__(self, app, w: World):
        self.app, self.w, self._clients = app, w, {}
        self._temporary: set[str] = set()
        self._set_up = False

    def sign_in_everyone(self) -> None:
        """Sign in once, in the module's transaction: these sessions outlive each test's savepoint."""
        for who in ("anonymous", *self.w.user_ids):
            self(who)
        self._set_up = True

    def end_test(self) -> None:
        """Forget clients signed in during a test: their session rows go with the test's savepoint."""
        for who in self._temporary:
            self._clients.pop(who, None)
        self._temporary.clear()

    def __call__(self, who: str):
        from pathway.models import User
        from tests.helpers import PageClient

        if who not in self._clients:
            client = PageClient(self.app)
            if who != "anonymous":
                user = db.session.get(User, self.w.user_ids[who])
                # End the test session's savepoint first: the sign-in's rows must not be nested in it.
                db.session.commit()
                client.sign_in_as(user)
            self._clients[who] = client
            if self._set_up:  # signed in during a test: the session row goes with the test's savepoint
                self._temporary.add(who)
        return self._clients[who]

    def fresh_token(self, who: str) -> str:
        """The CSRF token of the client's session as it is now (read off a page). A client that an
        earlier post signed out (sign-out, a new password) is replaced by one signed in afresh."""
        client = self(who)
        client._token = None
        page = client.get("/sign-in" if who == "anonymous" else "/account", status=None)
        if who != "anonymous" and page.status != 200:
            self.forget(who)
            db.session.commit()
            client = self(who)
            client._token = None
            page = client.get("/account", status=None)
            assert page.status == 200, f"{who} cannot sign in again: {page.status}"
        return client.token()

    def forget(self, who: str) -> None:
        """Sign in afresh next time (a post signed this client out)."""
        self._clients.pop(who, None)
