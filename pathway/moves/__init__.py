"""Accommodation history for staff: the timeline of a young person's moves, and recording a move."""

from flask import Blueprint

bp = Blueprint("moves", __name__, url_prefix="/young-people/<int:person_id>/accommodation")

from pathway.moves import routes  # noqa: E402,F401
