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
