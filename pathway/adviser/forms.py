from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from pathway.forms import DateRequired, GovDateField, GovStringField, SafeText, clean_email


class YoungPersonCreateForm(FlaskForm):
    given_name = GovStringField(
        "First name",
        validators=[DataRequired("Enter their first name"), Length(max=100, message="First name must be 100 characters or fewer"), SafeText("First name")],
    )
    family_name = GovStringField(
        "Last name",
        validators=[DataRequired("Enter their last name"), Length(max=100, message="Last name must be 100 characters or fewer"), SafeText("Last name")],
    )
    preferred_name = GovStringField(
        "Preferred name (optional)",
        description="What they like to be called, if it is not their first name.",
        validators=[Optional(), Length(max=100, message="Preferred name must be 100 characters or fewer"), SafeText("Preferred name")],
    )
    date_of_birth = GovDateField(
        "Date of birth",
        subject="date of birth",
        description="For example, 27 3 2008",
        validators=[DateRequired("Enter their date of birth")],
    )
    phone = GovStringField(
        "Mobile phone number (optional)",
        validators=[
            Optional(),
            Length(max=40, message="Phone number must be 40 characters or fewer"),
            Regexp(r"^\+?[0-9 ()\-]{7,}$", message="Enter a phone number, like 07700 900 982"),
        ],
    )
    email = StringField(
        "Email address (optional)",
        widget=GovTextInput(),
        filters=[clean_email],
        description="We send their invitation to sign in here.",
        validators=[
            Optional(),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.com", check_deliverability=False),
        ],
    )
    submit = SubmitField("Add young person", widget=GovSubmitInput())

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_date_of_birth(self, field):
        if field.data is None:
            return
        if field.data > self.today:
            raise ValidationError("Date of birth must be in the past")
        age = self.today.year - field.data.year - ((self.today.month, self.today.day) < (field.data.month, field.data.day))
        if age < 13:
            raise ValidationError("Date of birth must be at least 13 years ago: leaving care support starts at 16")
        if age > 25:
            raise ValidationError("Date of birth must be less than 26 years ago: leaving care support ends at 25")
