"""A family that came back (a new support period after an ended one) starts clean: the board and the reminders
show no deadline from its earlier period."""
from datetime import timedelta

from sqlalchemy import select

from casework.assessments.models import Assessment
from casework.core.timeutil import today_local
from casework.deadlines import services
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, SupportPeriod
from casework.plans.models import WorkPlan
from casework.reminders.models import Reminder
from casework.scheduler.jobs import create_reminders
from casework.visits.deadlines import no_visit_due
from casework.visits.models import Visit
from tests.conftest import login
from tests.reminders.helpers import at


def _reopened(assistant):
    """Period 1 ran until 20 days ago (plan, last visit 45 days ago, an assessment 40 days ago recommending a
    revision of the plan, monitoring for 15 more days); period 2 started 10 days ago."""
    t = today_local()
    family = Family(case_number="AR/H3/1", name="Powracający")
    db.session.add(family)
    db.session.flush()
    first = SupportPeriod(family_id=family.id, start_date=t - timedelta(days=400), end_date=t - timedelta(days=20),
                          monitoring_until=t + timedelta(days=15))
    second = SupportPeriod(family_id=family.id, start_date=t - timedelta(days=10))
    db.session.add_all([first, second])
    db.session.flush()
    db.session.add_all([
        AssistantAssignment(support_period_id=first.id, family_id=family.id, assistant_id=assistant.id,
                            start_date=first.start_date, end_date=first.end_date),
        AssistantAssignment(support_period_id=second.id, family_id=family.id, assistant_id=assistant.id,
                            start_date=second.start_date),
        WorkPlan(support_period_id=first.id, family_id=family.id, revision=1, author_id=assistant.id,
                 drawn_up_on=t - timedelta(days=390)),
        Visit(family_id=family.id, assistant_id=assistant.id, visit_date=t - timedelta(days=45),
              duration_minutes=60),
        Assessment(support_period_id=first.id, family_id=family.id, assessment_date=t - timedelta(days=40),
                   covers_from=t - timedelta(days=220), covers_to=t - timedelta(days=40), progress="Postępy",
                   recommendation="revise_plan", author_id=assistant.id),
    ])
    db.session.commit()
    return family, first, second


def test_the_board_shows_only_the_current_periods_deadlines(client, make_user):
    assistant = make_user("assistant", login="agata")
    make_user("coordinator", login="kierownik")
    family, _first, second = _reopened(assistant)
    t = today_local()
    items = [d for d in services.collect(None, t, include_caseload=False) if d.family_id == family.id]
    kinds = {d.kind: d.due for d in items}
    # the current period's plan is due 30 days after IT started; nothing else is due
    assert kinds == {"plan_missing": second.start_date + timedelta(days=30)}
    login(client, "kierownik")
    for kind in ("no_visit", "monitoring", "plan_revision", "assessment"):
        assert family.case_number not in client.get(f"/deadlines/?kind={kind}").get_data(as_text=True), kind
    assert family.case_number in client.get("/deadlines/?kind=plan_missing").get_data(as_text=True)

    # 30 days after the new period started without a visit, "no visit" is due from the period's start
    later = second.start_date + timedelta(days=31)
    items = [d for d in services.collect(None, later, include_caseload=False) if d.family_id == family.id]
    assert [(d.kind, d.due) for d in items if d.kind == "no_visit"] == \
        [("no_visit", second.start_date + timedelta(days=30))]


def test_reminders_come_only_from_the_current_period(make_user):
    assistant = make_user("assistant")
    make_user("coordinator")
    family, first, _second = _reopened(assistant)
    create_reminders(at(today_local()))
    rows = db.session.scalars(select(Reminder)).all()
    assert not [r for r in rows if r.record_type == "support_period" and r.record_id == first.id
                and r.rule != "monitoring_ending"]
    assert not [r for r in rows if r.rule == "no_visit" and r.record_id == family.id]


def test_no_visit_due_ignores_visits_of_an_earlier_period():
    t = today_local()
    assert no_visit_due(t, t - timedelta(days=45), 30) == t + timedelta(days=30)
    assert no_visit_due(t, None, 30) == t + timedelta(days=30)
    assert no_visit_due(t - timedelta(days=5), t - timedelta(days=2), 30) == t + timedelta(days=28)


def test_the_visit_pages_do_not_flag_a_family_that_came_back(client, make_user):
    from casework.visits import services as visits

    assistant = make_user("assistant", login="agata")
    family, _first, second = _reopened(assistant)
    assert family.id not in visits.families_without_recent_visit([family.id], today_local())
    later = second.start_date + timedelta(days=31)  # 31 days into the new period without a visit: overdue now
    assert visits.families_without_recent_visit([family.id], later) == {family.id: None}
    login(client, "agata")
    html = client.get("/visits/day").get_data(as_text=True)
    assert family.case_number in html or family.name in html
    assert "brak wizyty od ponad" not in html
