"""Visits' deadline: no visit for too long in the current support period."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework.core.deadlines import Deadline
from casework.core.settings import get_setting
from casework.extensions import db
from casework.families.deadlines import open_periods
from casework.families.models import SupportPeriod
from casework.visits.models import Visit


def no_visit_due(period_start: date, last_visit: date | None, days: int) -> date:
    """"No visit for too long" falls due `days` after the last visit of the current support period, or after the
    period started when it has none yet; a visit from an earlier period of the family never counts."""
    since = last_visit if last_visit is not None and last_visit >= period_start else period_start
    return since + timedelta(days=days)


def last_visits_in_periods(period_ids) -> dict[int, date]:
    """{support period id: date of the family's last visit on or after the period's start}."""
    rows = db.session.execute(
        select(SupportPeriod.id, func.max(Visit.visit_date))
        .join(Visit, (Visit.family_id == SupportPeriod.family_id) & (Visit.visit_date >= SupportPeriod.start_date))
        .where(SupportPeriod.id.in_(period_ids), Visit.archived_at.is_(None))
        .group_by(SupportPeriod.id))
    return dict(rows.all())


def deadlines(family_ids, today: date):
    """Only lapses that have come (due on or before `today`), the earliest per family."""
    periods, period_ids, numbers = open_periods(family_ids, today)
    if not periods:
        return
    warning_days = int(get_setting("no_visit_warning_days"))  # = visits.services.no_visit_warning_days()
    last_visit = last_visits_in_periods(period_ids)
    lapsed = {}
    for p in periods:
        due = no_visit_due(p.start_date, last_visit.get(p.id), warning_days)
        if due <= today and (p.family_id not in lapsed or due < lapsed[p.family_id]):
            lapsed[p.family_id] = due
    for fid, due in lapsed.items():
        yield Deadline("no_visit", due, _l("No visit for too long"), fid, numbers.get(fid), "visits.new",
                       (("family_id", fid),), record_type="family", record_id=fid)
