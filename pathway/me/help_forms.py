"""The young person's "I need help" form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSubmitInput
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from pathway.forms import GovStringField, SafeText
from pathway.integrity import FormTokenForm
from pathway.services.flags import HELP_TOPICS

HELP_MESSAGE_MAX = 2000


def _tidy(value):
    """Browsers send new lines as CRLF: count each as one character, as the character count does."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").strip()


class HelpRequestForm(FormTokenForm, FlaskForm):
    topic = RadioField(
        "What do you need help with?", widget=GovRadioInput(),
        choices=[SelectChoice(value, label) for value, label in HELP_TOPICS.items()],
        validators=[InputRequired("Select what you need help with")],
    )
    how_to_reach = GovStringField(
        "How should we reach you? (optional)",
        description="For example, a phone number, or \"message me after 5pm\".",
        validators=[Length(max=200, message="How to reach you must be 200 characters or fewer"),
                    SafeText("How to reach you")],
    )
    message = TextAreaField(
        "Tell us more (optional)",
        widget=GovCharacterCount(),
        filters=[_tidy],
        validators=[
            Length(max=HELP_MESSAGE_MAX, message="Your message must be 2,000 characters or fewer"),
            SafeText("Your message", multiline=True),
        ],
    )
    submit = SubmitField("Send to my personal adviser", widget=GovSubmitInput())
