"""allocation_routes"""

from __future__ import annotations

from pathway.manager import bp  # noqa: F401
