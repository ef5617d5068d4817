"""Plan of work: creation, goals and actions, revisions with earlier versions readable, DOCX, access."""
from datetime import date
from io import BytesIO

import pytest
from docx import Document

from casework.extensions import db
from casework.plans import services
from casework.plans.services import PlanRuleError
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


@pytest.fixture
def setup(make_user, make_family):  # noqa: F811
    agata = make_user("assistant", login="agata")
    family = make_family(assistant=agata, name="Planowi", start=date(2025, 1, 10))
    return agata, family, family.support_periods[0]


def test_plan_rules(setup):
    agata, _family, period = setup
    with pytest.raises(PlanRuleError, match="przed rozpoczęciem"):
        services.create_plan(period, {"drawn_up_on": date(2025, 1, 1)}, actor=agata, today=date(2025, 2, 1))
    plan = services.create_plan(period, {"drawn_up_on": date(2025, 2, 1)}, actor=agata, today=date(2025, 2, 1))
    with pytest.raises(PlanRuleError, match="już plan"):
        services.create_plan(period, {"drawn_up_on": date(2025, 2, 1)}, actor=agata, today=date(2025, 2, 1))
    assert services.plan_due_date(period) == date(2025, 2, 9)
    assert plan.revision == 1
    with pytest.raises(PlanRuleError, match="obszar pracy z listy"):  # found by fuzzing: was a database error
        services.add_goal(plan, "Cel", 999999, None, actor=agata)


def test_revision_copies_and_keeps_the_old_version_readable(setup):
    agata, _family, period = setup
    plan = services.create_plan(period, {"drawn_up_on": date(2025, 2, 1)}, actor=agata, today=date(2025, 2, 1))
    goal = services.add_goal(plan, "Regularna nauka dzieci", None, "Promocja do następnej klasy", actor=agata)
    services.add_action(goal, {"what": "Kontakt z wychowawcą", "responsible": "asystent",
                               "deadline": date(2025, 3, 1)}, actor=agata)
    db.session.refresh(plan)
    second = services.revise(plan, date(2025, 8, 1), actor=agata)
    action = second.goals[0].actions[0]
    services.update_action(action, {"status": "done", "actual_effect": "Ustalono plan nauki"}, actor=agata)
    services.add_goal(second, "Budżet domowy", None, None, actor=agata)
    db.session.commit()
    db.session.refresh(second)
    changes = services.differences(plan, second)
    assert "Dodano cel: Budżet domowy" in changes and "Zmieniono działanie: Kontakt z wychowawcą" in changes
    assert plan.goals[0].actions[0].status == "planned"  # the earlier version is unchanged
    with pytest.raises(PlanRuleError, match="wcześniejsza wersja"):
        services.add_goal(plan, "Nie wolno", None, None, actor=agata)


def test_through_the_pages_with_docx_and_access(app, client, setup, make_user):
    _agata, family, _period = setup
    login(client, "agata")
    response = client.post(f"/families/{family.id}/plan", data={"drawn_up_on": date.today().isoformat(),
                                                                 "consulted_with": "Dorota Socjalna"})
    assert response.status_code == 302
    plan_url = response.headers["Location"]
    plan_id = int(plan_url.rsplit("/", 1)[1])
    client.post(f"/plans/{plan_id}/goals", data={"description": "Poprawa frekwencji", "area_id": ""})
    html = client.get(plan_url).get_data(as_text=True)
    assert "Poprawa frekwencji" in html
    document = Document(BytesIO(client.get(f"/plans/{plan_id}/print.docx").data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Poprawa frekwencji" in text and "Asystent rodziny: ...." in text
    other = app.test_client()
    login(other, make_user("assistant", login="other"))
    for path in (plan_url, f"/plans/{plan_id}/print.docx", f"/families/{family.id}/plan"):
        assert other.get(path).status_code == 404


def test_missing_plan_shows_on_my_families(client, setup):
    login(client, "agata")
    assert "plan pracy zaległy od 2025-02-09" in client.get("/families/mine").get_data(as_text=True)


def test_plan_missing_reminder_once_then_not_after_the_plan(setup):
    from sqlalchemy import func, select

    from casework.reminders.models import Reminder
    from casework.reminders.services import create_due_reminders

    agata, _family, period = setup
    create_due_reminders(date(2025, 2, 3))  # due 9 Feb, reminded 7 days before
    create_due_reminders(date(2025, 2, 4))
    db.session.commit()
    count = select(func.count()).select_from(Reminder).where(Reminder.rule == "plan_missing")
    assert db.session.scalar(count) == 1
    assert db.session.scalar(select(Reminder.recipient_id).where(Reminder.rule == "plan_missing")) == agata.id
