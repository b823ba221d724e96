"""Staff pages for risk flags and help requests. Every route looks the young person up through
get_young_person_for, which 404s for anyone who may not see them."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from pathway.access import get_young_person_for, roles_required
from pathway.flags import bp, help_bp
from pathway.flags.forms import FlagCloseForm, FlagRaiseForm, HelpReplyForm
from pathway.models import Role
from pathway.queries.caseloads import get_current_adviser
from pathway.queries.flags import get_help_request_for, get_history, list_help_requests_for
from pathway.services import flags as flag_service

STAFF = (Role.ADVISER, Role.MANAGER)


def _today() -> date:
    return date.today()


@bp.route("")
@roles_required(*STAFF)
def list_flags(person_id: int):
    person = get_young_person_for(current_user, person_id)
    today = _today()
    flags = flag_service.flags_for(get_history(person), today)
    requests = {r.id: r for r in list_help_requests_for(person.id)}
    return render_template(
        "flags/list.html", person=person, today=today, adviser=get_current_adviser(person),
        open_flags=[f for f in flags if f.is_open], resolved_flags=[f for f in flags if not f.is_open],
        help_requests=requests, topics=flag_service.HELP_TOPICS, title="Risk flags",
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def raise_flag(person_id: int):
    person = get_young_person_for(current_user, person_id)
    form = FlagRaiseForm()
    if form.validate_on_submit():
        flag_service.raise_flag(person, by=current_user, title=form.title.data, due=form.due.data,
                                reason=form.reason.data)
        flash(f"Flag raised: {form.title.data}", "success")
        return redirect(url_for("flags.list_flags", person_id=person.id), code=303)
    return render_template("flags/raise.html", person=person, form=form, title="Raise a flag")


@bp.route("/<flag_key>/close", methods=["GET", "POST"])
@roles_required(*STAFF)
def close_flag(person_id: int, flag_key: str):
    person = get_young_person_for(current_user, person_id)
    flag = next((f for f in flag_service.flags_for(get_history(person), _today()) if f.key == flag_key), None)
    if flag is None:
        abort(404)
    form = FlagCloseForm()
    if flag.is_open and form.validate_on_submit():
        flag_service.close_flag(person, flag, by=current_user, reason=form.reason.data)
        flash(f"Flag closed: {flag.title}", "success")
        return redirect(url_for("flags.list_flags", person_id=person.id), code=303)
    return render_template("flags/close.html", person=person, flag=flag, form=form, title="Close a flag")


@help_bp.route("/<int:request_id>/reply", methods=["GET", "POST"])
@roles_required(*STAFF)
def reply_to_help_request(person_id: int, request_id: int):
    person = get_young_person_for(current_user, person_id)
    help_request = get_help_request_for(person, request_id)
    if help_request is None:
        abort(404)
    form = HelpReplyForm()
    if help_request.replied_at is None and form.validate_on_submit():
        flag_service.reply_to_help(help_request, by=current_user, reply=form.reply.data)
        flash(f"Your reply has been sent to {person.display_name}.", "success")
        return redirect(url_for("flags.list_flags", person_id=person.id), code=303)
    return render_template("flags/reply.html", person=person, help_request=help_request, form=form,
                           topics=flag_service.HELP_TOPICS, due=flag_service.help_due(help_request),
                           title="Reply to a help request")
