from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSubmitInput
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from pathway.forms import SafeText
from pathway.integrity import VersionedForm

ABOUT_ME_MAX = 5000


def _tidy_story(value):
    """Browsers send new lines as CRLF: count each as one character, as the character count does."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").strip()


class AboutMeForm(VersionedForm, FlaskForm):
    about_me = TextAreaField(
        "About me",
        widget=GovCharacterCount(),
        filters=[_tidy_story],
        description=(
            "Tell your story in your own words: what matters to you, what you want people who work with you "
            "to know, so you do not have to tell it again."
        ),
        validators=[
            Length(max=ABOUT_ME_MAX, message="Your story must be 5,000 characters or fewer"),
            SafeText("Your story", multiline=True),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
