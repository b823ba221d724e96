"""Forms for the passport to independence: the young person's, the adviser's and the administrator's."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import BooleanField, RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, ValidationError

from pathway.forms import GovDateField, GovStringField, SafeText
from pathway.integrity import VersionedForm
from pathway.models import PassportGroup, PassportStatus
from pathway.services.passport import NOTE_MAX, WHERE_KEPT_MAX

TITLE_MAX = 200
DESCRIPTION_MAX = 1000


def choice(message: str, choices) -> list:
    """InputRequired and a check that the value is one of the choices, both with a GOV.UK message
    (WTForms' own "Not a valid choice." is not one)."""
    return [InputRequired(message), AnyOf([c.value for c in choices], message=message)]


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _strip(value):
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


class StatusForm(FlaskForm):
    """The young person's one tap: the button they press carries the status."""

    status = RadioField(choices=_choices((s.value, s.label) for s in PassportStatus), validate_choice=False,
                        validators=choice("Select how you are getting on", PassportStatus))


class ConfirmForm(FlaskForm):
    pass


class DocumentForm(VersionedForm, FlaskForm):
    """Whether they have a document, where it is kept and when it expires."""

    held = RadioField(widget=GovRadioInput(), choices=_choices([("yes", "Yes"), ("no", "No")]), validate_choice=False,
                      validators=[InputRequired("Select whether you have it"),
                                  AnyOf(["yes", "no"], message="Select whether you have it")])
    where_kept = GovStringField(
        "Where is it kept? (optional)",
        description="For example, \"in the safe at my PA's office\" or \"in my bedroom drawer\".",
        validators=[Length(max=WHERE_KEPT_MAX, message=f"Where it is kept must be {WHERE_KEPT_MAX} characters or fewer"),
                    SafeText("Where it is kept")])
    expires_on = GovDateField("Expiry date (optional)", subject="the expiry date",
                              description="Only if it has one, like a passport or a provisional driving licence. For example, 27 3 2030")
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_expires_on(self, field):
        # A past date is allowed (the passport has expired: it is shown as expired), but not nonsense.
        if field.data and not (date(1950, 1, 1) <= field.data <= date(2100, 12, 31)):
            raise ValidationError("The expiry date must be a real expiry date, like 27 3 2030")

    @property
    def held_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.held.data)


class AdviserAnswerForm(DocumentForm):
    """The adviser sets a status with a note (and, for a document, its facts)."""

    status = RadioField("How are they getting on?", widget=GovRadioInput(), validate_choice=False,
                        choices=_choices((s.value, s.staff_label) for s in PassportStatus),
                        validators=choice("Select how they are getting on", PassportStatus))
    note = TextAreaField(
        "Note or evidence (optional)", widget=GovTextArea(), filters=[_strip],
        description="For example, \"Showed me their bank app and a budget for November\".",
        validators=[Length(max=NOTE_MAX, message=f"The note must be {NOTE_MAX:,} characters or fewer"),
                    SafeText("The note", multiline=True)])

    def __init__(self, *args, is_document: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_document = is_document
        if is_document:
            self.held.validators = [InputRequired("Select whether they have it"),
                                    AnyOf(["yes", "no"], message="Select whether they have it")]
        else:  # a skill, not a document: no document fields at all
            for name in ("held", "where_kept", "expires_on"):
                delattr(self, name)


class PassportItemForm(VersionedForm, FlaskForm):
    title = GovStringField(
        "Item", description="Written to the young person, for example \"Open and use a bank account\".",
        validators=[DataRequired("Enter the item"),
                    Length(max=TITLE_MAX, message=f"The item must be {TITLE_MAX} characters or fewer"),
                    SafeText("The item")])
    description = TextAreaField(
        "Hint (optional)", widget=GovTextArea(), filters=[_strip],
        description="One or two sentences that explain what it means, to the young person.",
        validators=[Length(max=DESCRIPTION_MAX, message=f"The hint must be {DESCRIPTION_MAX:,} characters or fewer"),
                    SafeText("The hint", multiline=True)])
    group = RadioField("Group", widget=GovRadioInput(), choices=_choices((g.value, g.label) for g in PassportGroup),
                       validate_choice=False, validators=choice("Select the group", PassportGroup))
    is_document = BooleanField("This is a document (they can record whether they have it, where it is kept and when it expires)",
                               widget=GovCheckboxInput())
    active = RadioField("In use", widget=GovRadioInput(),
                        choices=[SelectChoice("yes", "In use"), SelectChoice("no", "Retired: hidden for new answers, history kept")],
                        default="yes", validate_choice=False,
                        validators=[InputRequired("Select whether the item is in use"),
                                    AnyOf(["yes", "no"], message="Select whether the item is in use")])
    submit = SubmitField("Save item", widget=GovSubmitInput())
