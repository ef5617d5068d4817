"""The visit log: rules, permissions, Mój dzień, the no-visit warning, the work-time sheet."""
from datetime import date, time, timedelta
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from casework.core import dictionaries
from casework.extensions import db
from casework.visits import services
from casework.visits.models import Visit
from casework.visits.services import VisitRuleError
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


@pytest.fixture
def agata(make_user):
    return make_user("assistant", login="agata", full_name="Agata Asystentka")


@pytest.fixture
def family(make_family, agata):  # noqa: F811
    return make_family(assistant=agata, name="Kowalscy")


def _log(family, user, **values):
    base = {"visit_date": date(2025, 3, 3), "duration_minutes": 60}
    return services.log_visit(family, base | values, [], actor=user, today=date(2025, 3, 10))


def test_only_family_date_and_duration_are_required(family, agata):
    visit = _log(family, agata)
    db.session.commit()
    assert visit.place is None and visit.areas == []


@pytest.mark.parametrize("values, message", [
    ({"visit_date": date(2025, 3, 11)}, "nie może mieć daty z przyszłości"),
    ({"duration_minutes": 0}, "od 1 minuty do 12 godzin"),
    ({"duration_minutes": 721}, "od 1 minuty do 12 godzin"),
])
def test_rules_with_polish_messages(family, agata, values, message):
    with pytest.raises(VisitRuleError, match=message):
        _log(family, agata, **values)


def test_no_two_overlapping_visits_of_the_same_assistant(family, agata):
    _log(family, agata, start_time=time(10, 0), duration_minutes=60)
    with pytest.raises(VisitRuleError, match="10:00–11:00"):
        _log(family, agata, start_time=time(10, 30), duration_minutes=15)
    _log(family, agata, start_time=time(11, 0), duration_minutes=15)  # back to back is fine


def test_cannot_log_for_a_family_one_cannot_see(make_family, make_user, agata):  # noqa: F811
    other_family = make_family(assistant=make_user("assistant"), name="Obcy")
    with pytest.raises(VisitRuleError, match="swoich rodzin"):
        _log(other_family, agata)


def test_log_a_visit_through_the_form_and_see_it_in_my_day(client, family, agata):
    login(client, "agata")
    area = dictionaries.by_code("area_of_work", "parenting")
    today = date.today()
    response = client.post("/visits/new", data={
        "family_id": family.id, "visit_date": today.isoformat(), "start_time": "09:15", "duration_minutes": "45",
        "place": "home", "form": "home_visit", "areas": [str(area.id)], "activities": "Rozmowa o szkole"})
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kowalscy" in html and "Rozmowa o szkole" in html and "45 min" in html
    family_page = client.get(f"/families/{family.id}").get_data(as_text=True)
    assert "wizyta domowa, 45 min (Agata Asystentka)" in family_page


def test_another_assistants_family_cannot_be_chosen_or_reached(app, client, make_family, make_user,  # noqa: F811
                                                              family, agata):
    other = make_user("assistant", login="other")
    visit = _log(family, agata)
    db.session.commit()
    login(client, "other")
    assert "Kowalscy" not in client.get("/visits/new").get_data(as_text=True)
    response = client.post("/visits/new", data={"family_id": family.id, "visit_date": "2025-03-03",
                                                 "duration_minutes": "30"})
    assert response.status_code == 404
    assert client.get(f"/visits/{visit.id}/edit").status_code == 404
    assert db.session.scalar(select(Visit.id).where(Visit.assistant_id == other.id)) is None


def test_edit_window_then_coordinator_only(family, agata, make_user):
    visit = _log(family, agata)
    assert services.can_edit(agata, visit, date(2025, 3, 10))
    assert not services.can_edit(agata, visit, date(2025, 3, 11))
    with pytest.raises(VisitRuleError, match="minął"):
        services.update_visit(visit, {"duration_minutes": 30}, [], actor=agata, today=date(2025, 4, 1))
    coordinator = make_user("coordinator")
    services.update_visit(visit, {"duration_minutes": 30}, [], actor=coordinator, today=date(2025, 4, 1))
    assert visit.duration_minutes == 30


def test_no_visit_warning_on_my_families(client, family, agata, monkeypatch):
    login(client, "agata")
    html = client.get("/families/mine").get_data(as_text=True)
    assert "brak wizyty" in html
    services.log_visit(family, {"visit_date": date.today(), "duration_minutes": 30}, [], actor=agata)
    db.session.commit()
    assert "brak wizyty" not in client.get("/families/mine").get_data(as_text=True)


def test_my_day_query_count_constant(client, family, agata, queries):
    login(client, "agata")
    today = date.today()

    def count():
        with queries() as q:
            assert client.get(f"/visits/day?date={today.isoformat()}").status_code == 200
        return len(q)

    services.log_visit(family, {"visit_date": today, "duration_minutes": 10}, [], actor=agata)
    db.session.commit()
    few = count()
    for n in range(10):  # distinct visits (an identical one minutes later is refused as saved twice)
        services.log_visit(family, {"visit_date": today, "duration_minutes": 11 + n}, [], actor=agata)
    db.session.commit()
    assert count() == few


def test_visit_indicators(family, agata):
    from casework.core.periods import year
    from casework.indicators import engine

    _log(family, agata, duration_minutes=45)
    _log(family, agata, visit_date=date(2025, 3, 4), duration_minutes=50)
    db.session.commit()
    values = engine.compute(year(2025))
    assert values["AR_VISITS"] == 2
    assert values["AR_VISIT_HOURS"] == pytest.approx(1.58, abs=0.01)


def test_saving_a_visit_does_a_bounded_number_of_queries(client, family, agata, queries):
    login(client, "agata")
    areas = [str(e.id) for e in dictionaries.entries("area_of_work")[:3]]
    token = client.csrf_token()
    with queries() as q:
        response = client.post("/visits/new", data={
            "csrf_token": token, "family_id": family.id, "visit_date": date.today().isoformat(),
            "duration_minutes": "30", "areas": areas, "start_time": "08:00"})
    assert response.status_code == 302
    assert len(q) <= 25, "\n".join(q)
