"""Closed (frozen) reporting periods: the values and the ids behind them as they were when closed."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.timeutil import utcnow
from casework.extensions import db


class ClosedPeriod(db.Model):
    """A period a coordinator closed; re-opening keeps the row (reopened_at set) for history."""

    __tablename__ = "closed_period"
    __table_args__ = (
        Index("uq_closed_period_open_span", "date_from", "date_to", unique=True,
              sqlite_where=text("reopened_at IS NULL"), postgresql_where=text("reopened_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date_from: Mapped[date] = mapped_column(Date, nullable=False)
    date_to: Mapped[date] = mapped_column(Date, nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(Text)
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reopen_reason: Mapped[str | None] = mapped_column(Text)

    values: Mapped[list["FrozenIndicatorValue"]] = relationship(
        back_populates="closed_period", order_by="FrozenIndicatorValue.code")
    closed_by = relationship("User", foreign_keys=[closed_by_id])
    reopened_by = relationship("User", foreign_keys=[reopened_by_id])


class FrozenIndicatorValue(db.Model):
    __tablename__ = "frozen_indicator_value"
    __table_args__ = (UniqueConstraint("closed_period_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    closed_period_id: Mapped[int] = mapped_column(ForeignKey("closed_period.id"), nullable=False, index=True)
    code: Mapped[str] = mapped_column(String(64), nullable=False)
    #: the number (or the object for _BY_ codes) as reported
    value: Mapped[object] = mapped_column(JSON)
    #: the ids of the records behind it ([id, key] pairs for object-by-key indicators)
    record_ids: Mapped[list] = mapped_column(JSON, nullable=False, default=list, deferred=True)

    closed_period: Mapped[ClosedPeriod] = relationship(back_populates="values")


class IndicatorSnapshot(db.Model):
    """The statistics of a half-year or a year, computed by the scheduler on 1 January / 1 July (catching up
    after downtime) so coordinators start from prepared figures and the data-quality warnings. It is not a
    closing: the coordinator reviews, fixes data and closes the period on the report page."""

    __tablename__ = "indicator_snapshot"
    __table_args__ = (UniqueConstraint("date_from", "date_to"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date_from: Mapped[date] = mapped_column(Date, nullable=False)
    date_to: Mapped[date] = mapped_column(Date, nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    values: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    #: {check code: number of records} of the data-quality checks that found something
    quality: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)


class IndicatorCache(db.Model):
    """Live values of a period as last computed, shared by every web worker: the report page reads them while
    they are younger than the `indicator_cache_minutes` setting (the page says when they were computed, and a
    coordinator can recompute at once). Closing a period always computes afresh."""

    __tablename__ = "indicator_cache"
    __table_args__ = (UniqueConstraint("date_from", "date_to"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date_from: Mapped[date] = mapped_column(Date, nullable=False)
    date_to: Mapped[date] = mapped_column(Date, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    values: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
