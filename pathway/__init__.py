"""Pathway: pathway plans, the local offer and visits for a council's leaving-care service."""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path

from flask import Flask, g, request
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, **overrides) -> Flask:
    from config import get_config

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    config = get_config(config_name)
    app.config.from_object(config)
    app.config.update(overrides)
    _check_config(app)

    _init_extensions(app)
    _init_jinja(app)
    _init_request_hooks(app)
    _init_blueprints(app)
    _init_errors(app)
    _init_cli(app)
    _init_static(app)
    return app


def _check_config(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set. Production needs a long random SECRET_KEY in the environment.")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        raise RuntimeError("DATABASE_URL is not set (for example postgresql+psycopg://user@host/pathway).")


def _init_extensions(app: Flask) -> None:
    from pathway.database import configure_engine_events
    from pathway.extensions import csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    import pathway.services.flag_cache  # noqa: F401 - registers the listener that keeps cached flags honest
    from pathway.services import page_cache  # its listeners count every change a cached page could show

    page_cache.init_app(app)

    with app.app_context():
        configure_engine_events(db.engine)
    from pathway.models.types import render_item

    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True, render_item=render_item
    )
    csrf.init_app(app)
    htmx.init_app(app)
    app.config["RATELIMIT_STORAGE_URI"] = app.config["RATELIMIT_STORAGE_URI"]
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # our own server-side session record does this job

    @login_manager.user_loader
    def load_user(token: str):
        from pathway.services.accounts import load_session_user

        return load_session_user(token)

    if app.config.get("PROXY_FIX_X_FOR"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)


def _init_jinja(app: Flask) -> None:
    from pathway import assets
    from pathway.extensions import htmx

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    manifest = assets.load_manifest()

    def asset_url(name: str) -> str:
        from flask import url_for

        return url_for("static", filename=manifest.get(name, f"src/{name}"))

    app.jinja_env.globals.update(asset_url=asset_url)
    # wtforms_errors(form): the GOV.UK error summary's list, used by components/forms.html.
    from govuk_frontend_wtf.main import WTFormsHelpers

    WTFormsHelpers(app)

    from pathway.views.formatting import register_filters
    from pathway.views.navigation import navigation_for

    register_filters(app)

    @app.context_processor
    def inject_globals():
        from flask_login import current_user

        return {
            "council_name": app.config["COUNCIL_NAME"],
            "service_name": app.config["SERVICE_NAME"],
            "csp_nonce": g.get("csp_nonce", ""),
            "navigation": navigation_for(current_user),
            "htmx_request": bool(htmx),
        }


def _init_request_hooks(app: Flask) -> None:
    from pathway.access import check_access
    from pathway.security import apply_security_headers

    @app.before_request
    def start_request():
        g.csp_nonce = secrets.token_urlsafe(16)
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex

    app.before_request(check_access)
    app.after_request(apply_security_headers)


def _init_blueprints(app: Flask) -> None:
    from pathway.admin import bp as admin_bp
    from pathway.adviser import bp as adviser_bp
    from pathway.auth import bp as auth_bp
    from pathway.contacts import bp as contacts_bp
    from pathway.flags import bp as flags_bp
    from pathway.flags import help_bp
    from pathway.manager import bp as manager_bp
    from pathway.me import bp as me_bp
    from pathway.moves import bp as moves_bp
    from pathway.offer import bp as offer_bp
    from pathway.passport import bp as passport_bp
    from pathway.plans import bp as plans_bp
    from pathway.public import bp as public_bp
    from pathway.records import bp as records_bp

    for blueprint in (public_bp, auth_bp, adviser_bp, manager_bp, me_bp, admin_bp, records_bp, plans_bp,
                      passport_bp, offer_bp, contacts_bp, moves_bp, flags_bp, help_bp):
        app.register_blueprint(blueprint)


def _init_errors(app: Flask) -> None:
    from pathway.errors import register_error_handlers

    register_error_handlers(app)


def _init_cli(app: Flask) -> None:
    from pathway.cli import pathway_cli

    app.cli.add_command(pathway_cli)


def _init_static(app: Flask) -> None:
    from whitenoise import WhiteNoise

    from pathway import assets

    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=str(ROOT / "static"),
        prefix="static/",
        max_age=3600,
        immutable_file_test=assets.is_immutable,
    )
