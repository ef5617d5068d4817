"""Half-yearly assessments: due dates, rules, the deadline board, reminders and indicators."""
from datetime import date

import pytest

from casework.assessments import services
from casework.assessments.services import AssessmentRuleError, add_months
from casework.extensions import db
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


@pytest.mark.parametrize("start, months, expected", [
    (date(2025, 8, 31), 6, date(2026, 2, 28)),
    (date(2023, 8, 31), 6, date(2024, 2, 29)),
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2025, 7, 15), 6, date(2026, 1, 15)),
    (date(2025, 12, 1), 6, date(2026, 6, 1)),
])
def test_month_arithmetic_clamps_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def _values(**over):
    base = {"assessment_date": date(2025, 7, 1), "covers_from": date(2025, 1, 10), "covers_to": date(2025, 6, 30),
            "recommendation": "continue", "progress": "Postępy w organizacji dnia."}
    return base | over


def test_due_six_months_after_start_then_after_the_previous_assessment(make_user, make_family):  # noqa: F811
    agata = make_user("assistant")
    family = make_family(assistant=agata, start=date(2025, 1, 10))
    period = family.support_periods[0]
    assert services.due_date(period, None) == date(2025, 7, 10)
    services.make_assessment(period, _values(), actor=agata, today=date(2025, 7, 2))
    [row] = services.deadlines([period], date(2025, 7, 2))
    assert row["due"] == date(2026, 1, 1) and not row["overdue"]
    [row] = services.deadlines([period], date(2026, 1, 2))
    assert row["overdue"]


@pytest.mark.parametrize("over, message", [
    ({"assessment_date": date(2025, 7, 3)}, "z przyszłości"),
    ({"assessment_date": date(2025, 1, 9)}, "przed rozpoczęciem okresu wsparcia"),
    ({"covers_from": date(2025, 6, 1), "covers_to": date(2025, 5, 1)}, "musi zaczynać się przed"),
    ({"recommendation": "nonsense"}, "rekomendację"),
])
def test_dates_validated_in_polish(make_user, make_family, over, message):  # noqa: F811
    agata = make_user("assistant")
    period = make_family(assistant=agata, start=date(2025, 1, 10)).support_periods[0]
    with pytest.raises(AssessmentRuleError, match=message):
        services.make_assessment(period, _values(**over), actor=agata, today=date(2025, 7, 2))


def test_acknowledged_assessment_is_frozen(make_user, make_family):  # noqa: F811
    agata, head = make_user("assistant"), make_user("coordinator")
    period = make_family(assistant=agata).support_periods[0]
    assessment = services.make_assessment(period, _values(), actor=agata, today=date(2025, 7, 2))
    services.acknowledge(assessment, actor=head)
    assert assessment.handed_to_head_on is not None
    with pytest.raises(AssessmentRuleError, match="zatwierdził"):
        services.update_assessment(assessment, {"risks": "x"}, actor=agata, today=date(2025, 7, 3))


def test_the_assistant_writes_it_through_the_form_and_others_get_404(app, client, make_user,
                                                                      make_family):  # noqa: F811
    agata = make_user("assistant", login="agata")
    family = make_family(assistant=agata, start=date(2025, 1, 10))
    login(client, "agata")
    response = client.post(f"/families/{family.id}/assessments/new", data={
        "assessment_date": "2025-07-01", "covers_from": "2025-01-10", "covers_to": "2025-06-30",
        "recommendation": "revise_plan", "strengths": "Zaangażowanie matki",
        "changes": "Matka podjęła pracę"})
    assert response.status_code == 302
    assessment_url = response.headers["Location"]
    assert "Zaangażowanie matki" in client.get(assessment_url).get_data(as_text=True)
    assert "Ocena okresowa: zmiana planu" in client.get(f"/families/{family.id}").get_data(as_text=True)
    other = app.test_client()
    login(other, make_user("assistant", login="other"))
    assert other.get(assessment_url).status_code == 404
    assert other.get(f"/families/{family.id}/assessments/new").status_code == 404


def test_deadline_board_for_coordinators_with_constant_queries(client, login_as, make_user, make_family,  # noqa: F811
                                                               queries):
    login_as("coordinator")
    agata = make_user("assistant")
    make_family(assistant=agata, name="Pierwsi", start=date(2024, 1, 10))

    def count():
        with queries() as q:
            html = client.get("/assessments/board").get_data(as_text=True)
        return len(q), html

    few, html = count()
    assert "Pierwsi" in html and "po terminie" in html
    for n in range(10):
        make_family(assistant=make_user("assistant"), name=f"Rodzina{n}")
    many, _html = count()
    assert few == many


def test_board_is_for_coordinators_only(client, login_as):
    login_as("assistant")
    assert client.get("/assessments/board").status_code == 403


def test_indicators_count_assessments_and_overdue_families(make_user, make_family):  # noqa: F811
    from casework.core.periods import year
    from casework.indicators import engine

    agata = make_user("assistant")
    on_time = make_family(assistant=agata, name="Terminowi", start=date(2025, 1, 10))
    make_family(assistant=agata, name="Zaległi", start=date(2025, 3, 1))
    services.make_assessment(on_time.support_periods[0], _values(), actor=agata, today=date(2025, 7, 2))
    db.session.commit()
    values = engine.compute(year(2025))
    assert values["AR_ASSESSMENTS"] == 1
    # 31 Dec 2025: Terminowi due 1 Jan 2026 (not overdue), Zaległi due 1 Sep 2025 (overdue)
    assert values["AR_ASSESSMENTS_OVERDUE"] == 1


def test_reminders_due_and_overdue_arrive_once(make_user, make_family):  # noqa: F811
    from sqlalchemy import func, select

    from casework.reminders.models import Reminder
    from casework.reminders.services import create_due_reminders

    agata = make_user("assistant")
    make_user("coordinator")
    make_family(assistant=agata, start=date(2025, 1, 10))
    create_due_reminders(date(2025, 6, 30))  # 10 days before 10 July
    create_due_reminders(date(2025, 6, 30))
    db.session.commit()
    rules = dict(db.session.execute(select(Reminder.rule, func.count()).group_by(Reminder.rule)).all())
    assert rules.get("assessment_due") == 1
    create_due_reminders(date(2025, 7, 12))
    db.session.commit()
    rules = dict(db.session.execute(select(Reminder.rule, func.count()).group_by(Reminder.rule)).all())
    assert rules.get("assessment_overdue") == 2  # the coordinator and the assistant
