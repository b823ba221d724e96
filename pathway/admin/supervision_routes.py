"""The council's supervision standard (issue 6 section 4): how often personal advisers are supervised."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField, ValidationError
from wtforms.validators import DataRequired

from pathway.access import roles_required
from pathway.admin import bp
from pathway.extensions import db
from pathway.forms import GovStringField
from pathway.integrity import VersionedForm, conflict_page
from pathway.models import Role
from pathway.queries.settings import get_settings_version
from pathway.services import oversight as oversight_service
from pathway.services.settings import SettingsConflict


def _weeks_field(label: str, hint: str, required: str) -> GovStringField:
    return GovStringField(label, description=hint, validators=[DataRequired(required)])


def _check_weeks(label: str, field) -> None:
    value = field.data or ""
    if not value.isdigit() or not 1 <= int(value) <= oversight_service.MAX_WEEKS:
        raise ValidationError(f"{label} must be a whole number from 1 to {oversight_service.MAX_WEEKS}")


class SupervisionStandardForm(VersionedForm, FlaskForm):
    first_year_weeks = _weeks_field(
        "Weeks between supervisions in a personal adviser's first year",
        "In their first year in the role. The default is 4.",
        "Enter the weeks between supervisions in the first year")
    weeks = _weeks_field(
        "Weeks between supervisions after the first year",
        "The default is 6.",
        "Enter the weeks between supervisions after the first year")
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_first_year_weeks(self, field):
        _check_weeks("Weeks in the first year", field)

    def validate_weeks(self, field):
        _check_weeks("Weeks after the first year", field)


@bp.route("/supervision-standard", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def supervision_standard():
    standard = oversight_service.supervision_standard()
    keys = (oversight_service.FIRST_YEAR_KEY, oversight_service.WEEKS_KEY)
    form = SupervisionStandardForm(data=None if request.method == "POST" else {
        "first_year_weeks": str(standard.first_year_weeks), "weeks": str(standard.weeks),
        "version": str(get_settings_version(keys))})
    if form.validate_on_submit():
        try:
            if form.expected_version() is None:
                raise SettingsConflict
            oversight_service.set_supervision_standard(first_year_weeks=int(form.first_year_weeks.data),
                                                       weeks=int(form.weeks.data), by=current_user,
                                                       expected_version=form.expected_version())
        except SettingsConflict:
            db.session.rollback()
            form.set_version(get_settings_version(keys))
            saved = oversight_service.supervision_standard()
            return conflict_page("admin/supervision_standard.html", theirs={
                "Weeks in the first year": str(saved.first_year_weeks), "Weeks after the first year": str(saved.weeks)},
                yours={"Weeks in the first year": form.first_year_weeks.data or "",
                       "Weeks after the first year": form.weeks.data or ""},
                cancel_url=url_for("admin.supervision_standard"), form=form)
        flash("The supervision standard has been saved.", "success")
        return redirect(url_for("admin.supervision_standard"), code=303)
    return render_template("admin/supervision_standard.html", form=form, title="Supervision standard")
