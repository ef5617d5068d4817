"""An assessment must say something about the family's situation: a blank one (the dates are prefilled, so one tap
would save it) is refused on every path, keeps "ocena zaległa" and does not count in AR_ASSESSMENTS."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casework.assessments import rules, services
from casework.assessments.models import Assessment, AssessmentGoalProgress
from casework.assessments.services import AssessmentRuleError
from casework.core.timeutil import utcnow
from casework.extensions import db
from casework.plans import services as plans
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture

BLANK = "nie mówi nic o sytuacji rodziny"


def _values(**over):
    base = {"assessment_date": date(2025, 7, 1), "covers_from": date(2025, 1, 10), "covers_to": date(2025, 6, 30),
            "recommendation": "continue"}
    return base | over


@pytest.fixture
def period(make_user, make_family):  # noqa: F811
    agata = make_user("assistant", login="agata")
    return make_family(assistant=agata, name="Puste", start=date(2025, 1, 10)).support_periods[0], agata


@pytest.mark.parametrize("over", [
    {},
    {"progress": "   ", "changes": ""},
    {"progress": "-", "changes": " . "},
    {"progress": "ok"},
    {"strengths": "Zaangażowanie matki", "risks": "Zadłużenie"},  # no word on progress or the situation
])
def test_an_assessment_that_says_nothing_is_refused(period, over):
    period, agata = period
    with pytest.raises(AssessmentRuleError, match=BLANK):
        services.make_assessment(period, _values(**over), actor=agata, today=date(2025, 7, 2))
    assert db.session.scalar(select(func.count(Assessment.id))) == 0


@pytest.mark.parametrize("over", [{"progress": "bez zmian"}, {"changes": "Ojciec podjął pracę."}])
def test_a_written_summary_is_enough(period, over):
    period, agata = period
    services.make_assessment(period, _values(**over), actor=agata, today=date(2025, 7, 2))


def test_progress_on_one_goal_is_enough_and_cannot_be_emptied_later(period):
    period, agata = period
    plan = plans.create_plan(period, {"drawn_up_on": date(2025, 1, 20)}, actor=agata)
    goal = plans.add_goal(plan, "Regularna nauka dzieci", None, None, actor=agata)
    db.session.commit()
    assessment = services.make_assessment(period, _values(), actor=agata, today=date(2025, 7, 2),
                                          goal_progress={goal.id: "Dzieci chodzą do szkoły"})
    db.session.commit()
    with pytest.raises(AssessmentRuleError, match=BLANK):
        services.update_assessment(assessment, {}, actor=agata, today=date(2025, 7, 2), goal_progress={goal.id: ""})
    db.session.rollback()
    assert [gp.progress for gp in db.session.get(Assessment, assessment.id).goal_progress] == \
        ["Dzieci chodzą do szkoły"]


def test_one_tap_on_the_prefilled_form_saves_nothing_and_the_assessment_stays_overdue(client, make_user,
                                                                                      make_family):  # noqa: F811
    from casework.core.periods import year
    from casework.indicators import engine

    agata = make_user("assistant", login="agata")
    start = date.today() - timedelta(days=200)
    family = make_family(assistant=agata, name="Zaległa", start=start)
    login(client, "agata")
    assert "ocena zaległa" in client.get(f"/families/{family.id}").get_data(as_text=True)
    today = date.today()
    response = client.post(f"/families/{family.id}/assessments/new", data={
        "assessment_date": today.isoformat(), "covers_from": start.isoformat(), "covers_to": today.isoformat(),
        "recommendation": "continue", "progress": "", "changes": ""})
    assert response.status_code == 400
    assert BLANK in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Assessment.id))) == 0
    assert "ocena zaległa" in client.get(f"/families/{family.id}").get_data(as_text=True)
    assert engine.compute(year(today.year))["AR_ASSESSMENTS"] == 0


def _stored(period, author, **texts):
    """An assessment written straight to the table, as an older version of the app or an import could."""
    row = Assessment(support_period_id=period.id, family_id=period.family_id, author_id=author.id,
                     assessment_date=date(2025, 7, 1), covers_from=date(2025, 1, 10), covers_to=date(2025, 6, 30),
                     recommendation="continue", created_at=utcnow(), **texts)
    db.session.add(row)
    db.session.flush()
    return row


def test_blank_assessments_already_stored_are_listed_for_the_data_quality_check(period):
    period, agata = period
    blank = _stored(period, agata)
    filler = _stored(period, agata, progress=" -- ", risks="Zadłużenie")
    summary = _stored(period, agata, changes="Matka podjęła pracę")
    per_goal = _stored(period, agata)
    plan = plans.create_plan(period, {"drawn_up_on": date(2025, 1, 20)}, actor=agata)
    goal = plans.add_goal(plan, "Budżet domowy", None, None, actor=agata)
    db.session.add(AssessmentGoalProgress(assessment_id=per_goal.id, goal_id=goal.id, progress="Spłacone długi"))
    archived = _stored(period, agata)
    archived.archived_at = utcnow()
    db.session.commit()
    rows = db.session.execute(rules.blank_assessments(date(2025, 1, 1), date(2025, 12, 31))).all()
    assert sorted(r.id for r in rows) == sorted([blank.id, filler.id])
    assert all(r.family_id == period.family_id and "Puste 2025-07-01" in r.label for r in rows)
    assert db.session.execute(rules.blank_assessments(date(2026, 1, 1), date(2026, 12, 31))).all() == []
    # the SQL and the Python rule agree on every stored row
    for row in (blank, filler, summary, per_goal):
        texts = [gp.progress for gp in row.goal_progress]
        assert rules.is_blank({"progress": row.progress, "changes": row.changes}, texts) == \
            (row.id in {blank.id, filler.id})
