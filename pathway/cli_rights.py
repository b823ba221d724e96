"""`flask pathway ...` commands for the young person's rights (issue 8 section 8).

    flask pathway export-person ID [--output PATH] [--pdf PATH]   everything held about a young person
    flask pathway retention-report [--today YYYY-MM-DD]           records past their retention date
    flask pathway delete-person ID --reason TEXT [--yes]          delete one, only once it is due

Every export and deletion is written to the audit trail (by "the command line": no user).
"""

from __future__ import annotations

from datetime import date

import click

from pathway.cli import pathway_cli


def _person(person_id: int):
    from pathway.extensions import db
    from pathway.models import YoungPerson

    person = db.session.get(YoungPerson, person_id)
    if person is None:
        raise click.ClickException(f"There is no young person with record number {person_id}.")
    return person


@pathway_cli.command("export-person")
@click.argument("person_id", type=int)
@click.option("--output", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True,
              help="Write the JSON here ('-' for standard output).")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the readable PDF copy here.")
def export_person_command(person_id: int, output: str, pdf_path: str | None) -> None:
    """Subject access: everything held about one young person, as JSON (and a PDF with --pdf)."""
    from pathway.extensions import db
    from pathway.services import subject_access

    person = _person(person_id)
    export = subject_access.build_export(person, by=None, today=date.today())
    text = subject_access.export_json(export)
    if output == "-":
        click.echo(text, nl=False)
    else:
        with open(output, "w", encoding="utf-8") as file:
            file.write(text)
    subject_access.record_export(person, "json", by=None)
    if pdf_path:
        with open(pdf_path, "wb") as file:
            file.write(subject_access.export_pdf(export))
        subject_access.record_export(person, "pdf", by=None)
    db.session.commit()
    rows = sum(len(t["rows"]) for t in export["tables"].values())
    click.echo(f"Exported record {person.id}: {rows} rows from {len(export['tables'])} tables, "
               f"{len(export['audit_events'])} audit events.", err=True)


@pathway_cli.command("retention-report")
@click.option("--today", "today_text", default=None, help="Report as on this date (YYYY-MM-DD).")
def retention_report_command(today_text: str | None) -> None:
    """Records past their retention date (the 75th birthday), for a person to decide about."""
    from pathway.extensions import db
    from pathway.services import audit
    from pathway.services.retention import list_due_records

    try:
        today = date.fromisoformat(today_text) if today_text else date.today()
    except ValueError:
        raise click.BadParameter("Enter the date as YYYY-MM-DD, for example 2082-05-17.",
                                 param_hint="--today") from None
    due = list_due_records(today)
    if not due:
        click.echo(f"No records are past their retention date on {today.isoformat()}.")
        return
    click.echo("Record\tName\tDate of birth\tKept until\tDays past")
    for record in due:
        click.echo(f"{record.person_id}\t{record.name}\t{record.date_of_birth.isoformat()}\t"
                   f"{record.kept_until.isoformat()}\t{record.days_past}")
    audit.record_many("view", "retention_report", [r.person_id for r in due])
    db.session.commit()
    click.echo(f"{len(due)} record(s) past their retention date on {today.isoformat()}. "
               "Delete one with: flask pathway delete-person ID --reason '...'", err=True)


@pathway_cli.command("delete-person")
@click.argument("person_id", type=int)
@click.option("--reason", required=True, help="Why the record is being deleted (kept in the deletion register).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_person_command(person_id: int, reason: str, yes: bool) -> None:
    """Delete a young person's whole record. Refused before their 75th birthday."""
    from pathway.rules.retention import RetentionNotDue, retention_for
    from pathway.services.retention import DeletionProblem, delete_person

    person = _person(person_id)
    today = date.today()
    decision = retention_for(person.date_of_birth, today)
    if not decision.due:
        raise click.ClickException(decision.message)
    if not yes:
        click.confirm(f"Delete the whole record {person.id} ({person.display_name})? This cannot be undone",
                      abort=True)
    try:
        result = delete_person(person_id, reason=reason, by=None, today=today)
    except (RetentionNotDue, DeletionProblem) as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"Deleted record {result.person_id}: {result.rows_deleted} rows. "
               "The audit trail and the deletion register keep the record number, date and reason.")
