"""The scheduler: lease, fixed jobs, CLI, DST weekends, a second scheduler stays idle."""
import threading
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select

from casework.core.timeutil import WARSAW
from casework.extensions import db
from casework.reminders.models import Reminder
from casework.scheduler import lock
from casework.scheduler.jobs import run_job
from casework.scheduler.models import JobRun
from casework.scheduler.runner import JOB_DEFAULTS, LeasedRunner, build_blocking
from tests.reminders.helpers import at, make_family

T0 = datetime(2026, 7, 20, 6, 0, tzinfo=timezone.utc)


def test_lease_is_exclusive_renewable_and_expires():
    ttl = timedelta(seconds=120)
    assert lock.acquire("a", T0, ttl)
    assert not lock.acquire("b", T0 + timedelta(seconds=10), ttl)
    assert lock.acquire("a", T0 + timedelta(seconds=60), ttl)  # heartbeat renews until T0+180s
    assert not lock.acquire("b", T0 + timedelta(seconds=170), ttl)
    assert lock.current()["holder"] == "a"
    assert lock.acquire("b", T0 + timedelta(seconds=181), ttl)  # a died: b takes over after expiry
    assert not lock.acquire("a", T0 + timedelta(seconds=200), ttl)
    lock.release("b")
    assert lock.current() is None
    assert lock.acquire("a", T0 + timedelta(seconds=201), ttl)


def test_lease_taken_by_one_of_two_threads_at_once(app):
    results = {}
    barrier = threading.Barrier(2)

    def contend(name):
        with app.app_context():
            barrier.wait()
            results[name] = lock.acquire(name, T0)

    threads = [threading.Thread(target=contend, args=(n,)) for n in ("x", "y")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results.values()) == [False, True]


def test_a_second_scheduler_stays_idle(app, make_user):
    make_user("coordinator")
    first, second = LeasedRunner(app, "first"), LeasedRunner(app, "second")
    assert first.heartbeat() and not second.heartbeat()
    second.run("create_reminders")
    assert db.session.scalar(select(func.count(JobRun.job_id))) == 0
    first.run("create_reminders")
    assert db.session.get(JobRun, "create_reminders").outcome == "ok"
    first.release()
    assert second.heartbeat()


def test_runner_jobs_have_fixed_ids_and_safe_defaults(app):
    scheduler, _runner = build_blocking(app, "test")
    assert str(scheduler.timezone) == "Europe/Warsaw"
    assert {j.id for j in scheduler.get_jobs()} == {"heartbeat", "create_reminders", "send_digests", "backup",
                                                    "prepare_statistics", "purge_login_records",
                                                    "clean_imports"}
    assert JOB_DEFAULTS["coalesce"] is True and JOB_DEFAULTS["max_instances"] == 1
    assert JOB_DEFAULTS["misfire_grace_time"] >= 3600


def _fire_times(trigger, start, end):
    times, previous, now = [], None, start
    while True:
        nxt = trigger.get_next_fire_time(previous, now)
        if nxt is None or nxt > end:
            return times
        times.append(nxt)
        previous, now = nxt, nxt.astimezone(timezone.utc) + timedelta(microseconds=1)


def test_dst_weekends_one_digest_per_day(app, make_user, smtp):
    """Run the digest job at each time its real trigger fires over the March and October DST weekends."""
    user = make_user("coordinator")
    user.email = "k@example.org"
    db.session.commit()
    scheduler, _runner = build_blocking(app, "test")
    trigger = scheduler.get_job("send_digests").trigger
    for first_day in (date(2026, 3, 28), date(2026, 10, 24)):
        start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=WARSAW)
        days = [first_day + timedelta(days=i) for i in range(3)]
        times = _fire_times(trigger, start, start + timedelta(days=3) - timedelta(seconds=1))
        per_day = {}
        for t in times:
            per_day.setdefault(t.astimezone(WARSAW).date(), []).append(t)
        assert sorted(per_day) == days
        assert all(len(v) == 56 for v in per_day.values())  # 07:00–20:45 every 15 minutes, no skip, no repeat
        before = len(smtp.messages)
        for day in days:  # one new reminder every day, the digest job at every fire time of that day
            db.session.add(Reminder(rule="ministry_report", record_type="calendar", record_id=day.toordinal(),
                                    due_date=day, recipient_id=user.id))
            db.session.commit()
            for t in per_day[day]:
                run_job("send_digests", t.astimezone(timezone.utc))
        assert len(smtp.messages) - before == 3


def test_hourly_scan_runs_every_real_hour_across_both_dst_changes(app):
    scheduler, _runner = build_blocking(app, "test")
    trigger = scheduler.get_job("create_reminders").trigger
    for day in (date(2026, 3, 29), date(2026, 10, 25)):
        start = datetime(day.year, day.month, day.day, tzinfo=WARSAW)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=WARSAW)
        times = [t.astimezone(timezone.utc) for t in _fire_times(trigger, start, end)]
        gaps = {b - a for a, b in zip(times, times[1:])}
        assert gaps == {timedelta(hours=1)}  # 23 runs on the short day, 25 on the long one: no skip, no repeat
        assert len(times) == (23 if day.month == 3 else 25)


def test_run_jobs_cli_with_frozen_now_is_idempotent(app, make_user):
    make_user("coordinator")
    make_family(start=date(2026, 7, 1))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["casework", "run-jobs", "--now", "2026-07-20T08:00:00+02:00"])
    assert result.exit_code == 0, result.output
    assert "create_reminders: created=2" in result.output
    result = runner.invoke(args=["casework", "run-jobs", "--now", "2026-07-20T08:00:00+02:00"])
    assert "create_reminders: created=0" in result.output
    assert db.session.scalar(select(func.count(Reminder.id))) == 2
    assert db.session.get(JobRun, "send_digests").outcome == "ok"


def test_run_jobs_cli_refuses_a_bad_date(app):
    result = app.test_cli_runner().invoke(args=["casework", "run-jobs", "--now", "yesterday"])
    assert result.exit_code != 0 and "ISO 8601" in result.output


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(app, monkeypatch):
    from casework.scheduler import jobs

    def boom(now=None):
        raise RuntimeError("boom")

    monkeypatch.setitem(jobs.JOBS, "create_reminders", boom)
    results = jobs.run_all(at(date(2026, 7, 20)))
    assert results["create_reminders"] is None
    assert db.session.get(JobRun, "create_reminders").outcome == "error"
    assert db.session.get(JobRun, "send_digests").outcome == "ok"


def test_create_app_does_not_start_a_scheduler(app):
    assert not any(t.name.startswith("APScheduler") for t in threading.enumerate())


def test_two_processes_running_all_jobs_at_once_send_one_email(app, make_user, smtp, database_url):
    """Two `flask casework run-jobs` processes started together (as two cron entries or schedulers would)."""
    import os
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    user = make_user("coordinator")
    user.email = "k@example.org"
    db.session.commit()
    make_family(start=date(2026, 7, 1))
    env = dict(os.environ, DATABASE_URL=database_url, CASEWORK_ENV="development", MAIL_SERVER="127.0.0.1",
               MAIL_PORT=str(smtp.port), MAIL_SENDER="casework@example.org")
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    args = [flask, "--app", "wsgi", "casework", "run-jobs", "--now", "2026-07-20T08:00:00+02:00"]
    procs = [subprocess.Popen(args, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert len(smtp.messages) == 1
    assert db.session.scalar(select(func.count(Reminder.id))) == 2
    assert sorted(o.count("sent=1") for o in outputs) == [0, 1]
