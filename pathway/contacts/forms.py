"""The form for recording a contact or visit."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput
from wtforms import RadioField, SelectChoice, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from pathway.forms import DateRequired, GovDateField, GovStringField, SafeText
from pathway.integrity import FormTokenForm
from pathway.offer.forms import ACTIVITIES
from pathway.plans.forms import long_text
from pathway.rules.contacts import VISIT_KINDS, ContactKind, InTouch
from pathway.rules.contacts import validate_in_touch as check_in_touch
from pathway.rules.dates import birthday, long_date

LONDON = ZoneInfo("Europe/London")
YES, NO = "yes", "no"
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
TIME_MESSAGE = "Enter a time, like 14:30"

# New risks seen on a visit (stored comma-separated in Contact.new_risks), with their labels.
RISKS = {
    "exploitation": "Exploitation",
    "missing": "Going missing",
    "debt": "Debt",
    "mental_health": "Mental health",
    "substance_use": "Substance use",
    "relationships": "Relationships",
}
NO_NEW_RISKS = "none"

# validate_in_touch messages about accommodation: this form cannot change the accommodation (a move
# does), so they are not shown here.
_ACCOMMODATION_WORD = "accommodation"


def _yes_no(label: str, description: str | None = None) -> RadioField:
    return RadioField(label, widget=GovRadioInput(), description=description, validate_choice=False,
                      choices=[SelectChoice(YES, "Yes"), SelectChoice(NO, "No")])


def _answer(field) -> bool | None:
    return {YES: True, NO: False}.get(field.data)


class ContactRecordForm(FormTokenForm, FlaskForm):
    """A contact or visit. Pass ``today``, ``now`` (aware), ``date_of_birth`` and ``accommodation`` (the
    current accommodation code, or None when no move is recorded)."""

    contact_date = GovDateField("Date of the contact", subject="the date of the contact",
                                description="For example, 3 11 2026",
                                validators=[DateRequired("Enter the date of the contact")])
    contact_time = GovStringField("Time of the contact", description="Use the 24-hour clock, for example 14:30")
    kind = RadioField("Kind of contact", widget=GovRadioInput(), validate_choice=False,
                      description="A visit is in person, at their home or somewhere else.",
                      choices=[SelectChoice(kind.value, kind.label) for kind in ContactKind],
                      validators=[InputRequired("Select the kind of contact")])
    reached = _yes_no("Did you reach them?",
                      "For a call or message with no answer, select no. An attempted visit never reaches them.")
    with_whom = GovStringField(
        "Who was there (optional)", description="For example, their partner, a support worker or an interpreter.",
        validators=[Length(max=200, message="Who was there must be 200 characters or fewer"),
                    SafeText("Who was there")])
    seen_alone = _yes_no("Were they seen alone? (for visits)", "Without a partner, family or friends there.")
    accommodation_seen = _yes_no("Did you see their accommodation? (for home visits)",
                                 "The rooms they live in, not only the door.")
    home_safe = _yes_no("Is their home safe and suitable?", "Required for a visit that saw them.")
    new_risks = SelectMultipleField(
        "Any new risks?", widget=GovCheckboxesInput(), validate_choice=False,
        choices=[SelectChoice(code, label) for code, label in RISKS.items()]
        + [SelectChoice(NO_NEW_RISKS, "No new risks")],
        description="Select all that apply.")
    risk_notes = long_text("About the risks (optional)", max_length=5000,
                           description="What you saw or were told, and what is being done about it.")
    wellbeing = long_text("How they are: their wellbeing", max_length=5000,
                          description="Their health, mood, money, friends and family, how they are coping.")
    next_steps = long_text("What happens next", max_length=5000,
                           description="Who will do what, and by when.")
    young_persons_view = long_text("Their own view (optional)", max_length=5000,
                                   description="What they said, in their words.")
    in_touch = SelectField("In touch status after this contact", widget=GovSelect(), validate_choice=False,
                           description="As in the SSDA903 return.",
                           choices=[SelectChoice(status.value, f"{status.value}: {status.label}") for status in InTouch])
    activity = SelectField(
        "Main activity", widget=GovSelect(), validate_choice=False,
        choices=[SelectChoice("", "Not known")]
        + [SelectChoice(code, f"{code}: {text}") for code, text in ACTIVITIES.items()],
        description="What they are doing now, as in the SSDA903 return. Needed when they are in touch.")
    submit = SubmitField("Save the contact", widget=GovSubmitInput())

    contact_at: datetime | None = None

    def __init__(self, *args, today: date, now: datetime, date_of_birth: date, accommodation: str | None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.now = now
        self.date_of_birth = date_of_birth
        self.accommodation = accommodation

    # --- what was chosen ---------------------------------------------------------------------------

    @property
    def chosen_kind(self) -> ContactKind | None:
        try:
            return ContactKind(self.kind.data)
        except ValueError:
            return None

    @property
    def was_reached(self) -> bool:
        if self.chosen_kind is ContactKind.ATTEMPTED_VISIT:
            return False
        return self.reached.data != NO

    @property
    def is_visit(self) -> bool:
        """A visit that saw the young person: the focus on risk, need and vulnerability is required."""
        return self.chosen_kind in VISIT_KINDS and self.was_reached

    # --- checks ------------------------------------------------------------------------------------

    def validate_contact_date(self, field):
        if field.data is None:
            return
        if field.data > self.today:
            raise ValidationError("The date of the contact must be today or in the past")
        sixteenth = birthday(self.date_of_birth, 16)
        if field.data < sixteenth:
            raise ValidationError(
                f"The date of the contact must be on or after their 16th birthday, {long_date(sixteenth)}")

    def validate_contact_time(self, field):
        self.contact_at = None
        match = _TIME.match(field.data or "")
        if not match:
            raise ValidationError(TIME_MESSAGE)
        if self.contact_date.data is None or self.contact_date.errors:
            return
        local = datetime.combine(self.contact_date.data, time(int(match[1]), int(match[2])), tzinfo=LONDON)
        if local > self.now:
            raise ValidationError("The time of the contact must be now or in the past")
        self.contact_at = local.astimezone(ZoneInfo("UTC"))

    def validate_kind(self, field):
        if self.chosen_kind is None:
            raise ValidationError("Select the kind of contact")

    def validate_reached(self, field):
        if field.data not in (None, "", YES, NO):
            raise ValidationError("Select whether you reached them")

    def validate_seen_alone(self, field):
        if field.data not in (None, "", YES, NO):
            raise ValidationError("Select whether they were seen alone")

    def validate_accommodation_seen(self, field):
        if field.data not in (None, "", YES, NO):
            raise ValidationError("Select whether you saw their accommodation")

    def validate_home_safe(self, field):
        if field.data not in (None, "", YES, NO) or (self.is_visit and field.data not in (YES, NO)):
            raise ValidationError("Select whether their home is safe and suitable")

    def validate_new_risks(self, field):
        chosen = list(field.data or [])
        if any(code not in RISKS and code != NO_NEW_RISKS for code in chosen):
            raise ValidationError("Select the new risks from the list")
        if NO_NEW_RISKS in chosen and len(chosen) > 1:
            raise ValidationError("Select the new risks, or select no new risks, not both")
        if self.is_visit and not chosen:
            raise ValidationError("Select any new risks, or select no new risks")

    def validate_wellbeing(self, field):
        if self.is_visit and not (field.data or "").strip():
            raise ValidationError("Enter how they are: their wellbeing")

    def validate_next_steps(self, field):
        if self.is_visit and not (field.data or "").strip():
            raise ValidationError("Enter what happens next")

    def validate_in_touch(self, field):
        if field.data and field.data not in InTouch.__members__:
            raise ValidationError("Choose an in touch status from the list")

    def validate_activity(self, field):
        if field.data and field.data not in ACTIVITIES:
            raise ValidationError("Choose a main activity from the list")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.in_touch.errors or self.activity.errors:
            return False
        for message in check_in_touch(self.in_touch.data, self.activity.data, self.accommodation):
            if _ACCOMMODATION_WORD in message:
                continue  # not something this form can change: a move records the accommodation
            target = self.activity if "activity" in message else self.in_touch
            target.errors = [*target.errors, message]
            valid = False
        return valid

    # --- what to store -----------------------------------------------------------------------------

    def values(self) -> dict:
        """The contact's columns, from a valid form. Visit-only answers are kept only for visits."""
        kind = self.chosen_kind
        visit = self.is_visit
        risks = [code for code in RISKS if code in (self.new_risks.data or [])]
        return {
            "contact_at": self.contact_at,
            "kind": kind.value,
            "reached": self.was_reached,
            "with_whom": self.with_whom.data or None,
            "seen_alone": _answer(self.seen_alone) if kind in VISIT_KINDS and self.was_reached else None,
            "accommodation_seen": _answer(self.accommodation_seen) if kind is ContactKind.HOME_VISIT else None,
            "home_safe_and_suitable": _answer(self.home_safe) if visit else None,
            "new_risks": (",".join(risks) or NO_NEW_RISKS) if visit else None,
            "risk_notes": (self.risk_notes.data or None) if visit else None,
            "wellbeing": self.wellbeing.data or None,
            "next_steps": self.next_steps.data or None,
            "young_persons_view": self.young_persons_view.data or None,
            "in_touch": self.in_touch.data or None,
            "activity": self.activity.data or None,
        }
