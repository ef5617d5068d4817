"""Synthetic typed-in figures of the ministry report for the demo centre: each row casework cannot derive (the
municipality's spending on day-support facilities, from its accounts) typed in for every half-year of the demo's
span, as the finance department would supply it, so the demo's report has no empty row. Uses no random numbers:
the other domains' demo data stay as they are."""
from decimal import Decimal

from sqlalchemy import func, select

from casework.core import periods
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.families.models import SupportPeriod
from casework.reports import ministry
from casework.reports.models import MinistryRowValue

ORDER = 97
SUPPLIED_BY = "Referat Finansowo-Księgowy Urzędu Gminy"


def generate(users, families, rng, progress, options=None):
    if families <= 0:
        return
    today, now = today_local(), utcnow()
    first = db.session.scalar(select(func.min(SupportPeriod.start_date))) or today
    rows = ministry.typed_rows()
    coordinator = users.get("koordynator")
    added = 0
    for span in periods.halves_in(periods.Period(first, today)):
        year, half_no = ministry.half_of(span)
        for n, row in enumerate(rows):
            # a figure that grows slowly with the years, different for each row and half-year
            figure = Decimal(21000 + 900 * (year - first.year) + 350 * half_no + 1000 * n) + Decimal("0.50")
            db.session.add(MinistryRowValue(row_id=row.id, year=year, half=half_no, value=figure,
                                            supplied_by=SUPPLIED_BY, entered_at=now,
                                            entered_by_id=coordinator.id if coordinator is not None else None))
            added += 1
    db.session.flush()
    progress(f"  {added} typed-in figures of the ministry report (rows casework cannot derive)")
