"""Forms for the young person's plan pages: their own words, and asking for a review."""

from __future__ import annotations

import hashlib

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSubmitInput
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import Length

from pathway.forms import SafeText

WORDS_MAX = 5000
REVIEW_MESSAGE_MAX = 2000


def _tidy(value):
    """Browsers send new lines as CRLF: count each as one character, as the character count does."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").strip()


def fingerprint(text: str | None) -> str:
    """A short digest of the words a form started from, so a save can tell whether they changed since."""
    return hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest()[:32]


class YourWordsForm(FlaskForm):
    """One plan area, in the young person's own words. Only ever their words: no adviser fields here."""

    words = TextAreaField(
        "In your words",
        widget=GovCharacterCount(),
        filters=[_tidy],
        validators=[
            Length(max=WORDS_MAX, message="Your words must be 5,000 characters or fewer"),
            SafeText("Your words", multiline=True),
        ],
    )
    version = HiddenField()
    started_from = HiddenField()
    submit = SubmitField("Save your words", widget=GovSubmitInput())

    def expected_version(self) -> int | None:
        raw = (self.version.data or "").strip()
        return int(raw) if raw.isdigit() and len(raw) < 10 else None

    def load(self, words: str, version: int) -> None:
        """Start from what is saved now (the version and fingerprint go in hidden fields)."""
        self.set_version(version, words)
        self.words.data = words

    def set_version(self, version: int, saved_words: str) -> None:
        self.version.data = str(version)
        self.version.raw_data = [str(version)]
        self.started_from.data = fingerprint(saved_words)
        self.started_from.raw_data = [self.started_from.data]


class ReviewRequestForm(FlaskForm):
    message = TextAreaField(
        "Tell us why (optional)",
        widget=GovCharacterCount(),
        filters=[_tidy],
        description="For example, something has changed, or part of your plan is not working for you.",
        validators=[
            Length(max=REVIEW_MESSAGE_MAX, message="Your message must be 2,000 characters or fewer"),
            SafeText("Your message", multiline=True),
        ],
    )
    submit = SubmitField("Ask for a review", widget=GovSubmitInput())
