from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectChoice, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from pathway.forms import GovStringField, SafeText
from pathway.integrity import VersionedForm
from pathway.models import Frequency, Scope
from pathway.rules.category import Category

ACTIVITIES = [
    ("F1", "F1/P1 higher education"), ("P1", "P1 higher education (part-time)"),
    ("F2", "F2/P2 other education"), ("P2", "P2 other education (part-time)"),
    ("F4", "F4/P4 apprenticeship"), ("P4", "P4 apprenticeship (part-time)"),
    ("F5", "F5/P5 training or employment"), ("P5", "P5 training or employment (part-time)"),
]


def _money_text(label: str):
    return StringField(label, widget=GovTextInput(), filters=[lambda v: v.strip() if isinstance(v, str) else v],
                       validators=[Length(max=20, message=f"{label} must be 20 characters or fewer")],
                       description="In pounds, like 250 or 250.00. Leave empty if it varies.")


def _whole_number(label: str, hint: str):
    return StringField(label, widget=GovTextInput(), description=hint,
                       filters=[lambda v: v.strip() if isinstance(v, str) else v],
                       validators=[Length(max=5, message=f"{label} must be a whole number")])


class EntitlementForm(VersionedForm, FlaskForm):
    name = GovStringField("Name", validators=[DataRequired("Enter the name"), Length(max=120, message="Name must be 120 characters or fewer"), SafeText("Name")])
    slug = GovStringField("Short name for links", description="Lower-case letters, numbers and hyphens, like driving-lessons. It cannot be changed later.",
                          validators=[Length(max=80, message="Short name must be 80 characters or fewer")])
    description = TextAreaField("What it is, in plain English", widget=GovTextArea(),
                                validators=[DataRequired("Enter what it is"), Length(max=2000, message="Description must be 2,000 characters or fewer"), SafeText("Description", multiline=True)])
    scope = RadioField("National or local", widget=GovRadioInput(), choices=[SelectChoice(s.value, s.value.title()) for s in Scope],
                       validators=[InputRequired("Select national or local")])
    amount = _money_text("Amount")
    cap = _money_text("The most that can be claimed in all")
    frequency = RadioField("How often", widget=GovRadioInput(), choices=[SelectChoice(f.value, f.label) for f in Frequency],
                           validators=[InputRequired("Select how often it can be claimed")])
    how_to_claim = TextAreaField("How to claim", widget=GovTextArea(),
                                 validators=[DataRequired("Enter how to claim"), Length(max=2000, message="How to claim must be 2,000 characters or fewer"), SafeText("How to claim", multiline=True)])
    age_from = _whole_number("From age", "Leave empty for no lower age.")
    age_under = _whole_number("Under age", "For example 25 for \"under 25\". Leave empty for no upper age.")
    categories = SelectMultipleField("Care leaver categories", widget=GovCheckboxesInput(),
                                     choices=[SelectChoice(c.value, c.label) for c in Category if c.value != "not_care_leaver"],
                                     description="Leave all unticked for any care leaver.", validate_choice=False)
    activities = SelectMultipleField("Only for people in", widget=GovCheckboxesInput(), choices=[SelectChoice(code, label) for code, label in ACTIVITIES],
                                     description="Leave all unticked if it does not depend on education or work.", validate_choice=False)
    in_area_only = BooleanField("Only for people who live in the council's area", widget=GovCheckboxInput())
    needs_independent_move = BooleanField("Only when moving into a first home of their own", widget=GovCheckboxInput())
    needs_pa_decision = BooleanField("The personal adviser decides each time", widget=GovCheckboxInput())
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_slug(self, field):
        value = (field.data or "").strip()
        if value and (value != value.lower() or not all(c.isalnum() or c == "-" for c in value)):
            raise ValidationError("Short name must be lower-case letters, numbers and hyphens, like driving-lessons")

    def _check_number(self, field, label):
        if field.data and (not field.data.isdigit() or not 0 <= int(field.data) <= 30):
            raise ValidationError(f"{label} must be a whole number of years, like 18")

    def validate_age_from(self, field):
        self._check_number(field, "From age")

    def validate_age_under(self, field):
        self._check_number(field, "Under age")
        if field.data and self.age_from.data and self.age_from.data.isdigit() and field.data.isdigit() \
                and int(field.data) <= int(self.age_from.data):
            raise ValidationError("Under age must be more than the from age")

    def validate_categories(self, field):
        valid = {c.value for c in Category}
        if any(v not in valid for v in field.data or []):
            raise ValidationError("Select care leaver categories from the list")

    def validate_activities(self, field):
        if any(v not in dict(ACTIVITIES) for v in field.data or []):
            raise ValidationError("Select activities from the list")


class CouncilAreaForm(VersionedForm, FlaskForm):
    name = GovStringField("Area name", description="Used in messages, for example \"You live outside Northshire\".",
                          validators=[DataRequired("Enter the area name"), Length(max=60, message="Area name must be 60 characters or fewer"), SafeText("Area name")])
    districts = GovStringField("Postcode districts", description="For example TS1-TS8, TS10, DL1. A young person whose postcode is in these lives in the area.",
                               validators=[DataRequired("Enter the postcode districts"), Length(max=500, message="Postcode districts must be 500 characters or fewer")])
    submit = SubmitField("Save", widget=GovSubmitInput())
