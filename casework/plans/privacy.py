"""This domain's sections of the RODO person-data export (contract: casework.core.privacy)."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.core.privacy import person_source
from casework.extensions import db
from casework.plans.models import PlanGoal, WorkPlan


@person_source("plans", "Plany pracy z rodziną", order=40)
def plans(person, _user):
    out = []
    for plan in db.session.scalars(select(WorkPlan).where(WorkPlan.family_id.in_(person.family_ids))
                                   .options(selectinload(WorkPlan.goals).selectinload(PlanGoal.actions))
                                   .order_by(WorkPlan.drawn_up_on)):
        for goal in plan.goals:
            out.append({"wersja": plan.revision, "sporzadzony": plan.drawn_up_on, "cel": goal.description,
                        "dzialania": "; ".join(a.what for a in goal.actions)})
    return out
