"""Reminders: a half-yearly assessment due soon, and overdue (to the family's current assistant)."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from casework.assessments import services
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family
from casework.auth.roster import coordinator_ids
from casework.core.reminders import Candidate, catchup_days, reminder_rule


def _due_periods(today: date):
    periods = db.session.scalars(services.open_periods_query(today)).all()
    rows = services.deadlines(periods, today)
    if not rows:
        return [], {}
    assistants = dict(db.session.execute(
        select(AssistantAssignment.support_period_id, AssistantAssignment.assistant_id).where(
            AssistantAssignment.support_period_id.in_([r["period"].id for r in rows]),
            AssistantAssignment.start_date <= today,
            or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= today))).all())
    numbers = dict(db.session.execute(select(Family.id, Family.case_number).where(
        Family.id.in_([r["period"].family_id for r in rows]))).all())
    return rows, {"assistants": assistants, "numbers": numbers}


@reminder_rule("assessment_due", _l("Half-yearly assessment due"), lead_setting="assessment_due_lead_days")
def assessment_due(today: date, lead_days: int):
    rows, lookup = _due_periods(today)
    coordinators = coordinator_ids() if rows else ()
    out = []
    for row in rows:
        if today - timedelta(days=catchup_days()) <= row["due"] <= today + timedelta(days=lead_days):
            period = row["period"]
            recipient = lookup["assistants"].get(period.id)
            out.append(Candidate("support_period", period.id, row["due"],
                                 (recipient,) if recipient else coordinators,
                                 lookup["numbers"].get(period.family_id)))
    return out


@reminder_rule("assessment_overdue", _l("Half-yearly assessment overdue"))
def assessment_overdue(today: date, lead_days: int):
    """To coordinators (and the assistant) the day after the due date passed without an assessment."""
    rows, lookup = _due_periods(today)
    coordinators = coordinator_ids() if rows else ()
    out = []
    for row in rows:
        if row["overdue"] and row["due"] >= today - timedelta(days=catchup_days()):
            period = row["period"]
            recipient = lookup["assistants"].get(period.id)
            out.append(Candidate("support_period", period.id, row["due"] + timedelta(days=1),
                                 tuple(coordinators) + ((recipient,) if recipient else ()),
                                 lookup["numbers"].get(period.family_id)))
    return out
