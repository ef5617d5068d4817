"""`make run`'s log: the 30-second heartbeat is logged at DEBUG (not INFO), and a scheduler waiting for the lease after
a restart says why and for how long, once."""
import logging
import time

import pytest
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from casework.core.timeutil import WARSAW, utcnow
from casework.scheduler import lock
from casework.scheduler.runner import JOB_DEFAULTS, LeasedRunner, configure


@pytest.fixture(autouse=True)
def enabled_loggers():
    """Alembic's fileConfig (the test database's migration) disables existing loggers; `casework serve` enables
    these again (casework.cli._restore_logging), so do the same here."""
    names = ("casework", "casework.scheduler.runner", "apscheduler", "apscheduler.scheduler",
             "apscheduler.executors", "apscheduler.executors.default", "apscheduler.executors.heartbeat")
    before = {name: logging.getLogger(name).disabled for name in names}
    for name in names:
        logging.getLogger(name).disabled = False
    yield
    for name, disabled in before.items():
        logging.getLogger(name).disabled = disabled


def _run_heartbeat_job(app, caplog, level):
    """The scheduler as `make run` starts it (configure() in a background thread), only its heartbeat job kept; the
    records logged while the heartbeat runs once."""
    runner = LeasedRunner(app, "host-a:1:quiet")
    scheduler = configure(BackgroundScheduler(timezone=WARSAW, job_defaults=JOB_DEFAULTS, daemon=True), runner)
    for job in scheduler.get_jobs():
        if job.id != "heartbeat":
            scheduler.remove_job(job.id)
    caplog.clear()
    with caplog.at_level(level):
        scheduler.start()
        try:
            deadline = time.monotonic() + 10
            while runner.active is None and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)  # "executed successfully" is logged just after the job returns
        finally:
            scheduler.shutdown(wait=True)
    assert runner.active is True
    return caplog.records


def test_heartbeat_runs_are_not_logged_at_info(app, caplog):
    records = _run_heartbeat_job(app, caplog, logging.INFO)
    chatter = [r.getMessage() for r in records if "heartbeat" in r.getMessage()]
    assert chatter == []
    # what a user of `make run` does want to see is still there
    assert any("lease acquired" in r.getMessage() and r.levelno == logging.INFO for r in records)
    lock.release("host-a:1:quiet")


def test_heartbeat_runs_are_logged_at_debug(app, caplog):
    records = _run_heartbeat_job(app, caplog, logging.DEBUG)
    runs = [r for r in records if "heartbeat" in r.getMessage() and r.name.startswith("apscheduler.executors")]
    assert any("Running job" in r.getMessage() for r in runs)
    assert all(r.levelno == logging.DEBUG for r in runs)
    lock.release("host-a:1:quiet")


def test_waiting_for_the_lease_after_a_restart_is_explained_once(app, caplog):
    # the previous run on this machine stopped without releasing its lease a moment ago
    assert lock.acquire("host-a:100:old", utcnow() - timedelta(seconds=20), timedelta(seconds=120))
    runner = LeasedRunner(app, "host-a:200:new")
    with caplog.at_level(logging.INFO, logger="casework.scheduler.runner"):
        assert not runner.heartbeat()
        assert not runner.heartbeat()  # still waiting: nothing more is logged
    lines = [r.getMessage() for r in caplog.records if r.name == "casework.scheduler.runner"]
    assert len(lines) == 1, lines
    line = lines[0]
    assert "waits for the lease" in line and "host-a:100:old" in line
    assert "previous run" in line
    seconds = int(line.split("(in about ")[1].split(" s)")[0])
    assert 90 <= seconds <= 100
    lock.release("host-a:100:old")
