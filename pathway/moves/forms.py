"""The form for recording a move: date, type, the Schedule 2 suitability assessment, address and provider."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import Length, ValidationError

from pathway.forms import DateRequired, GovDateField, GovStringField, SafeText
from pathway.plans.forms import long_text
from pathway.rules.accommodation import (
    ACCOMMODATION_TYPES,
    SUITABILITY_FACTORS,
    accommodation_type,
    needs_registered_provider,
    validate_move,
)
from pathway.rules.postcodes import outward_code
from pathway.services.moves import REGISTERED_PROVIDER_MISSING, MoveDetails

YES, NO = "yes", "no"
YES_NO = [SelectChoice(YES, "Yes"), SelectChoice(NO, "No")]

# Each Schedule 2 factor as a question, and the GOV.UK message when it is not answered.
FACTOR_QUESTIONS: dict[str, tuple[str, str]] = {
    "safety": ("Is the accommodation safe?", "Select whether the accommodation is safe"),
    "state_of_repair": ("Is it in a good state of repair?", "Select whether it is in a good state of repair"),
    "facilities": ("Does it have the facilities they need?", "Select whether it has the facilities they need"),
    "location": ("Is the location suitable for them?", "Select whether the location is suitable for them"),
    "support": ("Does it give them the support they need?", "Select whether it gives them the support they need"),
    "tenancy": ("Is the tenancy or licence suitable?", "Select whether the tenancy or licence is suitable"),
    "affordability": ("Can they afford it?", "Select whether they can afford it"),
    "young_persons_view": ("Do they think it is suitable?", "Select whether they think it is suitable"),
}
if set(FACTOR_QUESTIONS) != set(SUITABILITY_FACTORS):  # not an assert: those vanish under python -O
    raise RuntimeError("FACTOR_QUESTIONS must ask about every one of SUITABILITY_FACTORS")


class YesNo:
    """Requires "yes" or "no" (anything else posted by hand is treated as no answer)."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        if field.data not in (YES, NO):
            raise ValidationError(self.message)


def _yes_no_field(key: str) -> RadioField:
    question, message = FACTOR_QUESTIONS[key]
    return RadioField(question, widget=GovRadioInput(), choices=YES_NO, validate_choice=False,
                      validators=[YesNo(message)])


def _answer(value: str | None) -> bool | None:
    return {YES: True, NO: False}.get(value or "")


class MoveRecordForm(FlaskForm):
    """Pass ``today`` and ``date_of_birth``: the move is checked against them."""

    move_in = GovDateField("Date they moved in", subject="the date of the move",
                           description="For example, 3 11 2026", validators=[DateRequired("Enter the date of the move")])
    accommodation_type = SelectField(
        "Type of accommodation", widget=GovSelect(), validate_choice=False,
        choices=[SelectChoice("", "Select the type")]
        + [SelectChoice(letter, f"{letter}: {meaning}") for letter, meaning in ACCOMMODATION_TYPES.items()],
        description="The SSDA903 type. Whether it is suitable (1 or 2) comes from the questions below.",
    )
    safety = _yes_no_field("safety")
    state_of_repair = _yes_no_field("state_of_repair")
    facilities = _yes_no_field("facilities")
    location = _yes_no_field("location")
    support = _yes_no_field("support")
    tenancy = _yes_no_field("tenancy")
    affordability = _yes_no_field("affordability")
    young_persons_view = _yes_no_field("young_persons_view")
    suitability_notes = long_text("Notes on suitability (optional)", max_length=2000,
                                  description="For example, what makes it unsuitable and what is being done.")
    address = TextAreaField(
        "Address (optional)", widget=GovTextArea(), filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[Length(max=500, message="Address must be 500 characters or fewer"),
                    SafeText("Address", multiline=True)],
    )
    postcode = GovStringField("Postcode (optional)", description="For example, TS1 3BX.")
    provider = GovStringField(
        "Provider (optional)", description="Who provides the accommodation, such as a housing association.",
        validators=[Length(max=200, message="Provider must be 200 characters or fewer"), SafeText("Provider")],
    )
    registered_provider = RadioField(
        "Is the provider registered with Ofsted?", widget=GovRadioInput(), choices=YES_NO, validate_choice=False,
        description="You must answer this for 16 and 17 year olds in supported accommodation or residential care.",
    )
    submit = SubmitField("Save the move", widget=GovSubmitInput())

    def __init__(self, *args, today: date, date_of_birth: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.date_of_birth = date_of_birth

    def validate_postcode(self, field):
        if field.data and (len(field.data) > 20 or outward_code(field.data) is None):
            raise ValidationError("Enter a real postcode, like TS1 3BX")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        code = (self.accommodation_type.data or "").strip()
        code_problem = None
        try:
            letter = accommodation_type(code)
        except ValueError as problem:
            letter, code_problem = None, str(problem)
            self.accommodation_type.errors = [*self.accommodation_type.errors, code_problem]
        move_in = self.move_in.data
        if move_in is None:
            return False
        for message in validate_move(self.date_of_birth, move_in, code, self.today):
            if message == code_problem:
                continue
            field = self.accommodation_type if message.startswith("Staying put") else self.move_in
            field.errors = [*field.errors, message]
        if letter and self.registered_provider.data not in (YES, NO) and needs_registered_provider(
                self.date_of_birth, move_in, letter):
            self.registered_provider.errors = [*self.registered_provider.errors, REGISTERED_PROVIDER_MISSING]
        return valid and not any(field.errors for field in self)

    def details(self) -> MoveDetails:
        return MoveDetails(
            move_in=self.move_in.data,
            accommodation_type=self.accommodation_type.data.strip(),
            answers={key: _answer(getattr(self, key).data) for key in SUITABILITY_FACTORS},
            suitability_notes=self.suitability_notes.data or None,
            address=self.address.data or None,
            postcode=self.postcode.data or None,
            provider=self.provider.data or None,
            registered_provider=_answer(self.registered_provider.data),
        )
