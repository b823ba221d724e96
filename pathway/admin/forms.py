from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from pathway.forms import GovStringField, SafeText, clean_email
from pathway.integrity import VersionedForm

STAFF_ROLE_CHOICES = [
    SelectChoice("adviser", "Personal adviser"),
    SelectChoice("manager", "Manager"),
    SelectChoice("admin", "Administrator"),
]


class StaffInviteForm(FlaskForm):
    name = GovStringField(
        "Full name",
        validators=[DataRequired("Enter their full name"), Length(max=120, message="Full name must be 120 characters or fewer"), SafeText("Full name")],
    )
    email = StringField(
        "Work email address",
        widget=GovTextInput(),
        filters=[clean_email],
        validators=[
            DataRequired("Enter their work email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.com", check_deliverability=False),
        ],
    )
    role = RadioField("Role", widget=GovRadioInput(), choices=STAFF_ROLE_CHOICES,
                      validators=[InputRequired("Select their role")])
    team_id = SelectField("Team", widget=GovSelect(), coerce=int, validate_choice=False,
                          description="Advisers belong to one team. Managers manage the teams you tick after saving.")
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class TeamForm(FlaskForm):
    name = GovStringField(
        "Team name",
        validators=[DataRequired("Enter the team name"), Length(max=120, message="Team name must be 120 characters or fewer"), SafeText("Team name")],
    )
    submit = SubmitField("Create team", widget=GovSubmitInput())


class AdviserTeamForm(VersionedForm, FlaskForm):
    team_id = SelectField("Team", widget=GovSelect(), coerce=int, validate_choice=False)
    submit = SubmitField("Move to this team", widget=GovSubmitInput())


class ManagedTeamsForm(VersionedForm, FlaskForm):
    team_ids = SelectMultipleField("Teams they manage", widget=GovCheckboxesInput(), coerce=int, validate_choice=False)
    submit = SubmitField("Save teams", widget=GovSubmitInput())
