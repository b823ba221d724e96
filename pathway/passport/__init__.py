"""The passport to independence for staff: a young person's skills and documents, with history."""

from flask import Blueprint

bp = Blueprint("passport", __name__, url_prefix="/young-people/<int:person_id>/passport")

from pathway.passport import routes  # noqa: E402,F401
