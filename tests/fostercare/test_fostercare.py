"""Foster care: the tier across leap years, a change of form, a return home (both counting settings), the bills,
the year's totals, seed 004's table 2, access."""
from datetime import date, timedelta

import pytest

from casework.core import periods
from casework.core.settings import set_setting
from casework.extensions import db
from casework.families.models import FamilyMember
from casework.fostercare import services
from casework.fostercare.services import FosterCareRuleError
from casework.indicators import engine
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


def _child(name="Zosia"):
    return services.register_child(first_name=name, last_name="Testowa", birth_date=date(2015, 5, 5), actor=None)


def _place(child, start, form="foster_family_unrelated", **kw):
    return services.add_placement(child, {"form": form, "start_date": start, **kw}, actor=None)


def test_tier_from_29_february_in_12_month_years():
    child = _child()
    _place(child, date(2024, 2, 29))
    info = services.tier_info(child, date(2025, 2, 27))
    assert (info["tier"], info["next_from"], info["next_tier"]) == (10, date(2025, 2, 28), 30)
    assert services.tier_info(child, date(2025, 2, 28))["tier"] == 30
    assert services.tier_info(child, date(2026, 2, 27))["next_from"] == date(2026, 2, 28)
    info = services.tier_info(child, date(2026, 3, 1))
    assert (info["tier"], info["next_from"]) == (50, None)
    assert services.tier_info(child, date(2024, 2, 28)) is None  # not yet in care


def test_a_change_of_form_continues_the_stay():
    child = _child()
    first = _place(child, date(2023, 1, 10))
    second = services.change_form(first, "family_childrens_home", date(2024, 1, 1), actor=None)
    assert (first.end_date, first.end_reason) == (date(2023, 12, 31), "other_form")
    assert second.count_from == date(2023, 1, 10)
    info = services.tier_info(child, date(2024, 1, 10))
    assert info["tier"] == 30 and info["placement"].form == "family_childrens_home"


@pytest.mark.parametrize("restarts, tier, count_from", [(False, 50, date(2022, 3, 1)), (True, 10, date(2024, 6, 1))])
def test_return_home_and_a_new_placement_later(restarts, tier, count_from):
    set_setting("foster_care_count_restarts", restarts)
    child = _child()
    _place(child, date(2022, 3, 1), end_date=date(2022, 12, 31), end_reason="return_home")
    _place(child, date(2024, 6, 1))
    info = services.tier_info(child, date(2024, 6, 1))
    assert (info["tier"], info["count_from"]) == (tier, count_from)


def test_switching_the_counting_setting_recounts_every_child():
    child = _child()
    _place(child, date(2022, 3, 1), end_date=date(2022, 12, 31), end_reason="return_home")
    second = _place(child, date(2024, 6, 1))
    assert second.count_from == date(2022, 3, 1)
    set_setting("foster_care_count_restarts", True)
    services.recount_all()
    assert second.count_from == date(2024, 6, 1)


@pytest.mark.parametrize("values, message", [
    ({"form": "orphanage", "start_date": date(2025, 1, 1)}, "formę pieczy"),
    ({"form": "foster_family_related", "start_date": date(2025, 1, 1), "end_date": date(2024, 1, 1),
      "end_reason": "adoption"}, "przed rozpoczęciem"),
    ({"form": "foster_family_related", "start_date": date(2025, 1, 1), "end_date": date(2025, 3, 1)},
     "przyczynę zakończenia"),
    ({"form": "foster_family_related", "start_date": date(2025, 6, 1)}, "nie mogą się nakładać"),
])
def test_placement_rules_in_polish(values, message):
    child = _child()
    _place(child, date(2025, 2, 1))
    with pytest.raises(FosterCareRuleError, match=message):
        services.add_placement(child, values, actor=None)


def test_bills_computed_from_the_tier_and_flagged_when_different():
    child = _child()
    _place(child, date(2025, 1, 15))
    bill = services.record_bill(child, date(2025, 3, 10), "4 000,00", None, actor=None)
    assert (bill.month, bill.tier, float(bill.computed_share), bill.billed_share) == (date(2025, 3, 1), 10, 400.0,
                                                                                     None)
    same = services.record_bill(child, date(2025, 4, 1), 4000, "400,00", actor=None)
    assert same.billed_share is None and not same.differs
    other = services.record_bill(child, date(2025, 5, 1), 4000, 450, actor=None)
    assert other.differs and float(other.share) == 450.0
    with pytest.raises(FosterCareRuleError, match="już zapisany"):
        services.record_bill(child, date(2025, 3, 31), 100, actor=None)
    with pytest.raises(FosterCareRuleError, match="nie przebywało w pieczy"):
        services.record_bill(child, date(2024, 12, 1), 100, actor=None)
    with pytest.raises(FosterCareRuleError, match="kwotę w złotych"):
        services.record_bill(child, date(2025, 6, 1), "dużo", actor=None)
    january = services.record_bill(child, date(2026, 1, 1), 4000, actor=None)
    assert january.tier == 10  # a month takes the tier of its first day in care: the second year starts 15 January
    february = services.record_bill(child, date(2026, 2, 1), 4000, actor=None)
    assert february.tier == 30 and float(february.computed_share) == 1200.0


def _enter_seed_004():
    """Seed 004 (Chmielnik 2025), table 2: 4 children at 10 %, none at 30 %, 10 at 50 %; 295 117,45 zł."""
    for n in range(10):  # in care since 2020–2022: the third year or later all through 2025
        child = _child(f"Starsze{n}")
        _place(child, date(2020 + n % 3, 1 + n, 1))
        for month in range(1, 13):
            services.record_bill(child, date(2025, month, 1), 4800, actor=None)  # 2 400,00 each
    for n in range(4):  # placed on 1 July 2025: the first year
        child = _child(f"Młodsze{n}")
        _place(child, date(2025, 7, 1), form="care_education_institution" if n == 3 else "foster_family_related")
        for month in range(7, 13):
            total = 2174.50 if (n, month) == (3, 12) else 3000  # 23 × 300,00 + 217,45
            services.record_bill(child, date(2025, month, 1), total, actor=None)
    db.session.commit()


def test_seed_004_table_2_reproduced_from_entered_data(client, login_as):
    _enter_seed_004()
    values = engine.compute(periods.year(2025))
    assert (values["FC_CHILDREN_TIER_10"], values["FC_CHILDREN_TIER_30"], values["FC_CHILDREN_TIER_50"]) == (4, 0, 10)
    assert values["FC_COST_TOTAL"] == 295117.45
    assert values["FC_COST_TIER_50"] == 288000.0 and values["FC_COST_TIER_10"] == 7117.45
    assert values["FC_CHILDREN_PLACED"] == 14
    assert (values["FC_CHILDREN_FAMILY_CARE"], values["FC_CHILDREN_INSTITUTIONAL"]) == (13, 1)
    assert values["FC_COST_INSTITUTIONAL"] == 300 * 5 + 217.45
    login_as("coordinator")
    html = client.get("/reports/r/assistants?year=2025").get_data(as_text=True)
    assert "Tabela nr 2. Udział Gminy w odpłatności za pobyt dzieci w pieczy w 2025 r." in html
    assert "koszty pobytu dzieci w pieczy zastępczej w wysokości 295 117,45 zł" in html
    year = client.get("/foster-care/year?year=2025").get_data(as_text=True)
    assert "295\u00a0117,45\u00a0zł" in year and "295117.45" not in year and "Starsze0" in year


def test_yearly_totals_count_the_form_on_the_last_day_and_returns():
    child = _child()
    first = _place(child, date(2024, 5, 1), form="care_education_institution")
    services.change_form(first, "foster_family_professional", date(2025, 8, 1), actor=None)
    back = _child("Wraca")
    _place(back, date(2025, 2, 1), end_date=date(2025, 9, 30), end_reason="return_home")
    db.session.commit()
    v = engine.compute(periods.year(2025))
    assert (v["FC_CHILDREN_PLACED"], v["FC_CHILDREN_FAMILY_CARE"], v["FC_CHILDREN_INSTITUTIONAL"]) == (2, 2, 0)
    assert v["FC_CHILDREN_RETURNED"] == 1
    h1 = engine.compute(periods.half(2025, 1))
    assert (h1["FC_CHILDREN_FAMILY_CARE"], h1["FC_CHILDREN_INSTITUTIONAL"]) == (1, 1)
    assert h1["FC_CHILDREN_RETURNED"] == 0
    assert (h1["FC_CHILDREN_TIER_10"], h1["FC_CHILDREN_TIER_30"]) == (1, 1)  # 30 June 2025: 14 months for the first


def test_family_counts_and_the_assistant_reads_but_does_not_manage(app, client, make_user, make_family):  # noqa: F811
    agata = make_user("assistant", login="agata")
    family = make_family(assistant=agata, start=date(2025, 1, 10), children=1)
    member = db.session.scalar(db.select(FamilyMember).where(FamilyMember.family_id == family.id))
    child = services.register_child(member=member, actor=None)
    _place(child, date(2025, 3, 1))
    lone = _child("Samotne")
    _place(lone, date(2025, 3, 1))
    db.session.commit()
    assert engine.compute(periods.year(2025))["AR_FAMILIES_WITH_CHILD_IN_FOSTER_CARE"] == 1
    login(client, "agata")
    page = client.get(f"/foster-care/children/{child.id}")
    assert page.status_code == 200 and "Dodaj pobyt" not in page.get_data(as_text=True)
    assert "umieszczenie w pieczy zastępczej" in client.get(f"/families/{family.id}").get_data(as_text=True)
    assert client.post(f"/foster-care/children/{child.id}", data={"what": "bill"}).status_code == 404
    assert client.get(f"/foster-care/children/{lone.id}").status_code == 404
    assert client.get("/foster-care/").status_code == 403
    other = app.test_client()
    login(other, make_user("assistant", login="obca"))
    assert other.get(f"/foster-care/children/{child.id}").status_code == 404


def test_coordinator_enters_a_child_placement_and_bill_through_the_pages(client, login_as):
    login_as("coordinator")
    response = client.post("/foster-care/children/new", data={"first_name": "Ola", "last_name": "Nowa"})
    child_url = response.headers["Location"]
    bad = client.post(child_url, data={"what": "placement", "p-form": "foster_family_related",
                                       "p-start_date": "2025-02-01", "p-end_date": "2025-01-01",
                                       "p-end_reason": "adoption"})
    assert bad.status_code == 400 and "nie może zakończyć się przed rozpoczęciem" in bad.get_data(as_text=True)
    start = date.today() - timedelta(days=100)
    ok = client.post(child_url, data={"what": "placement", "p-form": "foster_family_related",
                                      "p-start_date": start.isoformat(), "p-county": "Powiat Testowy"})
    assert ok.status_code == 302
    client.post(child_url, data={"what": "bill", "b-month": (start + timedelta(days=40)).isoformat(),
                                 "b-total_cost": "5000", "b-billed_share": "650"})
    html = client.get(child_url).get_data(as_text=True)
    assert "spokrewniona rodzina zastępcza" in html and "650,00\u00a0zł — inny, sprawdź" in html
    assert "Gmina pokrywa 10% wydatków" in html
