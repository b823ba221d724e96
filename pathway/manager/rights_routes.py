"""Subject access for a manager: a young person's copy of everything held about them (issue 8 section 8).

The page says what the copy contains (kinds of record and how many of each) and offers two
downloads: the JSON file (complete and machine-readable) and the PDF (the same, readable, written
to the young person). Managers only, for the young people in their teams (404 otherwise). Opening the
page is a view of the record; each download is audited with who and when. Downloads are never cached.
"""

from __future__ import annotations

from datetime import date

from flask import Response, render_template
from flask_login import current_user

from pathway.access import get_young_person_for, roles_required
from pathway.extensions import db
from pathway.manager import bp
from pathway.models import Role
from pathway.queries.personal_data import collect, list_audit_events
from pathway.services import audit, subject_access

TITLE = "Subject access: a copy of everything we hold"


@bp.route("/manager/young-people/<int:person_id>/subject-access")
@roles_required(Role.MANAGER)
def subject_access_page(person_id: int):
    person = get_young_person_for(current_user, person_id)
    data = collect(person)
    kinds = [(subject_access.table_title(t.name), len(data.rows[t.name]))
             for t in sorted(data.tables, key=lambda t: t.name != "young_person") if data.rows[t.name]]
    events = len(list_audit_events(person))
    page = render_template("manager/subject_access.html", person=person, kinds=kinds, events=events,
                           title=TITLE)
    audit.record("view", "subject_access", person.id, young_person_id=person.id)
    db.session.commit()
    return page


def _download(person_id: int, kind: str) -> Response:
    person = get_young_person_for(current_user, person_id)
    today = date.today()
    export = subject_access.build_export(person, by=current_user, today=today)
    if kind == "json":
        response = Response(subject_access.export_json(export), mimetype="application/json")
        response.charset = "utf-8"
    else:
        response = Response(subject_access.export_pdf(export), mimetype="application/pdf")
    subject_access.record_export(person, kind, by=current_user)
    db.session.commit()
    filename = f"subject-access-{person.id}-{today.isoformat()}.{kind}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/manager/young-people/<int:person_id>/subject-access.json")
@roles_required(Role.MANAGER)
def subject_access_json(person_id: int):
    """Everything held about the young person as JSON."""
    return _download(person_id, "json")


@bp.route("/manager/young-people/<int:person_id>/subject-access.pdf")
@roles_required(Role.MANAGER)
def subject_access_pdf(person_id: int):
    """Everything held about the young person as a readable PDF/UA document."""
    return _download(person_id, "pdf")
