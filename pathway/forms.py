"""Form building blocks shared by every blueprint: GOV.UK widgets and safe text."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from wtforms import Field, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from pathway.rules.dates import age_on

# Control characters (NUL, escape...) and bidi overrides that can disguise text; tab/newline
# are allowed only where a field is multi-line. Lone surrogates cannot be stored as UTF-8.
_BIDI_OVERRIDES = re.compile("[\u202a-\u202e]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def _bad_characters(value: str, *, multiline: bool) -> bool:
    allowed = {"\n", "\r", "\t"} if multiline else set()
    for char in value:
        if char in allowed:
            continue
        if unicodedata.category(char) == "Cc":
            return True
    return bool(_BIDI_OVERRIDES.search(value) or _SURROGATES.search(value))


class SafeText:
    """Refuses text with control characters, bidi overrides or lone surrogates."""

    def __init__(self, label: str, *, multiline: bool = False):
        self.label = label
        self.multiline = multiline

    def __call__(self, form, field):
        if field.data and _bad_characters(field.data, multiline=self.multiline):
            raise ValidationError(f"{self.label} must not contain hidden or control characters")


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


class GovStringField(StringField):
    """A text input that strips surrounding spaces."""

    widget = GovTextInput()

    def __init__(self, label=None, validators=None, filters=(), **kwargs):
        super().__init__(label, validators, filters=(strip_filter, *filters), **kwargs)


class GovDateField(Field):
    """A GOV.UK date input (day, month, year) with GOV.UK error messages.

    Never raises on a missing or partial post: the three boxes share one name,
    and whatever arrives is checked and explained.
    """

    widget = GovDateInput()

    def __init__(self, label=None, validators=None, *, subject: str | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.subject = subject or (label or "the date")
        self.raw_parts: list[str] = []
        self.date_problem: str | None = None

    def _value(self):
        if self.raw_parts:
            return " ".join(self.raw_parts)
        if self.data:
            return self.data.strftime("%d %m %Y")
        return ""

    def process_formdata(self, valuelist):
        parts = ([str(v).strip()[:10] for v in valuelist] + ["", "", ""])[:3]
        # The widget unpacks raw_data into day, month and year: always give it three.
        self.raw_data = parts
        self.raw_parts = parts
        self.data = None
        self.date_problem = None
        if not any(parts):
            return  # InputRequired / Optional decide
        day, month, year = parts
        names = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
        if names:
            self.date_problem = f"{self.subject.capitalize()} must include a {' and '.join(names)}"
            return
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            self.date_problem = f"{self.subject.capitalize()} must be a real date"
            return
        try:
            self.data = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # 31 April; a day or month of 9999999999
            self.date_problem = f"{self.subject.capitalize()} must be a real date"

    def pre_validate(self, form):
        if self.date_problem:
            raise ValidationError(self.date_problem)


class DateRequired:
    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        if field.data is None and not field.date_problem:
            raise ValidationError(self.message)


def clean_email(value):
    return value.strip().lower() if isinstance(value, str) else value


def check_date_of_birth(dob: date, today: date) -> None:
    """A young person's date of birth: in the past, and old enough or young enough for leaving care."""
    if dob > today:
        raise ValidationError("Date of birth must be in the past")
    age = age_on(dob, today)
    if age < 13:
        raise ValidationError("Date of birth must be at least 13 years ago: leaving care support starts at 16")
    if age > 25:
        raise ValidationError("Date of birth must be less than 26 years ago: leaving care support ends at 25")


class YoungPersonDetailsForm(FlaskForm):
    """Names, date of birth and contact details: shared by adding a young person and changing their details.

    Pass ``today`` (the date rules are checked against).
    """

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

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_date_of_birth(self, field):
        if field.data is not None:
            check_date_of_birth(field.data, self.today)
