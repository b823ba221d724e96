from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from pathway.access import public, roles_required
from pathway.auth import bp, pending
from pathway.auth.forms import ChangePasswordForm, ForgotPasswordForm, SetPasswordForm, SignInForm
from pathway.extensions import db, limiter
from pathway.models import Role, TokenPurpose
from pathway.services import accounts, audit, saved_forms, two_factor
from pathway.services.passwords import hash_password, password_problems, verify_password
from pathway.views.navigation import home_endpoint

SIGN_IN_ERROR = "Enter a correct email address and password"
ALL_ROLES = tuple(Role)


def _signin_limit() -> str:
    return current_app.config["SIGNIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        result = accounts.sign_in(form.email.data, form.password.data, user_agent=request.user_agent.string,
                                  second_step=two_factor.needs_second_step)
        if result.pending:
            # Not signed in yet: a code from their app first (or setting one up, where it is required).
            pending.start(result.user, _safe_next(request.args.get("next")))
            step = "auth.enter_code" if two_factor.is_enabled(result.user) else "auth.set_up_at_sign_in"
            return redirect(url_for(step), code=303)
        if result.user is not None:
            next_url = _safe_next(request.args.get("next"))
            session.clear()  # a fresh cookie for the new session
            login_user(result.user)
            return redirect(destination(result.user, next_url), code=303)
        failed = True
    return render_template("auth/sign_in.html", form=form, failed=failed, error=SIGN_IN_ERROR, title="Sign in")


RESTORED = "We have brought back what you typed before you were signed out. Check it, then save it."


def destination(user, next_url: str | None, *, announce: bool = True) -> str:
    """Where a person goes once signed in: back to a form kept at a time-out (saying so, unless
    announce is False), the page they asked for, or their home."""
    kept = saved_forms.pending_for(user)
    if kept is not None:
        if announce:
            flash(RESTORED, "info")
        return saved_forms.restore_url(kept)
    return next_url or url_for(home_endpoint(user))


@bp.route("/sign-out", methods=["POST"])
@roles_required(*ALL_ROLES)
def sign_out():
    accounts.sign_out(current_user)
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"), code=303)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):
    try:
        link = accounts.check_link(token[:100])
    except accounts.LinkProblem as problem:
        return render_template("auth/link_problem.html", reason=problem.reason, title="This link does not work"), 410 if problem.reason != "unknown" else 404
    user = link.user
    form = SetPasswordForm()
    if form.validate_on_submit():
        problems = password_problems(form.password.data, user_inputs=[user.email, user.name])
        if problems:
            form.password.errors.append(problems[0])
        else:
            accounts.use_link(token[:100], form.password.data)
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash("Your password has been saved. Sign in with your email address and new password.", "success")
            return redirect(url_for("auth.sign_in"), code=303)
    first_time = link.purpose is TokenPurpose.INVITATION
    return render_template("auth/set_password.html", form=form, user=user, first_time=first_time,
                           title="Choose your password" if first_time else "Choose a new password")


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.find_user_by_email(form.email.data)
        if user is not None and user.active:
            accounts.issue_link(user, TokenPurpose.PASSWORD_RESET)
            db.session.commit()
        # The same answer whether or not the email is known.
        return render_template("auth/link_sent.html", email=form.email.data, title="Check your email")
    return render_template("auth/forgot_password.html", form=form, title="Reset your password")


@bp.route("/account", methods=["GET", "POST"])
@roles_required(*ALL_ROLES)
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append("Your current password is not correct")
        else:
            problems = password_problems(form.password.data, user_inputs=[current_user.email, current_user.name])
            if problems:
                form.password.errors.append(problems[0])
            else:
                current_user.password_hash = hash_password(form.password.data)
                audit.record("password_changed", "user", current_user.id, fields=["password_hash"])
                db.session.commit()
                flash("Your password has been changed.", "success")
                return redirect(url_for("auth.account"), code=303)
    two_factor_status = two_factor.status(current_user) if current_user.is_staff else None
    return render_template("auth/account.html", form=form, two_factor=two_factor_status, title="Your account")


@bp.route("/set-password/<token>/new-link", methods=["POST"])
@limiter.limit(_signin_limit)
@public
def request_new_link(token: str):
    """From a used or expired link: send a fresh one to the same person's email."""
    from sqlalchemy import select

    from pathway.models import OneTimeToken
    from pathway.services.tokens import hash_token

    old = db.session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == hash_token(token[:100])))
    if old is not None and old.user.active:
        purpose = TokenPurpose.INVITATION if old.user.password_hash is None else TokenPurpose.PASSWORD_RESET
        accounts.issue_link(old.user, purpose)
        db.session.commit()
    return render_template("auth/link_sent.html", email=None, title="Check your email")
