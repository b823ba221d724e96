"""Forms for management oversight: a note on a record, and a supervision session."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from pathway.forms import DateRequired, GovDateField, SafeText
from pathway.models.oversight import OversightKind
from pathway.rules.dates import long_date

NOTE_MAX = 10_000

KIND_HINTS = {
    OversightKind.SUPERVISION: "You discussed this young person with their personal adviser in supervision. "
                               "It counts as the adviser's supervision on this date.",
    OversightKind.CASE_DIRECTION: "What must happen next on this case, and by when.",
    OversightKind.AUDIT: "You checked the record, the plan and the practice, and say what you found.",
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _text(label: str, *, name: str, required: str | None = None, description: str | None = None) -> TextAreaField:
    validators = [DataRequired(required)] if required else []
    validators += [Length(max=NOTE_MAX, message=f"{name} must be {NOTE_MAX:,} characters or fewer"),
                   SafeText(name, multiline=True)]
    return TextAreaField(label, widget=GovTextArea(), description=description, validators=validators,
                         filters=[_strip])


class OversightNoteForm(FlaskForm):
    """Pass ``today`` and the young person's ``date_of_birth``."""

    kind = RadioField("What kind of note is this?", widget=GovRadioInput(), validate_choice=False,
                      choices=[SelectChoice(kind.value, kind.label) for kind in OversightKind])
    noted_on = GovDateField("Date of the discussion, direction or audit", subject="the date",
                            description="For example, 3 11 2026",
                            validators=[DateRequired("Enter the date")])
    note = _text("Note", name="The note", required="Enter the note",
                 description="Write it so the personal adviser and anyone who reads the record later understand it.")
    submit = SubmitField("Save note", widget=GovSubmitInput())

    def __init__(self, *args, today: date, date_of_birth: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.date_of_birth = date_of_birth

    @staticmethod
    def kind_items() -> list[dict]:
        """Per-option hints for the radios (passed to the widget as params)."""
        return [{"hint": {"text": KIND_HINTS[kind]}} for kind in OversightKind]

    def validate_kind(self, field):
        if field.data not in {kind.value for kind in OversightKind}:
            raise ValidationError("Select what kind of note this is")

    def validate_noted_on(self, field):
        if field.data is None:
            return
        if field.data > self.today:
            raise ValidationError("The date must be today or in the past")
        if field.data < self.date_of_birth:
            raise ValidationError(f"The date must be on or after their date of birth, {long_date(self.date_of_birth)}")


class SupervisionForm(FlaskForm):
    """Pass ``today``."""

    held_on = GovDateField("Date of the supervision", subject="the date of the supervision",
                           description="For example, 3 11 2026",
                           validators=[DateRequired("Enter the date of the supervision")])
    notes = _text("Notes (optional)", name="The notes", description="What you discussed and agreed. Case decisions belong on the "
                                                  "young person's record as an oversight note.")
    submit = SubmitField("Save supervision", widget=GovSubmitInput())

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_held_on(self, field):
        if field.data is not None and field.data > self.today:
            raise ValidationError("The date of the supervision must be today or in the past")
