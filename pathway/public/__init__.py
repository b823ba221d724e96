"""Pages anyone can see: the start page, accessibility, privacy, and the health check."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from pathway.public import routes  # noqa: E402,F401
