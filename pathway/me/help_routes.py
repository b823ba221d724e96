""""I need help" (issue 5 section 4): a short form on the young person's phone, what happens next,
and their past requests with the replies. No id in these URLs: a young person only reaches their own."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from pathway.access import roles_required
from pathway.integrity import AlreadySaved
from pathway.me import bp
from pathway.me.help_forms import HELP_MESSAGE_MAX, HelpRequestForm
from pathway.me.routes import _me
from pathway.models import Role
from pathway.queries.caseloads import get_current_adviser
from pathway.queries.flags import list_help_requests_for
from pathway.services import flags as flag_service


@bp.route("/me/help", methods=["GET", "POST"])
@roles_required(Role.YOUNG_PERSON)
def need_help():
    person = _me()
    adviser = get_current_adviser(person)
    form = HelpRequestForm()
    if form.validate_on_submit():
        try:
            flag_service.ask_for_help(person, by=current_user, topic=form.topic.data,
                                      how_to_reach=form.how_to_reach.data or "", message=form.message.data or "",
                                      adviser=adviser, form_token=form.submitted_token())
        except AlreadySaved:
            flash("We already have this request, so we have not sent it twice.", "info")
        return redirect(url_for("me.help_sent"), code=303)
    return render_template("me/help.html", person=person, adviser=adviser, form=form, max_length=HELP_MESSAGE_MAX,
                           requests=list_help_requests_for(person.id), topics=flag_service.HELP_TOPICS,
                           due=flag_service.help_due, title="I need help")


@bp.route("/me/help/sent")
@roles_required(Role.YOUNG_PERSON)
def help_sent():
    person = _me()
    requests = list_help_requests_for(person.id)
    if not requests:
        return redirect(url_for("me.need_help"), code=303)
    return render_template("me/help_sent.html", person=person, adviser=get_current_adviser(person),
                           latest=requests[0], due=flag_service.help_due(requests[0]), title="Your request has been sent")
