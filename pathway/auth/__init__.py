"""Sign in and out, set a password from a link, forgotten passwords, the account page."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from pathway.auth import routes  # noqa: E402,F401
