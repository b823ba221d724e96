"""Pathway plans for staff: writing, the quality check, sign-off, versions and comparisons."""

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/young-people/<int:person_id>/plan")

from pathway.plans import routes  # noqa: E402,F401
