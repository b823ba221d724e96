"""Two-factor sign-in: the second step after the password, setting up an app, recovery codes, and
managing it from the account page. The rules are in pathway.rules.two_factor, the work in
pathway.services.two_factor."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from pathway.access import public, roles_required
from pathway.auth import bp, pending
from pathway.auth.forms import ConfirmAppForm, PasswordAgainForm, RecoveryCodeForm, SetUpAppForm, TwoFactorCodeForm
from pathway.auth.routes import RESTORED, _signin_limit, destination
from pathway.extensions import limiter
from pathway.models import Role
from pathway.rules import two_factor as rules
from pathway.services import saved_forms, two_factor
from pathway.services.passwords import verify_password

STAFF = (Role.ADVISER, Role.MANAGER, Role.ADMIN)
WRONG_CODE = "The code is not correct. Enter the code your app shows now"
WRONG_RECOVERY_CODE = "The recovery code is not correct, or it has already been used"
WRONG_PASSWORD = "Your password is not correct"  # noqa: S105 - an error message # nosec B105


@bp.after_request
def never_cache(response):
    """Sign-in steps, set-up keys and recovery codes must not stay in a browser's cache."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def _pending_or_sign_in():
    """The person part-way through signing in, or a redirect back to the sign-in page."""
    expired = pending.expired()
    user = pending.pending_user()
    if user is None:
        if expired:
            flash("You took more than 10 minutes to enter the code. Sign in again.", "info")
        return None, redirect(url_for("auth.sign_in"))
    return user, None


def _second_step():
    """(user, None) for someone who may enter a code now; else (None, the answer to give instead):
    back to sign-in, on to set-up, or the locked page."""
    user, bounce = _pending_or_sign_in()
    if bounce:
        return None, bounce
    if not two_factor.is_enabled(user):
        return None, redirect(url_for("auth.set_up_at_sign_in"))
    if two_factor.is_locked(user):
        return None, _locked_page()
    return user, None


def _signed_in(user, *, method: str, announce: bool = True):
    """Every step is done: open the session, then go where sign-in would have gone."""
    next_url = pending.next_url()
    session.clear()
    two_factor.finish_sign_in(user, user_agent=request.user_agent.string, method=method)
    login_user(user)
    return destination(user, next_url, announce=announce)


def _locked_page():
    return render_template("auth/two_factor_locked.html", title="You cannot sign in at the moment"), 403


def _wrong(form, message: str, user) -> None:
    left = rules.attempts_left(two_factor.record_for(user).failed_attempts)
    if left <= 2:
        message += f". You have {left} more {'try' if left == 1 else 'tries'} before sign-in is locked"
    form.code.errors.append(message)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
@public
def enter_code():
    user, answer = _second_step()
    if answer:
        return answer
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        outcome = two_factor.check_code(user, form.code.data)
        if outcome is two_factor.Outcome.ACCEPTED:
            return redirect(_signed_in(user, method="two_factor"), code=303)
        if outcome is two_factor.Outcome.LOCKED:
            return _locked_page()
        _wrong(form, WRONG_CODE, user)
    return render_template("auth/enter_code.html", form=form, title="Check your authenticator app")


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
@public
def enter_recovery_code():
    user, answer = _second_step()
    if answer:
        return answer
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        outcome = two_factor.check_recovery_code(user, form.code.data)
        if outcome is two_factor.Outcome.ACCEPTED:
            left = two_factor.status(user).recovery_codes_left
            target = _signed_in(user, method="recovery_code")
            flash(f"You signed in with a recovery code. You have {left} left. If you have lost your phone, "
                  "set up two-factor sign-in again from your account page.", "info")
            return redirect(target, code=303)
        if outcome is two_factor.Outcome.LOCKED:
            return _locked_page()
        _wrong(form, WRONG_RECOVERY_CODE, user)
    return render_template("auth/enter_recovery_code.html", form=form, title="Use a recovery code")


def _setup_secret() -> str:
    """The secret being set up: kept, encrypted, in the signed session between showing the QR code and
    the confirming code, so nothing is written to the database until the app is proved to work."""
    secret = two_factor.decrypt_secret(session.get(pending.NEW_SECRET_KEY))
    if secret is None:
        secret = two_factor.new_secret()
        session[pending.NEW_SECRET_KEY] = two_factor.encrypt_secret(secret)
    return secret


def _set_up_page(user, form, *, at_sign_in: bool):
    secret = _setup_secret()
    return render_template(
        "auth/set_up_two_factor.html", form=form, at_sign_in=at_sign_in,
        qr_code=two_factor.qr_code_svg(user, secret), key=rules.group_key(secret),
        required=two_factor.required(user), title="Set up two-factor sign-in")


def _recovery_codes_page(codes: list[str], continue_url: str, *, first: bool):
    return render_template("auth/recovery_codes.html", codes=codes, continue_url=continue_url, first=first,
                           title="Save your recovery codes")


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
@public
def set_up_at_sign_in():
    """Someone who must use two-factor sign-in and has not set it up: before any other page."""
    user, bounce = _pending_or_sign_in()
    if bounce:
        return bounce
    if two_factor.is_enabled(user):
        return redirect(url_for("auth.enter_code"))
    form = ConfirmAppForm()
    if form.validate_on_submit():
        codes = two_factor.confirm_set_up(user, _setup_secret(), form.code.data)
        if codes is not None:
            target = _signed_in(user, method="two_factor_set_up", announce=False)
            page = _recovery_codes_page(codes, target, first=True)
            if saved_forms.pending_for(user) is not None:
                flash(RESTORED, "info")  # after this page: shown on the form they get back
            return page
        form.code.errors.append(WRONG_CODE)
    return _set_up_page(user, form, at_sign_in=True)


@bp.route("/account/two-factor/set-up", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
@roles_required(*STAFF)
def set_up_two_factor():
    form = SetUpAppForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.password.data):
            form.password.errors.append(WRONG_PASSWORD)
        else:
            secret = _setup_secret()
            codes = two_factor.confirm_set_up(current_user, secret, form.code.data)
            if codes is not None:
                session.pop(pending.NEW_SECRET_KEY, None)
                return _recovery_codes_page(codes, url_for("auth.account"), first=True)
            form.code.errors.append(WRONG_CODE)
    return _set_up_page(current_user, form, at_sign_in=False)


@bp.route("/account/two-factor/recovery-codes", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
@roles_required(*STAFF)
def new_recovery_codes():
    if not two_factor.is_enabled(current_user):
        return redirect(url_for("auth.account"))
    form = PasswordAgainForm()
    form.submit.label.text = "Get new recovery codes"
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.password.data):
            form.password.errors.append(WRONG_PASSWORD)
        else:
            codes = two_factor.new_recovery_codes(current_user)
            return _recovery_codes_page(codes, url_for("auth.account"), first=False)
    return render_template("auth/confirm_password.html", form=form, title="Get new recovery codes",
                           explanation="Your old recovery codes will stop working. Enter your password to continue.")


@bp.route("/account/two-factor/turn-off", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
@roles_required(*STAFF)
def turn_off_two_factor():
    status = two_factor.status(current_user)
    if status.required or not status.enabled:
        abort(404)
    form = PasswordAgainForm()
    form.submit.label.text = "Turn off two-factor sign-in"
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.password.data):
            form.password.errors.append(WRONG_PASSWORD)
        elif two_factor.turn_off(current_user):
            flash("Two-factor sign-in is off. You will sign in with your password only.", "success")
            return redirect(url_for("auth.account"), code=303)
    return render_template("auth/confirm_password.html", form=form, title="Turn off two-factor sign-in",
                           explanation="You will sign in with your password only, and your recovery codes will "
                                       "stop working. Enter your password to continue.")
