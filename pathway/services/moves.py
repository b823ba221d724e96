"""Recording a move into accommodation: check the rules, store the move, keep the record in step, audit.

One user action, one commit: the move, the young person's home postcode (when this is now where
they live) and the date of their first independent home are saved together, or nothing is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm.exc import StaleDataError

from pathway.extensions import db
from pathway.models import AccommodationMove, User, YoungPerson
from pathway.rules.accommodation import (
    ACCOMMODATION_TYPES,
    SUITABILITY_FACTORS,
    accommodation_type,
    assess_suitability,
    format_accommodation_code,
    is_independent,
    needs_registered_provider,
    parse_accommodation_code,
    validate_move,
)
from pathway.rules.postcodes import normalise_postcode
from pathway.services import audit

REGISTERED_PROVIDER_MISSING = "Select whether the provider is registered with Ofsted"
CHANGED_MEANWHILE = "Someone else changed this record while you were recording the move. Check the record and try again."


class MoveProblem(Exception):
    """The move breaks a rule; nothing was saved. ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class MoveDetails:
    """What was asked on the form, already read into Python values."""

    move_in: date
    accommodation_type: str
    answers: dict[str, bool | None]
    suitability_notes: str | None = None
    address: str | None = None
    postcode: str | None = None
    provider: str | None = None
    registered_provider: bool | None = None


@dataclass(frozen=True)
class MoveSummary:
    """A move as the pages show it."""

    move: AccommodationMove
    code: str
    meaning: str
    suitable: bool | None
    reasons: tuple[str, ...]


def summarise_move(move: AccommodationMove) -> MoveSummary:
    """The code, what it means, and whether (and why not) the accommodation is suitable."""
    parsed = parse_accommodation_code(move.code)
    answers = {key: getattr(move, key) for key in SUITABILITY_FACTORS}
    result = assess_suitability(answers)
    suitable = move.suitable if move.suitable is not None else parsed.suitable
    reasons = tuple(reason for reason in result.reasons if not reason.startswith("Not yet assessed"))
    return MoveSummary(move=move, code=move.code, meaning=ACCOMMODATION_TYPES[parsed.type], suitable=suitable,
                       reasons=reasons)


def _is_latest(person_id: int, move_in: date) -> bool:
    """True if no move already recorded is later than ``move_in`` (a move on the same day is older)."""
    return not db.session.scalar(
        select(
            exists().where(AccommodationMove.young_person_id == person_id, AccommodationMove.move_in > move_in)
        )
    )


def record_move(person: YoungPerson, details: MoveDetails, *, by: User, today: date) -> AccommodationMove:
    """Store a move for ``person``; commits, or raises ``MoveProblem`` with nothing saved.

    The suffix of the SSDA903 code comes from the suitability assessment. When the move is now where
    they live and has a postcode, it becomes their home postcode (the offer's "lives in the area"); a
    move into independent accommodation sets the date of their first independent home if none is set.
    """
    problems = validate_move(person.date_of_birth, details.move_in, details.accommodation_type, today)
    if problems:
        db.session.rollback()
        raise MoveProblem(problems[0])
    letter = accommodation_type(details.accommodation_type)
    if details.registered_provider is None and needs_registered_provider(
            person.date_of_birth, details.move_in, letter):
        db.session.rollback()
        raise MoveProblem(REGISTERED_PROVIDER_MISSING, "registered_provider")
    result = assess_suitability(details.answers)
    suitable = result.suitability
    postcode = normalise_postcode(details.postcode) if details.postcode else None
    latest = _is_latest(person.id, details.move_in)

    move = AccommodationMove(
        young_person_id=person.id, move_in=details.move_in, code=format_accommodation_code(letter, suitable),
        address=details.address or None, postcode=postcode, provider=details.provider or None,
        registered_provider=details.registered_provider, suitability_notes=details.suitability_notes or None,
        suitable=suitable, recorded_by_id=by.id,
        **{key: details.answers.get(key) for key in SUITABILITY_FACTORS},
    )
    db.session.add(move)
    db.session.flush()
    stored = ["move_in", "code", "suitable", *SUITABILITY_FACTORS]
    stored += [name for name in ("address", "postcode", "provider", "registered_provider", "suitability_notes")
               if getattr(move, name) is not None]
    audit.record("create", "accommodation_move", move.id, young_person_id=person.id, fields=stored, user=by)

    person_changes: dict = {}
    if latest and postcode and person.home_postcode != postcode:
        person_changes["home_postcode"] = postcode
    if person.independent_move_on is None and is_independent(letter):
        person_changes["independent_move_on"] = details.move_in
    if person_changes:
        changed = audit.changed_fields(person, person_changes)
        audit.record("update", "young_person", person.id, young_person_id=person.id, fields=changed, user=by)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise MoveProblem(CHANGED_MEANWHILE) from None
    return move
