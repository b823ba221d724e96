"""Break-glass cover: giving a personal adviser time-limited access to a colleague's young person, and
a manager's review of it. Each change is audited in the same transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from pathway.extensions import db
from pathway.models import BreakGlassGrant, User
from pathway.queries.break_glass import CoverCandidate
from pathway.rules import break_glass as rules
from pathway.services import audit


def current_grant(adviser: User, candidate: CoverCandidate, now: datetime) -> BreakGlassGrant | None:
    """The adviser's cover for this young person that is in force now, if any."""
    if candidate.cover_until is None:
        return None
    return db.session.scalar(
        select(BreakGlassGrant)
        .where(BreakGlassGrant.adviser_id == adviser.id, BreakGlassGrant.allocation_id == candidate.allocation.id,
               BreakGlassGrant.granted_at <= now, BreakGlassGrant.expires_at > now)
        .order_by(BreakGlassGrant.expires_at.desc())
        .limit(1)
    )


def grant_cover(adviser: User, candidate: CoverCandidate, reason: str, *, now: datetime, hours: int) -> BreakGlassGrant:
    """Give the adviser cover access to the candidate's record for ``hours`` hours, with their reason.

    The caller has checked (get_cover_candidate) that the young person is allocated to a colleague in
    the adviser's team. Cover already in force is returned as it is, not extended."""
    existing = current_grant(adviser, candidate, now)
    if existing is not None:
        return existing
    grant = BreakGlassGrant(
        adviser_id=adviser.id,
        young_person_id=candidate.person.id,
        allocation_id=candidate.allocation.id,
        team_id=adviser.team_id,
        reason=rules.clean_reason(reason),
        granted_at=now,
        expires_at=rules.expires_at(now, hours),
    )
    db.session.add(grant)
    db.session.flush()
    audit.record("grant_cover", "break_glass", grant.id, young_person_id=candidate.person.id, fields=["reason"],
                 user=adviser)
    db.session.commit()
    return grant


def mark_reviewed(grant: BreakGlassGrant, *, by: User, now: datetime) -> bool:
    """A manager has reviewed this cover. False if it had already been reviewed (nothing changes)."""
    if grant.reviewed_at is not None:
        return False
    grant.reviewed_by_id = by.id
    grant.reviewed_at = now
    audit.record("review_cover", "break_glass", grant.id, young_person_id=grant.young_person_id,
                 fields=["reviewed_at", "reviewed_by_id"], user=by)
    db.session.commit()
    return True
