"""The scheduler's lease (one active scheduler) and the last run of each job."""
from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db


class SchedulerLock(db.Model):
    """A lease: the holder renews `expires_at` by heartbeat; another process takes over only after expiry."""

    __tablename__ = "scheduler_lock"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200), nullable=False)
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class JobRun(db.Model):
    """The last run of each job, for the administrator's scheduler page."""

    __tablename__ = "job_run"

    job_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: "ok" or "error"
    outcome: Mapped[str | None] = mapped_column(String(16))
    #: a count summary or the exception class name; never personal data
    message: Mapped[str | None] = mapped_column(Text)
