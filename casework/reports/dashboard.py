"""The coordinator's dashboard: a few charts drawn as SVG on the server (no JavaScript, no CDN), each with its
numbers in a table for screen readers and for copying."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from casework.core import periods
from casework.extensions import db
from casework.indicators import engine
from casework.indicators.registry import get as get_indicator

MONTHS_PL = ("sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru")


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
        from datetime import timedelta

        out.append((start, end - timedelta(days=1)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(out))


def charts(today: date, locale: str = "pl") -> list[Chart]:
    out = []
    years = list(range(today.year - 5, today.year + 1))
    supported = [(str(y), engine.compute(periods.year(y), codes=["AR_FAMILIES_SUPPORTED"])
                  .get("AR_FAMILIES_SUPPORTED", 0)) for y in years]
    out.append(Chart("families-per-year", _("Families supported per year"), supported))
    codes = ["AR_ENDED_GOALS_ACHIEVED", "AR_ENDED_NO_COOPERATION", "AR_ENDED_NO_EFFECTS", "AR_ENDED_MOVED_AWAY",
             "AR_ENDED_OTHER"]
    ended = engine.compute(periods.year(today.year), codes=codes)
    out.append(Chart("end-reasons", _("Reasons for ending support in %(year)d", year=today.year),
                     [(get_indicator(c).label(locale), ended.get(c, 0)) for c in codes if get_indicator(c)]))
    visits = []
    for start, end in _month_periods(today):
        value = engine.compute(periods.date_range(start, end), codes=["AR_VISITS"]).get("AR_VISITS", 0)
        visits.append((f"{MONTHS_PL[start.month - 1]} {start.year % 100:02d}", value))
    out.append(Chart("visits-per-month", _("Visits per month"), visits))
    from casework.families.queries import caseloads
    from casework.families.services import caseload_cap

    loads = [(user.full_name, n) for user, n in db.session.execute(caseloads(today)).all()]
    out.append(Chart("caseload", _("Families per assistant today"), loads, limit=caseload_cap()))
    return out
