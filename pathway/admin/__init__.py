"""Administration: staff accounts and teams. Admins never see case records."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from pathway.admin import retention_routes, routes  # noqa: E402,F401
