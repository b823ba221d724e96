"""The young person's own pages, phone first."""

from flask import Blueprint

bp = Blueprint("me", __name__)

from pathway.me import routes  # noqa: E402,F401
