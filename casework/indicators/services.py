"""Closing a period (freezing values and the ids behind them), re-opening it, comparing with today's data.

Plain functions: add + flush + audit, never commit."""
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from casework.core import audit
from casework.core.db import has_uncommitted_writes
from casework.core.errors import RuleError
from casework.core.indicators import all_indicators
from casework.core.periods import Period, half, year
from casework.core.settings import get_setting
from casework.core.timeutil import as_aware, today_local, utcnow
from casework.extensions import db
from casework.families.models import SupportPeriod
from casework.indicators import engine, quality
from casework.indicators.models import ClosedPeriod, FrozenIndicatorValue, IndicatorCache, IndicatorSnapshot


class PeriodAlreadyClosed(Exception):
    pass


def closing_problems(period: Period, today=None) -> list[str]:
    """Why `period` may not be closed on `today` (Europe/Warsaw), as messages for the user; empty when it may.

    A period closes only after its last day: closing freezes the values, and a period still running gains
    visits, assessments and support periods the frozen figures would never see."""
    today = today or today_local()
    problems = []
    if period.end >= today:
        problems.append(_("The period %(start)s – %(end)s has not ended yet: it can be closed from %(first)s.",
                          start=period.start.isoformat(), end=period.end.isoformat(),
                          first=(period.end + timedelta(days=1)).isoformat()))
    if closed_for(period) is not None:
        problems.append(_("This period is already closed."))
    return problems


def closed_for(period: Period) -> ClosedPeriod | None:
    """The current closing of exactly this period (not re-opened), if any."""
    return db.session.scalar(select(ClosedPeriod).where(
        ClosedPeriod.date_from == period.start, ClosedPeriod.date_to == period.end,
        ClosedPeriod.reopened_at.is_(None)))


def history(period: Period) -> list[ClosedPeriod]:
    return list(db.session.scalars(select(ClosedPeriod).where(
        ClosedPeriod.date_from == period.start, ClosedPeriod.date_to == period.end)
        .order_by(ClosedPeriod.closed_at.desc(), ClosedPeriod.id.desc())))


def close_period(period: Period, user, note: str | None = None, *, today=None) -> ClosedPeriod:
    """Freeze the period's values; refused (RuleError) before the period has ended."""
    if closed_for(period) is not None:
        raise PeriodAlreadyClosed()
    problems = closing_problems(period, today)
    if problems:
        raise RuleError(problems)
    closed = ClosedPeriod(date_from=period.start, date_to=period.end, kind=period.kind,
                          closed_by_id=getattr(user, "id", None), note=note or None, closed_at=utcnow())
    db.session.add(closed)
    db.session.flush()
    values = engine.compute(period)
    for ind in all_indicators():
        db.session.add(FrozenIndicatorValue(closed_period_id=closed.id, code=ind.code, value=values[ind.code],
                                            record_ids=engine.record_ids(ind.code, period)))
    db.session.flush()
    audit.record("period_closed", closed, user=user,
                 details={"from": period.start.isoformat(), "to": period.end.isoformat()})
    return closed


def reopen_period(closed: ClosedPeriod, user, reason: str) -> ClosedPeriod:
    closed.reopened_at = utcnow()
    closed.reopened_by_id = getattr(user, "id", None)
    closed.reopen_reason = reason
    db.session.flush()
    audit.record("period_reopened", closed, user=user, details={"reason": reason})
    return closed


def frozen_values(closed: ClosedPeriod) -> dict:
    """{code: value} as reported when the period closed. Reads the values only: the record ids frozen beside them
    (every family, child and visit behind each number of a year) are what a drill-down compares against, and
    decoding them all cost a city-sized centre 0.2 s on every report page showing a closed year."""
    return dict(db.session.execute(select(FrozenIndicatorValue.code, FrozenIndicatorValue.value)
                                   .where(FrozenIndicatorValue.closed_period_id == closed.id)).all())


def reported_values(period: Period) -> dict:
    """The values as reported: frozen when the period is closed, else computed from today's data (cached)."""
    return reported(period)[0]


def reported_values_of(periods: list[Period]) -> list[dict]:
    """reported_values of each period, those not closed and not cached computed side by side (live_values_of)."""
    closed = {p: closed_for(p) for p in periods}
    live = live_values_of([p for p in periods if closed[p] is None])
    return [_as_reported(p, closed[p], live)[0] for p in periods]


def with_year_before(period: Period) -> tuple[tuple[dict, datetime], tuple[dict, datetime, bool]]:
    """(today's values of `period` and when they were computed, the year before as reported): the indicator page's
    two columns; when neither year is cached nor the year before closed, the two sets are computed side by side."""
    before = period.previous_year()
    closed = closed_for(before)
    live = live_values_of([period] + ([] if closed else [before]))
    return live[period], _as_reported(before, closed, live)


def reported(period: Period) -> tuple[dict, datetime, bool]:
    """(values as reported, when they were computed, frozen?): a page that shows them says when (the closing time
    of a closed period, else the time the cached values were computed)."""
    return _as_reported(period, closed_for(period), {})


def _as_reported(period: Period, closed: ClosedPeriod | None, live: dict) -> tuple[dict, datetime, bool]:
    if closed is None:
        values, computed_at = live[period] if period in live else live_values(period)
        return values, computed_at, False
    return frozen_values(closed), as_aware(closed.closed_at), True


def _cache_row(period: Period):
    return db.session.scalar(select(IndicatorCache).where(IndicatorCache.date_from == period.start,
                                                          IndicatorCache.date_to == period.end))


def _fresh(row, now) -> bool:
    minutes = int(get_setting("indicator_cache_minutes"))
    return row is not None and minutes > 0 and as_aware(row.computed_at) >= now - timedelta(minutes=minutes)


def _store(period: Period, row, values: dict, now) -> None:
    try:
        with db.session.begin_nested():
            if row is None:
                db.session.add(IndicatorCache(date_from=period.start, date_to=period.end, values=values,
                                              computed_at=now))
            else:
                row.values, row.computed_at = values, now
    except IntegrityError:  # another worker stored the same period a moment ago: its values are as fresh
        pass


def live_values(period: Period, *, refresh: bool = False) -> tuple[dict, datetime]:
    """Today's values of the period and when they were computed. The whole set aggregates a year of the centre's
    work, so it is computed at most once per `indicator_cache_minutes` (setting, default 10; 0 = always) for
    every user and worker once the caller commits; `refresh` computes now."""
    return live_values_of([period], refresh=refresh)[period]


def _own_connection_possible() -> bool:
    """A second connection sees the same data: a server, or a SQLite file (not an in-memory database)."""
    url = db.engine.url
    return url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:")


def live_values_of(periods: list[Period], *, refresh: bool = False) -> dict:
    """{period: live_values(period)} of several periods. Those not cached are computed side by side: the first in
    this session, each other one in a thread on its own connection. A page comparing a year with the year before
    needs two sets when neither is cached; one set is ~0.3 s of the database's work and ~0.1-0.2 s of building
    statements in Python, so the two overlap instead of adding up. The threads read committed data only, so a
    session that has written and not committed computes every period itself."""
    if not periods:
        return {}
    now = utcnow()
    rows = {p: _cache_row(p) for p in dict.fromkeys(periods)}
    out = {p: (row.values, as_aware(row.computed_at)) for p, row in rows.items() if not refresh and _fresh(row, now)}
    missing = [p for p in rows if p not in out]
    if len(missing) > 1 and _own_connection_possible() and not has_uncommitted_writes(db.session()):
        app = current_app._get_current_object()

        def compute_apart(period):
            with app.app_context():  # its own session and connection, closed when the context ends
                return engine.compute(period)

        with ThreadPoolExecutor(max_workers=len(missing) - 1, thread_name_prefix="indicators") as pool:
            others = [(p, pool.submit(compute_apart, p)) for p in missing[1:]]
            computed = [(missing[0], engine.compute(missing[0]))] + [(p, f.result()) for p, f in others]
    else:
        computed = [(p, engine.compute(p)) for p in missing]
    for period, values in computed:
        _store(period, rows[period], values, now)
        out[period] = (values, now)
    return out


def frozen_ids(closed: ClosedPeriod, code: str) -> list | None:
    row = db.session.scalar(select(FrozenIndicatorValue).where(
        FrozenIndicatorValue.closed_period_id == closed.id, FrozenIndicatorValue.code == code))
    return None if row is None else row.record_ids


def _key(item):
    return tuple(item) if isinstance(item, list) else item


def compare_ids(frozen: list, live: list) -> dict:
    """Which records were added to / removed from the set since the period was closed."""
    f, lv = {_key(i) for i in frozen}, {_key(i) for i in live}
    return {"added": sorted(lv - f, key=str), "removed": sorted(f - lv, key=str)}


def differences(frozen: dict, live: dict) -> dict:
    """{code: live value} for the codes whose value today differs from the frozen one."""
    return {code: live.get(code) for code in frozen if live.get(code) != frozen[code]}


def periods_to_prepare(today) -> list[Period]:
    """The periods whose statistics are ready to prepare on `today`: from 1 July the first half-year; from
    1 January the previous year and its second half-year."""
    if today.month >= 7:
        return [half(today.year, 1)]
    return [year(today.year - 1), half(today.year - 1, 2)]


def _had_cases(period: Period) -> bool:
    """Whether any support period overlaps `period` (a new installation has no statistics of past years)."""

    return db.session.scalar(select(SupportPeriod.id).where(
        SupportPeriod.start_date <= period.end,
        or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= period.start)).limit(1)) is not None


def prepare_snapshots(today) -> list:
    """Compute and store the statistics of the periods just ended (once each: a second run finds them)."""
    made = []
    for period in periods_to_prepare(today):
        exists = db.session.scalar(select(IndicatorSnapshot.id).where(
            IndicatorSnapshot.date_from == period.start, IndicatorSnapshot.date_to == period.end))
        if exists or not _had_cases(period):
            continue
        values = engine.compute(period)
        warnings = {found["check"].code: found["count"] for found in quality.run(period, limit=0)}
        snapshot = IndicatorSnapshot(date_from=period.start, date_to=period.end, kind=period.kind,
                                     values=values, quality=warnings, computed_at=utcnow())
        db.session.add(snapshot)
        db.session.flush()
        made.append(snapshot)
    return made

