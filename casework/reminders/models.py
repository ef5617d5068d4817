"""Reminder rows and per-person reminder preferences."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.reminders import CALENDAR  # noqa: F401 - defined with the contract; kept here for readers
from casework.core.timeutil import utcnow
from casework.extensions import db


class Reminder(db.Model):
    """One reminder for one person about one deadline of one record.

    The key (rule, record type, record id, due date, recipient) is unique: rules insert with ON CONFLICT DO
    NOTHING, so a rule evaluated twice, by two schedulers or after a restart creates each reminder once."""

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("rule", "record_type", "record_id", "due_date", "recipient_id",
                         name="uq_reminder_key"),
        Index("ix_reminder_recipient_open", "recipient_id", "done_at", "due_date"),
        Index("ix_reminder_unsent", "emailed_at", "recipient_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(64), nullable=False)
    record_type: Mapped[str] = mapped_column(String(64), nullable=False)
    #: 0 for calendar reminders (NULL would defeat the unique key)
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    #: shown in the app only (e.g. a case number); never put into e-mails
    subject: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: hidden from the list until this day (inclusive of the day it reappears)
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    #: claimed by the digest that sent it (set in the same transaction as the send)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    recipient = relationship("User", foreign_keys=[recipient_id])


class UserPreference(db.Model):
    """A person's reminder settings and the state of their daily digest."""

    __tablename__ = "user_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    email_digest_opt_out: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    #: the Warsaw day of the last digest sent: one digest per person per day
    last_digest_on: Mapped[date | None] = mapped_column(Date)
    #: failed sends: how many in a row, and not before when to try again (backoff)
    digest_failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    digest_retry_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
