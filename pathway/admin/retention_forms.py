"""The form that deletes a record at the end of its retention period: typed confirmation and a reason."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from pathway.forms import GovStringField, SafeText, strip_filter
from pathway.services.retention import REASON_MAX


class RecordDeleteForm(FlaskForm):
    """``record_number`` must be typed exactly: the record's number (set by the view as ``expected``)."""

    record_number = GovStringField(
        "Type the record number to confirm",
        validators=[DataRequired("Type the record number to confirm you want to delete this record"),
                    Length(max=20, message="Record number must be 20 characters or fewer")],
    )
    reason = TextAreaField(
        "Why is this record being deleted?",
        widget=GovTextArea(),
        filters=[strip_filter],
        description="This is kept in the deletion register. Do not write the young person's name.",
        validators=[DataRequired("Enter why the record is being deleted"),
                    Length(max=REASON_MAX, message=f"Reason must be {REASON_MAX} characters or fewer"),
                    SafeText("Reason", multiline=True)],
    )
    submit = SubmitField("Delete this record", widget=GovSubmitInput())

    def __init__(self, *args, expected: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = str(expected)

    def validate_record_number(self, field):
        if field.data and field.data != self.expected:
            raise ValidationError(f"Type the record number, {self.expected}, exactly as shown")
