"""Visits' deadline: no visit for too long in the current support period — `no_visit_warning_days` after the
last visit of the period, or after the period started when it has none yet; computed in the database, the
earliest per family. Contract: casework.core.deadlines."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework.core.deadlines import LAPSED, Deadline, DeadlineKind, deadline_row
from casework.core.settings import get_setting
from casework.core.sql import add_days
from casework.extensions import db
from casework.families.deadlines import case_numbers, open_periods_stmt
from casework.families.models import SupportPeriod
from casework.visits.models import Visit


def no_visit_due(period_start: date, last_visit: date | None, days: int) -> date:
    """"No visit for too long" falls due `days` after the last visit of the current support period, or after the
    period started when it has none yet; a visit from an earlier period of the family never counts (the same
    rule as `_rows` computes in SQL)."""
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


def _rows(family_ids, today: date):
    periods = open_periods_stmt(family_ids, today).subquery()
    last = (select(func.max(Visit.visit_date)).where(Visit.family_id == periods.c.family_id,
                                                     Visit.visit_date >= periods.c.start_date,
                                                     Visit.archived_at.is_(None))
            .correlate(periods).scalar_subquery())
    days = int(get_setting("no_visit_warning_days"))  # = visits.services.no_visit_warning_days()
    per_period = select(periods.c.family_id, add_days(func.coalesce(last, periods.c.start_date), days)
                        .label("due")).subquery()
    return (select(*deadline_row(per_period.c.family_id, func.min(per_period.c.due), None, per_period.c.family_id))
            .group_by(per_period.c.family_id))


def _render(rows, today: date):
    numbers = case_numbers(r.family_id for r in rows)
    return [Deadline("no_visit", r.due, _l("No visit for too long"), r.family_id, numbers.get(r.family_id),
                     "visits.new", (("family_id", r.family_id),), record_type="family", record_id=r.family_id)
            for r in rows]


DEADLINES = [DeadlineKind("no_visit", _l("No visit for too long"), order=70, rows=_rows, render=_render,
                          shown=LAPSED)]
