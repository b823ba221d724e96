"""GOV.UK-style error pages. Nothing about the server leaks into them."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from pathway.extensions import db, htmx

PAGES = {
    400: ("Sorry, there is a problem with your request", "errors/400.html"),
    403: ("You cannot see this page", "errors/403.html"),
    404: ("Page not found", "errors/404.html"),
    405: ("Page not found", "errors/404.html"),
    413: ("What you sent is too large", "errors/413.html"),
    429: ("Too many attempts", "errors/429.html"),
    500: ("Sorry, there is a problem with the service", "errors/500.html"),
}


def render_error(status: int, *, csrf: bool = False):
    title, template = PAGES.get(status, PAGES[500])
    if htmx:
        # htmx swaps error responses (see htmx-config in base.html): show the message in <main>.
        body = render_template(template, title=title, csrf=csrf, fragment=True)
        return body, status, {"HX-Retarget": "#main-content", "HX-Reswap": "innerHTML"}
    return render_template(template, title=title, csrf=csrf, fragment=False), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def handle_csrf(error):
        return render_error(400, csrf=True)

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        status = error.code or 500
        if status not in PAGES:
            return error
        return render_error(status)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        app.logger.exception("Unhandled error")
        db.session.rollback()
        return render_error(500)
