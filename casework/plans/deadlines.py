"""Plans' deadlines: a plan of work not drawn up yet, a plan due for revision, actions of the newest plan
version past their deadline."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.core.deadlines import Deadline
from casework.extensions import db
from casework.families.deadlines import open_periods
from casework.plans import services
from casework.plans.models import PlanAction, PlanGoal, WorkPlan


KINDS = ("plan_missing", "plan_revision", "plan_action")


def deadlines(family_ids, today: date, kinds=KINDS):
    """`kinds` narrows the work to some of KINDS (a reminder rule needs one)."""
    periods, period_ids, numbers = open_periods(family_ids, today)
    if not periods:
        return
    if "plan_missing" in kinds:
        yield from _missing(periods, period_ids, numbers)
    if "plan_revision" in kinds:
        yield from _revisions(period_ids, numbers)
    if "plan_action" in kinds:
        yield from _actions(today, period_ids, numbers)


def _missing(periods, period_ids, numbers):
    with_plan = set(db.session.scalars(select(WorkPlan.support_period_id).where(
        WorkPlan.support_period_id.in_(period_ids))))
    due_days = services.plan_due_days()
    for p in periods:
        if p.id not in with_plan:
            yield Deadline("plan_missing", services.plan_due_date(p, due_days), _l("Plan of work not drawn up yet"),
                           p.family_id, numbers.get(p.family_id), "plans.family_plan",
                           (("family_id", p.family_id),), record_type="support_period", record_id=p.id)


def _revisions(period_ids, numbers):
    for row in services.revisions_due(period_ids):
        target = (("plans.show", (("plan_id", row["plan_id"]),)) if row["plan_id"]
                  else ("plans.family_plan", (("family_id", row["family_id"]),)))
        yield Deadline("plan_revision", row["due"], _l("Plan of work due for revision"), row["family_id"],
                       numbers.get(row["family_id"]), *target, record_type="support_period",
                       record_id=row["period_id"])


def _actions(today, period_ids, numbers):
    latest = {}
    for period_id, revision in db.session.execute(select(WorkPlan.support_period_id, WorkPlan.revision).where(
            WorkPlan.support_period_id.in_(period_ids))):
        latest[period_id] = max(revision, latest.get(period_id, 0))
    rows = db.session.execute(
        select(PlanAction.id, PlanAction.what, PlanAction.deadline, WorkPlan.family_id, WorkPlan.id,
               WorkPlan.support_period_id, WorkPlan.revision)
        .join(PlanGoal, PlanGoal.id == PlanAction.goal_id).join(WorkPlan, WorkPlan.id == PlanGoal.plan_id)
        .where(WorkPlan.support_period_id.in_(period_ids), PlanAction.deadline < today,
               PlanAction.status.in_(("planned", "in_progress")))).all()
    for action_id, what, deadline, fid, plan_id, period_id, revision in rows:
        if latest.get(period_id) == revision:
            yield Deadline("plan_action", deadline, _l("Plan action past its deadline: %(action)s", action=what[:80]),
                           fid, numbers.get(fid), "plans.show", (("plan_id", plan_id),),
                           record_type="plan_action", record_id=action_id)
