"""Plans' deadlines: a plan of work not drawn up yet, a plan due for revision, actions of the newest plan
version past their deadline — each computed in the database. Contract: casework.core.deadlines."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from casework.assessments.models import Assessment
from casework.core.deadlines import Deadline, DeadlineKind, deadline_row
from casework.core.sql import add_days
from casework.extensions import db
from casework.families.deadlines import case_numbers, open_periods_stmt
from casework.families.models import SupportPeriod
from casework.plans import services
from casework.plans.models import PlanAction, PlanGoal, WorkPlan


def _missing_rows(family_ids, today: date):
    """`plan_due_days` after the support period starts, the plan must exist."""
    periods = open_periods_stmt(family_ids, today).subquery()
    return (select(*deadline_row(periods.c.family_id, add_days(periods.c.start_date, services.plan_due_days()),
                                 None, periods.c.id))
            .where(periods.c.id.not_in(select(WorkPlan.support_period_id))))


def _missing_render(rows, today: date):
    numbers = case_numbers(r.family_id for r in rows)
    return [Deadline("plan_missing", r.due, _l("Plan of work not drawn up yet"), r.family_id,
                     numbers.get(r.family_id), "plans.family_plan", (("family_id", r.family_id),),
                     record_type="support_period", record_id=r.ref_id) for r in rows]


def _revision_rows(family_ids, today: date):
    """The latest assessment recommends revising the plan and no plan has been drawn up since: due
    `plan_revision_days` after that assessment (as casework.plans.services.revisions_due)."""
    periods = open_periods_stmt(family_ids, today).with_only_columns(SupportPeriod.id)
    latest = (select(Assessment.support_period_id.label("period_id"),
                     func.max(Assessment.assessment_date).label("made"))
              .where(Assessment.archived_at.is_(None), Assessment.support_period_id.in_(periods))
              .group_by(Assessment.support_period_id).subquery())
    plans = (select(WorkPlan.support_period_id.label("period_id"), func.max(WorkPlan.drawn_up_on).label("drawn"))
             .group_by(WorkPlan.support_period_id).subquery())
    due = (select(Assessment.support_period_id.label("period_id"), Assessment.family_id.label("family_id"),
                  Assessment.assessment_date.label("made"))
           .join(latest, (latest.c.period_id == Assessment.support_period_id)
                 & (latest.c.made == Assessment.assessment_date))
           .outerjoin(plans, plans.c.period_id == Assessment.support_period_id)
           .where(Assessment.archived_at.is_(None), Assessment.recommendation == "revise_plan",
                  plans.c.drawn.is_(None) | (plans.c.drawn <= Assessment.assessment_date))
           .distinct().subquery())
    return select(*deadline_row(due.c.family_id, add_days(due.c.made, services.plan_revision_days()), None,
                                due.c.period_id))


def _revision_render(rows, today: date):
    numbers = case_numbers(r.family_id for r in rows)
    ids = [r.ref_id for r in rows]
    newest = dict(db.session.execute(select(WorkPlan.support_period_id, func.max(WorkPlan.id))
                                     .where(WorkPlan.support_period_id.in_(ids))
                                     .group_by(WorkPlan.support_period_id)).all()) if ids else {}
    out = []
    for r in rows:
        plan_id = newest.get(r.ref_id)
        target = (("plans.show", (("plan_id", plan_id),)) if plan_id
                  else ("plans.family_plan", (("family_id", r.family_id),)))
        out.append(Deadline("plan_revision", r.due, _l("Plan of work due for revision"), r.family_id,
                            numbers.get(r.family_id), *target, record_type="support_period", record_id=r.ref_id))
    return out


def _action_rows(family_ids, today: date):
    """Actions of the newest plan version still planned or in progress after their deadline."""
    periods = open_periods_stmt(family_ids, today).with_only_columns(SupportPeriod.id)
    plan = aliased(WorkPlan)
    newest = (select(func.max(WorkPlan.revision)).where(WorkPlan.support_period_id == plan.support_period_id)
              .correlate(plan).scalar_subquery())
    return (select(*deadline_row(plan.family_id, PlanAction.deadline, None, PlanAction.id)).select_from(PlanAction)
            .join(PlanGoal, PlanGoal.id == PlanAction.goal_id).join(plan, plan.id == PlanGoal.plan_id)
            .where(plan.support_period_id.in_(periods), PlanAction.deadline < today,
                   PlanAction.status.in_(("planned", "in_progress")), plan.revision == newest))


def _action_render(rows, today: date):
    numbers = case_numbers(r.family_id for r in rows)
    ids = [r.ref_id for r in rows]
    found = {i: (what, plan_id) for i, what, plan_id in db.session.execute(
        select(PlanAction.id, PlanAction.what, PlanGoal.plan_id).join(PlanGoal, PlanGoal.id == PlanAction.goal_id)
        .where(PlanAction.id.in_(ids)))} if ids else {}
    out = []
    for r in rows:
        what, plan_id = found[r.ref_id]
        out.append(Deadline("plan_action", r.due, _l("Plan action past its deadline: %(action)s", action=what[:80]),
                            r.family_id, numbers.get(r.family_id), "plans.show", (("plan_id", plan_id),),
                            record_type="plan_action", record_id=r.ref_id))
    return out


DEADLINES = [
    DeadlineKind("plan_missing", _l("Plan of work not drawn up yet"), order=20, rows=_missing_rows,
                 render=_missing_render),
    DeadlineKind("plan_revision", _l("Plan of work due for revision"), order=30, rows=_revision_rows,
                 render=_revision_render),
    DeadlineKind("plan_action", _l("Plan actions past the deadline"), order=40, rows=_action_rows,
                 render=_action_render),
]
