"""Reminders: the plan of work not drawn up in time (to the family's current assistant)."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, SupportPeriod
from casework.plans import services
from casework.plans.models import WorkPlan
from casework.reminders.recipients import catchup_days, coordinator_ids
from casework.reminders.registry import Candidate, reminder_rule


@reminder_rule("plan_missing", _l("Plan of work not drawn up yet"), lead_setting="plan_missing_lead_days",
               default_lead_days=7)
def plan_missing(today: date, lead_days: int):
    """`plan_due_days` after the support period starts, the plan must exist; reminded `lead_days` before."""
    due_days = services.plan_due_days()
    earliest = today - timedelta(days=due_days + catchup_days())
    latest = today - timedelta(days=due_days - lead_days)
    rows = db.session.execute(
        select(SupportPeriod.id, SupportPeriod.start_date, Family.case_number, AssistantAssignment.assistant_id)
        .join(Family, Family.id == SupportPeriod.family_id)
        .outerjoin(AssistantAssignment, (AssistantAssignment.support_period_id == SupportPeriod.id)
                   & (AssistantAssignment.end_date.is_(None)))
        .where(Family.archived_at.is_(None), SupportPeriod.start_date >= earliest,
               SupportPeriod.start_date <= latest,
               or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= today),
               ~SupportPeriod.id.in_(select(WorkPlan.support_period_id)))).all()
    coordinators = coordinator_ids() if rows else ()
    return [Candidate("support_period", r.id, r.start_date + timedelta(days=due_days),
                      (r.assistant_id,) if r.assistant_id else tuple(coordinators), r.case_number) for r in rows]
