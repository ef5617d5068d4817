"""The coordinator's dashboard: a few charts drawn as SVG on the server (no JavaScript, no CDN), each with its
numbers in a table for screen readers and for copying.

The charts of years and months aggregate up to six years of the centre's work (families per year, visits per
month). Their numbers are shared by every web worker through the table `dashboard_cache` (one row for today) and
the page says when they were computed:
- the numbers of the months and years that have ended are computed once a day (the first view of the day, or
  "recompute"), not on every view and not every few minutes: a view never counts ten years of visits;
- those of the running month and year (and this year's reasons for ending support) at most once per
  `indicator_cache_minutes` (the setting the indicator page uses; 0 = everything on every view).
The caseload chart is today's state, read on every view: the busiest assistants only (one grouped query over open
assignments, a bounded number of bars; all of them are on the caseloads page)."""
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
from casework.families.queries import active_assistant_count, caseload_rows
from casework.families.services import caseload_cap
from casework.indicators import engine

MONTHS_PL = ("sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru")
END_CODES = ["AR_ENDED_GOALS_ACHIEVED", "AR_ENDED_NO_COOPERATION", "AR_ENDED_NO_EFFECTS", "AR_ENDED_MOVED_AWAY",
             "AR_ENDED_OTHER"]
#: bars of the caseload chart (the busiest assistants); a centre of 200 assistants draws as many as one of 20
CASELOAD_BARS = 20


class DashboardCache(db.Model):
    """The dashboard's numbers as last computed for a day, shared by every web worker (one row: a new day's row
    replaces the others)."""

    __tablename__ = "dashboard_cache"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the day the charts count back from (their years and months end there)
    day: Mapped[date] = mapped_column(Date, nullable=False, unique=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    #: {"families_per_year": [[year, n]…], "ended": {code: n}, "visits_per_month": [["YYYY-MM-01", n]…],
    #:  "ended_periods_at": ISO time the numbers of the months and years that have ended were computed}
    values: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)


@dataclass
class Chart:
    id: str
    title: str
    items: list  # [(label, value)]
    unit: str = ""
    limit: float | None = None  # a reference line (e.g. the caseload cap)
    #: when the numbers of the ended months or years in this chart were computed (if not with the others)
    ended_computed_at: datetime | None = None
    #: how many more there are than the chart draws (the caseload chart: all assistants are on the caseloads page)
    more: int = 0

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


def aggregates(today: date, earlier: dict | None = None) -> dict:
    """The numbers of the charts of years and months, from the indicators (one definition of each count). With
    `earlier` (numbers computed before on the same day) only the running year and month and this year's reasons for
    ending are computed again; the ended years and months are taken from `earlier`."""
    def one(period, code):
        return engine.compute(period, codes=[code]).get(code, 0)

    kept_years = dict((y, n) for y, n in (earlier or {}).get("families_per_year", []))
    kept_months = dict((start, n) for start, n in (earlier or {}).get("visits_per_month", []))
    supported = [[y, kept_years[y] if y != today.year and y in kept_years
                  else one(periods.year(y), "AR_FAMILIES_SUPPORTED")]
                 for y in range(today.year - 5, today.year + 1)]
    ended = engine.compute(periods.year(today.year), codes=END_CODES)
    visits = []
    for start, end in _month_periods(today):
        key = start.isoformat()
        running = start <= today <= end
        visits.append([key, kept_months[key] if not running and key in kept_months
                       else one(periods.date_range(start, end), "AR_VISITS")])
    return {"families_per_year": supported, "ended": {c: ended.get(c, 0) for c in END_CODES},
            "visits_per_month": visits}


def shared_aggregates(today: date, *, refresh: bool = False) -> tuple[dict, datetime]:
    """The numbers and when they were computed: those stored by any worker within `indicator_cache_minutes`;
    else the running year and month computed now with the ended ones stored earlier today (all of them on the
    first view of a day, with `refresh`, or when the setting is 0), and stored (the caller commits, so the next
    request of any worker reads them). `values["ended_periods_at"]` says when the ended ones were computed."""
    minutes = int(get_setting("indicator_cache_minutes"))
    row = db.session.scalar(select(DashboardCache).where(DashboardCache.day == today))
    now = utcnow()
    if row is not None and not refresh and minutes > 0 \
            and as_aware(row.computed_at) >= now - timedelta(minutes=minutes):
        return row.values, as_aware(row.computed_at)
    earlier = row.values if row is not None and not refresh and minutes > 0 \
        and row.values.get("ended_periods_at") else None
    values = aggregates(today, earlier)
    values["ended_periods_at"] = earlier["ended_periods_at"] if earlier else now.isoformat()
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
    """The charts and when the numbers of the running year and month were computed (each chart of years or months
    also says when its ended ones were, if earlier)."""
    values, computed_at = shared_aggregates(today)
    ended_at = values.get("ended_periods_at")
    ended_at = as_aware(datetime.fromisoformat(ended_at)) if ended_at else None
    ended_at = ended_at if ended_at and computed_at - ended_at >= timedelta(seconds=1) else None
    out = [Chart("families-per-year", _("Families supported per year"),
                 [(str(y), n) for y, n in values["families_per_year"]], ended_computed_at=ended_at)]
    out.append(Chart("end-reasons", _("Reasons for ending support in %(year)d", year=today.year),
                     [(get_indicator(c).label(locale), values["ended"].get(c, 0)) for c in END_CODES
                      if get_indicator(c)]))
    visits = []
    for start, n in values["visits_per_month"]:
        start = date.fromisoformat(start)
        visits.append((f"{MONTHS_PL[start.month - 1]} {start.year % 100:02d}", n))
    out.append(Chart("visits-per-month", _("Visits per month"), visits, ended_computed_at=ended_at))
    loads = [(name, n) for _id, name, n in db.session.execute(
        caseload_rows(today, limit=CASELOAD_BARS, busiest_first=True)).all()]
    assistants = db.session.scalar(active_assistant_count()) or 0
    out.append(Chart("caseload", _("Families per assistant today"), loads, limit=caseload_cap(),
                     more=max(assistants - len(loads), 0)))
    return out, computed_at


def charts(today: date, locale: str = "pl") -> list[Chart]:
    return page(today, locale)[0]
