"""The manager's pages: their teams, advisers and caseloads."""

from flask import Blueprint

bp = Blueprint("manager", __name__)

from pathway.manager import rights_routes, routes  # noqa: E402,F401
