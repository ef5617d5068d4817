"""The staff register's pages: coordinators and admins only, Polish refusals that keep what was typed, the
qualification warning, a deactivated account's history kept, empty states."""
from datetime import date

import pytest
from sqlalchemy import select

from casework.core.dictionaries import by_code
from casework.extensions import db
from casework.staff.models import EmploymentSpell, StaffCost, StaffTraining


@pytest.fixture
def assistant(make_user):
    return make_user("assistant", login="agata", full_name="Agata Asystentka")


def _spell(client, user, **overrides):
    data = {"form_id": by_code("employment_form", "employment_task_based").id, "fte": "1",
            "date_from": "2025-01-01", "date_to": "", "employer": ""} | overrides
    return client.post(f"/staff/{user.id}/spells/new", data=data)


def test_only_coordinators_and_admins(client, login_as, assistant):
    login_as("assistant")
    assert client.get("/staff/").status_code == 403
    assert client.get(f"/staff/{assistant.id}").status_code == 403
    assert _spell(client, assistant).status_code == 403


def test_empty_register_and_the_qualification_warning(client, login_as, assistant):
    login_as("coordinator")
    html = client.get("/staff/").get_data(as_text=True)
    assert "Agata Asystentka" in html and "nie wpisano" in html
    html = client.get(f"/staff/{assistant.id}").get_data(as_text=True)
    assert "Nie wpisano podstawy kwalifikacji tego asystenta (art. 12 UWR)." in html
    assert "Nie wpisano zatrudnienia." in html and "Nie wpisano szkoleń." in html
    response = client.post(f"/staff/{assistant.id}/qualification", data={"qualification_basis": "higher_field",
                                                                         "qualification_note": "dyplom"})
    assert response.status_code == 302
    assert "Nie wpisano podstawy" not in client.get(f"/staff/{assistant.id}").get_data(as_text=True)


@pytest.mark.parametrize("fte, message", [("0", "Wymiar etatu musi być większy od 0 i nie większy niż 1."),
                                          ("1,5", "Wymiar etatu musi być większy od 0 i nie większy niż 1."),
                                          ("", "Wpisz wymiar etatu jako liczbę")])
def test_a_bad_fte_is_refused_in_polish_and_the_form_keeps_the_input(client, login_as, assistant, fte, message):
    login_as("coordinator")
    response = _spell(client, assistant, fte=fte, employer="Fundacja X")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert 'value="Fundacja X"' in html  # nothing typed is lost
    assert db.session.scalar(select(EmploymentSpell)) is None


def test_overlap_and_cost_without_spell_refused_on_the_form(client, login_as, assistant):
    login_as("coordinator")
    assert _spell(client, assistant, date_to="2025-06-30").status_code == 302
    response = _spell(client, assistant, date_from="2025-06-01")
    assert response.status_code == 400 and "nie mogą się nakładać" in response.get_data(as_text=True)
    response = client.post(f"/staff/{assistant.id}/costs/new", data={
        "date_from": "2025-07", "date_to": "", "source": "own", "amount": "7000", "note": ""})
    assert response.status_code == 400
    assert "Asystent nie miał okresu zatrudnienia w miesiącach: 07.2025" in response.get_data(as_text=True)
    response = client.post(f"/staff/{assistant.id}/costs/new", data={
        "date_from": "2025-01", "date_to": "2025-06", "source": "state_programme", "amount": "42 000,50",
        "note": "program"})
    assert response.status_code == 302
    cost = db.session.scalar(select(StaffCost))
    assert (cost.date_from, cost.date_to, float(cost.amount)) == (date(2025, 1, 1), date(2025, 6, 30), 42000.5)
    html = client.get(f"/staff/{assistant.id}").get_data(as_text=True).replace("\xa0", " ").replace("\u202f", " ")
    assert "42 000,50 zł" in html and "dotacja z budżetu państwa" in html


def test_trainings_edit_archive_and_the_year_list(client, login_as, assistant):
    login_as("coordinator")
    response = client.post(f"/staff/{assistant.id}/trainings/new", data={
        "training_date": "2025-04-10", "title": "Teczka asystenta rodziny", "organiser": "Fundacja",
        "hours": "6", "cost": "450"})
    assert response.status_code == 302
    training = db.session.scalar(select(StaffTraining))
    page = client.get(f"/staff/trainings/{training.id}/edit").get_data(as_text=True)
    assert 'value="6"' in page and 'value="450"' in page
    assert "Teczka asystenta rodziny" in client.get("/staff/trainings?year=2025").get_data(as_text=True)
    assert "Nie wpisano szkoleń w tym roku." in client.get("/staff/trainings?year=2024").get_data(as_text=True)
    response = client.post(f"/staff/training/{training.id}/archive", data={"reason": "pomyłka"})
    assert response.status_code == 302
    db.session.refresh(training)
    assert training.archived_at is not None
    assert client.get(f"/staff/trainings/{training.id}/edit").status_code == 404


def test_a_deactivated_account_keeps_its_register(client, login_as, assistant):
    login_as("coordinator")
    _spell(client, assistant, date_to="2025-06-30")
    assistant.is_active_account = False
    db.session.commit()
    assert "Agata Asystentka" not in client.get("/staff/").get_data(as_text=True)
    assert "Agata Asystentka" in client.get("/staff/?show=all").get_data(as_text=True)
    html = client.get(f"/staff/{assistant.id}").get_data(as_text=True)
    assert "Konto jest nieaktywne" in html and "umowa o pracę w systemie zadaniowego czasu pracy" in html
