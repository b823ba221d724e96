"""Who has looked at a record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pathway.extensions import db
from pathway.models import AuditEvent

STAFF_ROLES = ("adviser", "manager", "admin")


def list_record_access(young_person_id: int, *, staff_only: bool = False, limit: int = 200) -> list[AuditEvent]:
    """Views and changes of one young person's record, newest first. One query."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.young_person_id == young_person_id)
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    if staff_only:
        query = query.where(AuditEvent.role.in_(STAFF_ROLES))
    return list(db.session.scalars(query))
