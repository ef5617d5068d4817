"""Reminders on the plan of work: not drawn up in time, due for revision, actions past their deadline
(to the family's current assistant; to coordinators when the family has none)."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from casework.deadlines.services import current_period_ids
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, SupportPeriod
from casework.plans import services
from casework.plans.models import PlanAction, PlanGoal, WorkPlan
from casework.auth.roster import coordinator_ids
from casework.core.reminders import Candidate, catchup_days, reminder_rule
from casework.families.responsible import assistants_or_coordinators


@reminder_rule("plan_missing", _l("Plan of work not drawn up yet"), lead_setting="plan_missing_lead_days")
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


@reminder_rule("plan_revision_due", _l("Plan of work due for revision"), lead_setting="plan_revision_lead_days")
def plan_revision_due(today: date, lead_days: int):
    """The latest assessment recommends revising the plan and no new version has been drawn up since."""
    rows = [r for r in services.revisions_due(current_period_ids(today))
            if today - timedelta(days=catchup_days()) <= r["due"] <= today + timedelta(days=lead_days)]
    if not rows:
        return []
    to = assistants_or_coordinators([r["family_id"] for r in rows], today)
    numbers = dict(db.session.execute(select(Family.id, Family.case_number)
                                      .where(Family.id.in_([r["family_id"] for r in rows]))).all())
    return [Candidate("support_period", r["period_id"], r["due"], to[r["family_id"]], numbers.get(r["family_id"]))
            for r in rows]


@reminder_rule("plan_action_overdue", _l("Plan action past its deadline"))
def plan_action_overdue(today: date, lead_days: int):
    """An action of the newest plan version still planned or in progress after its deadline."""
    newest = (select(WorkPlan.support_period_id, func.max(WorkPlan.revision).label("revision"))
              .group_by(WorkPlan.support_period_id).subquery())
    rows = db.session.execute(
        select(PlanAction.id, PlanAction.deadline, WorkPlan.family_id, Family.case_number)
        .join(PlanGoal, PlanGoal.id == PlanAction.goal_id).join(WorkPlan, WorkPlan.id == PlanGoal.plan_id)
        .join(newest, (newest.c.support_period_id == WorkPlan.support_period_id)
              & (newest.c.revision == WorkPlan.revision))
        .join(SupportPeriod, SupportPeriod.id == WorkPlan.support_period_id)
        .join(Family, Family.id == WorkPlan.family_id)
        .where(Family.archived_at.is_(None), PlanAction.status.in_(("planned", "in_progress")),
               PlanAction.deadline < today, PlanAction.deadline >= today - timedelta(days=catchup_days()),
               or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= today))).all()
    if not rows:
        return []
    to = assistants_or_coordinators([r.family_id for r in rows], today)
    return [Candidate("plan_action", r.id, r.deadline, to[r.family_id], r.case_number) for r in rows]
