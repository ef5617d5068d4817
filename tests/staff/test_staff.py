"""The staff register (issue 18 items 1, 2, 8): employment spells, qualification, trainings, costs; the rules
refused in Polish on the form and in the services alike; the AR_STAFF_ and AR_COST_ indicators and their
drill-down; the data-quality checks before a half-year closes."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from casework.auth.models import User
from casework.core import periods
from casework.core.dictionaries import by_code
from casework.core.quality import all_checks
from casework.extensions import db
from casework.indicators import engine, quality
from casework.staff import rules, services
from casework.staff.models import COST_SOURCES, EMPLOYMENT_FORMS, EmploymentSpell, StaffCost, StaffTraining
from casework.staff.services import StaffRuleError
from tests.indicators.helpers import family, period

D = date.fromisoformat


def form_id(code="employment_task_based"):
    return by_code("employment_form", code).id


def spell(user, start, end=None, fte="1", code="employment_task_based", employer=None):
    return services.save_spell(user, {"form_id": form_id(code), "fte": fte, "date_from": D(start),
                                      "date_to": D(end) if end else None, "employer": employer}, actor=None)


def cost(user, start, end=None, amount="5000", source="own"):
    return services.save_cost(user, {"date_from": D(start), "date_to": D(end) if end else None, "source": source,
                                     "amount": amount}, actor=None)


@pytest.fixture
def assistant(make_user):
    return make_user("assistant", login="agata", full_name="Agata Asystentka")


# --- the rules -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fte, ok", [("1", True), ("0,5", True), ("0.25", True), ("0", False), ("1,01", False),
                                     ("-1", False), ("abc", False), ("0,333", False)])
def test_fte_more_than_zero_at_most_one(fte, ok):
    assert (rules.check_fte(fte) == []) is ok


def test_overlapping_spells_of_one_person_are_refused(assistant, make_user):
    spell(assistant, "2025-01-01", "2025-06-30")
    with pytest.raises(StaffRuleError) as refused:
        spell(assistant, "2025-06-30", None)
    assert "may not overlap" in str(refused.value) or "nie mogą się nakładać" in str(refused.value)
    spell(assistant, "2025-07-01", None, fte="0,5")  # the day after is fine
    other = make_user("assistant", login="bartosz")
    spell(other, "2025-03-01")  # another person's spell is another matter


def test_contracted_entity_names_the_employer(assistant):
    with pytest.raises(StaffRuleError):
        spell(assistant, "2025-01-01", code="contracted_entity")
    assert spell(assistant, "2025-01-01", code="contracted_entity", employer="Fundacja Rodzina").employer


def test_a_cost_in_a_month_without_a_spell_is_refused(assistant):
    spell(assistant, "2025-02-15", "2025-04-10")
    with pytest.raises(StaffRuleError) as refused:
        cost(assistant, "2025-01-01")
    assert "01.2025" in str(refused.value)
    made = cost(assistant, "2025-02-01", "2025-04-30", amount="15000,50")
    assert (made.date_from, made.date_to, made.amount) == (D("2025-02-01"), D("2025-04-30"), Decimal("15000.50"))
    with pytest.raises(StaffRuleError):
        cost(assistant, "2025-04-01", "2025-05-31")  # May: no spell
    with pytest.raises(StaffRuleError):
        cost(assistant, "2025-03-01", amount="0")


def test_a_cost_may_not_cross_a_half_year(assistant):
    spell(assistant, "2025-01-01")
    with pytest.raises(StaffRuleError):
        cost(assistant, "2025-06-01", "2025-07-31")


def test_qualification_warning_until_a_basis_is_recorded(assistant):
    assert rules.qualification_warning(None)
    services.save_profile(assistant, {"qualification_basis": "higher_field"}, actor=None)
    assert rules.qualification_warning(services.profile_of(assistant.id).qualification_basis) is None


# --- the indicators -------------------------------------------------------------------------------------------

def test_seed_004_training_and_cost_sections_from_recorded_data(assistant):
    """Seed 004: one assistant, four trainings (three free, one paid by the centre), the cost of employment in 2025
    from the municipal budget 86 072,89 zł and from other sources 40 132,23 zł."""
    spell(assistant, "2020-03-01")
    for n, (title, organiser, paid) in enumerate([
            ("Dofinansowanie ze środków PFRON", "PCPR w Kielcach", None),
            ("Wspomaganie więzi rodzinnych", "Urząd Marszałkowski Województwa Świętokrzyskiego", None),
            ("Teczka asystenta rodziny", "Fundacja Rozwoju Demokracji Lokalnej", "450"),
            ("Bezpieczeństwo informacji", "Urząd Gminy w Chmielniku", None)]):
        services.save_training(assistant, {"training_date": date(2025, 3 + n, 10), "title": title,
                                           "organiser": organiser, "hours": "6", "cost": paid}, actor=None)
    cost(assistant, "2025-01-01", "2025-06-30", amount="43036,44")
    cost(assistant, "2025-07-01", "2025-12-31", amount="43036,45")
    cost(assistant, "2025-01-01", "2025-06-30", amount="20066,11", source="other")
    cost(assistant, "2025-07-01", "2025-12-31", amount="20066,12", source="other")
    v = engine.compute(periods.year(2025))
    assert v["AR_STAFF_TRAININGS"] == 4 and v["AR_STAFF_TRAINING_HOURS"] == 24.0
    assert v["AR_COST_BY_SOURCE"] == {"own": 86072.89, "state_programme": 0.0, "eu": 0.0, "other": 40132.23}
    assert v["AR_COST_TOTAL"] == 126205.12
    assert v["AR_STAFF_BY_EMPLOYMENT_FORM"]["employment_task_based"] == 1 and v["AR_STAFF_FTE"] == 1.0
    h1 = engine.compute(periods.half(2025, 1))
    assert h1["AR_COST_TOTAL"] == 63102.55
    records = engine.records("AR_COST_BY_SOURCE", periods.year(2025))
    assert sorted(r["key"] for r in records) == ["other", "other", "own", "own"]


def test_staff_on_the_last_day_by_form_and_fte(assistant, make_user):
    spell(assistant, "2024-01-01", "2025-03-31", fte="1")
    spell(assistant, "2025-04-01", None, fte="0,5", code="employment_other")
    second = make_user("assistant", login="celina")
    spell(second, "2025-01-01", "2025-12-30", code="civil_contract", fte="0,75")
    v = engine.compute(periods.half(2025, 1))
    assert v["AR_STAFF_BY_EMPLOYMENT_FORM"] == {"employment_task_based": 0, "employment_other": 1,
                                                "civil_contract": 1, "service": 0, "contracted_entity": 0}
    assert v["AR_STAFF_FTE"] == 1.25
    year = engine.compute(periods.year(2025))  # the civil contract ended the day before the last day
    assert sum(year["AR_STAFF_BY_EMPLOYMENT_FORM"].values()) == 1 and year["AR_STAFF_FTE"] == 0.5
    assistant.is_active_account = False  # a deactivated account keeps its history
    db.session.flush()
    assert engine.compute(periods.half(2025, 1))["AR_STAFF_FTE"] == 1.25


spells = st.lists(st.tuples(st.integers(0, 700), st.one_of(st.none(), st.integers(0, 400)),
                            st.sampled_from(EMPLOYMENT_FORMS), st.integers(1, 100)), min_size=0, max_size=3)
costs = st.lists(st.tuples(st.integers(0, 23), st.sampled_from(COST_SOURCES), st.integers(1, 900000)), max_size=6)
PERIODS = [periods.year(2025), periods.half(2025, 1), periods.half(2025, 2), periods.year(2024)]


@settings(max_examples=15, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(people=st.lists(st.tuples(spells, costs), min_size=1, max_size=4), which=st.integers(0, len(PERIODS) - 1))
def test_by_objects_add_up_to_their_totals(make_user, people, which):
    p = PERIODS[which]
    try:
        for n, (person_spells, person_costs) in enumerate(people):
            user = db.session.scalar(select(User).where(User.login == f"prop{n}")) or make_user(
                "assistant", login=f"prop{n}")
            start = date(2024, 1, 1)
            for offset, length, code, fte in person_spells:
                start = start + rules_days(offset)
                end = None if length is None else start + rules_days(length)
                spell(user, start.isoformat(), end.isoformat() if end else None, fte=str(fte / 100), code=code,
                      employer="Fundacja" if code == "contracted_entity" else None)
                if end is None:
                    break
                start = end + rules_days(1)
            for month, source, grosze in person_costs:
                first = date(2024 + month // 12, month % 12 + 1, 1)
                if not services.check_cost(user.id, {"date_from": first, "source": source, "amount": "1"}):
                    cost(user, first.isoformat(), amount=str(Decimal(grosze) / 100), source=source)
        db.session.commit()
        v = engine.compute(p)
        assert round(sum(v["AR_COST_BY_SOURCE"].values()), 2) == v["AR_COST_TOTAL"]
        employed = db.session.scalars(select(EmploymentSpell).where(
            EmploymentSpell.date_from <= p.end,
            (EmploymentSpell.date_to.is_(None)) | (EmploymentSpell.date_to >= p.end))).all()
        assert sum(v["AR_STAFF_BY_EMPLOYMENT_FORM"].values()) == len(employed)
        assert v["AR_STAFF_FTE"] == float(sum((s.fte for s in employed), Decimal(0)))
        for code in ("AR_COST_TOTAL", "AR_STAFF_TRAININGS"):
            assert engine.count_records(code, p) == len(engine.records(code, p))
        assert round(sum(r["amount"] for r in engine.records("AR_COST_TOTAL", p)), 2) == v["AR_COST_TOTAL"]
    finally:
        db.session.rollback()
        for model in (StaffCost, StaffTraining, EmploymentSpell):
            db.session.execute(delete(model))
        db.session.commit()


def rules_days(n):
    from datetime import timedelta  # local import: a helper of this test only

    return timedelta(days=n)


# --- the checks before the half-year closes ---------------------------------------------------------------------

def test_quality_checks_find_missing_spells_and_costs(assistant):
    fam = family("Kontrolni")
    period(fam, D("2025-01-10"), None, assistant=assistant)
    db.session.flush()
    found = {f["check"].code: f for f in quality.run(periods.half(2025, 1))}
    assert "Q_STAFF_ASSISTANT_WITHOUT_SPELL" in found
    spell(assistant, "2025-01-01")
    cost(assistant, "2025-01-01", "2025-04-30")
    services.save_profile(assistant, {"qualification_basis": "higher_training"}, actor=None)
    found = {f["check"].code: f for f in quality.run(periods.half(2025, 1))}
    assert "Q_STAFF_ASSISTANT_WITHOUT_SPELL" not in found and "Q_STAFF_NO_QUALIFICATION" not in found
    assert found["Q_STAFF_MONTH_WITHOUT_COST"]["records"][0]["label"].endswith("05.2025, 06.2025")
    assert "Q_MINISTRY_SUBROWS" in {c.code for c in all_checks()}
