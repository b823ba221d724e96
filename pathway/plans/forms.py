from __future__ import annotations

import enum
from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from pathway.forms import DateRequired, GovDateField, GovStringField, SafeText
from pathway.integrity import VersionedForm as SharedVersionedForm
from pathway.models import ReviewReason, TargetStatus
from pathway.rules.plan_areas import PLAN_AREAS, PlanArea

LONG_TEXT = 10_000


def _choice_value(value) -> str:
    """Coerce for choice fields filled from a model (obj=target): the enum's value, not "PlanArea.HEALTH".

    WTForms takes a field's data from `obj` before `data`, so without this a target or contingency
    opened to change showed no area, who or progress selected (and the browser sent the first area).
    """
    return value.value if isinstance(value, enum.Enum) else str(value)


def _area_choices(exclude_contingency: bool = False):
    return [SelectChoice(a.value, f"{a.number}. {a.title}") for a in PLAN_AREAS
            if not (exclude_contingency and a is PlanArea.CONTINGENCY)]


class VersionedForm(SharedVersionedForm, FlaskForm):
    """A hidden ``version`` (pathway.integrity.VersionedForm)."""


def long_text(label: str, *, required: str | None = None, description: str | None = None, max_length: int = LONG_TEXT):
    # No Optional() here: it would stop the chain before a form's validate_<field> rule runs.
    validators = [DataRequired(required)] if required else []
    validators += [Length(max=max_length, message=f"{label} must be {max_length:,} characters or fewer"),
                   SafeText(label, multiline=True)]
    return TextAreaField(label, widget=GovTextArea(), description=description, validators=validators,
                         filters=[lambda v: v.strip() if isinstance(v, str) else v])


class AreaForm(VersionedForm):
    current_situation = long_text(
        "How things are now",
        description="Write to them, as \"you\": what is going well, what is hard, what they have told you.",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class TargetForm(VersionedForm):
    area = SelectField("Plan area", widget=GovSelect(), choices=_area_choices(exclude_contingency=True), coerce=_choice_value,
                       validators=[InputRequired("Select the plan area")])
    what = long_text("What will happen", required="Enter what will happen", max_length=2000,
                     description="One clear action, for example \"Open a bank account with a debit card\".")
    responsible = RadioField(
        "Who is responsible", widget=GovRadioInput(), coerce=_choice_value,
        choices=[SelectChoice("young_person", "The young person"), SelectChoice("adviser", "Their personal adviser"),
                 SelectChoice("other", "Someone else")],
        validators=[InputRequired("Select who is responsible")],
    )
    responsible_name = GovStringField(
        "Who else (name and role)", validators=[Length(max=120, message="Name must be 120 characters or fewer"),
                                                SafeText("Name")])
    due_on = GovDateField("Done by", subject="the date it will be done by", description="For example, 27 3 2027",
                          validators=[DateRequired("Enter the date it will be done by")])
    how_we_know = long_text("How we will know it is done", required="Enter how you will know it is done", max_length=2000)
    status = RadioField(
        "Progress", widget=GovRadioInput(), default=TargetStatus.NOT_STARTED.value, coerce=_choice_value,
        choices=[SelectChoice(s.value, s.label) for s in TargetStatus],
        validators=[InputRequired("Select the progress")],
    )
    status_reason = long_text("Why it is no longer needed", max_length=2000)
    submit = SubmitField("Save target", widget=GovSubmitInput())

    def __init__(self, *args, plan_date: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_date = plan_date

    def validate_responsible_name(self, field):
        if self.responsible.data == "other" and not (field.data or "").strip():
            raise ValidationError("Enter who is responsible")

    def validate_due_on(self, field):
        if field.data and field.data < self.plan_date:
            raise ValidationError(f"The date it will be done by must be on or after the plan date, "
                                  f"{self.plan_date.day} {self.plan_date:%B %Y}")
        if field.data and field.data.year > self.plan_date.year + 10:
            raise ValidationError("The date it will be done by must be within 10 years")

    def validate_status_reason(self, field):
        if self.status.data == TargetStatus.NOT_NEEDED.value and not (field.data or "").strip():
            raise ValidationError("Enter why it is no longer needed")


class ContingencyForm(VersionedForm):
    area = SelectField("Plan area", widget=GovSelect(), choices=_area_choices(), coerce=_choice_value,
                       validators=[InputRequired("Select the plan area")],
                       description="Think beyond housing: money, health, education, family, staying safe.")
    what_might_go_wrong = long_text("What might go wrong", required="Enter what might go wrong", max_length=2000)
    what_we_will_do = long_text("What we will do", required="Enter what you will do if it happens", max_length=2000)
    who = GovStringField("Who will do it", validators=[DataRequired("Enter who will do it"),
                                                        Length(max=200, message="Who will do it must be 200 characters or fewer"),
                                                        SafeText("Who will do it")])
    submit = SubmitField("Save contingency plan", widget=GovSubmitInput())


class DetailsForm(VersionedForm):
    plan_date = GovDateField("Date of the plan or review meeting", subject="the date of the plan",
                             validators=[DateRequired("Enter the date of the plan")])
    reason = RadioField("Why this plan is being written", widget=GovRadioInput(), coerce=_choice_value,
                        choices=[SelectChoice(r.value, r.label.replace("You asked", "The young person asked"))
                                 for r in ReviewReason],
                        validators=[InputRequired("Select why this plan is being written")])
    participants = long_text("Who took part", max_length=2000,
                             description="For example, you, your personal adviser, your support worker.")
    young_person_view = long_text("The young person's view of the plan", max_length=LONG_TEXT)
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_plan_date(self, field):
        if field.data and field.data > self.today:
            raise ValidationError("The date of the plan must be today or in the past")
        if field.data and field.data.year < 2000:
            raise ValidationError("The date of the plan must be after 2000")


class SubmitPlanForm(VersionedForm):
    submit = SubmitField("Send for sign-off", widget=GovSubmitInput())


class DecisionForm(VersionedForm):
    decision = RadioField("Your decision", widget=GovRadioInput(),
                          choices=[SelectChoice("sign_off", "Sign off the plan"),
                                   SelectChoice("return", "Return it to the personal adviser with comments")],
                          validators=[InputRequired("Select whether to sign off or return the plan")])
    comments = long_text("Comments for the personal adviser", max_length=5000)
    submit = SubmitField("Confirm", widget=GovSubmitInput())

    def validate_comments(self, field):
        if self.decision.data == "return" and not (field.data or "").strip():
            raise ValidationError("Enter what needs to change before you can sign it off")


class RemoveForm(VersionedForm):
    submit = SubmitField("Yes, remove it", widget=GovSubmitInput())


class StartPlanForm(FlaskForm):
    submit = SubmitField("Start", widget=GovSubmitInput())
