"""`flask pathway ...` commands."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

pathway_cli = AppGroup("pathway", help="Pathway commands: demo data and maintenance.")


@pathway_cli.command("demo")
@click.option("--today", "today_text", default=None, help="Pretend today is this date (YYYY-MM-DD).")
def demo_command(today_text: str | None) -> None:
    """Load the demo council (does nothing if the database already has users)."""
    from pathway.demo import DEMO_PASSWORD, load_demo

    if not current_app.config.get("DEMO_ALLOWED"):
        raise click.ClickException("The demo council cannot be loaded in production (PATHWAY_ENV=production).")
    today = date.fromisoformat(today_text) if today_text else date.today()
    result = load_demo(today=today)
    if result is None:
        click.echo("The database already has users: demo data not loaded.")
    else:
        click.echo(f"Loaded the demo council: {result.young_people} young people, {result.staff} staff.")
    print_demo_sign_ins(DEMO_PASSWORD)


def print_demo_sign_ins(password: str) -> None:
    from pathway.demo import DEMO_SIGN_INS, DEMO_TWO_FACTOR_KEY
    from pathway.rules.two_factor import group_key

    click.echo("")
    click.echo(f"Demo sign-ins (password for all: {password})")
    for role, email in DEMO_SIGN_INS:
        click.echo(f"  {role:<22} {email}")
    click.echo("")
    click.echo("Staff also enter a 6-digit code (two-factor sign-in). Add this published demo set-up key to an")
    click.echo(f"authenticator app as a time-based key: {group_key(DEMO_TWO_FACTOR_KEY)}")
    click.echo("(or from Python: pyotp.TOTP(\"" + DEMO_TWO_FACTOR_KEY + "\").now()). The young person needs no code.")


@pathway_cli.command("load-offer")
@click.argument("path", type=click.Path(dir_okay=False))
def load_offer_command(path: str) -> None:
    """Load the council's offer from a YAML or CSV file. Every line is checked first: nothing loads if any is wrong."""
    from pathway.services.offer_file import OfferFileError, load_offer, read_offer_file

    try:
        entries = read_offer_file(path)
    except OfferFileError as error:
        for message in error.errors:
            click.echo(message, err=True)
        raise click.ClickException(f"Nothing was loaded: {len(error.errors)} problem(s) in {path}.") from None
    created, changed = load_offer(entries, by=None)
    click.echo(f"Loaded {len(entries)} entitlements: {created} new, {changed} with new terms, "
               f"{len(entries) - created - changed} unchanged.")


@pathway_cli.command("generate")
@click.option("--young-people", "young_people", type=int, required=True, help="How many young people (1 to 200,000).")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed builds the same council.")
@click.option("--today", "today_text", default=None, help="Pretend today is this date (YYYY-MM-DD).")
def generate_command(young_people: int, seed: int, today_text: str | None) -> None:
    """Build a generated council for performance work, in an empty database (see pathway/generate.py)."""
    from pathway.generate import GENERATED_PASSWORD, GenerationRefused, generate, staff_sign_ins

    if not current_app.config.get("DEMO_ALLOWED"):
        raise click.ClickException("A generated council cannot be built in production (PATHWAY_ENV=production).")
    today = date.fromisoformat(today_text) if today_text else date.today()
    try:
        summary = generate(young_people, today=today, seed=seed)
    except GenerationRefused as refusal:
        raise click.UsageError(str(refusal)) from None
    click.echo(f"Generated a council with seed {seed}, as on {today.isoformat()}:")
    for line in summary.lines():
        click.echo(f"  {line}")
    click.echo(f"\nStaff sign-ins (password for all: {GENERATED_PASSWORD})")
    for role, email in staff_sign_ins(summary.teams):
        click.echo(f"  {role:<22} {email}")
    from pathway.generate import GENERATED_TWO_FACTOR_KEY
    from pathway.rules.two_factor import group_key

    click.echo(f"Staff two-factor set-up key (add it to an authenticator app): {group_key(GENERATED_TWO_FACTOR_KEY)}")


@pathway_cli.command("send-reminders")
@click.option("--today", "today_text", default=None, help="Pretend today is this date (YYYY-MM-DD).")
def send_reminders_command(today_text: str | None) -> None:
    """Email each personal adviser a digest of their flags due today or overdue (at most once a day)."""
    from pathway.services.flags import send_reminders

    today = date.fromisoformat(today_text) if today_text else date.today()
    base_url = current_app.config.get("PUBLIC_URL") or "http://localhost"
    with current_app.test_request_context(base_url=base_url):  # links in the emails need a URL to build on
        sent = send_reminders(today)
    click.echo(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")


@pathway_cli.command("export-care-leavers")
@click.option("--year", type=int, required=True,
              help="Collection year, named by the year it ends: 2026 is 1 April 2025 to 31 March 2026.")
@click.option("--output", type=click.Path(dir_okay=False), default="-", show_default=True,
              help="Write the CSV file here (- for standard output).")
def export_care_leavers_command(year: int, output: str) -> None:
    """Write the DfE care leaver return (OC3) for the whole council as CSV; list the records that fail its checks.

    The information window is 3 months before to 1 month after each birthday unless the council has set
    oc3_months_before / oc3_months_after (the default is the council's to confirm). Records that fail are
    listed on standard error for a person to fix; the command still succeeds.
    """
    from pathway.rules.oc3 import check_year
    from pathway.services.care_leaver_return import build_return, record_export

    today = date.today()
    try:
        check_year(year, today)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--year") from None
    result = build_return(year, today=today)
    text = result.csv()
    if output == "-":
        click.echo(text, nl=False)
    else:
        with open(output, "w", encoding="utf-8", newline="") as file:
            file.write(text)
    record_export(result.person_ids)
    for failure in result.failures:
        click.echo(f"{failure.person_id} {failure.name} (birthday {failure.birthday_age}): {failure.reason}", err=True)
    click.echo(f"Collection year {year} ({result.start:%d/%m/%Y} to {result.end:%d/%m/%Y}): {len(result.rows)} rows, "
               f"{result.rows_passing} pass the checks, {result.rows_failing} fail.", err=True)


@pathway_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path: str) -> None:
    """Back up the whole database to PATH (SQLite: its online backup API; PostgreSQL: pg_dump -Fc)."""
    from pathway.extensions import db
    from pathway.services.backup import BackupError, backup

    try:
        result = backup(db.engine.url, path)
    except BackupError as error:
        raise click.ClickException(f"{error} No backup was written.") from None
    click.echo(f"Backed up the database to {result.path} (schema revision {result.revision or 'none'}).")
    _echo_row_counts(result.row_counts)


@pathway_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace the database even if it already holds records.")
def restore_command(path: str, force: bool) -> None:
    """Restore the whole database from a backup made by `flask pathway backup`, then check it."""
    from pathway.extensions import db
    from pathway.services.backup import BackupError, restore

    url = db.engine.url
    db.session.remove()
    db.engine.dispose()  # no pooled connection of ours holds the database while it is replaced
    try:
        result = restore(url, path, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    finally:
        db.engine.dispose()
    _forget_cached_pages()
    click.echo(f"Restored the database from {path} (schema revision {result.revision or 'none'}).")
    click.echo("Checks passed:")
    for check in result.checks:
        click.echo(f"  {check}")
    _echo_row_counts(result.row_counts)
    for note in result.notes:
        click.echo(note)
    click.echo("If this code is newer than the backup, run `flask db upgrade` next.")


def _forget_cached_pages() -> None:
    """The restored page-cache counters may be lower than the ones running servers last saw: move the
    shared one somewhere no server has seen, so none can serve a page from before the restore."""
    from sqlalchemy import inspect

    from pathway.extensions import db
    from pathway.services import page_cache

    if "cache_version" in inspect(db.engine).get_table_names():  # a backup from before it existed has none
        page_cache.invalidate_everything(db.session)
        db.session.commit()
    db.engine.dispose()


def _echo_row_counts(counts: dict[str, int]) -> None:
    click.echo(f"Rows per table ({sum(counts.values())} in {len(counts)} tables):")
    width = max((len(name) for name in counts), default=0)
    for name, n in counts.items():
        click.echo(f"  {name:<{width}} {n:>9,}")


from pathway import cli_rights  # noqa: E402,F401 - export-person, retention-report, delete-person
