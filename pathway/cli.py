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
