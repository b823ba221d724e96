"""Factories for test data. Everything is flushed into the test's rolled-back transaction."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from pathway.extensions import db
from pathway.models import Allocation, Role, Team, TeamManager, User, YoungPerson
from pathway.services.passwords import hash_password
from pathway.services.two_factor import enrol

PASSWORD = "correct-horse-battery"
# Every factory staff member is enrolled in two-factor sign-in with this authenticator-app secret and
# these recovery codes (tests.helpers.PageClient enters the codes at sign-in, as a person would).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - tests only
RECOVERY_CODES = ("testa-23456", "testb-23456", "testc-23456")
_HASH = None
_counter = itertools.count(1)


def password_hash() -> str:
    global _HASH
    if _HASH is None:
        _HASH = hash_password(PASSWORD)
    return _HASH


class Factory:
    def team(self, name: str | None = None) -> Team:
        team = Team(name=name or f"Team {next(_counter)}")
        db.session.add(team)
        db.session.flush()
        return team

    def user(self, role: Role, *, team: Team | None = None, name: str | None = None, email: str | None = None,
             manages: list[Team] | None = None, active: bool = True, password: bool = True,
             two_factor: bool = True) -> User:
        """A user. Staff are enrolled in two-factor sign-in (TOTP_SECRET) unless two_factor=False."""
        n = next(_counter)
        user = User(
            name=name or f"{role.value.title()} {n}",
            email=email or f"{role.value}{n}@example.test",
            role=role,
            active=active,
            password_hash=password_hash() if password else None,
            team_id=team.id if team else None,
        )
        db.session.add(user)
        db.session.flush()
        for managed in manages or []:
            db.session.add(TeamManager(team_id=managed.id, user_id=user.id))
        if two_factor and role is not Role.YOUNG_PERSON:
            enrol(user, TOTP_SECRET, recovery_codes=list(RECOVERY_CODES))
        db.session.flush()
        return user

    def adviser(self, team: Team | None = None, **kwargs) -> User:
        return self.user(Role.ADVISER, team=team or self.team(), **kwargs)

    def manager(self, *teams: Team, **kwargs) -> User:
        return self.user(Role.MANAGER, manages=list(teams), **kwargs)

    def admin(self, **kwargs) -> User:
        return self.user(Role.ADMIN, **kwargs)

    def young_person(self, adviser: User | None = None, *, dob: date = date(2007, 5, 17), account: bool = False,
                     allocated_on: date = date(2025, 1, 6), **fields) -> YoungPerson:
        n = next(_counter)
        person = YoungPerson(
            given_name=fields.pop("given_name", f"Young{n}"),
            family_name=fields.pop("family_name", f"Person{n}"),
            date_of_birth=dob,
            **fields,
        )
        db.session.add(person)
        db.session.flush()
        if adviser is not None:
            db.session.add(Allocation(young_person_id=person.id, adviser_id=adviser.id, start_date=allocated_on))
        if account:
            user = self.user(Role.YOUNG_PERSON, name=person.display_name, email=fields.get("email") or f"yp{n}@example.test")
            person.user_id = user.id
        db.session.flush()
        return person


@pytest.fixture
def make(db_transaction) -> Factory:
    return Factory()


@pytest.fixture
def world(make):
    """Two teams, each with a manager and two advisers, and young people with and without accounts."""
    north, south = make.team("North"), make.team("South")
    w = type("World", (), {})()
    w.north, w.south = north, south
    w.manager = make.manager(north, name="Manager North")
    w.other_manager = make.manager(south, name="Manager South")
    w.adviser = make.adviser(north, name="Adviser One")
    w.colleague = make.adviser(north, name="Adviser Two")
    w.other_adviser = make.adviser(south, name="Adviser South")
    w.admin = make.admin(name="Admin")
    w.person = make.young_person(w.adviser, account=True, given_name="Jordan", family_name="Taylor")
    w.person_user = w.person.user
    w.other_person = make.young_person(w.other_adviser, account=True, given_name="Aisha", family_name="Khan")
    w.colleague_person = make.young_person(w.colleague, given_name="Callum", family_name="Robson")
    db.session.flush()
    return w
