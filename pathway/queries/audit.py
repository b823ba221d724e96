"""Who has looked at a record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pathway.extensions import db
from pathway.models import AuditEvent, YoungPerson

STAFF_ROLES = ("adviser", "manager", "admin")


def list_record_access(young_person_id: int, *, staff_only: bool = False, limit: int = 200) -> list[AuditEvent]:
    """Views and changes of one young person's record, newest first. One query.

    Only events since the record was created: on SQLite a new record can get the id of a deleted one
    (pathway.services.retention), whose audit events are kept and are older than the new record.
    """
    created = select(YoungPerson.created_at).where(YoungPerson.id == young_person_id).scalar_subquery()
    query = (
        select(AuditEvent)
        .where(AuditEvent.young_person_id == young_person_id, AuditEvent.at >= created)
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    if staff_only:
        query = query.where(AuditEvent.role.in_(STAFF_ROLES))
    return list(db.session.scalars(query))
