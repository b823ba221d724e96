"""Subject access: everything held about a young person, as JSON and as a readable PDF (issue 8 section 8).

UK GDPR Article 15 gives the young person the right to a copy of their data. The export holds every
row found by ``pathway.queries.personal_data.collect`` (the schema's links to the young person, so a
table added later is included without editing this module), the audit events about their record
(who looked at it and when: they have a right to know), and the names of the staff named in it.
Sign-in secrets (password hashes, token hashes, two-factor secrets) are never included: the columns
left out are listed in the export, so nobody has to guess.

The caller audits and commits, for example

    export = build_export(person, by=current_user, today=date.today())
    record_export(person, "json", by=current_user)
    db.session.commit()
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from flask import current_app

from pathway.extensions import db
from pathway.models import User, YoungPerson
from pathway.pdf import render_pdf
from pathway.queries.personal_data import (
    ROOT_TABLE,
    collect,
    is_secret_column,
    list_audit_events,
    plain,
    staff_names,
    user_columns,
)
from pathway.rules.retention import keep_until
from pathway.services import audit
from pathway.views.formatting import govuk_date, govuk_datetime

FORMAT = "pathway-subject-access"
FORMAT_VERSION = 1
PDF_TEMPLATE = "pdf/subject_access.html"

# Headings for the tables people will recognise (on the manager's page and in the PDF written to the
# young person, so they read well both ways); a table not named here gets one made from its name.
TABLE_TITLES = {
    "young_person": "Personal details",
    "user": "Sign-in account",
    "allocation": "Personal advisers",
    "care_episode": "Times in care",
    "accommodation_move": "Where they have lived",
    "contact": "Visits and contacts",
    "help_request": "Requests for help",
    "flag_action": "Risk flags raised and closed",
    "flag_cache": "Risk flags worked out for the caseload",
    "break_glass_grant": "Cover access by other personal advisers",
    "pathway_plan": "Pathway plans",
    "plan_area": "Pathway plan areas",
    "plan_target": "Pathway plan targets",
    "plan_contingency": "Pathway plan contingencies",
    "review_request": "Requests for a plan review",
    "passport_answer": "Passport to independence",
    "claim": "Claims from the local offer",
    "payment": "Payments",
    "money_plan": "Money plan",
    "offer_question": "Questions about the local offer",
    "oversight_note": "Management oversight notes",
    "auth_session": "Signed-in sessions",
    "one_time_token": "Sign-in links sent",  # nosec B105 # a heading, not a token
    "saved_form": "Forms kept when a session ended",
}


def table_title(name: str) -> str:
    return TABLE_TITLES.get(name) or name.replace("_", " ").capitalize()


def column_label(name: str) -> str:
    if name == "id":
        return "Number"
    label = name.replace("_", " ")
    if label.endswith(" id"):
        label = label[:-3] + " (record number)"
    return label[:1].upper() + label[1:]


def build_export(person: YoungPerson, *, by: User | None, today: date) -> dict:
    """The export as a dict ready for JSON: tables, audit events, staff names and what was left out."""
    data = collect(person)
    tables: dict[str, dict] = {}
    withheld: dict[str, list[str]] = {}
    for table in sorted(data.tables, key=lambda t: t.name != ROOT_TABLE):  # their details first
        secret = [c.name for c in table.columns if is_secret_column(c.name)]
        if secret:
            withheld[table.name] = secret
        tables[table.name] = {
            "title": table_title(table.name),
            "rows": [{k: plain(v) for k, v in row.items() if k not in secret} for row in data.rows[table.name]],
        }
    names = staff_names(data)
    events = list_audit_events(person)
    until = keep_until(person.date_of_birth)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "generated_on": today.isoformat(),
        "generated_by": by.name if by else "Command line (flask pathway export-person)",
        "council": current_app.config["COUNCIL_NAME"],
        "service": current_app.config["SERVICE_NAME"],
        "young_person": {"id": person.id, "name": person.display_name, "legal_name": person.legal_name,
                         "date_of_birth": plain(person.date_of_birth)},
        "retention": {"kept_until": plain(until),
                      "rule": "Kept until the 75th birthday (Care Leavers (England) Regulations 2010)."},
        "tables": tables,
        "withheld_columns": withheld,
        "withheld_reason": "Sign-in secrets (password, token and two-factor hashes and secrets) are never exported.",
        "people_named": {str(k): v for k, v in sorted(names.items())},
        "audit_events": [
            {"at": plain(e.at), "by": e.by, "role": e.role, "action": e.action, "record_type": e.record_type,
             "record_id": e.record_id, "changed_fields": e.changed_fields, "about_your_record": e.about_them}
            for e in events
        ],
    }


def export_json(export: dict) -> str:
    """The export as indented UTF-8 JSON text (names and text as typed, not escaped to ASCII)."""
    return json.dumps(export, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _sections(export: dict) -> list[dict]:
    """The PDF's sections: the tables with rows, each row as (label, readable value) pairs."""
    names = {int(k): v for k, v in export["people_named"].items()}
    sections = []
    for name, table in export["tables"].items():
        if not table["rows"]:
            continue  # the JSON lists every kind of record; the PDF only what there is
        schema = db.metadata.tables.get(name)
        user_fk = set(user_columns(schema)) if schema is not None else set()
        rows = []
        for row in table["rows"]:
            pairs = []
            for key, value in row.items():
                if key in user_fk:
                    label = column_label(key.removesuffix("_id") or key)
                    text = f"{names.get(value, 'Unknown')} (account {value})" if value is not None else "Nobody"
                    pairs.append((label, text))
                else:
                    column = schema.c.get(key) if schema is not None else None
                    pairs.append((column_label(key), _text(value, column)))
            rows.append(pairs)
        sections.append({"name": name, "title": table["title"], "rows": rows})
    return sections


def _python_type(column):
    kind = getattr(column.type, "impl", column.type)  # a TypeDecorator (UTCDateTime) says what it wraps
    try:
        return kind.python_type
    except (AttributeError, NotImplementedError):
        return None


def _text(value, column=None) -> str:
    """A stored value as a person reads it: dates as "17 May 2007", yes/no, "Not recorded"."""
    if value is None:
        return "Not recorded"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    kind = _python_type(column) if column is not None else None
    if isinstance(value, str) and kind is datetime:
        return govuk_datetime(datetime.fromisoformat(value))
    if isinstance(value, str) and kind is date:
        return govuk_date(date.fromisoformat(value))
    return str(value)


def export_html(export: dict) -> str:
    """The HTML the PDF is made from (autoescaped: what anyone typed renders as text)."""
    template = current_app.jinja_env.get_template(PDF_TEMPLATE)
    until = export["retention"]["kept_until"]
    events = [{**e, "at": datetime.fromisoformat(e["at"])} for e in export["audit_events"]]
    return template.render(export=export, sections=_sections(export), events=events,
                           generated_on=date.fromisoformat(export["generated_on"]),
                           kept_until=date.fromisoformat(until) if until else None)


def export_pdf(export: dict) -> bytes:
    """The export as a readable PDF/UA-1 document, one heading per kind of record."""
    return render_pdf(export_html(export))


def record_export(person: YoungPerson, kind: str, *, by: User | None) -> None:
    """Audit a subject access export (``kind`` is "json" or "pdf"): who, when, which record."""
    audit.record(f"subject_access_{kind}", "young_person", person.id, young_person_id=person.id, user=by)
