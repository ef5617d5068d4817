"""The administrator's view of the scheduler: the lease, the last run of each job, the unsent e-mails."""
from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.auth.roles import ADMIN
from casework.core.navigation import NavEntry
from casework.core.permissions import roles_required
from casework.core.timeutil import utcnow
from casework.extensions import db
from casework.reminders.digest import unsent_queue
from casework.scheduler import lock
from casework.scheduler.jobs import JOBS
from casework.scheduler.labels import JOB_LABELS
from casework.scheduler.models import JobRun

bp = Blueprint("scheduler", __name__, url_prefix="/admin/scheduler")

#: the figures a job reports ("created=3, sent=0" in JobRun.message), by name
RESULT_LABELS = {
    "created": _l("reminders created"), "sent": _l("e-mails sent"), "failed": _l("e-mails failed"),
    "skipped": _l("skipped"), "written": _l("file written"), "prepared": _l("periods prepared"),
    "deleted": _l("files deleted"), "login_records": _l("login records purged"), "sessions": _l("sessions purged"),
    "form_tokens": _l("form tokens purged"),
}
SKIP_REASONS = {"no backup_directory": _l("no backup directory is set"), "fresh": _l("a recent backup exists"),
                "no MAIL_SERVER": _l("no mail server is set")}


def describe_run(message: str | None) -> str:
    """A job's recorded outcome ("created=3, skipped=fresh") as words: "reminders created: 3; skipped: …"."""
    if not message:
        return ""
    parts = []
    for item in message.split(", "):
        key, sep, value = item.partition("=")
        if not sep:
            parts.append(item)
            continue
        value = str(SKIP_REASONS.get(value, value))
        parts.append(f"{RESULT_LABELS.get(key, key)}: {value}")
    return "; ".join(parts)


@bp.route("/")
@roles_required(ADMIN)
def status():
    runs = {r.job_id: r for r in db.session.scalars(select(JobRun))}
    lease = lock.current()
    alive = lease is not None and lease["expires_at"] > utcnow()
    return render_template("scheduler/status.html", jobs=list(JOBS), runs=runs, lease=lease, alive=alive,
                           queue=unsent_queue(), job_labels=JOB_LABELS, describe_run=describe_run)


#: this domain's entries in the menu (read once at start-up by casework.core.navigation.collect)
NAV = [
    NavEntry("scheduler.status", _l("Scheduler"), roles=(ADMIN,), order=920),
]
