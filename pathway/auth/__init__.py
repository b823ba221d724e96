"""Sign in and out, two-factor sign-in, set a password from a link, forgotten passwords, the account page."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from pathway.auth import routes, two_factor_routes  # noqa: E402,F401
