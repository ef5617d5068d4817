"""The start page of each role (issue 21): what needs doing, read from each domain's own definitions.

Every block is a fixed number of queries, whatever the number of rows (the deadline contract renders only the
rows shown; lists are cut in the database), so the start page stays as fast with 10 families as with 1000.
"""
import os
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import load_only, selectinload

from casework.auth.models import LoginAttempt, User
from casework.backup.services import latest_backup_age
from casework.bluecard import access as bluecard_access
from casework.bluecard import services as bluecard
from casework.bluecard.models import GroupMeeting, Procedure
from casework.core import deadlines as core_deadlines
from casework.core import periods
from casework.core.quality import all_checks
from casework.core.reminders import all_rules
from casework.core.settings import get_setting
from casework.core.timeutil import utcnow
from casework.extensions import db
from casework.families.models import Family
from casework.families.rules import assigned_family_ids, caseload_cap, caseload_counts
from casework.scheduler import lock
from casework.scheduler.labels import JOB_LABELS
from casework.scheduler.models import JobRun
from casework.visits.models import Visit

#: how many rows a block shows (the rest is one link away: the deadline board, the quality check, the register)
SHOWN = 10
#: "this week" on the coordinator's page
WEEK_DAYS = 7
#: an assistant this many families (or fewer) below the cap counts as near it
NEAR_CAP_MARGIN = 2


# --- the assistant -------------------------------------------------------------------------------------------

def assistant_today(user, today: date) -> dict:
    """Visits logged today, deadlines due today and overdue, the families without a visit for too long."""
    own = assigned_family_ids(user.id, today)
    visits = db.session.execute(
        select(Visit.id, Visit.start_time, Visit.duration_minutes, Family.id.label("family_id"), Family.case_number,
               Family.name)
        .join(Family, Family.id == Visit.family_id)
        .where(Visit.assistant_id == user.id, Visit.visit_date == today, Visit.archived_at.is_(None))
        .order_by(Visit.start_time, Visit.id).limit(SHOWN)).all()
    # the board's order is by due date: the earliest (the overdue) come first
    due, due_total = core_deadlines.board(own, today, include_centre=False, offset=0, limit=SHOWN * 3)
    due = [d for d in due if d.kind != "no_visit" and d.due <= today]
    days = int(get_setting("no_visit_warning_days"))
    quiet, quiet_total = core_deadlines.board(own, today, include_centre=False, kind="no_visit", offset=0,
                                              limit=SHOWN)
    return {"visits": visits,
            "due_today": [d for d in due if d.due == today][:SHOWN],
            "overdue": [d for d in due if d.due < today][:SHOWN],
            "more_deadlines": due_total > len(due),
            "no_visit": [(d, d.due - timedelta(days=days)) for d in quiet], "no_visit_total": quiet_total,
            "no_visit_days": days}


# --- the coordinator -----------------------------------------------------------------------------------------

def coordinator_overview(today: date) -> dict:
    """Deadlines of the week, assistants near the caseload cap, data-quality findings, the next reports due."""
    # from today to a week ahead, kind by kind in SQL (the board would start with the oldest lapses); a state
    # (the caseload cap) is listed while it lasts
    week, total = core_deadlines.due_between(today, today, today + timedelta(days=WEEK_DAYS), limit=SHOWN)
    cap = caseload_cap()
    counts = caseload_counts(today).subquery()
    near = db.session.execute(
        select(User.id, User.full_name, counts.c.families).join(counts, counts.c.assistant_id == User.id)
        .where(counts.c.families >= cap - NEAR_CAP_MARGIN)
        .order_by(counts.c.families.desc(), User.full_name).limit(SHOWN)).all()
    return {"week": week, "more_deadlines": total > len(week), "cap": cap, "near_cap": near,
            "quality": quality_counts(current_half(today)), "half": current_half(today),
            "reports": next_reports(today)}


def current_half(today: date):
    return periods.half_containing(today)


def quality_counts(period) -> list[tuple]:
    """[(check, number of records)] of the checks that find something in `period`: the checks answered by SQL,
    all counted in one query (the checks that need Python — PESEL, the caseload sweep — run on the check page)."""
    checks = [c for c in all_checks() if not c.listed]
    if not checks:
        return []
    counts = db.session.execute(select(*[
        select(func.count()).select_from(c.rows(period).subquery()).scalar_subquery().label(f"c{n}")
        for n, c in enumerate(checks)])).one()
    return [(c, n) for c, n in zip(checks, counts) if n]


def next_reports(today: date) -> list[tuple]:
    """[(rule label, due date)] of the next report of each calendar reminder rule (the half-yearly report to the
    ministry, the annual report to the council): the dates come from the rules themselves."""
    out = []
    rules = all_rules()
    for code in ("ministry_report", "council_report"):
        rule = rules.get(code)
        if rule is None:
            continue
        upcoming = sorted(c.due_date for c in rule.fn(today, 400) if c.due_date >= today)
        if upcoming:
            out.append((rule.label, upcoming[0]))
    return sorted(out, key=lambda item: item[1])


# --- the interdisciplinary team ------------------------------------------------------------------------------

def team_deadlines(user, today: date) -> list[dict]:
    """The pending statutory steps of the open procedures `user` may read, the earliest first."""
    # only the columns the steps are computed from, and of the meetings only their kind and date: a city's team
    # has hundreds of procedures open
    procedures = db.session.scalars(
        select(Procedure).where(Procedure.closed_on.is_(None), bluecard_access.visible_clause(user))
        .options(load_only(Procedure.number, Procedure.nka_date, Procedure.nkb_handed, Procedure.nkb_handed_on,
                           Procedure.nkb_not_handed_reason, Procedure.to_chair_on, Procedure.to_group_on,
                           Procedure.closed_on),
                 selectinload(Procedure.meetings).load_only(GroupMeeting.kind, GroupMeeting.meeting_date))).all()
    days = bluecard.deadline_days()
    steps = [{"procedure": p, "kind": s["kind"], "due": s["due"], "late": s["due"] < today}
             for p in procedures for s in bluecard.deadlines(p, days) if s["done"] is None]
    return sorted(steps, key=lambda s: (s["due"], s["procedure"].number))[:SHOWN * 2]


# --- the administrator ---------------------------------------------------------------------------------------

def admin_overview() -> dict:
    """The scheduler's lease and its jobs' last runs, the age of the newest backup, the logins locked now."""
    now = utcnow()
    lease = lock.current()
    runs = {r.job_id: r for r in db.session.scalars(select(JobRun))}
    failed = [(JOB_LABELS.get(job_id, job_id), run) for job_id, run in sorted(runs.items())
              if run.outcome == "error"]
    directory = get_setting("backup_directory") or os.environ.get("CASEWORK_BACKUP_DIR") or ""
    backup_age = latest_backup_age(directory, now) if directory else None
    return {"lease": lease, "alive": lease is not None and lease["expires_at"] > now, "runs": len(runs),
            "failed": failed, "backup_age": backup_age, "backup_directory": bool(directory),
            "locked": locked_logins(now)}


def locked_logins(now) -> list[tuple]:
    """[(login, minutes left)] of the logins locked by too many failed attempts (one query; the rule of
    casework.auth.services.account_lockout_minutes: the failures since the last success in the window)."""
    window = current_app.config["LOGIN_LOCKOUT"]
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    since = now - window
    last_ok = select(LoginAttempt.login, func.max(LoginAttempt.attempted_at).label("at")).where(
        LoginAttempt.success.is_(True), LoginAttempt.attempted_at >= since).group_by(LoginAttempt.login).subquery()
    rows = db.session.execute(
        select(LoginAttempt.login, func.count(LoginAttempt.id), func.max(LoginAttempt.attempted_at))
        .outerjoin(last_ok, last_ok.c.login == LoginAttempt.login)
        .where(LoginAttempt.success.is_(False), LoginAttempt.attempted_at >= since,
               or_(last_ok.c.at.is_(None), LoginAttempt.attempted_at > last_ok.c.at))
        .group_by(LoginAttempt.login).having(func.count(LoginAttempt.id) >= limit)
        .order_by(LoginAttempt.login).limit(SHOWN)).all()
    out = []
    for login, _count, last in rows:
        last = last if last.tzinfo else last.replace(tzinfo=now.tzinfo)
        left = (last + window - now).total_seconds()
        if left > 0:
            out.append((login, max(1, int(left // 60) + 1)))
    return out

