"""The passport to independence: one user action per function. Each checks, adds a new answer
(answers are never changed: history is kept), writes the audit trail and commits.

A young person's answers are never "confirmed": only their personal adviser confirms an answer
or sets one, and whatever a young person's request says, by_role and confirmed come from who they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from pathway.extensions import db
from pathway.models import (
    AnsweredBy,
    PassportAnswer,
    PassportGroup,
    PassportItem,
    PassportStatus,
    Role,
    User,
    YoungPerson,
)
from pathway.queries.passport import get_latest_answer
from pathway.rules.passport import expiry_state  # noqa: F401 - re-exported for callers
from pathway.services import audit

NOTE_MAX = 1000
WHERE_KEPT_MAX = 200


class PassportProblem(Exception):
    """An action the passport does not allow; the message is shown to the user."""


# --- answers ----------------------------------------------------------------------------------------

class ItemConflict(Exception):
    """Someone else changed this passport item (or answered it for this young person) after the form was loaded.
    Nothing was saved."""


@dataclass
class DocumentFacts:
    held: bool | None
    where_kept: str | None
    expires_on: date | None


def _by_role(user: User) -> AnsweredBy:
    if user.role is Role.YOUNG_PERSON:
        return AnsweredBy.YOUNG_PERSON
    if user.role is Role.ADVISER:
        return AnsweredBy.ADVISER
    raise PassportProblem("Only the young person and their personal adviser can answer")


def answer_version(answer: PassportAnswer | None) -> int:
    """The version an answer form is loaded from: the id of the answer it shows (0: none yet)."""
    return answer.id if answer is not None else 0


def _lock_person(person: YoungPerson) -> None:
    """Serialise answers for one young person (a PostgreSQL row lock; SQLite locks at the first write)."""
    db.session.execute(select(YoungPerson.id).where(YoungPerson.id == person.id).with_for_update())


def _check_answered_since(person: YoungPerson, item: PassportItem, expected: int | None, *, new_id: int) -> None:
    """After the new answer is written (so this transaction holds the write lock on SQLite too): the
    answer before it must still be the one the form showed, or someone else answered in between."""
    if expected is None:
        return
    before = db.session.scalar(
        select(PassportAnswer.id)
        .where(PassportAnswer.young_person_id == person.id, PassportAnswer.item_id == item.id,
               PassportAnswer.id != new_id)
        .order_by(PassportAnswer.created_at.desc(), PassportAnswer.id.desc()).limit(1))
    if (before or 0) != expected:
        db.session.rollback()
        raise ItemConflict


def _add_answer(person: YoungPerson, item: PassportItem, *, by: User, status: PassportStatus, note: str | None,
                confirmed: bool, facts: DocumentFacts | None, previous: PassportAnswer | None,
                action: str, expected: int | None = None) -> PassportAnswer:
    if expected is not None and answer_version(previous) != expected:
        raise ItemConflict
    if not item.active:
        raise PassportProblem("This item is no longer on the passport")
    role = _by_role(by)
    if role is AnsweredBy.YOUNG_PERSON:
        confirmed = False
    if facts is None:  # carry the document's facts forward from the last answer
        facts = DocumentFacts(previous.held, previous.where_kept, previous.expires_on) if previous else DocumentFacts(
            None, None, None)
    if not item.is_document:
        facts = DocumentFacts(None, None, None)
    answer = PassportAnswer(
        young_person_id=person.id, item_id=item.id, status=status, answered_by_id=by.id, by_role=role,
        confirmed=confirmed, note=(note or None), held=facts.held, where_kept=facts.where_kept or None,
        expires_on=facts.expires_on,
    )
    before = {
        "status": previous.status if previous else PassportStatus.NOT_STARTED,
        "confirmed": previous.confirmed if previous else False,
        "note": previous.note if previous else None,
        "held": previous.held if previous else None,
        "where_kept": previous.where_kept if previous else None,
        "expires_on": previous.expires_on if previous else None,
    }
    changed = [name for name, value in before.items() if getattr(answer, name) != value] or ["status"]
    db.session.add(answer)
    db.session.flush()
    _check_answered_since(person, item, expected, new_id=answer.id)
    audit.record(action, "passport_answer", answer.id, young_person_id=person.id, fields=changed, user=by)
    db.session.commit()
    return answer


def answer_item(person: YoungPerson, item: PassportItem, *, by: User, status: PassportStatus,
                note: str | None = None, expected_version: int | None = None) -> PassportAnswer:
    """The young person ticks an item, or their adviser sets it (an adviser's answer is confirmed).

    ``expected_version``: the answer the form showed (``answer_version``); if someone else answered
    since, ItemConflict and nothing is saved. None: no check (answers are never overwritten, so
    nothing can be lost: the young person's one-tap tick sends none)."""
    if note and len(note) > NOTE_MAX:
        raise PassportProblem(f"The note must be {NOTE_MAX:,} characters or fewer")
    if expected_version is not None:
        _lock_person(person)
    previous = get_latest_answer(person.id, item.id)
    return _add_answer(person, item, by=by, status=status, note=note, confirmed=by.role is Role.ADVISER,
                       facts=None, previous=previous, action="answer", expected=expected_version)


def confirm_item(person: YoungPerson, item: PassportItem, *, by: User) -> PassportAnswer:
    """The adviser confirms the young person's current answer: a new row with the same status."""
    if by.role is not Role.ADVISER:
        raise PassportProblem("Only their personal adviser can confirm an answer")
    previous = get_latest_answer(person.id, item.id)
    if previous is None or previous.confirmed or previous.by_role is not AnsweredBy.YOUNG_PERSON:
        raise PassportProblem("There is no answer from the young person to confirm")
    return _add_answer(person, item, by=by, status=previous.status, note=None, confirmed=True, facts=None,
                       previous=previous, action="confirm")


def update_document(person: YoungPerson, item: PassportItem, *, by: User, facts: DocumentFacts,
                    status: PassportStatus | None = None, note: str | None = None,
                    expected_version: int | None = None) -> PassportAnswer:
    """Whether they hold a document, where it is kept and when it expires (the status carries on).
    ``expected_version`` as for answer_item."""
    if not item.is_document:
        raise PassportProblem("This item is not a document")
    if expected_version is not None:
        _lock_person(person)
    previous = get_latest_answer(person.id, item.id)
    if status is None:
        status = previous.status if previous else PassportStatus.NOT_STARTED
    return _add_answer(person, item, by=by, status=status, note=note, confirmed=by.role is Role.ADVISER,
                       facts=facts, previous=previous, action="answer", expected=expected_version)


# --- the council's list (administrators) ------------------------------------------------------------

def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise PassportProblem("Someone else saved this item at the same moment. Reload the page and try again") from None


def add_item(*, group: PassportGroup, title: str, description: str | None, is_document: bool, by: User) -> PassportItem:
    position = 1 + (db.session.scalar(select(func.max(PassportItem.position)).where(PassportItem.group == group)) or 0)
    item = PassportItem(group=group, title=title, description=description or None, is_document=is_document,
                        position=position, active=True)
    db.session.add(item)
    db.session.flush()
    audit.record("create", "passport_item", item.id, fields=["group", "title", "description", "is_document"], user=by)
    _commit()
    return item


def update_item(item: PassportItem, *, group: PassportGroup, title: str, description: str | None, is_document: bool,
                active: bool, by: User, expected_version: int | None) -> list[str]:
    """Change or retire an item if it is still at ``expected_version`` (else ItemConflict, nothing saved).
    Retiring keeps every answer: it only stops new ones."""
    if expected_version is None or item.version != expected_version:
        raise ItemConflict
    if item.group is not group:
        item.position = 1 + (db.session.scalar(
            select(func.max(PassportItem.position)).where(PassportItem.group == group)) or 0)
    changed = audit.changed_fields(item, {"group": group, "title": title, "description": description or None,
                                          "is_document": is_document, "active": active})
    if changed:
        audit.record("update", "passport_item", item.id, fields=changed, user=by)
    try:
        db.session.commit()  # UPDATE ... WHERE version = expected: a save in between is StaleDataError
    except StaleDataError:
        db.session.rollback()
        raise ItemConflict from None
    return changed
