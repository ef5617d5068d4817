"""The scheduled jobs: module-level functions, each runs in an app context, calls services, commits once.

`now` (an aware datetime) may be given to freeze the clock (tests, `casework run-jobs --now`)."""
import logging
import os
from contextlib import contextmanager
from datetime import datetime

from flask import current_app, has_app_context

from casework.auth.services import purge_expired_sessions, purge_old_login_attempts
from casework.backup.services import latest_backup_age, scheduled_backup
from casework.core.forms import purge_expired as purge_form_tokens
from casework.core.settings import get_setting
from casework.core.timeutil import utcnow
from casework.extensions import db
from casework.importer.services import delete_stale_uploads
from casework.indicators.services import prepare_snapshots
from casework.reminders.digest import send_digests as send
from casework.reminders.services import create_due_reminders, dialect_insert, local_day
from casework.scheduler.models import JobRun

log = logging.getLogger(__name__)


@contextmanager
def _app_context(app=None):
    if app is None and has_app_context():
        yield current_app._get_current_object()
        return
    if app is None:
        from casework import create_app  # local import: the package root imports every domain at app creation

        app = create_app()
    with app.app_context():
        yield app


def create_reminders(now: datetime | None = None) -> dict:
    """Catch-up scan: create every reminder that is due and not created yet."""
    now = now or utcnow()
    created = create_due_reminders(local_day(now))
    db.session.commit()
    return {"created": created}


def send_digests(now: datetime | None = None) -> dict:
    """Send the daily e-mail digests (commits per person: each message is its own unit of work)."""
    return send(now or utcnow())


def backup(now: datetime | None = None) -> dict:
    """Nightly backup into the setting `backup_directory` (or $CASEWORK_BACKUP_DIR), keeping `backup_keep`
    files. Runs when the newest backup there is older than 20 hours, so a night missed is made up."""

    now = now or utcnow()
    directory = get_setting("backup_directory") or os.environ.get("CASEWORK_BACKUP_DIR")
    if not directory:
        return {"skipped": "no backup_directory"}
    age = latest_backup_age(directory, now)
    if age is not None and age.total_seconds() < 20 * 3600:
        return {"skipped": "fresh"}
    path = scheduled_backup(directory, int(get_setting("backup_keep")), now=now)
    return {"written": os.path.basename(path)}


def prepare_statistics(now: datetime | None = None) -> dict:
    """From 1 January and 1 July: compute and store the statistics of the period just ended (once; a day
    missed is made up on the next run), then the `statistics_ready` reminder tells the coordinators."""
    today = local_day(now or utcnow())
    made = prepare_snapshots(today)
    if made:
        create_due_reminders(today)
    db.session.commit()
    return {"prepared": len(made)}


def purge_login_records(now: datetime | None = None) -> dict:
    """Delete login records (login, address, time) older than the `login_records_retention_days` setting,
    server-side sessions past their timeouts (browsers closed without logging out) and expired one-time form
    tokens (casework.core.forms)."""
    now = now or utcnow()
    attempts = purge_old_login_attempts(now)
    sessions = purge_expired_sessions(now)
    tokens = purge_form_tokens(now)
    db.session.commit()
    return {"login_records": attempts, "sessions": sessions, "form_tokens": tokens}


def clean_imports(now: datetime | None = None) -> dict:
    """Delete uploaded import files older than a day (confirmed and failed ones are deleted at once)."""
    return {"deleted": delete_stale_uploads(now or utcnow())}


#: fixed job ids, in the order `run-jobs` runs them
JOBS = {
    "create_reminders": create_reminders,
    "send_digests": send_digests,
    "backup": backup,
    "prepare_statistics": prepare_statistics,
    "clean_imports": clean_imports,
    "purge_login_records": purge_login_records,
}


def _record_run(job_id: str, started: datetime, outcome: str, message: str) -> None:
    values = {"started_at": started, "finished_at": utcnow(), "outcome": outcome, "message": message[:500]}
    stmt = dialect_insert(JobRun).values(job_id=job_id, **values)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["job_id"], set_=values))
    db.session.commit()


def run_job(job_id: str, now: datetime | None = None, app=None) -> dict | None:
    """Run one job in an app context and record its outcome; errors are logged, not raised."""
    with _app_context(app):
        started = utcnow()
        try:
            result = JOBS[job_id](now)
        except Exception as exc:  # noqa: BLE001 - the scheduler must keep running; the outcome is recorded
            db.session.rollback()
            log.exception("job %s failed", job_id)
            _record_run(job_id, started, "error", type(exc).__name__)
            return None
        _record_run(job_id, started, "ok", ", ".join(f"{k}={v}" for k, v in sorted(result.items())))
        return result
    return None


def run_all(now: datetime | None = None, app=None) -> dict:
    return {job_id: run_job(job_id, now, app) for job_id in JOBS}
