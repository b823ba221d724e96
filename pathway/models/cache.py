"""Version counters for the page cache (pathway.services.page_cache). Derived bookkeeping, not case data."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer
from sqlalchemy.orm import Mapped, mapped_column

from pathway.extensions import db

# The row for everything that is not one young person's: the offer catalogue, passport items, council
# settings, users and teams.
EVERYTHING_ELSE = 0


class CacheVersion(db.Model):
    """How many times what a page may show has changed: one row per young person (``key`` is their id),
    and row 0 for everything else. A missing row counts as version 0.

    No foreign key on purpose: the row outlives a deleted young person, so a reused id can never
    meet a page cached for the old one (its next change counts on from the old version).
    """

    __tablename__ = "cache_version"

    key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
