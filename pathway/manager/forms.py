from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation

from pathway.forms import GovStringField, SafeText

REASON_MAX = 500
HANDOVER_MAX = 5000


def _int_or_none(value):
    """Coerce a posted adviser id; anything that is not a whole number is "nothing chosen", never an error page."""
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None  # a database id: larger ones cannot even be looked up


def _multiline(value):
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


class ReallocateForm(FlaskForm):
    """Choose the new personal adviser. The route fills ``adviser_id.choices`` with the manager's active advisers."""

    adviser_id = RadioField(
        "Who will be their new personal adviser", widget=GovRadioInput(), coerce=_int_or_none, validate_choice=False,
        validators=[InputRequired("Select their new personal adviser")],
    )
    reason = GovStringField(
        "Why they are being reallocated",
        description="For example, \"Sam is leaving the team\" or \"Closer to where Jo now lives\". "
                    "It shows in their adviser history.",
        validators=[DataRequired("Enter why they are being reallocated"),
                    Length(max=REASON_MAX, message=f"Why they are being reallocated must be {REASON_MAX} "
                                                   "characters or fewer"),
                    SafeText("Why they are being reallocated")],
    )
    handover_note = TextAreaField(
        "Handover note (optional)", widget=GovTextArea(),
        description="What the new personal adviser needs to know first. They see it at the top of the record. "
                    "It is not sent by email.",
        filters=[_multiline],
        validators=[Optional(),
                    Length(max=HANDOVER_MAX, message=f"Handover note must be {HANDOVER_MAX:,} characters or fewer"),
                    SafeText("Handover note", multiline=True)],
    )
    submit = SubmitField("Reallocate", widget=GovSubmitInput())

    def validate_adviser_id(self, field):
        if field.data is None:
            raise StopValidation("Select their new personal adviser")
