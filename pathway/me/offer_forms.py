"""Forms for the young person's offer pages: asking about an entitlement, and My money."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from pathway.forms import SafeText
from pathway.integrity import FormTokenForm
from pathway.models import MoneyPeriod
from pathway.rules.offer import (
    AMOUNT_NOT_MORE_THAN_ZERO,
    AMOUNT_PART_OF_A_PENNY,
    MAX_PENCE,
    format_pounds,
    parse_money,
)

QUESTION_MAX = 1000
_MINUS = "-\u2212"


def _tidy(value):
    """Browsers send new lines as CRLF: count each as one character, as the character count does."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").strip()


class AskAboutForm(FormTokenForm, FlaskForm):
    message = TextAreaField(
        "What do you want to ask? (optional)",
        widget=GovCharacterCount(),
        filters=[_tidy],
        description="For example, whether you can get it, how to claim it, or when it will be paid.",
        validators=[
            Length(max=QUESTION_MAX, message="Your question must be 1,000 characters or fewer"),
            SafeText("Your question", multiline=True),
        ],
    )
    submit = SubmitField("Send to your personal adviser", widget=GovSubmitInput())


# --- My money ----------------------------------------------------------------------------------------

def pounds_text(pence: int | None) -> str:
    """What a saved amount looks like in its box: 8550 -> "85.50", 100000 -> "1,000", 0 -> "" (blank is £0)."""
    if not pence:
        return ""
    return format_pounds(pence).removeprefix("£")


class PoundsField(StringField):
    """An amount in pounds, typed as the person likes ("£1,000", "12.50"); blank is £0.

    After validation ``pence`` holds whole pence. ``subject`` names the amount in error messages,
    as it reads mid-sentence ("rent", "Universal Credit").
    """

    widget = GovTextInput()

    def __init__(self, label=None, validators=None, *, subject: str, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.subject = subject
        self.pence = 0

    def process_formdata(self, valuelist):
        self.data = str(valuelist[0])[:40].strip() if valuelist else ""

    def pre_validate(self, form):
        self.pence = 0
        text = self.data or ""
        if not text:
            return
        subject = self.subject[0].upper() + self.subject[1:]
        try:
            self.pence = parse_money(text)
        except ValueError as problem:
            message = str(problem)
            if message == AMOUNT_NOT_MORE_THAN_ZERO:
                if any(minus in text for minus in _MINUS):
                    raise ValidationError(f"{subject} must be £0 or more") from None
                return  # £0: the same as blank
            if message == AMOUNT_PART_OF_A_PENNY:
                raise ValidationError(f"Enter {self.subject} in pounds and pence, like 85.50, "
                                      "with no more than 2 numbers after the decimal point") from None
            if message == f"Enter an amount of {format_pounds(MAX_PENCE)} or less":
                raise ValidationError(f"{subject} must be {format_pounds(MAX_PENCE)} or less") from None
            raise ValidationError(f"Enter {self.subject} as an amount in pounds, like 85 or 85.50") from None


def _pounds(label: str, subject: str, description: str | None = None) -> PoundsField:
    return PoundsField(label, subject=subject, description=description)


class MoneyPlanForm(FlaskForm):
    period = RadioField(
        "Do you want to work out your money each week or each month?",
        widget=GovRadioInput(),
        choices=[SelectChoice(MoneyPeriod.WEEKLY.value, "Each week"), SelectChoice(MoneyPeriod.MONTHLY.value, "Each month")],
        validators=[InputRequired("Select each week or each month")],
        validate_choice=False,
    )
    # Money coming in
    wages = _pounds("Wages", "wages", "What you are paid after tax. Leave it blank if you do not work.")
    universal_credit = _pounds("Universal Credit", "Universal Credit")
    bursaries = _pounds("Bursaries", "bursaries", "For example, a 16 to 19 bursary or a university bursary.")
    other_income = _pounds("Other money coming in", "other money coming in")
    # Money going out
    rent = _pounds("Rent", "rent", "What you pay yourself, after any housing help paid straight to your landlord.")
    energy = _pounds("Gas and electricity", "gas and electricity")
    food = _pounds("Food", "food", "Including toiletries and cleaning things.")
    phone = _pounds("Phone and internet", "phone and internet")
    travel = _pounds("Travel", "travel", "Bus, train or fuel.")
    debts = _pounds("Paying back debts", "debts", "For example, loans, catalogues, overdrafts or fines.")
    other_costs = _pounds("Other costs", "other costs", "For example, clothes, a TV licence or going out.")
    version = HiddenField()
    submit = SubmitField("Save and work out what is left", widget=GovSubmitInput())

    INCOME = ("wages", "universal_credit", "bursaries", "other_income")
    COSTS = ("rent", "energy", "food", "phone", "travel", "debts", "other_costs")

    def validate_period(self, field):
        if field.data not in {p.value for p in MoneyPeriod}:
            raise ValidationError("Select each week or each month")

    def amounts(self) -> dict[str, int]:
        return {name: getattr(self, name).pence for name in self.INCOME + self.COSTS}

    def chosen_period(self) -> MoneyPeriod:
        return MoneyPeriod(self.period.data)

    def expected_version(self) -> int | None:
        raw = (self.version.data or "").strip()
        return int(raw) if raw.isdigit() and len(raw) < 10 else None

    def set_version(self, version: int | None) -> None:
        value = "" if version is None else str(version)
        self.version.data = value
        self.version.raw_data = [value]

    def load(self, period: MoneyPeriod, amounts: dict[str, int], version: int | None) -> None:
        self.period.data = period.value
        for name, pence in amounts.items():
            getattr(self, name).data = pounds_text(pence)
        self.set_version(version)
