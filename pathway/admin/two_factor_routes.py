"""Two-factor sign-in for administrators: the council's setting for personal advisers, and resetting a
staff member's two-factor sign-in (a lost phone, or five wrong codes)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SelectChoice, SubmitField
from wtforms.validators import InputRequired

from pathway.access import roles_required
from pathway.admin import bp
from pathway.extensions import db
from pathway.integrity import VersionedForm, conflict_page
from pathway.models import Role, User
from pathway.queries.settings import get_settings_version
from pathway.services import two_factor
from pathway.services.settings import SettingsConflict


class TwoFactorSettingForm(VersionedForm, FlaskForm):
    advisers = RadioField(
        "Do personal advisers need two-factor sign-in?",
        widget=GovRadioInput(),
        choices=[SelectChoice("on", "Yes, personal advisers must use it"),
                 SelectChoice("off", "No, personal advisers can choose to use it")],
        validators=[InputRequired("Select whether personal advisers need two-factor sign-in")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


@bp.route("/two-factor", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def two_factor_setting():
    keys = (two_factor.ADVISERS_KEY,)
    current = "on" if two_factor.advisers_required() else "off"
    form = TwoFactorSettingForm(data=None if request.method == "POST" else {
        "advisers": current, "version": str(get_settings_version(keys))})
    if form.validate_on_submit():
        try:
            if form.expected_version() is None:
                raise SettingsConflict
            two_factor.set_advisers_required(form.advisers.data == "on", by=current_user,
                                             expected_version=form.expected_version())
        except SettingsConflict:
            db.session.rollback()
            form.set_version(get_settings_version(keys))
            label = dict((c.value, c.label) for c in form.advisers.choices)
            saved = "on" if two_factor.advisers_required() else "off"
            return conflict_page("admin/two_factor_setting.html", form=form, cancel_url=url_for("admin.home"),
                                 theirs={form.advisers.label.text: label[saved]},
                                 yours={form.advisers.label.text: label.get(form.advisers.data, "")})
        flash("The two-factor sign-in setting has been saved.", "success")
        return redirect(url_for("admin.two_factor_setting"), code=303)
    return render_template("admin/two_factor_setting.html", form=form, title="Two-factor sign-in")


@bp.route("/users/<int:user_id>/two-factor/reset", methods=["POST"])
@roles_required(Role.ADMIN)
def reset_two_factor(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or user.role is Role.YOUNG_PERSON:
        abort(404)
    two_factor.reset(user, by=current_user)
    then = "They will set it up again when they next sign in." if two_factor.required(user) else \
        "They can sign in with their password, and set it up again from their account page."
    flash(f"Two-factor sign-in for {user.name} has been reset. {then}", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.app_context_processor
def two_factor_helpers():
    """For the admin's staff user page: two_factor_status(user)."""
    return {"two_factor_status": two_factor.status}
