"""Reminder: an active family has had no visit for `no_visit_warning_days` (to its current assistant)."""
from datetime import date, timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from casework.core.reminders import Candidate, catchup_days, reminder_rule
from casework.visits.deadlines import no_visit_due
from casework.extensions import db
from casework.families.models import Family, SupportPeriod
from casework.families.responsible import assistants_or_coordinators
from casework.visits.models import Visit
from casework.visits.services import no_visit_warning_days


def _link(record_type, record_id):
    return url_for("families.detail", family_id=record_id)


@reminder_rule("no_visit", _l("No visit for too long"), lead_setting="no_visit_lead_days",
               link=_link)
def no_visit(today: date, lead_days: int):
    """Due `no_visit_warning_days` after the last visit (or after the support period started, when there was
    none yet); a later visit moves the due date, so each lapse reminds once."""
    days = no_visit_warning_days()
    last = (select(Visit.family_id, func.max(Visit.visit_date).label("last"))
            .where(Visit.archived_at.is_(None)).group_by(Visit.family_id).subquery())
    rows = db.session.execute(
        select(SupportPeriod.id, SupportPeriod.family_id, SupportPeriod.start_date, last.c.last, Family.case_number)
        .join(Family, Family.id == SupportPeriod.family_id)
        .outerjoin(last, last.c.family_id == SupportPeriod.family_id)
        .where(Family.archived_at.is_(None), SupportPeriod.start_date <= today,
               or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= today))).all()
    window_start, window_end = today - timedelta(days=catchup_days()), today + timedelta(days=lead_days)
    due_rows = []
    for r in rows:
        due = no_visit_due(r.start_date, r.last, days)
        if window_start <= due <= window_end:
            due_rows.append((r, due))
    if not due_rows:
        return []
    to = assistants_or_coordinators([r.family_id for r, _ in due_rows], today)
    return [Candidate("family", r.family_id, due, to[r.family_id], r.case_number) for r, due in due_rows]
