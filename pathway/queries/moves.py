"""Accommodation moves: the timeline, the current accommodation, and the current accommodation of many.

The current accommodation is the latest move: the latest move-in date, and of two moves on the same
day the one recorded last.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import AccommodationMove

_NEWEST_FIRST = (AccommodationMove.move_in.desc(), AccommodationMove.id.desc())


def list_moves_for(person_id: int) -> list[AccommodationMove]:
    """Every move of this young person, newest first. One query."""
    return list(
        db.session.scalars(
            select(AccommodationMove).where(AccommodationMove.young_person_id == person_id).order_by(*_NEWEST_FIRST)
        )
    )


def current_accommodation(person_id: int) -> AccommodationMove | None:
    """Where they live now: their latest move, or None if no move is recorded. One query."""
    return db.session.scalar(
        select(AccommodationMove)
        .where(AccommodationMove.young_person_id == person_id)
        .order_by(*_NEWEST_FIRST)
        .limit(1)
    )


def current_accommodation_for(person_ids: Iterable[int]) -> dict[int, AccommodationMove]:
    """The latest move of each of these young people, by young person id. One query, however many.

    Young people with no move recorded are left out of the answer.
    """
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    ranked = (
        select(
            AccommodationMove.id.label("move_id"),
            func.row_number()
            .over(partition_by=AccommodationMove.young_person_id, order_by=_NEWEST_FIRST)
            .label("rank"),
        )
        .where(AccommodationMove.young_person_id.in_(ids))
        .subquery()
    )
    moves = db.session.scalars(
        select(AccommodationMove).join(ranked, ranked.c.move_id == AccommodationMove.id).where(ranked.c.rank == 1)
    )
    return {move.young_person_id: move for move in moves}
