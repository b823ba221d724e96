from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from pathway.forms import DateRequired, GovDateField, GovStringField, SafeText

REASON_MAX = 2000


def _text(label: str, required: str, max_length: int = REASON_MAX, description: str | None = None):
    return TextAreaField(
        label, widget=GovTextArea(), description=description,
        validators=[DataRequired(required),
                    Length(max=max_length, message=f"{label} must be {max_length:,} characters or fewer"),
                    SafeText(label, multiline=True)],
        filters=[lambda v: v.replace("\r\n", "\n").strip() if isinstance(v, str) else v],
    )


class FlagRaiseForm(FlaskForm):
    title = GovStringField(
        "What needs to happen",
        description="For example, \"Check they are safe after the police call\".",
        validators=[DataRequired("Enter what needs to happen"),
                    Length(max=200, message="What needs to happen must be 200 characters or fewer"),
                    SafeText("What needs to happen")])
    due = GovDateField("Due by", subject="the date it is due by", description="For example, 27 3 2027",
                       validators=[DateRequired("Enter the date it is due by")])
    reason = _text("Why you are raising it", "Enter why you are raising the flag")
    submit = SubmitField("Raise the flag", widget=GovSubmitInput())


class FlagCloseForm(FlaskForm):
    reason = _text("Why you are closing it", "Enter why you are closing the flag",
                   description="The flag stays on their record as closed, with your reason.")
    submit = SubmitField("Close the flag", widget=GovSubmitInput())


class HelpReplyForm(FlaskForm):
    reply = _text("Your reply", "Enter your reply", description="They will read this in the service.")
    submit = SubmitField("Send reply", widget=GovSubmitInput())
