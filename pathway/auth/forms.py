from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from pathway.forms import SafeText, clean_email


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[clean_email],
        validators=[InputRequired("Enter your email address"), Length(max=254, message="Email address must be 254 characters or fewer"), SafeText("Email address")],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=128, message="Password must be 128 characters or fewer")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="At least 8 characters. A few unrelated words make a strong password that is easy to remember.",
        validators=[InputRequired("Enter a new password")],
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Confirm your new password"), EqualTo("password", "Passwords must match")],
    )
    submit = SubmitField("Save password", widget=GovSubmitInput())


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password"), Length(max=128, message="Password must be 128 characters or fewer")],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())

    field_order = ("current", "password", "confirm")

    def __iter__(self):
        return iter([self._fields[name] for name in ("csrf_token", "current", "password", "confirm", "submit")])


class ForgotPasswordForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[clean_email],
        validators=[InputRequired("Enter your email address"), Length(max=254, message="Email address must be 254 characters or fewer"), SafeText("Email address")],
    )
    submit = SubmitField("Send me a link", widget=GovSubmitInput())
