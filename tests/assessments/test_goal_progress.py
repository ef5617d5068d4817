"""The assessment reports progress per goal of the plan, prints for signatures, and can lead to a plan revision."""
from datetime import date, timedelta
from io import BytesIO

import pytest
from docx import Document
from sqlalchemy import func, select

from casework.assessments import services
from casework.assessments.services import AssessmentRuleError
from casework.extensions import db
from casework.plans import services as plans
from casework.reminders.models import Reminder
from casework.reminders.services import create_due_reminders
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


@pytest.fixture
def planned(make_user, make_family):  # noqa: F811
    agata = make_user("assistant", login="agata")
    make_user("coordinator", login="kierownik")
    start = date.today() - timedelta(days=200)
    family = make_family(assistant=agata, name="Celowi", start=start)
    period = family.support_periods[0]
    plan = plans.create_plan(period, {"drawn_up_on": start + timedelta(days=10)}, actor=agata)
    school = plans.add_goal(plan, "Regularna nauka dzieci", None, None, actor=agata)
    budget = plans.add_goal(plan, "Budżet domowy", None, None, actor=agata)
    db.session.commit()
    return agata, family, period, plan, school, budget


def _form(**over):
    today = date.today()
    base = {"assessment_date": today.isoformat(), "covers_from": (today - timedelta(days=180)).isoformat(),
            "covers_to": today.isoformat(), "recommendation": "continue"}
    return base | over


def test_the_form_asks_for_progress_on_each_goal_and_keeps_it(client, planned):
    _agata, family, _period, _plan, school, budget = planned
    login(client, "agata")
    html = client.get(f"/families/{family.id}/assessments/new").get_data(as_text=True)
    assert "Cel 1: Regularna nauka dzieci" in html and "Cel 2: Budżet domowy" in html
    response = client.post(f"/families/{family.id}/assessments/new", data=_form(**{
        f"goal_progress-{school.id}": "Dzieci chodzą do szkoły codziennie", f"goal_progress-{budget.id}": ""}))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dzieci chodzą do szkoły codziennie" in page
    document = Document(BytesIO(client.get(response.headers["Location"] + "/print.docx").data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Regularna nauka dzieci" in cells and "Dzieci chodzą do szkoły codziennie" in cells
    assert "Budżet domowy" not in cells  # a goal without a recorded progress is not printed as empty
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kierownik ośrodka" in text and "Asystent rodziny" in text


def test_a_rejected_form_keeps_the_goal_progress_typed(client, planned):
    _agata, family, _period, _plan, school, _budget = planned
    login(client, "agata")
    response = client.post(f"/families/{family.id}/assessments/new", data=_form(
        assessment_date=(date.today() + timedelta(days=3)).isoformat(),
        **{f"goal_progress-{school.id}": "Tekst, którego nie wolno zgubić"}))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Tekst, którego nie wolno zgubić" in html and "z przyszłości" in html


def test_progress_only_on_goals_of_this_familys_plan(make_user, make_family, planned):  # noqa: F811
    agata, _family, period, _plan, school, _budget = planned
    other = make_family(assistant=agata, name="Inni")
    other_plan = plans.create_plan(other.support_periods[0], {"drawn_up_on": date.today()}, actor=agata)
    foreign = plans.add_goal(other_plan, "Cudzy cel", None, None, actor=agata)
    values = {"assessment_date": date.today(), "covers_from": period.start_date, "covers_to": date.today(),
              "recommendation": "continue"}
    with pytest.raises(AssessmentRuleError, match="celów planu tej rodziny"):
        services.make_assessment(period, values, actor=agata, goal_progress={foreign.id: "nie"})
    assessment = services.make_assessment(period, values | {"progress": "Podsumowanie postępów"}, actor=agata,
                                          goal_progress={school.id: "Postęp"})
    services.update_assessment(assessment, {}, actor=agata, goal_progress={school.id: ""})
    db.session.flush()
    assert assessment.goal_progress == []


def test_recommending_a_revision_puts_it_on_the_board_until_a_new_version(client, planned):
    agata, family, period, plan, _school, _budget = planned
    made = date.today() - timedelta(days=25)
    services.make_assessment(period, {"assessment_date": made, "covers_from": period.start_date,
                                      "covers_to": made, "recommendation": "revise_plan",
                                      "changes": "Ojciec wyprowadził się z domu"}, actor=agata)
    db.session.commit()
    [due] = plans.revisions_due([period.id])
    assert due["due"] == made + timedelta(days=30) and due["plan_id"] == plan.id
    login(client, "kierownik")
    row = f'<a href="/plans/{plan.id}">Plan pracy wymaga aktualizacji</a>'
    assert row in client.get("/deadlines/").get_data(as_text=True)
    create_due_reminders(date.today())
    create_due_reminders(date.today())
    db.session.commit()
    count = select(func.count()).select_from(Reminder).where(Reminder.rule == "plan_revision_due")
    assert db.session.scalar(count) == 1
    plans.revise(plan, date.today(), actor=agata)
    db.session.commit()
    assert plans.revisions_due([period.id]) == []
    assert "Plan pracy wymaga aktualizacji</a>" not in client.get("/deadlines/").get_data(as_text=True)


def test_an_overdue_assessment_is_flagged_on_the_family_page(client, planned):
    _agata, family, period, _plan, _school, _budget = planned
    login(client, "agata")
    due = services.due_date(period, None)
    html = client.get(f"/families/{family.id}").get_data(as_text=True)
    assert f"ocena zaległa od {due.isoformat()}" in html
