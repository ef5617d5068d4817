"""Assessments' deadline: the next half-yearly assessment of each open support period, six months (a setting)
after the period started, then after the latest assessment — computed in the database. Contract:
casework.core.deadlines."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework.assessments import services
from casework.assessments.models import Assessment
from casework.core.deadlines import Deadline, DeadlineKind, add_months, deadline_row
from casework.families.deadlines import case_numbers, open_periods_stmt


def _rows(family_ids, today: date):
    periods = open_periods_stmt(family_ids, today).subquery()
    last = (select(Assessment.support_period_id.label("period_id"), func.max(Assessment.assessment_date)
                   .label("made"))
            .where(Assessment.archived_at.is_(None)).group_by(Assessment.support_period_id).subquery())
    due = add_months(func.coalesce(last.c.made, periods.c.start_date), services.interval_months())
    return (select(*deadline_row(periods.c.family_id, due, None, periods.c.id))
            .select_from(periods).outerjoin(last, last.c.period_id == periods.c.id))


def _render(rows, today: date):
    numbers = case_numbers(r.family_id for r in rows)
    return [Deadline("assessment", r.due, _l("Half-yearly assessment"), r.family_id, numbers.get(r.family_id),
                     "assessments.new", (("family_id", r.family_id),), record_type="support_period",
                     record_id=r.ref_id) for r in rows]


DEADLINES = [DeadlineKind("assessment", _l("Half-yearly assessment"), order=10, rows=_rows, render=_render)]
