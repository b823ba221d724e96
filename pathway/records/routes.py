from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import get_young_person_for, roles_required
from pathway.extensions import db
from pathway.models import Role
from pathway.models.care import END_REASONS, LEGAL_STATUSES
from pathway.queries.audit import list_record_access
from pathway.queries.contacts import list_contacts_for, list_review_dates_for, summarise
from pathway.queries.moves import list_moves_for
from pathway.queries.records import get_care_episode_for, get_record_data, list_care_episodes_for
from pathway.queries.timeline import get_record_oversight
from pathway.records import bp
from pathway.records.forms import CareEpisodeForm, ConfirmForm, YoungPersonProfileForm
from pathway.services import audit, people, records
from pathway.services.moves import summarise_move
from pathway.services.page_cache import cached_page, versions_for
from pathway.views.formatting import govuk_date
from pathway.views.render import render_page_or_fragment

STAFF = (Role.ADVISER, Role.MANAGER)


@bp.route("/young-people/<int:person_id>")
@roles_required(*STAFF)
def view_record(person_id: int):
    person = get_young_person_for(current_user, person_id)
    today = date.today()

    def render() -> tuple[str, None]:
        data = get_record_data(person.id)
        moves = list_moves_for(person.id)  # newest first: the first is where they live now
        since = next((a.start_date for a in data.person.allocations if a.end_date is None), None)
        contact = summarise(data.person, list_contacts_for(person.id), list(reversed(moves)),
                            list_review_dates_for(person.id), since, today)
        return render_template(
            "records/record.html",
            person=data.person, episodes=data.episodes, summary=records.summarise_record(data, today),
            accommodation=summarise_move(moves[0]) if moves else None, contact=contact,
            legal_statuses=LEGAL_STATUSES, end_reasons=END_REASONS,
            today=today, title=data.person.display_name,
            oversight=get_record_oversight(person.id),
        ), None

    page = cached_page((today, versions_for([person.id])), render)[0]
    # Audited after rendering, so the commit does not expire (and reload) what the page used.
    audit.record("view", "young_person", person.id, young_person_id=person.id)
    db.session.commit()
    return page


@bp.route("/young-people/<int:person_id>/invite", methods=["POST"])
@roles_required(*STAFF)
def invite(person_id: int):
    person = get_young_person_for(current_user, person_id)
    try:
        people.invite_young_person(person, invited_by=current_user)
    except people.InvitationProblem as problem:
        db.session.rollback()
        flash(str(problem), "error")
    else:
        flash(f"We have emailed {person.display_name} a link to choose a password. It works for 7 days.", "success")
    return redirect(url_for("records.view_record", person_id=person_id), code=303)


@bp.route("/young-people/<int:person_id>/access-log")
@roles_required(Role.MANAGER)
def access_log(person_id: int):
    person = get_young_person_for(current_user, person_id)
    audit.record("view_access_log", "young_person", person.id, young_person_id=person.id)
    db.session.commit()
    events = list_record_access(person.id)
    return render_page_or_fragment(
        "records/access_log.html", "records/_access_log_table.html",
        person=person, events=events, title=f"Who has looked at {person.display_name}'s record",
    )


# Details


def _shown(value) -> str:
    if value is None or value == "":
        return "Not given"
    if isinstance(value, date):
        return govuk_date(value)
    return str(value)


@bp.route("/young-people/<int:person_id>/profile", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_profile(person_id: int):
    person = get_young_person_for(current_user, person_id)
    form = YoungPersonProfileForm(today=date.today(), obj=None if _posted() else person)
    if not _posted():
        form.set_version(person.version)
    title = f"Change {person.display_name}'s details"
    if form.validate_on_submit():
        yours = form.changes()
        try:
            changed = records.update_profile(person, expected_version=form.expected_version(), changes=yours)
        except records.ProfileConflict:
            person = get_young_person_for(current_user, person_id)
            db.session.refresh(person)
            differences = [
                (label, _shown(theirs), _shown(mine))
                for _, label, theirs, mine in records.profile_differences(person, yours)
            ]
            form.set_version(person.version)
            return render_template(
                "records/edit_profile.html", form=form, person=person, conflict=differences,
                title="Someone else changed this record while you were editing",
            ), 409
        if changed:
            flash(f"{person.display_name}'s details have been saved.", "success")
        return redirect(url_for("records.view_record", person_id=person.id), code=303)
    return render_template("records/edit_profile.html", form=form, person=person, conflict=None, title=title)


def _posted() -> bool:
    return request.method == "POST"


# Care episodes


def _episode_form(person, *, episode=None) -> CareEpisodeForm:
    others = [e for e in list_care_episodes_for(person.id) if episode is None or e.id != episode.id]
    data = None
    if episode is not None and not _posted():
        data = {
            "start_date": episode.start_date, "end_date": episode.end_date,
            "legal_status": episode.legal_status, "end_reason": episode.end_reason or "",
        }
    form = CareEpisodeForm(today=date.today(), date_of_birth=person.date_of_birth, others=others, data=data)
    if episode is not None and not _posted():
        form.set_version(episode.version)
    return form


def _back_to_episodes(person_id: int):
    return redirect(url_for("records.view_record", person_id=person_id, _anchor="care-episodes"), code=303)


@bp.route("/young-people/<int:person_id>/care-episodes/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def add_episode(person_id: int):
    person = get_young_person_for(current_user, person_id)
    form = _episode_form(person)
    if form.validate_on_submit():
        try:
            records.add_episode(person, form.episode_fields())
        except records.EpisodeProblem as problem:
            getattr(form, problem.field).errors.append(problem.message)
        else:
            flash("The care episode has been added.", "success")
            return _back_to_episodes(person.id)
    return render_template("records/episode.html", form=form, person=person, episode=None,
                           title=f"Add a care episode for {person.display_name}")


@bp.route("/young-people/<int:person_id>/care-episodes/<int:episode_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_episode(person_id: int, episode_id: int):
    person = get_young_person_for(current_user, person_id)
    episode = get_care_episode_for(person.id, episode_id) or abort(404)
    form = _episode_form(person, episode=episode)
    title = f"Change a care episode for {person.display_name}"
    if form.validate_on_submit():
        try:
            changed = records.change_episode(person, episode, expected_version=form.expected_version(),
                                             fields=form.episode_fields())
        except records.EpisodeProblem as problem:
            getattr(form, problem.field).errors.append(problem.message)
        except records.EpisodeConflict:
            episode = get_care_episode_for(person.id, episode_id)
            if episode is None:
                flash("Someone else removed that care episode while you were editing it.", "error")
                return _back_to_episodes(person.id)
            db.session.refresh(episode)
            form.set_version(episode.version)
            stored = {"start_date": episode.start_date, "end_date": episode.end_date,
                      "legal_status": episode.legal_status, "end_reason": episode.end_reason}
            differences = [
                (label, _shown(stored[name]), _shown(form.episode_fields()[name]))
                for name, label in records.EPISODE_FIELDS.items() if stored[name] != form.episode_fields()[name]
            ]
            return render_template("records/episode.html", form=form, person=person, episode=episode,
                                   conflict=differences,
                                   title="Someone else changed this care episode while you were editing"), 409
        else:
            if changed:
                flash("The care episode has been changed.", "success")
            return _back_to_episodes(person.id)
    return render_template("records/episode.html", form=form, person=person, episode=episode, title=title)


@bp.route("/young-people/<int:person_id>/care-episodes/<int:episode_id>/remove", methods=["GET", "POST"])
@roles_required(*STAFF)
def remove_episode(person_id: int, episode_id: int):
    person = get_young_person_for(current_user, person_id)
    episode = get_care_episode_for(person.id, episode_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            records.remove_episode(person, episode)
        except records.EpisodeConflict:
            flash("Someone else changed that care episode a moment ago. Check it and try again.", "error")
        else:
            flash("The care episode has been removed.", "success")
        return _back_to_episodes(person.id)
    return render_template("records/remove_episode.html", form=form, person=person, episode=episode,
                           legal_statuses=LEGAL_STATUSES, end_reasons=END_REASONS,
                           title=f"Remove this care episode from {person.display_name}'s record?")


# The full timeline of a record (issue 6 section 4).
from pathway.records import timeline_routes  # noqa: E402,F401
