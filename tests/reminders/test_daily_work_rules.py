"""Reminders of daily work: a plan action past its deadline and an active family without a visit."""
from datetime import date, timedelta

from sqlalchemy import select

from casework.extensions import db
from casework.plans import services as plans
from casework.reminders.models import Reminder
from casework.reminders.services import create_due_reminders
from casework.visits import services as visits
from tests.families.conftest import make_family  # noqa: F401 - fixture


def _reminders(rule):
    return list(db.session.scalars(select(Reminder).where(Reminder.rule == rule).order_by(Reminder.id)))


def test_plan_action_past_its_deadline_reminds_the_assistant_once(make_user, make_family):  # noqa: F811
    agata = make_user("assistant")
    family = make_family(assistant=agata, start=date(2026, 1, 5))
    plan = plans.create_plan(family.support_periods[0], {"drawn_up_on": date(2026, 1, 20)}, actor=agata,
                             today=date(2026, 1, 20))
    goal = plans.add_goal(plan, "Cel", None, None, actor=agata)
    action = plans.add_action(goal, {"what": "Wizyta w poradni", "deadline": date(2026, 3, 1)}, actor=agata)
    db.session.commit()
    create_due_reminders(date(2026, 3, 1))
    assert _reminders("plan_action_overdue") == []  # on the deadline day it is not late yet
    create_due_reminders(date(2026, 3, 2))
    create_due_reminders(date(2026, 3, 3))
    db.session.commit()
    [reminder] = _reminders("plan_action_overdue")
    assert reminder.recipient_id == agata.id and reminder.due_date == date(2026, 3, 1)
    plans.update_action(action, {"status": "done"}, actor=agata)
    db.session.commit()
    db.session.execute(Reminder.__table__.delete())
    create_due_reminders(date(2026, 3, 4))
    assert _reminders("plan_action_overdue") == []  # done actions are not reminded


def test_no_visit_for_too_long_reminds_and_a_visit_moves_the_date(make_user, make_family):  # noqa: F811
    agata = make_user("assistant")
    family = make_family(assistant=agata, start=date(2026, 1, 5))
    create_due_reminders(date(2026, 1, 20))
    assert _reminders("no_visit") == []
    create_due_reminders(date(2026, 2, 2))  # 30 days after the start, reminded 3 days before
    db.session.commit()
    [first] = _reminders("no_visit")
    assert first.recipient_id == agata.id and first.due_date == date(2026, 2, 4)
    visits.log_visit(family, {"visit_date": date(2026, 2, 3), "duration_minutes": 60}, [], actor=agata,
                     today=date(2026, 2, 3))
    db.session.commit()
    create_due_reminders(date(2026, 2, 10))
    assert len(_reminders("no_visit")) == 1
    create_due_reminders(date(2026, 3, 3))
    db.session.commit()
    assert [r.due_date for r in _reminders("no_visit")] == [date(2026, 2, 4), date(2026, 3, 5)]
