"""Work typed into a form when the session had timed out, kept so it can be restored after signing in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pathway.extensions import db
from pathway.models.types import UTCDateTime, utcnow


class SavedForm(db.Model):
    __tablename__ = "saved_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    path: Mapped[str] = mapped_column(String(500))
    form_data: Mapped[str] = mapped_column(Text)  # JSON: {field: [values]}, CSRF token removed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    restored_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
