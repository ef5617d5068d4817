"""Assessment rules and due dates. Add and flush; never commit."""
import calendar
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from casework.assessments import rules
from casework.assessments.models import RECOMMENDATIONS, Assessment, AssessmentGoalProgress
from casework.core import audit
from casework.core.db import ids_in, no_ids
from casework.core.errors import RuleError
from casework.core.settings import get_setting
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, SupportPeriod

FIELDS = ("assessment_date", "covers_from", "covers_to", "progress", "changes", "strengths", "risks",
          "recommendation", "handed_to_head_on")


class AssessmentRuleError(RuleError):
    """A rule of this domain refused the change."""


def interval_months() -> int:
    return int(get_setting("assessment_interval_months"))


def add_months(day: date, months: int) -> date:
    """Calendar months with the day clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(period: SupportPeriod, last_assessment: date | None, months: int | None = None) -> date:
    """Six months after the period starts, then six months after the previous assessment (the interval is a
    setting; callers looping over many periods read it once and pass it)."""
    return add_months(last_assessment or period.start_date, months or interval_months())


def last_assessment_dates(period_ids) -> dict[int, date]:
    """{support period id: date of its latest assessment}; period_ids a list or a SELECT of ids."""
    if no_ids(period_ids):
        return {}
    rows = db.session.execute(select(Assessment.support_period_id, func.max(Assessment.assessment_date))
                              .where(ids_in(Assessment.support_period_id, period_ids),
                                     Assessment.archived_at.is_(None))
                              .group_by(Assessment.support_period_id))
    return dict(rows.all())


def deadlines(periods, today: date, period_ids=None) -> list[dict]:
    """For open support periods: next due date, days left, overdue flag — sorted by urgency. `period_ids` may
    give the periods' ids as a SELECT (a large centre's board)."""
    last = last_assessment_dates(period_ids if period_ids is not None else [p.id for p in periods])
    months = interval_months()
    out = []
    for period in periods:
        due = due_date(period, last.get(period.id), months)
        out.append({"period": period, "last": last.get(period.id), "due": due, "days_left": (due - today).days,
                    "overdue": due < today})
    return sorted(out, key=lambda d: d["due"])


def open_periods_query(today: date, assistant_id: int | None = None):
    stmt = (select(SupportPeriod).join(Family, Family.id == SupportPeriod.family_id)
            .where(Family.archived_at.is_(None), SupportPeriod.start_date <= today,
                   or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= today)))
    if assistant_id:
        stmt = stmt.where(SupportPeriod.id.in_(select(AssistantAssignment.support_period_id).where(
            AssistantAssignment.assistant_id == assistant_id, AssistantAssignment.start_date <= today,
            or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= today))))
    return stmt


def _check(values: dict, period: SupportPeriod, today: date) -> list[str]:
    problems = []
    made = values.get("assessment_date")
    if made is None:
        problems.append(_("Enter the date of the assessment."))
    elif made > today:
        problems.append(_("An assessment cannot be dated in the future."))
    elif made < period.start_date:
        problems.append(_("An assessment cannot be dated before the support period started (%(date)s).",
                          date=period.start_date.isoformat()))
    first, last = values.get("covers_from"), values.get("covers_to")
    if first is None or last is None:
        problems.append(_("Enter the period the assessment covers."))
    elif first > last:
        problems.append(_("The period covered must start before it ends."))
    elif first < period.start_date:
        problems.append(_("The period covered cannot start before the support period."))
    if values.get("recommendation") not in RECOMMENDATIONS:
        problems.append(_("Choose the recommendation."))
    handed = values.get("handed_to_head_on")
    if handed is not None and made is not None and handed < made:
        problems.append(_("The assessment cannot be handed over before it was made."))
    return problems


def _clean(values: dict) -> dict:
    return {f: ((values[f].strip() or None) if isinstance(values[f], str) else values[f])
            for f in FIELDS if f in values}


def assessable_goals(period_id: int, assessment: Assessment | None = None) -> list:
    """The goals an assessment reports on: those of the newest plan of the period, plus any goal the
    assessment already reports on (from an earlier version of the plan)."""
    # local import: plans imports assessments at module level (plans/services, plans/demo), so assessments reads
    # plans lazily to keep the two packages out of a cycle
    from casework.plans.models import PlanGoal, WorkPlan
    from casework.plans.services import latest_plan

    plan = latest_plan(period_id)
    goals = list(plan.goals) if plan else []
    if assessment is not None:
        known = {g.id for g in goals}
        extra = [gp.goal_id for gp in assessment.goal_progress if gp.goal_id not in known]
        if extra:
            goals += db.session.scalars(select(PlanGoal).join(WorkPlan).where(
                PlanGoal.id.in_(extra), WorkPlan.support_period_id == period_id)).all()
    return goals


def _set_goal_progress(assessment: Assessment, goal_progress: dict | None) -> dict:
    """Record per-goal progress ({goal_id: text}); an emptied text removes the entry. Returns the changes."""
    if goal_progress is None:
        return {}
    allowed = {g.id for g in assessable_goals(assessment.support_period_id, assessment)}
    unknown = [gid for gid in goal_progress if gid not in allowed]
    if unknown:
        raise AssessmentRuleError(_("The assessment can only report on the goals of this family's plan."))
    current = {gp.goal_id: gp for gp in assessment.goal_progress}
    changes = {}
    for goal_id, text in goal_progress.items():
        text = (text or "").strip()
        row = current.get(goal_id)
        if row is None and text:
            assessment.goal_progress.append(AssessmentGoalProgress(goal_id=goal_id, progress=text))
            changes[f"goal_{goal_id}"] = [None, text]
        elif row is not None and not text:
            changes[f"goal_{goal_id}"] = [row.progress, None]
            assessment.goal_progress.remove(row)
        elif row is not None and row.progress != text:
            changes[f"goal_{goal_id}"] = [row.progress, text]
            row.progress = text
    return changes


def make_assessment(period: SupportPeriod, values: dict, *, actor, today: date | None = None,
                    goal_progress: dict | None = None) -> Assessment:
    values = _clean(values)
    problems = _check(values, period, today or today_local()) + rules.blank_problems(
        values, (goal_progress or {}).values())
    if problems:
        raise AssessmentRuleError(problems)
    assessment = Assessment(support_period_id=period.id, family_id=period.family_id, author_id=actor.id, **values)
    db.session.add(assessment)
    db.session.flush()
    _set_goal_progress(assessment, goal_progress)
    db.session.flush()
    audit.record("assessment_created", assessment, user=actor, details={"family_id": period.family_id})
    return assessment


def update_assessment(assessment: Assessment, values: dict, *, actor, today: date | None = None,
                      goal_progress: dict | None = None) -> dict:
    if assessment.acknowledged_at is not None:
        raise AssessmentRuleError(_("The head of centre has acknowledged this assessment; it cannot be changed."))
    values = _clean(values)
    merged = {f: getattr(assessment, f) for f in FIELDS} | values
    goal_texts = {gp.goal_id: gp.progress for gp in assessment.goal_progress} | (goal_progress or {})
    problems = _check(merged, assessment.support_period, today or today_local()) + rules.blank_problems(
        merged, goal_texts.values())
    if problems:
        raise AssessmentRuleError(problems)
    changes = audit.diff(assessment, FIELDS, values) | _set_goal_progress(assessment, goal_progress)
    if changes:
        audit.record("assessment_updated", assessment, user=actor, details=changes)
    db.session.flush()
    return changes


def acknowledge(assessment: Assessment, *, actor) -> None:
    if assessment.acknowledged_at is not None:
        return
    assessment.acknowledged_by_id = actor.id
    assessment.acknowledged_at = utcnow()
    if assessment.handed_to_head_on is None:
        assessment.handed_to_head_on = today_local()
    audit.record("assessment_acknowledged", assessment, user=actor)
    db.session.flush()
