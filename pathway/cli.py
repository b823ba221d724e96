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
    from pathway.demo import DEMO_SIGN_INS

    click.echo("")
    click.echo(f"Demo sign-ins (password for all: {password})")
    for role, email in DEMO_SIGN_INS:
        click.echo(f"  {role:<22} {email}")


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
