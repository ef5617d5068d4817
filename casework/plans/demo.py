"""Synthetic plans of work and half-yearly assessments for the demo support periods."""
from datetime import timedelta

from sqlalchemy import func, insert, select, text

from casework.assessments.models import Assessment
from casework.assessments.services import add_months
from casework.core.dictionaries import entries
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.families.models import AssistantAssignment, SupportPeriod
from casework.plans.models import PlanAction, PlanGoal, WorkPlan

ORDER = 30
GOALS = [("Poprawa organizacji dnia dzieci", "Stały rytm dnia, regularne posiłki"),
         ("Regularne uczęszczanie dzieci do szkoły", "Frekwencja powyżej 90%"),
         ("Uporządkowanie budżetu domowego", "Brak zaległości w opłatach"),
         ("Podjęcie zatrudnienia przez rodzica", "Umowa o pracę lub staż")]
ACTIONS = [("Cotygodniowe spotkania z rodzicami", "asystent rodziny"), ("Kontakt z wychowawcą", "asystent rodziny"),
           ("Rejestracja w urzędzie pracy", "matka"), ("Konsultacja w poradni", "rodzice")]


def _next(model):
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def generate(users, families, rng, progress, options=None):
    today, now = today_local(), utcnow()
    areas = [e.id for e in entries("area_of_work")]
    periods = db.session.execute(
        select(SupportPeriod.id, SupportPeriod.family_id, SupportPeriod.start_date, SupportPeriod.end_date,
               func.min(AssistantAssignment.assistant_id))
        .join(AssistantAssignment, AssistantAssignment.support_period_id == SupportPeriod.id)
        .group_by(SupportPeriod.id, SupportPeriod.family_id, SupportPeriod.start_date, SupportPeriod.end_date)).all()
    plan_id, goal_id, assessment_id = _next(WorkPlan), _next(PlanGoal), _next(Assessment)
    plans, goals, actions, assessments = [], [], [], []
    for period_id, family_id, start, end, author in periods:
        last = min(end or today, today)
        drawn = start + timedelta(days=rng.randrange(7, 28))
        if drawn > last:
            continue
        plans.append({"id": plan_id, "support_period_id": period_id, "family_id": family_id, "revision": 1,
                      "drawn_up_on": drawn, "consulted_with": "pracownik socjalny", "consulted_on": drawn,
                      "agreed_with_family_on": drawn, "author_id": author, "created_at": now, "updated_at": now})
        for position, (goal, effect) in enumerate(rng.sample(GOALS, 2), start=1):
            goals.append({"id": goal_id, "plan_id": plan_id, "position": position, "area_id": rng.choice(areas),
                          "description": goal, "expected_effect": effect})
            for what, who in rng.sample(ACTIONS, 2):
                deadline = drawn + timedelta(days=rng.randrange(30, 180))
                actions.append({"goal_id": goal_id, "what": what, "responsible": who, "deadline": deadline,
                                "status": "done" if deadline < today and rng.random() < 0.7 else "planned",
                                "actual_effect": None, "version": 1})
            goal_id += 1
        plan_id += 1
        due = add_months(start, 6)
        while due <= last:
            made = due - timedelta(days=rng.randrange(0, 10))
            if rng.random() < 0.9:
                assessments.append({"id": assessment_id, "support_period_id": period_id, "family_id": family_id,
                                    "assessment_date": made, "covers_from": add_months(made, -6), "covers_to": made,
                                    "progress": "Częściowa realizacja celów planu.", "recommendation": "continue",
                                    "author_id": author, "handed_to_head_on": made, "version": 1,
                                    "created_at": now, "updated_at": now})
                assessment_id += 1
            due = add_months(made, 6)
    for model, rows in ((WorkPlan, plans), (PlanGoal, goals), (PlanAction, actions), (Assessment, assessments)):
        for batch in range(0, len(rows), 5000):
            db.session.execute(insert(model), rows[batch:batch + 5000])
    if db.engine.dialect.name == "postgresql":
        for table in ("work_plan", "plan_goal", "plan_action", "assessment"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
    progress(f"  {len(plans)} plans of work, {len(assessments)} assessments")
