"""Writing the audit trail. Events join the caller's transaction: no commit here."""

from __future__ import annotations

from collections.abc import Iterable

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import insert

from pathway.extensions import db
from pathway.models import AuditEvent, User


def record(
    action: str,
    record_type: str,
    record_id: int | None = None,
    *,
    young_person_id: int | None = None,
    fields: Iterable[str] = (),
    user: User | None = None,
) -> AuditEvent:
    """Add an audit event to the current session (committed with the change it describes)."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    event = AuditEvent(
        user_id=user.id if user else None,
        role=user.role.value if user else None,
        action=action,
        record_type=record_type,
        record_id=record_id,
        young_person_id=young_person_id,
        changed_fields=",".join(sorted(set(fields))) or None,
        request_id=g.get("request_id") if has_request_context() else None,
    )
    db.session.add(event)
    return event


def record_many(
    action: str,
    record_type: str,
    young_person_ids: Iterable[int],
    *,
    fields: Iterable[str] = (),
    user: User | None = None,
) -> int:
    """One event per young person (an export or a list that shows many records), in one INSERT.

    The same events as ``record``; the ORM would insert them one by one. Returns how many.
    """
    ids = sorted(set(young_person_ids))
    if not ids:
        return 0
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    request_id = g.get("request_id") if has_request_context() else None
    changed = ",".join(sorted(set(fields))) or None
    db.session.execute(insert(AuditEvent), [
        {"user_id": user.id if user else None, "role": user.role.value if user else None, "action": action,
         "record_type": record_type, "record_id": None, "young_person_id": person_id,
         "changed_fields": changed, "request_id": request_id}
        for person_id in ids
    ])
    return len(ids)


def changed_fields(obj, form_data: dict) -> list[str]:
    """Names of the attributes whose values differ from form_data; sets them on obj."""
    changed = []
    for name, value in form_data.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed
