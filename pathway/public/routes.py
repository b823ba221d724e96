from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from pathway.access import public
from pathway.extensions import db
from pathway.public import bp
from pathway.views.navigation import home_endpoint


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    return render_template("public/index.html", title="Leaving care support")


@bp.route("/accessibility")
@public
def accessibility():
    return render_template("public/accessibility.html", title="Accessibility statement")


@bp.route("/privacy")
@public
def privacy():
    return render_template("public/privacy.html", title="Privacy notice")


@bp.route("/hello")
@public
def hello():
    """The baseline the benchmarks compare every page against: no database, no template."""
    return "hello", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/healthz")
@public
def healthz():
    db.session.execute(text("SELECT 1"))
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


from pathway.public import offer_routes  # noqa: E402,F401
