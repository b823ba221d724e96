"""Changing a young person's record: their details, care episodes and "About me".

Each function is one user action: it checks, changes, audits (field names, never values) and
commits, or changes nothing at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from pathway.extensions import db
from pathway.models import CareEpisode, YoungPerson
from pathway.queries.records import RecordData, list_care_episodes_for
from pathway.rules.category import CategoryResult, care_leaver_category, eligible_from
from pathway.rules.keydates import KeyDate, key_dates
from pathway.services import audit

# The details staff may change, in the order they are shown, with their labels.
PROFILE_FIELDS = {
    "given_name": "First name",
    "family_name": "Last name",
    "preferred_name": "Preferred name",
    "pronouns": "Pronouns",
    "first_language": "First language",
    "date_of_birth": "Date of birth",
    "phone": "Mobile phone",
    "email": "Email address",
}
EPISODE_FIELDS = {
    "start_date": "Start date",
    "end_date": "End date",
    "legal_status": "Legal status",
    "end_reason": "Why care ended",
}


# What the record page works out


@dataclass(frozen=True)
class RecordSummary:
    category: CategoryResult
    key_dates: list[KeyDate]
    has_signed_off_plan: bool


def summarise_record(data: RecordData, today: date) -> RecordSummary:
    """The care-leaver category with its reasons, and the key dates, from the record's data."""
    person = data.person
    episodes = [episode.as_rule() for episode in data.episodes]
    category = care_leaver_category(person.date_of_birth, episodes, today)
    dates = key_dates(
        person.date_of_birth,
        today,
        last_review=data.last_signed_off_plan_date,
        became_eligible=eligible_from(person.date_of_birth, episodes, today),
    )
    return RecordSummary(category, dates, data.last_signed_off_plan_date is not None)


# Details (optimistic concurrency on YoungPerson.version)


class ProfileConflict(Exception):
    """Someone else saved the record after this form was loaded. Nothing was saved."""


def update_profile(person: YoungPerson, *, expected_version: int | None, changes: dict) -> list[str]:
    """Save changed details if the record is still at ``expected_version``. Commits.

    Only the fields in PROFILE_FIELDS are written: anything else in ``changes`` is ignored.
    Returns the names of the fields that changed (none: nothing is written or audited).
    """
    if expected_version is None or person.version != expected_version:
        raise ProfileConflict
    changed = audit.changed_fields(person, {k: v for k, v in changes.items() if k in PROFILE_FIELDS})
    if not changed:
        return []
    audit.record("update", "young_person", person.id, young_person_id=person.id, fields=changed)
    try:
        db.session.commit()  # UPDATE ... WHERE version = expected: a save in between is StaleDataError
    except StaleDataError:
        db.session.rollback()
        raise ProfileConflict from None
    return changed


def profile_differences(person: YoungPerson, yours: dict) -> list[tuple[str, str, object, object]]:
    """(field, label, stored value, your value) for each detail where they differ."""
    return [
        (name, label, getattr(person, name), yours.get(name))
        for name, label in PROFILE_FIELDS.items()
        if getattr(person, name) != yours.get(name)
    ]


# "About me": the young person's own words


class AboutMeConflict(Exception):
    """The story was saved somewhere else (another phone or tab) after this form was loaded."""


def update_about_me(person: YoungPerson, text: str | None, *, now: datetime, expected_version: int | None) -> bool:
    """Save the young person's story if it is still at ``expected_version``. Commits. Returns False
    when it has not changed; raises AboutMeConflict (nothing saved) when it moved on.

    Written with a plain UPDATE that leaves ``version`` alone: the story is the young person's
    own, and their writing it must not make an adviser's open edit of the details a conflict. It has
    its own counter, ``about_me_version``, compared in the UPDATE itself so two saves at once cannot
    both pass.
    """
    text = text or None
    if expected_version is None or expected_version != person.about_me_version:
        raise AboutMeConflict
    if text == person.about_me:
        return False
    result = db.session.execute(
        update(YoungPerson)
        .where(YoungPerson.id == person.id, YoungPerson.about_me_version == expected_version)
        .values(about_me=text, about_me_updated_at=now, about_me_version=YoungPerson.about_me_version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise AboutMeConflict
    db.session.expire(person, ["about_me", "about_me_updated_at", "about_me_version"])
    audit.record("update", "young_person", person.id, young_person_id=person.id, fields=["about_me"])
    db.session.commit()
    return True


# Care episodes


class EpisodeProblem(Exception):
    """The episode cannot be saved as it is: ``field`` and a GOV.UK error message."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class EpisodeConflict(Exception):
    """Someone else changed or removed the episode after this form was loaded. Nothing was saved."""


def _overlaps(start: date, end: date | None, other: CareEpisode) -> bool:
    """Episodes cover [start, end): they overlap when each starts before the other ends."""
    return (other.end_date is None or start < other.end_date) and (end is None or other.start_date < end)


def episode_clash(start: date, end: date | None, others: Sequence[CareEpisode]) -> EpisodeProblem | None:
    """The problem with an episode from ``start`` to ``end`` next to the person's other episodes, if any."""
    if end is None:
        still_open = next((o for o in others if o.end_date is None), None)
        if still_open is not None:
            return EpisodeProblem(
                "end_date",
                f"Only one episode can have no end date: enter the end date, or first add the end date to the "
                f"episode from {_long(still_open.start_date)}",
            )
    clash = next((o for o in sorted(others, key=lambda o: o.start_date) if _overlaps(start, end, o)), None)
    if clash is None:
        return None
    until = _long(clash.end_date) if clash.end_date else "now"
    return EpisodeProblem("start_date", f"This episode overlaps one from {_long(clash.start_date)} to {until}")


def _long(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _lock_person(person: YoungPerson) -> None:
    """Serialise episode changes for one young person (PostgreSQL row lock; SQLite locks on write)."""
    db.session.execute(select(YoungPerson.id).where(YoungPerson.id == person.id).with_for_update())


def _check_clash(person: YoungPerson, fields: dict, episode: CareEpisode | None = None) -> None:
    others = [o for o in list_care_episodes_for(person.id) if episode is None or o.id != episode.id]
    problem = episode_clash(fields["start_date"], fields["end_date"], others)
    if problem is not None:
        db.session.rollback()
        raise problem


def add_episode(person: YoungPerson, fields: dict) -> CareEpisode:
    """Add a care episode after checking it against the others (under a lock). Commits."""
    _lock_person(person)
    _check_clash(person, fields)
    episode = CareEpisode(young_person_id=person.id, **{k: fields[k] for k in EPISODE_FIELDS})
    db.session.add(episode)
    db.session.flush()
    audit.record("create", "care_episode", episode.id, young_person_id=person.id,
                 fields=[k for k in EPISODE_FIELDS if fields[k] is not None])
    db.session.commit()
    return episode


def change_episode(person: YoungPerson, episode: CareEpisode, *, expected_version: int | None, fields: dict) -> list[str]:
    """Change an episode if it is still at ``expected_version``. Commits. Returns the changed field names."""
    if expected_version is None or episode.version != expected_version:
        raise EpisodeConflict
    _lock_person(person)
    _check_clash(person, fields, episode)
    changed = audit.changed_fields(episode, {k: fields[k] for k in EPISODE_FIELDS})
    if not changed:
        db.session.rollback()
        return []
    audit.record("update", "care_episode", episode.id, young_person_id=person.id, fields=changed)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise EpisodeConflict from None
    return changed


def remove_episode(person: YoungPerson, episode: CareEpisode) -> None:
    """Delete a care episode. Commits."""
    episode_id = episode.id
    db.session.delete(episode)
    audit.record("delete", "care_episode", episode_id, young_person_id=person.id)
    try:
        db.session.commit()
    except StaleDataError:  # removed (or changed) by someone else a moment ago
        db.session.rollback()
        raise EpisodeConflict from None
