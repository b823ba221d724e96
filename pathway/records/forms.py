from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import HiddenField, SelectChoice, SelectField, SubmitField
from wtforms.validators import Length, Optional, ValidationError

from pathway.forms import DateRequired, GovDateField, GovStringField, SafeText, YoungPersonDetailsForm
from pathway.integrity import VersionedForm
from pathway.models import CareEpisode
from pathway.models.care import END_REASONS, LEGAL_STATUSES
from pathway.services.records import episode_clash
from pathway.views.formatting import govuk_date


class YoungPersonProfileForm(VersionedForm, YoungPersonDetailsForm):
    """Change a young person's details (pass ``today``). "About me" is theirs: it is not here."""

    pronouns = GovStringField(
        "Pronouns (optional)",
        description="For example, she/her, he/him or they/them.",
        validators=[Optional(), Length(max=40, message="Pronouns must be 40 characters or fewer"), SafeText("Pronouns")],
    )
    first_language = GovStringField(
        "First language (optional)",
        validators=[Optional(), Length(max=60, message="First language must be 60 characters or fewer"), SafeText("First language")],
    )
    version = HiddenField()
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    def changes(self) -> dict:
        return {
            "given_name": self.given_name.data,
            "family_name": self.family_name.data,
            "preferred_name": self.preferred_name.data or None,
            "pronouns": self.pronouns.data or None,
            "first_language": self.first_language.data or None,
            "date_of_birth": self.date_of_birth.data,
            "phone": self.phone.data or None,
            "email": self.email.data or None,
        }


LEGAL_STATUS_CHOICES = [SelectChoice("", "Select the legal status")] + [
    SelectChoice(code, f"{code}: {text}") for code, text in LEGAL_STATUSES.items()
]
END_REASON_CHOICES = [SelectChoice("", "Not ended: still looked after")] + [
    SelectChoice(code, f"{code}: {text}") for code, text in END_REASONS.items()
]


class CareEpisodeForm(VersionedForm, FlaskForm):
    """Add or change a care episode.

    Pass ``today``, ``date_of_birth`` and ``others`` (the young person's other episodes).
    """

    start_date = GovDateField(
        "Start date",
        subject="the start date",
        description="The first day they were looked after. For example, 3 9 2022",
        validators=[DateRequired("Enter the date care started")],
    )
    legal_status = SelectField("Legal status", widget=GovSelect(), choices=LEGAL_STATUS_CHOICES, validate_choice=False)
    end_date = GovDateField(
        "End date (optional)",
        subject="the end date",
        description=(
            "Leave blank if they are still looked after. This is the day care ended: the first day they "
            "were no longer looked after. For example, 14 2 2025"
        ),
    )
    end_reason = SelectField(
        "Why care ended",
        widget=GovSelect(),
        choices=END_REASON_CHOICES,
        validate_choice=False,
        description="Needed when you enter an end date.",
    )
    version = HiddenField()

    def __init__(self, *args, today: date, date_of_birth: date, others: Sequence[CareEpisode], **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.date_of_birth = date_of_birth
        self.others = list(others)

    def validate_start_date(self, field):
        if field.data is None:
            return
        if field.data < self.date_of_birth:
            raise ValidationError(
                f"The start date must be on or after their date of birth, {govuk_date(self.date_of_birth)}"
            )
        if field.data > self.today:
            raise ValidationError("The start date must be today or in the past")

    def validate_end_date(self, field):
        if field.data is None:
            if not field.date_problem and self.end_reason.data:
                raise ValidationError("Enter the date care ended, or choose 'Not ended' for why care ended")
            return
        if field.data > self.today:
            raise ValidationError("The end date must be today or in the past")
        if self.start_date.data is not None and not self.start_date.errors and field.data <= self.start_date.data:
            raise ValidationError("The end date must be after the start date")

    def validate_legal_status(self, field):
        if field.data not in LEGAL_STATUSES:
            raise ValidationError("Select the legal status")

    def validate_end_reason(self, field):
        if field.data and field.data not in END_REASONS:
            raise ValidationError("Select why care ended")
        if not field.data and self.end_date.data is not None:
            raise ValidationError("Select why care ended")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.start_date.data is None or self.start_date.errors or self.end_date.errors:
            return valid
        problem = episode_clash(self.start_date.data, self.end_date.data, self.others)
        if problem is not None:
            getattr(self, problem.field).errors.append(problem.message)
            return False
        return valid

    def episode_fields(self) -> dict:
        return {
            "start_date": self.start_date.data,
            "end_date": self.end_date.data,
            "legal_status": self.legal_status.data,
            "end_reason": self.end_reason.data or None,
        }


class ConfirmForm(FlaskForm):
    """A button that confirms an action (CSRF only)."""
