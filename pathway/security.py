"""Response headers for every page: CSP with a nonce, no caching of signed-in pages, and friends."""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import current_user


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


def apply_security_headers(response):
    headers = response.headers
    nonce = g.get("csp_nonce")
    if nonce:
        headers["Content-Security-Policy"] = content_security_policy(nonce)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    # Never send a URL (record ids, the single-use tokens in emailed links) to another site. Our own
    # form posts must carry it: over HTTPS, Flask-WTF refuses a POST without a same-site Referer
    # (WTF_CSRF_SSL_STRICT), so "no-referrer" would make every form fail in production.
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    if current_app.config.get("HSTS"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    signed_in = current_user.is_authenticated if _user_loaded() else False
    if signed_in or request.endpoint in {"auth.set_password", "auth.sign_in", "auth.sign_out"}:
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    if g.get("request_id"):
        headers["X-Request-Id"] = g.request_id
    headers.add("Vary", "HX-Request")
    return response


def _user_loaded() -> bool:
    try:
        return current_user is not None
    except Exception:  # noqa: BLE001 - outside a request the proxy cannot resolve
        return False
