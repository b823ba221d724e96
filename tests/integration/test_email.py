"""send_email picks Notify, SMTP or the outbox from configuration."""

from __future__ import annotations

from sqlalchemy import select

from pathway.extensions import db
from pathway.models import OutboxEmail
from pathway.services.email import send_email


def test_outbox_when_nothing_is_configured(app, app_ctx):
    assert send_email("a@example.org", "Hello", "Body") == "outbox"
    db.session.flush()
    stored = db.session.scalars(select(OutboxEmail)).one()
    assert (stored.to, stored.subject, stored.body) == ("a@example.org", "Hello", "Body")


def test_notify_when_an_api_key_is_set(app, app_ctx, monkeypatch):
    sent = {}

    class FakeClient:
        def __init__(self, key):
            sent["key"] = key

        def send_email_notification(self, **kwargs):
            sent.update(kwargs)

    monkeypatch.setattr("notifications_python_client.notifications.NotificationsAPIClient", FakeClient)
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", "key-123")
    monkeypatch.setitem(app.config, "NOTIFY_TEMPLATE_ID", "template-1")
    assert send_email("a@example.org", "Hello", "Body") == "notify"
    assert sent == {"key": "key-123", "email_address": "a@example.org", "template_id": "template-1",
                    "personalisation": {"subject": "Hello", "body": "Body"}}
    assert db.session.scalars(select(OutboxEmail)).all() == []


def test_smtp_when_a_host_is_set(app, app_ctx, monkeypatch):
    messages = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            messages.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            messages.append(("starttls",))

        def login(self, user, password):
            messages.append(("login", user))

        def send_message(self, message):
            messages.append(("send", message["To"], message["Subject"], message.get_content().strip()))

    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.example.org")
    monkeypatch.setitem(app.config, "SMTP_USERNAME", "pathway")
    monkeypatch.setitem(app.config, "SMTP_PASSWORD", "secret")
    assert send_email("a@example.org", "Hello", "Body") == "smtp"
    assert messages == [("connect", "smtp.example.org", 587), ("starttls",), ("login", "pathway"),
                        ("send", "a@example.org", "Hello", "Body")]
