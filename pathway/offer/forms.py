"""Forms for the staff side of the local offer: the facts, a request, a decision, a payment."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput
from wtforms import RadioField, SelectChoice, SelectField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from pathway.forms import DateRequired, GovDateField, GovStringField, SafeText
from pathway.integrity import FormTokenForm
from pathway.integrity import VersionedForm as SharedVersionedForm
from pathway.plans.forms import long_text
from pathway.rules.dates import birthday, long_date
from pathway.rules.offer import parse_money
from pathway.rules.postcodes import normalise_postcode, outward_code

# SSDA903 activity codes (DOMAIN.md "In touch and activity"), with what they mean.
ACTIVITIES = {
    "F1": "Full-time higher education",
    "P1": "Part-time higher education",
    "F2": "Full-time other education",
    "P2": "Part-time other education",
    "F4": "Full-time apprenticeship",
    "P4": "Part-time apprenticeship",
    "F5": "Full-time training or employment",
    "P5": "Part-time training or employment",
    "G4": "Not in education, training or employment: illness or disability",
    "G5": "Not in education, training or employment: other reasons",
    "G6": "Not in education, training or employment: pregnancy or parenting",
}

USE_POSTCODE, IN_AREA, NOT_IN_AREA = "postcode", "yes", "no"
MAX_AMOUNT_CHARACTERS = 30


class VersionedForm(SharedVersionedForm, FlaskForm):
    """A hidden ``version`` (pathway.integrity.VersionedForm)."""


def _not_in_future(field, today: date, what: str) -> None:
    if field.data and field.data > today:
        raise ValidationError(f"{what} must be today or in the past")
    if field.data and field.data.year < 2000:
        raise ValidationError(f"{what} must be after 2000")


def money_field(label: str, *, description: str | None = None) -> GovStringField:
    return GovStringField(label, description=description)


def read_money(field, *, required: str) -> int:
    """The pence in a money field, or a ValidationError with the GOV.UK message."""
    text = field.data or ""
    if not text.strip():
        raise ValidationError(required)
    if len(text) > MAX_AMOUNT_CHARACTERS:
        raise ValidationError("Enter an amount in pounds, like £12.50 or £1,000")
    try:
        return parse_money(text)
    except ValueError as problem:
        raise ValidationError(str(problem)) from None


class OfferFactsForm(VersionedForm):
    """Where they live, what they are doing and when they moved into their own home.

    Pass ``today``, ``area_name`` and ``date_of_birth``.
    """

    home_postcode = GovStringField(
        "Home postcode (optional)",
        description="Where they live now. For example, TS1 3BX.",
    )
    in_area = RadioField("Do they live in the council's area?", widget=GovRadioInput(), default=USE_POSTCODE,
                         validate_choice=False, validators=[InputRequired("Select whether to use the postcode")])
    in_area_reason = long_text("Why you are overriding the postcode", max_length=2000,
                               description="For example, placed just over the border by the council.")
    main_activity = SelectField(
        "Main activity (optional)", widget=GovSelect(),
        choices=[SelectChoice("", "Not recorded")] + [SelectChoice(code, f"{code}: {text}")
                                                      for code, text in ACTIVITIES.items()],
        description="What they are doing now, as in the SSDA903 return.", validate_choice=False,
    )
    independent_move_on = GovDateField(
        "Moved into their first independent home on (optional)", subject="the date they moved",
        description="Leave it empty if they have not moved into a home of their own. For example, 3 9 2026",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args, today: date, area_name: str, date_of_birth: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.date_of_birth = date_of_birth
        self.in_area.label.text = f"Do they live in {area_name}?"
        self.in_area.choices = [
            SelectChoice(USE_POSTCODE, "Use the postcode"),
            SelectChoice(IN_AREA, f"Lives in {area_name}"),
            SelectChoice(NOT_IN_AREA, f"Does not live in {area_name}"),
        ]

    def validate_home_postcode(self, field):
        if field.data and (len(field.data) > 20 or outward_code(field.data) is None):
            raise ValidationError("Enter a real postcode, like TS1 3BX")

    def validate_in_area(self, field):
        if field.data not in (USE_POSTCODE, IN_AREA, NOT_IN_AREA):
            raise ValidationError("Select whether to use the postcode")

    def validate_main_activity(self, field):
        if field.data and field.data not in ACTIVITIES:
            raise ValidationError("Select their main activity from the list")

    def validate_in_area_reason(self, field):
        if self.in_area.data in (IN_AREA, NOT_IN_AREA) and not (field.data or "").strip():
            raise ValidationError("Enter why you are overriding the postcode")

    def validate_independent_move_on(self, field):
        _not_in_future(field, self.today, "The date they moved")
        sixteenth = birthday(self.date_of_birth, 16)
        if field.data and field.data < sixteenth:
            raise ValidationError(f"The date they moved must be on or after their 16th birthday, {long_date(sixteenth)}")

    def facts(self) -> dict:
        override = {IN_AREA: True, NOT_IN_AREA: False}.get(self.in_area.data)
        return {
            "home_postcode": normalise_postcode(self.home_postcode.data) if self.home_postcode.data else None,
            "in_area_override": override,
            "in_area_override_reason": (self.in_area_reason.data or None) if override is not None else None,
            "main_activity": self.main_activity.data or None,
            "independent_move_on": self.independent_move_on.data,
        }


class ClaimRequestForm(FormTokenForm, FlaskForm):
    """A request for one entitlement. Pass ``today`` and ``choices`` (slug, name)."""

    entitlement = SelectField("What they asked for", widget=GovSelect(), validate_choice=False,
                              validators=[InputRequired("Select what they asked for")])
    requested_on = GovDateField("Date they asked", subject="the date they asked",
                                description="For example, 3 9 2026",
                                validators=[DateRequired("Enter the date they asked")])
    note = long_text("Note (optional)", max_length=2000,
                     description="What they asked for and why, for example the things they need for their flat.")
    submit = SubmitField("Record the request", widget=GovSubmitInput())

    def __init__(self, *args, today: date, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.entitlement.choices = [SelectChoice("", "Select what they asked for")] + [
            SelectChoice(slug, name) for slug, name in choices]
        self.slugs = {slug for slug, _ in choices}

    def validate_entitlement(self, field):
        if field.data not in self.slugs:
            raise ValidationError("Select what they asked for")

    def validate_requested_on(self, field):
        _not_in_future(field, self.today, "The date they asked")


APPROVE, DECLINE = "approve", "decline"


class ClaimDecisionForm(VersionedForm):
    decision = RadioField("Your decision", widget=GovRadioInput(), validate_choice=False,
                          choices=[SelectChoice(APPROVE, "Approve"), SelectChoice(DECLINE, "Do not approve")],
                          validators=[InputRequired("Select whether to approve the request")])
    amount = money_field("Amount approved, in pounds", description="If you approve. For example, £1,160 or 1160.50")
    decline_reason = long_text("Why it is not approved", max_length=2000,
                               description="If you do not approve. The young person will see this, so write it to them.")
    submit = SubmitField("Save the decision", widget=GovSubmitInput())
    amount_pence: int | None = None

    def validate_decision(self, field):
        if field.data not in (APPROVE, DECLINE):
            raise ValidationError("Select whether to approve the request")

    def validate_amount(self, field):
        self.amount_pence = None
        if self.decision.data == APPROVE:
            self.amount_pence = read_money(field, required="Enter the amount approved")

    def validate_decline_reason(self, field):
        if self.decision.data == DECLINE and not (field.data or "").strip():
            raise ValidationError("Enter why it is not approved")


class PaymentForm(FlaskForm):
    """A payment on an approved claim. Pass ``today`` and ``requested_on`` (the claim's)."""

    paid_on = GovDateField("Date it was paid", subject="the date it was paid", description="For example, 3 9 2026",
                           validators=[DateRequired("Enter the date it was paid")])
    amount = money_field("Amount paid, in pounds", description="For example, £450 or 450.00")
    note = GovStringField("Note (optional)", description="For example, what it paid for.",
                          validators=[Length(max=500, message="Note must be 500 characters or fewer"), SafeText("Note")])
    submit = SubmitField("Record the payment", widget=GovSubmitInput())
    amount_pence: int | None = None

    def __init__(self, *args, today: date, requested_on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.requested_on = requested_on

    def validate_paid_on(self, field):
        _not_in_future(field, self.today, "The date it was paid")
        if field.data and field.data < self.requested_on:
            raise ValidationError(f"The date it was paid must be on or after the date they asked, "
                                  f"{long_date(self.requested_on)}")

    def validate_amount(self, field):
        self.amount_pence = read_money(field, required="Enter the amount paid")
