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


def _check_code(form, field):
    from wtforms import ValidationError

    from pathway.rules.two_factor import code_problem

    problem = code_problem(field.data)
    if problem:
        raise ValidationError(problem)


def _check_recovery_code(form, field):
    from wtforms import ValidationError

    from pathway.rules.two_factor import clean_code, looks_like_recovery_code

    if not clean_code(field.data):
        raise ValidationError("Enter one of your recovery codes")
    if not looks_like_recovery_code(field.data):
        raise ValidationError("Enter the recovery code as it was shown, like abcde-23456")


class TwoFactorCodeForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        description="The 6-digit code changes every 30 seconds.",
        validators=[Length(max=40, message="The code must be 6 numbers"), _check_code],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class RecoveryCodeForm(FlaskForm):
    code = StringField(
        "Recovery code",
        widget=GovTextInput(),
        description="One of the 10 recovery codes you saved when you set up two-factor sign-in, like abcde-23456. Each code works once.",
        validators=[Length(max=40, message="Enter the recovery code as it was shown, like abcde-23456"), _check_recovery_code],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


def _app_code_field() -> StringField:
    """The confirming code from the app being set up."""
    return StringField(
        "Enter the 6-digit code your app shows",
        widget=GovTextInput(),
        validators=[Length(max=40, message="The code must be 6 numbers"), _check_code],
    )


def _password_again_field() -> PasswordField:
    """The password again, before changing how someone signs in."""
    return PasswordField(
        "Your password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=128, message="Password must be 128 characters or fewer")],
    )


class ConfirmAppForm(FlaskForm):
    """Setting up an app at sign-in: the password was typed moments ago."""

    code = _app_code_field()
    submit = SubmitField("Turn on two-factor sign-in", widget=GovSubmitInput())


class SetUpAppForm(FlaskForm):
    """Setting up an app from the account page: the password again, then a code from the app."""

    password = _password_again_field()
    code = _app_code_field()
    submit = SubmitField("Turn on two-factor sign-in", widget=GovSubmitInput())


class PasswordAgainForm(FlaskForm):
    password = _password_again_field()
    submit = SubmitField("Continue", widget=GovSubmitInput())
