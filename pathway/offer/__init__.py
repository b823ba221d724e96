"""The local offer for staff: a young person's offer, the facts it rests on, claims and payments."""

from flask import Blueprint

bp = Blueprint("offer", __name__, url_prefix="/young-people/<int:person_id>/offer")

from pathway.offer import routes  # noqa: E402,F401
