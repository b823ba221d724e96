"""send_email: one way out for every email, whatever the backend.

GOV.UK Notify when NOTIFY_API_KEY is set (one template with ((subject)) and ((body))),
SMTP when SMTP_HOST is set, otherwise the outbox table (development and tests read it).
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from pathway.extensions import db
from pathway.models import OutboxEmail


def external_url(endpoint: str, **values) -> str:
    """A full link for an email: on PUBLIC_URL when it is set (behind a proxy), else this request's host."""
    from flask import url_for

    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def backend_name() -> str:
    config = current_app.config
    if config.get("NOTIFY_API_KEY"):
        return "notify"
    if config.get("SMTP_HOST"):
        return "smtp"
    return "outbox"


def send_email(to: str, subject: str, body: str) -> str:
    """Send (or queue in the outbox) a plain-text email. Returns the backend used."""
    backend = backend_name()
    if backend == "notify":
        _send_notify(to, subject, body)
    elif backend == "smtp":
        _send_smtp(to, subject, body)
    else:
        db.session.add(OutboxEmail(to=to, subject=subject, body=body, backend=backend))
    return backend


def _send_notify(to: str, subject: str, body: str) -> None:
    from notifications_python_client.notifications import NotificationsAPIClient

    config = current_app.config
    client = NotificationsAPIClient(config["NOTIFY_API_KEY"])
    client.send_email_notification(
        email_address=to,
        template_id=config["NOTIFY_TEMPLATE_ID"],
        personalisation={"subject": subject, "body": body},
    )


def _send_smtp(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
        if config["SMTP_USE_TLS"]:
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        smtp.send_message(message)
