"""The administrator's view of the scheduler: the lease, the last run of each job, the unsent e-mails."""
from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import casework.scheduler.cli  # noqa: F401 - registers `casework scheduler` and `casework run-jobs`
from casework.auth.roles import ADMIN
from casework.core.navigation import register_nav
from casework.core.permissions import roles_required
from casework.core.timeutil import utcnow
from casework.extensions import db
from casework.reminders.digest import unsent_queue
from casework.scheduler import lock
from casework.scheduler.jobs import JOBS
from casework.scheduler.models import JobRun

bp = Blueprint("scheduler", __name__, url_prefix="/admin/scheduler")


@bp.route("/")
@roles_required(ADMIN)
def status():
    runs = {r.job_id: r for r in db.session.scalars(select(JobRun))}
    lease = lock.current()
    alive = lease is not None and lease["expires_at"] > utcnow()
    return render_template("scheduler/status.html", jobs=list(JOBS), runs=runs, lease=lease, alive=alive,
                           queue=unsent_queue())


register_nav("scheduler.status", _l("Scheduler"), roles=(ADMIN,), order=920)
