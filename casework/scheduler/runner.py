"""Builds the APScheduler 3.x scheduler: Europe/Warsaw, fixed job ids, coalesce, one instance, generous grace.

Every job first renews the database lease; a scheduler that does not hold it skips the run, so a second
scheduler started by mistake stays idle while the first is alive and takes over when its lease expires.
Times of day avoid 02:00–03:00, so the DST changes in March and October neither skip nor repeat a run; and the
jobs are catch-up scans, so even a missed run heals on the next one."""
import logging
import signal
from datetime import datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from casework.core.timeutil import WARSAW, utcnow
from casework.scheduler import jobs, lock

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30
#: the heartbeat runs in its own executor, so APScheduler's "Running job"/"executed successfully" lines about it
#: come from their own logger and are demoted to DEBUG (every 30 s at INFO they pushed `make run`'s output away)
HEARTBEAT_EXECUTOR = "heartbeat"
LEASE_TTL = timedelta(seconds=120)
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 3600}


class DemoteToDebug(logging.Filter):
    """Logged at DEBUG instead of INFO: shown only when DEBUG is enabled for the logger. `prefixes` limits it to
    messages starting with one of them (routine start-up chatter); without them every INFO record is demoted."""

    def __init__(self, prefixes: tuple[str, ...] = ()):
        super().__init__()
        self.prefixes = prefixes

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO or (self.prefixes and not str(record.msg).startswith(self.prefixes)):
            return True
        record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


def quiet_routine_logs() -> None:
    """The heartbeat's runs and the per-job "Added job" lines at start-up go to DEBUG (idempotent)."""
    for name, prefixes in ((f"apscheduler.executors.{HEARTBEAT_EXECUTOR}", ()),
                           ("apscheduler.scheduler", ("Added job", "Adding job tentatively"))):
        logger = logging.getLogger(name)
        if not any(isinstance(f, DemoteToDebug) for f in logger.filters):
            logger.addFilter(DemoteToDebug(prefixes))


def _log_waiting_for_lease(holder: str) -> None:
    """One clear line when another holder has the lease: who, since when, and when this scheduler may take over."""
    current = lock.current()
    if current is None or current["holder"] == holder:
        log.info("scheduler %s is idle: the lease could not be taken (it will retry every %d s)", holder,
                 HEARTBEAT_SECONDS)
        return
    wait = max(0, int((current["expires_at"] - utcnow()).total_seconds()))
    other = current["holder"]
    same_host = other.split(":", 1)[0] == holder.split(":", 1)[0]
    log.info("scheduler %s waits for the lease: it is held by %s (last heartbeat %s UTC)%s; if that scheduler no "
             "longer runs, this one takes over when the lease expires at %s UTC (in about %d s), otherwise it stays "
             "on standby. No job runs here until then.",
             holder, other, current["heartbeat_at"].strftime("%H:%M:%S"),
             ", probably this machine's previous run, stopped without releasing it" if same_host else "",
             current["expires_at"].strftime("%H:%M:%S"), wait)


class LeasedRunner:
    """Runs jobs only while this process holds the scheduler lease."""

    def __init__(self, app, holder: str | None = None):
        self.app = app
        self.holder = holder or lock.new_holder_id()
        self.active: bool | None = None  # unknown until the first heartbeat

    def heartbeat(self) -> bool:
        with self.app.app_context():
            try:
                held = lock.acquire(self.holder, ttl=LEASE_TTL)
            except Exception:  # noqa: BLE001 - database unavailable: do not run jobs
                log.exception("scheduler lease check failed")
                held = False
        if held != self.active:
            if held:
                log.info("scheduler %s lease acquired: jobs run in this process", self.holder)
            else:
                with self.app.app_context():
                    try:
                        _log_waiting_for_lease(self.holder)
                    except Exception:  # noqa: BLE001 - the explanation is optional, the idle state is not
                        log.info("scheduler %s lease not held (idle)", self.holder)
        self.active = held
        return held

    def run(self, job_id: str) -> None:
        if self.heartbeat():
            jobs.run_job(job_id, app=self.app)

    def release(self) -> None:
        with self.app.app_context():
            try:
                lock.release(self.holder)
            except Exception:  # noqa: BLE001
                log.exception("releasing the scheduler lease failed")


def configure(scheduler, runner: LeasedRunner):
    """Fixed job ids; the heartbeat and the catch-up scan also run right at start (after downtime)."""
    now = datetime.now(WARSAW)
    quiet_routine_logs()
    try:
        scheduler.add_executor(ThreadPoolExecutor(1), HEARTBEAT_EXECUTOR)
    except ValueError:  # configured before
        pass
    scheduler.add_job(runner.heartbeat, IntervalTrigger(seconds=HEARTBEAT_SECONDS), id="heartbeat",
                      replace_existing=True, next_run_time=now, executor=HEARTBEAT_EXECUTOR)
    # hourly catch-up scan (minute 5), and the digests from 07:00 every 15 minutes until 20:00 (retries)
    scheduler.add_job(runner.run, CronTrigger(minute=5, timezone=WARSAW), args=["create_reminders"],
                      id="create_reminders", replace_existing=True, next_run_time=now + timedelta(seconds=5))
    scheduler.add_job(runner.run, CronTrigger(hour="7-20", minute="*/15", timezone=WARSAW), args=["send_digests"],
                      id="send_digests", replace_existing=True)
    # nightly backup; hourly checks catch up a night the machine was off (the job skips a fresh backup)
    scheduler.add_job(runner.run, CronTrigger(minute=35, timezone=WARSAW), args=["backup"],
                      id="backup", replace_existing=True)
    # hourly, so 1 January / 1 July is caught soon after midnight and after any downtime
    scheduler.add_job(runner.run, CronTrigger(minute=50, timezone=WARSAW), args=["prepare_statistics"],
                      id="prepare_statistics", replace_existing=True)
    # nightly (04:20, outside the DST hour): login records past their retention, sessions past their timeouts
    scheduler.add_job(runner.run, CronTrigger(hour=4, minute=20, timezone=WARSAW), args=["purge_login_records"],
                      id="purge_login_records", replace_existing=True)
    # hourly (minute 25): uploaded import files older than a day
    scheduler.add_job(runner.run, CronTrigger(minute=25, timezone=WARSAW), args=["clean_imports"],
                      id="clean_imports", replace_existing=True)
    return scheduler


def build_blocking(app, holder: str | None = None):
    runner = LeasedRunner(app, holder)
    return configure(BlockingScheduler(timezone=WARSAW, job_defaults=JOB_DEFAULTS), runner), runner


def start_background(app, holder: str | None = None):
    """Single-process mode (`casework serve`): the same jobs in a background thread of the server process."""
    runner = LeasedRunner(app, holder)
    scheduler = configure(BackgroundScheduler(timezone=WARSAW, job_defaults=JOB_DEFAULTS, daemon=True), runner)
    scheduler.start()
    return scheduler, runner


def run_blocking(app) -> None:
    """The dedicated scheduler process (`flask --app wsgi casework scheduler`)."""
    scheduler, runner = build_blocking(app)
    log.info("scheduler %s starting", runner.holder)
    # SIGTERM (systemd, docker stop): stop cleanly and release the lease so a standby takes over at once
    signal.signal(signal.SIGTERM, lambda *_args: scheduler.shutdown(wait=False))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        runner.release()
