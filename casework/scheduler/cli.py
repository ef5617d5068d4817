"""`flask --app wsgi casework scheduler` and `flask --app wsgi casework run-jobs [--now ISO]`."""
from datetime import datetime, timezone

import click
from flask import current_app
from flask.cli import with_appcontext

from casework.cli import _restore_logging
from casework.scheduler.jobs import run_all
from casework.scheduler.runner import run_blocking


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the scheduler in the foreground (one dedicated process; a second one stays idle)."""
    _restore_logging()
    click.echo("casework scheduler running (Ctrl+C stops it)")
    run_blocking(current_app._get_current_object())


@click.command("run-jobs")
@with_appcontext
@click.option("--now", "now_text", default=None, help="Pretend it is this moment (ISO 8601; naive = UTC).")
def run_jobs_command(now_text):
    """Run every job once (for cron and tests); ignores the scheduler lease."""
    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            raise click.BadParameter("use ISO 8601, e.g. 2026-07-20T08:00:00+02:00", param_hint="--now")
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
    results = run_all(now, app=current_app._get_current_object())
    failed = False
    for job_id, result in results.items():
        if result is None:
            failed = True
            click.echo(f"{job_id}: error (see the log)")
        else:
            click.echo(f"{job_id}: " + ", ".join(f"{k}={v}" for k, v in sorted(result.items())))
    if failed:
        raise SystemExit(1)


#: added under `flask casework` by casework.register_commands (domain_modules("cli"))
commands = [scheduler_command, run_jobs_command]
