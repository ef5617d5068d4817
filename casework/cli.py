"""`flask --app wsgi casework …` commands."""
import logging
import os
import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from casework.auth.services import AccountError, create_user as create
from casework.demo import DEMO_PASSWORD, TIERS, DemoRefused, demo_logins, has_users, load_demo
from casework.extensions import db
from casework.scheduler.runner import start_background

casework_cli = AppGroup("casework", help="casework administration commands.")


@casework_cli.command("create-user")
@click.argument("login")
@click.option("--name", "full_name", required=True, help="Full name shown in the app.")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["admin", "coordinator", "assistant", "social_worker", "zi_member"]))
@click.option("--email", default=None)
def create_user(login, full_name, roles, email):
    """Create a user; the password comes from CASEWORK_PASSWORD or a prompt."""
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
@click.option("--tier", type=click.Choice(["small", "city", "national"]), default=None,
              help="A centre of a benchmark size instead of --families: small (75 active families, 3 years), "
                   "city (3,000 families a year, 10 years, ~500,000 visits), national (PostgreSQL).")
@click.option("--seed", default=2026, show_default=True, help="Random seed (the same seed gives the same data).")
def demo(families, tier, seed):
    """Load a synthetic demo centre into the database that DATABASE_URL names."""

    chosen = TIERS[tier] if tier else None
    if chosen:
        click.echo(f"Generating the {tier} tier: {chosen.description}")
    started = time.perf_counter()
    try:
        logins = load_demo(families=families, seed=seed, progress=ProgressPrinter(), tier=chosen)
    except DemoRefused as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Done in {time.perf_counter() - started:.0f} s.")
    _print_logins(logins)


class ProgressPrinter:
    """What the demo generators report: a message, or a bar when they say how far they are."""

    WIDTH = 30

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.last = None

    def __call__(self, message, done=None, total=None):
        if done is None:
            self._end_bar()
            click.echo(message, file=self.stream)
            return
        if total:
            filled = int(self.WIDTH * done / total)
            line = f"{message:<10} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}"
        else:
            line = f"{message:<10} {done}"
        if self.tty:
            self.stream.write("\r" + line)
            self.stream.flush()
            self.last = line
        else:
            click.echo(line, file=self.stream)

    def _end_bar(self):
        if self.tty and self.last:
            self.stream.write("\n")
            self.last = None


def _print_logins(logins):
    click.echo("")
    click.echo("Demo logins (password for all: %s):" % DEMO_PASSWORD)
    for login, description in logins:
        click.echo(f"  {login:<14} {description}")
    click.echo("")


def _restore_logging():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    for name in ("flask.app", "waitress", "casework", "apscheduler"):
        logging.getLogger(name).disabled = False


@casework_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=lambda: int(os.environ.get("PORT", 5000)), show_default="5000 or $PORT")
def serve(host, port):
    """Single-process mode (make run): migrate, load the demo on first start, serve."""
    from waitress import serve as waitress_serve  # local import: only the one-process demo server uses it


    upgrade()
    _restore_logging()  # Alembic's fileConfig disables existing loggers; errors must still be logged
    if not has_users():
        click.echo("First start: loading the synthetic demo centre…")
        load_demo(families=40, seed=2026, progress=ProgressPrinter(sys.stdout))
    if current_app.config.get("DEMO_DATA_ALLOWED"):
        _print_logins(demo_logins())

    start_background(current_app._get_current_object())  # the jobs, in this one process (make run)
    click.echo(f"casework is running on http://{host}:{port}/ (Ctrl+C stops it)")
    waitress_serve(current_app._get_current_object(), host=host, port=port, threads=8, ident="casework")
