"""The coordinator's dashboard: a few charts drawn as SVG on the server (no JavaScript, no CDN), each with its
numbers in a table for screen readers and for copying.

The charts of years and months aggregate up to six years of the centre's work (families per year, visits per
month), so their numbers are computed at most once per `indicator_cache_minutes` (the setting the indicator page
uses; 0 = every view) and shared by every web worker through the table `dashboard_cache`; the page says when they
were computed. The caseload chart is today's state, read on every view (one grouped query over open assignments)."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import JSON, Date, DateTime, Integer, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from casework.core import periods
from casework.core.indicators import get as get_indicator
from casework.core.settings import get_setting
from casework.core.timeutil import as_aware, utcnow
from casework.extensions import db
from casework.families.queries import caseloads
from casework.families.services import caseload_cap
from casework.indicators import engine

MONTHS_PL = ("sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru")
END_CODES = ["AR_ENDED_GOALS_ACHIEVED", "AR_ENDED_NO_COOPERATION", "AR_ENDED_NO_EFFECTS", "AR_ENDED_MOVED_AWAY",
             "AR_ENDED_OTHER"]


class DashboardCache(db.Model):
    """The dashboard's numbers as last computed for a day, shared by every web worker (one row: a new day's row
    replaces the others)."""

    __tablename__ = "dashboard_cache"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the day the charts count back from (their years and months end there)
    day: Mapped[date] = mapped_column(Date, nullable=False, unique=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    #: {"families_per_year": [[year, n]…], "ended": {code: n}, "visits_per_month": [["YYYY-MM-01", n]…]}
    values: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)


@dataclass
class Chart:
    id: str
    title: str
    items: list  # [(label, value)]
    unit: str = ""
    limit: float | None = None  # a reference line (e.g. the caseload cap)

    @property
    def maximum(self) -> float:
        values = [v for _label, v in self.items] + ([self.limit] if self.limit else [])
        return max(values + [1])


def _month_periods(today: date, n: int = 12):
    out = []
    year, month = today.year, today.month
    for _i in range(n):
        start = date(year, month, 1)
        end = date(year + (month == 12), month % 12 + 1, 1)
        out.append((start, end - timedelta(days=1)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(out))


def aggregates(today: date) -> dict:
    """The numbers of the charts of years and months, from the indicators (one definition of each count)."""
    def one(period, code):
        return engine.compute(period, codes=[code]).get(code, 0)

    supported = [[y, one(periods.year(y), "AR_FAMILIES_SUPPORTED")] for y in range(today.year - 5, today.year + 1)]
    ended = engine.compute(periods.year(today.year), codes=END_CODES)
    visits = [[start.isoformat(), one(periods.date_range(start, end), "AR_VISITS")]
              for start, end in _month_periods(today)]
    return {"families_per_year": supported, "ended": {c: ended.get(c, 0) for c in END_CODES},
            "visits_per_month": visits}


def shared_aggregates(today: date, *, refresh: bool = False) -> tuple[dict, datetime]:
    """The numbers and when they were computed: those stored by any worker within `indicator_cache_minutes`, else
    computed now and stored (the caller commits, so the next request of any worker reads them)."""
    minutes = int(get_setting("indicator_cache_minutes"))
    row = db.session.scalar(select(DashboardCache).where(DashboardCache.day == today))
    now = utcnow()
    if row is not None and not refresh and minutes > 0 \
            and as_aware(row.computed_at) >= now - timedelta(minutes=minutes):
        return row.values, as_aware(row.computed_at)
    values = aggregates(today)
    try:
        with db.session.begin_nested():
            db.session.execute(delete(DashboardCache).where(DashboardCache.day != today))
            if row is None:
                db.session.add(DashboardCache(day=today, values=values, computed_at=now))
            else:
                row.values, row.computed_at = values, now
    except IntegrityError:  # another worker stored the same day a moment ago: its numbers are as fresh
        pass
    return values, now


def page(today: date, locale: str = "pl") -> tuple[list[Chart], datetime]:
    """The charts and when the numbers of years and months were computed."""
    values, computed_at = shared_aggregates(today)
    out = [Chart("families-per-year", _("Families supported per year"),
                 [(str(y), n) for y, n in values["families_per_year"]])]
    out.append(Chart("end-reasons", _("Reasons for ending support in %(year)d", year=today.year),
                     [(get_indicator(c).label(locale), values["ended"].get(c, 0)) for c in END_CODES
                      if get_indicator(c)]))
    visits = []
    for start, n in values["visits_per_month"]:
        start = date.fromisoformat(start)
        visits.append((f"{MONTHS_PL[start.month - 1]} {start.year % 100:02d}", n))
    out.append(Chart("visits-per-month", _("Visits per month"), visits))
    loads = [(user.full_name, n) for user, n in db.session.execute(caseloads(today)).all()]
    out.append(Chart("caseload", _("Families per assistant today"), loads, limit=caseload_cap()))
    return out, computed_at


def charts(today: date, locale: str = "pl") -> list[Chart]:
    return page(today, locale)[0]
