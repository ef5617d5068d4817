"""Rules of the work plan. Add and flush; never commit."""
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from casework.assessments.models import Assessment
from casework.core import audit
from casework.core.db import ids_in, no_ids
from casework.core.dictionaries import entries
from casework.core.errors import RuleError
from casework.core.settings import get_setting
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.plans.models import ACTION_STATUSES, PlanAction, PlanGoal, WorkPlan

HEADER_FIELDS = ("drawn_up_on", "consulted_with", "consulted_on", "agreed_with_family_on",
                 "foster_care_coordinator", "child_help_plan_ref")
ACTION_FIELDS = ("what", "responsible", "deadline", "status", "actual_effect")


class PlanRuleError(RuleError):
    """A rule of this domain refused the change."""


def plan_due_days() -> int:
    return int(get_setting("plan_due_days"))


def plan_due_date(period, days: int | None = None) -> date:
    """`plan_due_days` after the support period starts (callers looping over many periods pass the setting)."""
    return period.start_date + timedelta(days=plan_due_days() if days is None else days)


def _clean(values: dict, fields) -> dict:
    return {f: ((values[f].strip() or None) if isinstance(values[f], str) else values[f])
            for f in fields if f in values}


def latest_plan(period_id: int) -> WorkPlan | None:
    return db.session.scalar(select(WorkPlan).where(WorkPlan.support_period_id == period_id)
                             .order_by(WorkPlan.revision.desc()).limit(1))


def create_plan(period, values: dict, *, actor, today: date | None = None) -> WorkPlan:
    values = _clean(values, HEADER_FIELDS)
    drawn = values.get("drawn_up_on")
    if drawn is None or drawn > (today or today_local()):
        raise PlanRuleError(_("Enter the date the plan was drawn up (not in the future)."))
    if drawn < period.start_date:
        raise PlanRuleError(_("The plan cannot be drawn up before the support period started."))
    if latest_plan(period.id) is not None:
        raise PlanRuleError(_("The family already has a plan; revise it instead."))
    plan = WorkPlan(support_period_id=period.id, family_id=period.family_id, revision=1, author_id=actor.id,
                    **values)
    db.session.add(plan)
    db.session.flush()
    audit.record("work_plan_created", plan, user=actor, details={"family_id": period.family_id})
    return plan


def add_goal(plan: WorkPlan, description: str, area_id: int | None, expected_effect: str | None, *, actor):
    _editable(plan)
    if not (description or "").strip():
        raise PlanRuleError(_("Describe the goal."))
    if area_id and area_id not in {e.id for e in entries("area_of_work", include_inactive=True)}:
        raise PlanRuleError(_("Choose the area of work from the list."))
    goal = PlanGoal(plan_id=plan.id, position=len(plan.goals) + 1, description=description.strip(),
                    area_id=area_id or None, expected_effect=(expected_effect or "").strip() or None)
    db.session.add(goal)
    db.session.flush()
    audit.record("plan_goal_added", plan, user=actor, details={"goal_id": goal.id})
    return goal


def add_action(goal: PlanGoal, values: dict, *, actor) -> PlanAction:
    _editable(goal.plan)
    values = _clean(values, ACTION_FIELDS)
    _check_action(values)
    action = PlanAction(goal_id=goal.id, **values)
    db.session.add(action)
    db.session.flush()
    audit.record("plan_action_added", goal.plan, user=actor, details={"action_id": action.id})
    return action


def update_action(action: PlanAction, values: dict, *, actor) -> dict:
    _editable(action.goal.plan)
    values = _clean(values, ACTION_FIELDS)
    _check_action({f: getattr(action, f) for f in ACTION_FIELDS} | values)
    changes = audit.diff(action, ACTION_FIELDS, values)
    if changes:
        audit.record("plan_action_updated", action.goal.plan, user=actor,
                     details={"action_id": action.id, **changes})
    db.session.flush()
    return changes


def _check_action(values: dict) -> None:
    problems = []
    if not values.get("what"):
        problems.append(_("Describe the action."))
    if values.get("status", "planned") not in ACTION_STATUSES:
        problems.append(_("Choose the status from the list."))
    if problems:
        raise PlanRuleError(problems)


def _editable(plan: WorkPlan) -> None:
    newest = latest_plan(plan.support_period_id)
    if newest is not None and newest.id != plan.id:
        raise PlanRuleError(_("This is an earlier version of the plan; only the newest one can be changed."))


def revise(plan: WorkPlan, drawn_up_on: date, *, actor) -> WorkPlan:
    """A new version that starts as a copy of the newest one; the earlier version stays readable."""
    _editable(plan)
    if drawn_up_on is None or drawn_up_on < plan.drawn_up_on:
        raise PlanRuleError(_("The revision must be dated on or after the previous version."))
    new = WorkPlan(support_period_id=plan.support_period_id, family_id=plan.family_id, revision=plan.revision + 1,
                   author_id=actor.id, drawn_up_on=drawn_up_on,
                   **{f: getattr(plan, f) for f in HEADER_FIELDS if f != "drawn_up_on"})
    for goal in plan.goals:
        copy = PlanGoal(position=goal.position, area_id=goal.area_id, description=goal.description,
                        expected_effect=goal.expected_effect)
        copy.actions = [PlanAction(what=a.what, responsible=a.responsible, deadline=a.deadline, status=a.status,
                                   actual_effect=a.actual_effect) for a in goal.actions]
        new.goals.append(copy)
    db.session.add(new)
    db.session.flush()
    audit.record("work_plan_revised", new, user=actor, details={"previous_id": plan.id})
    return new


def differences(old: WorkPlan | None, new: WorkPlan) -> list[str]:
    """What changed between two versions, in words (goals and actions added, removed, changed)."""
    if old is None:
        return []
    out = []
    old_goals = {g.description: g for g in old.goals}
    new_goals = {g.description: g for g in new.goals}
    for text in new_goals.keys() - old_goals.keys():
        out.append(_("Goal added: %(goal)s", goal=text))
    for text in old_goals.keys() - new_goals.keys():
        out.append(_("Goal removed: %(goal)s", goal=text))
    for text in new_goals.keys() & old_goals.keys():
        before = {a.what: a for a in old_goals[text].actions}
        after = {a.what: a for a in new_goals[text].actions}
        for what in after.keys() - before.keys():
            out.append(_("Action added: %(action)s", action=what))
        for what in before.keys() - after.keys():
            out.append(_("Action removed: %(action)s", action=what))
        for what in after.keys() & before.keys():
            a, b = before[what], after[what]
            if (a.status, a.deadline, a.actual_effect) != (b.status, b.deadline, b.actual_effect):
                out.append(_("Action changed: %(action)s", action=what))
    return out


def plan_revision_days() -> int:
    return int(get_setting("plan_revision_days"))


def revisions_due(period_ids, *, family_ids=None) -> list[dict]:
    """Support periods whose latest assessment recommends revising the plan and whose plan has not been
    drawn up again since: the revision is due `plan_revision_days` after that assessment.

    Returns dicts with period_id, family_id, assessment_date, due, plan_id (the newest plan or None)."""

    if period_ids is not None and no_ids(period_ids):
        return []
    latest = (select(Assessment.support_period_id.label("period_id"),
                     func.max(Assessment.assessment_date).label("made"))
              .where(Assessment.archived_at.is_(None)).group_by(Assessment.support_period_id))
    if period_ids is not None:
        latest = latest.where(ids_in(Assessment.support_period_id, period_ids))
    latest = latest.subquery()
    plans = (select(WorkPlan.support_period_id.label("period_id"), func.max(WorkPlan.drawn_up_on).label("drawn"),
                    func.max(WorkPlan.id).label("plan_id"))
             .group_by(WorkPlan.support_period_id).subquery())
    stmt = (select(Assessment.support_period_id, Assessment.family_id, Assessment.assessment_date,
                   plans.c.plan_id)
            .join(latest, (latest.c.period_id == Assessment.support_period_id)
                  & (latest.c.made == Assessment.assessment_date))
            .outerjoin(plans, plans.c.period_id == Assessment.support_period_id)
            .where(Assessment.archived_at.is_(None), Assessment.recommendation == "revise_plan",
                   (plans.c.drawn.is_(None)) | (plans.c.drawn <= Assessment.assessment_date)))
    if family_ids is not None:
        stmt = stmt.where(Assessment.family_id.in_(list(family_ids)))
    days = plan_revision_days()
    seen, out = set(), []
    for period_id, family_id, made, plan_id in db.session.execute(stmt):
        if period_id in seen:
            continue
        seen.add(period_id)
        out.append({"period_id": period_id, "family_id": family_id, "assessment_date": made,
                    "due": made + timedelta(days=days), "plan_id": plan_id})
    return out
