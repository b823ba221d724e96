"""The personal adviser's pages: their caseload and adding a young person."""

from flask import Blueprint

bp = Blueprint("adviser", __name__)

from pathway.adviser import cover_routes, routes  # noqa: E402,F401
