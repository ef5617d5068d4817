"""`flask --app wsgi casework …` commands."""
import os
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from casework.extensions import db

casework_cli = AppGroup("casework", help="casework administration commands.")


@casework_cli.command("create-user")
@click.argument("login")
@click.option("--name", "full_name", required=True, help="Full name shown in the app.")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["admin", "coordinator", "assistant", "social_worker", "zi_member"]))
@click.option("--email", default=None)
def create_user(login, full_name, roles, email):
    """Create a user; the password comes from CASEWORK_PASSWORD or a prompt."""
    from casework.auth.services import AccountError
    from casework.auth.services import create_user as create

    password = os.environ.get("CASEWORK_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create(login, full_name, password, list(roles), email=email)
    except AccountError as exc:
        db.session.rollback()
        for message in exc.messages:
            click.echo(f"Error: {message}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Created user {user.login} ({', '.join(sorted(user.roles))}).")


@casework_cli.command("demo")
@click.option("--families", default=40, show_default=True, help="How many synthetic families.")
@click.option("--seed", default=2026, show_default=True, help="Random seed (the same seed gives the same data).")
def demo(families, seed):
    """Load a synthetic demo centre into the database that DATABASE_URL names."""
    from casework.demo import DemoRefused, load_demo

    try:
        logins = load_demo(families=families, seed=seed, progress=click.echo)
    except DemoRefused as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    _print_logins(logins)


def _print_logins(logins):
    from casework.demo import DEMO_PASSWORD

    click.echo("")
    click.echo("Demo logins (password for all: %s):" % DEMO_PASSWORD)
    for login, description in logins:
        click.echo(f"  {login:<14} {description}")
    click.echo("")


def _restore_logging():
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    for name in ("flask.app", "waitress", "casework", "apscheduler"):
        logging.getLogger(name).disabled = False


@casework_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=lambda: int(os.environ.get("PORT", 5000)), show_default="5000 or $PORT")
def serve(host, port):
    """Single-process mode (make run): migrate, load the demo on first start, serve."""
    from flask_migrate import upgrade
    from waitress import serve as waitress_serve

    from casework.demo import demo_logins, has_users, load_demo

    upgrade()
    _restore_logging()  # Alembic's fileConfig disables existing loggers; errors must still be logged
    if not has_users():
        click.echo("First start: loading the synthetic demo centre…")
        load_demo(families=40, seed=2026, progress=click.echo)
    if current_app.config.get("DEMO_DATA_ALLOWED"):
        _print_logins(demo_logins())
    from casework.scheduler.runner import start_background

    start_background(current_app._get_current_object())  # the jobs, in this one process (make run)
    click.echo(f"casework is running on http://{host}:{port}/ (Ctrl+C stops it)")
    waitress_serve(current_app._get_current_object(), host=host, port=port, threads=8, ident="casework")
