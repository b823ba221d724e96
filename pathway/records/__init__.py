"""A young person's record, shared by their adviser and the team's managers."""

from flask import Blueprint

bp = Blueprint("records", __name__)

from pathway.records import routes  # noqa: E402,F401
