"""Reminders: a half-yearly assessment due soon, and overdue (to the family's current assistant)."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from casework.auth.roster import coordinator_ids
from casework.core.deadlines import window
from casework.core.reminders import Candidate, catchup_days, reminder_rule
from casework.extensions import db
from casework.families.models import AssistantAssignment


def _due(today: date, earliest: date, latest: date):
    """The assessment deadlines (casework.assessments.deadlines) due between `earliest` and `latest`, and
    {support period id: its current assistant}."""
    rows = window("assessment", today, earliest, latest)
    if not rows:
        return [], {}
    assistants = dict(db.session.execute(
        select(AssistantAssignment.support_period_id, AssistantAssignment.assistant_id).where(
            AssistantAssignment.support_period_id.in_([d.record_id for d in rows]),
            AssistantAssignment.start_date <= today,
            or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= today))).all())
    return rows, assistants


@reminder_rule("assessment_due", _l("Half-yearly assessment due"), lead_setting="assessment_due_lead_days")
def assessment_due(today: date, lead_days: int):
    """A thin adapter over the assessment deadline: `lead_days` before it, to the period's current assistant
    (the coordinators when it has none)."""
    rows, assistants = _due(today, today - timedelta(days=catchup_days()), today + timedelta(days=lead_days))
    coordinators = coordinator_ids() if rows else ()
    return [Candidate("support_period", d.record_id, d.due,
                      (assistants[d.record_id],) if assistants.get(d.record_id) else coordinators, d.case_number)
            for d in rows]


@reminder_rule("assessment_overdue", _l("Half-yearly assessment overdue"))
def assessment_overdue(today: date, lead_days: int):
    """To coordinators (and the assistant) the day after the due date passed without an assessment."""
    rows, assistants = _due(today, today - timedelta(days=catchup_days()), today - timedelta(days=1))
    coordinators = coordinator_ids() if rows else ()
    return [Candidate("support_period", d.record_id, d.due + timedelta(days=1),
                      tuple(coordinators) + ((assistants[d.record_id],) if assistants.get(d.record_id) else ()),
                      d.case_number) for d in rows]
