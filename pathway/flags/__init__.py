"""Risk flags for staff: the flags of one young person, raising one by hand, closing one with a reason,
and replying to the young person's "I need help" requests."""

from flask import Blueprint

bp = Blueprint("flags", __name__, url_prefix="/young-people/<int:person_id>/flags")
help_bp = Blueprint("help", __name__, url_prefix="/young-people/<int:person_id>/help")

from pathway.flags import routes  # noqa: E402,F401
