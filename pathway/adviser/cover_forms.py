"""The form a personal adviser fills in to get break-glass cover access to a colleague's young person."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from pathway.forms import SafeText
from pathway.rules.break_glass import REASON_MAX_LENGTH

LABEL = "Why do you need to see this record?"


class CoverRequestForm(FlaskForm):
    reason = TextAreaField(
        LABEL,
        widget=GovTextArea(),
        description="For example, \"Covering for Sam while on leave: Jo phoned about her tenancy\". "
                    "Your manager will read this.",
        validators=[
            DataRequired("Enter why you need to see this record"),
            Length(max=REASON_MAX_LENGTH,
                   message=f"Why you need to see this record must be {REASON_MAX_LENGTH:,} characters or fewer"),
            SafeText("Why you need to see this record", multiline=True),
        ],
        filters=[lambda v: v.replace("\r\n", "\n").strip() if isinstance(v, str) else v],
    )
    submit = SubmitField("Open the record", widget=GovSubmitInput())
