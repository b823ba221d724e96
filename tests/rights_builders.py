"""A young person with data in every table linked to them: for the subject access and retention tests.

When a new table links to the young person, add a row for it here: test_subject_access fails until
you do, naming the table.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pathway import models
from pathway.extensions import db
from pathway.models import (
    AccommodationMove,
    AnsweredBy,
    AuthSession,
    CareEpisode,
    Contact,
    FlagAction,
    FlagCache,
    HelpRequest,
    MoneyPlan,
    OfferQuestion,
    OneTimeToken,
    OversightNote,
    PassportAnswer,
    PassportGroup,
    PassportItem,
    PassportStatus,
    ReviewRequest,
    SavedForm,
    TokenPurpose,
)
from tests.offer_builders import EMERGENCY, build_catalogue, record_claim
from tests.plan_builders import build_plan

PLAN_DATE = date(2026, 3, 2)
NOON = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
TOKEN_HASH = "f" * 64
SESSION_HASH = "e" * 64
HELP_MESSAGE = "My boiler has broken and the flat is freezing"
OTHER_MESSAGE = "Other person's message"


def build_full_record(make, world) -> None:
    """A young person with data in every table linked to them (and the other young person with some too)."""
    person, adviser, user = world.person, world.adviser, world.person_user
    build_plan(make, person, adviser, world.manager, today=PLAN_DATE)
    emergency = build_catalogue(only=(EMERGENCY,))[EMERGENCY]
    record_claim(person, emergency, requested_on=date(2026, 3, 5), approved_pence=5000,
                 payments=((date(2026, 3, 6), 5000),))
    record_claim(world.other_person, emergency, requested_on=date(2026, 3, 5), approved_pence=7000)
    item = PassportItem(group=PassportGroup.MONEY, title="Open a bank account")
    db.session.add(item)
    db.session.flush()
    allocation = person.current_allocation
    db.session.add_all([
        CareEpisode(young_person_id=person.id, start_date=date(2022, 6, 1), end_date=date(2025, 5, 17),
                    legal_status="C2"),
        AccommodationMove(young_person_id=person.id, move_in=date(2025, 5, 18), code="E1",
                          address="12 Lodge Road", recorded_by_id=adviser.id),
        Contact(young_person_id=person.id, contact_at=datetime(2026, 3, 10, 10, tzinfo=UTC), kind="home_visit",
                notes="Seen at home, doing well", recorded_by_id=adviser.id),
        FlagAction(young_person_id=person.id, flag_key="manual:1", action="raise", title="Rent arrears",
                   due=date(2026, 4, 1), reason="Landlord called", by_id=adviser.id),
        HelpRequest(young_person_id=person.id, topic="housing", message=HELP_MESSAGE),
        MoneyPlan(young_person_id=person.id, wages=20000, rent=9000),
        OfferQuestion(young_person_id=person.id, entitlement_id=emergency.id, message="Can I get this twice?"),
        OversightNote(young_person_id=person.id, kind="direction", noted_on=date(2026, 3, 11),
                      note="Review the lodgings by April", by_id=world.manager.id),
        PassportAnswer(young_person_id=person.id, item_id=item.id, status=PassportStatus.CAN_DO,
                       answered_by_id=user.id, by_role=AnsweredBy.YOUNG_PERSON),
        ReviewRequest(young_person_id=person.id, message="Things have changed at college"),
        AuthSession(token_hash=SESSION_HASH, user_id=user.id, user_agent="Firefox"),
        OneTimeToken(token_hash=TOKEN_HASH, user_id=user.id, purpose=TokenPurpose.INVITATION,
                     expires_at=NOON + timedelta(days=7), created_by_id=adviser.id),
        SavedForm(user_id=user.id, path="/me/help", form_data='{"message": ["half typed"]}'),
        HelpRequest(young_person_id=world.other_person.id, topic="money", message=OTHER_MESSAGE),
    ])
    if db.session.get(FlagCache, person.id) is None:
        db.session.add(FlagCache(young_person_id=person.id, history_version=1))
    grant = getattr(models, "BreakGlassGrant", None)
    if grant is not None:  # break-glass cover (issue 8 section 4)
        db.session.add(grant(adviser_id=world.colleague.id, young_person_id=person.id, allocation_id=allocation.id,
                             team_id=world.north.id, reason="Covering for Adviser One on leave",
                             expires_at=NOON + timedelta(hours=24)))
    db.session.commit()
