"""Issue 18's pages as a user sees them: Polish messages on bad input, nothing lost, 404 for another's family,
403 for a role without the register."""
from datetime import timedelta

from casework.contacts.models import Institution
from casework.core.dictionaries import by_code
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.support.models import (DaySupportAttendance, SupportingFamily, SupportingFamilyCost, TeamMembership,
                                     ZaZyciemRequest)
from tests.indicators.helpers import child, family, period


def test_waiting_list_shows_who_waits_and_since_when(client, login_as):
    login_as("coordinator")
    today = today_local()
    fam = family("Oczekujący")
    sp = period(fam, today + timedelta(days=3), referral_date=today - timedelta(days=12))
    assigned = family("Przydzieleni")
    db.session.commit()
    html = client.get("/support/waiting").get_data(as_text=True)
    assert "Oczekujący" in html and "Przydzieleni" not in html
    assert f"/families/{fam.id}/periods/{sp.id}/assign" in html
    assert ">12<" in html  # days waiting
    page = client.get(f"/families/{fam.id}").get_data(as_text=True)
    assert "Oczekuje na asystenta od" in page and "Wsparcie dodatkowe" in page
    assert assigned.id


def test_waiting_list_empty_and_forbidden_to_an_assistant(client, login_as):
    login_as("coordinator")
    assert "Żadna rodzina nie oczekuje" in client.get("/support/waiting").get_data(as_text=True)
    client.post("/logout")
    login_as("assistant")
    assert client.get("/support/waiting").status_code == 403


def test_supporting_family_form_refuses_in_polish_and_keeps_input(client, login_as):
    login_as("coordinator")
    response = client.post("/support/supporting-families/new", data={
        "name": "Nowakowie", "start_date": "2025-05-01", "end_date": "2025-04-01", "address": "ul. Lipowa 3"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Data zakończenia nie może być wcześniejsza" in html and "ul. Lipowa 3" in html
    assert db.session.query(SupportingFamily).count() == 0
    response = client.post("/support/supporting-families/new", data={"name": "Nowakowie", "start_date": "2025-05-01"})
    assert response.status_code == 302
    sf = db.session.query(SupportingFamily).one()
    fam = family("Pomagani")
    db.session.commit()
    assert client.post(f"/support/supporting-families/{sf.id}/helps/new", data={
        "family_id": fam.id, "start_date": "2025-06-01"}).status_code == 302
    help_id = sf.helps[0].id if sf.helps else db.session.get(SupportingFamily, sf.id).helps[0].id
    r = client.post(f"/support/supporting-families/{sf.id}/helps/{help_id}/costs",
                    data={"month": "2025-06", "amount": "350,50"}, follow_redirects=True)
    assert "Koszty zostały zapisane" in r.get_data(as_text=True)
    r = client.post(f"/support/supporting-families/{sf.id}/helps/{help_id}/costs",
                    data={"month": "2025-05", "amount": "100"}, follow_redirects=True)
    assert "Pomoc nie trwała w tym miesiącu" in r.get_data(as_text=True)
    costs = db.session.query(SupportingFamilyCost).all()
    assert [str(c.amount) for c in costs] == ["350.50"]
    page = client.get(f"/support/supporting-families/{sf.id}").get_data(as_text=True)
    assert "Pomagani" in page


def test_attendance_on_the_family_by_its_assistant_and_404_for_another(client, login_as, make_user):
    me = login_as("assistant")
    fam = family("Moja")
    period(fam, today_local() - timedelta(days=30), assistant=me)
    kid = child(fam, today_local() - timedelta(days=3000), first="Zosia")
    other = family("Cudza")
    period(other, today_local() - timedelta(days=30), assistant=make_user("assistant"))
    inst = Institution(name="Świetlica „Promyk”", type_id=by_code("institution_type", "day_support").id)
    db.session.add(inst)
    db.session.commit()
    assert client.get(f"/support/family/{other.id}").status_code == 404
    r = client.post(f"/support/family/{fam.id}/attendance/new", data={"member_id": kid.id, "institution_id": "",
                                                                      "start_date": "2025-09-01"})
    assert r.status_code == 400 and "Wybierz placówkę wsparcia dziennego" in r.get_data(as_text=True)
    r = client.post(f"/support/family/{fam.id}/attendance/new", data={"member_id": kid.id, "institution_id": inst.id,
                                                                      "start_date": "2025-09-01"})
    assert r.status_code == 302
    assert db.session.query(DaySupportAttendance).count() == 1
    page = client.get(f"/support/family/{fam.id}").get_data(as_text=True)
    assert "Zosia" in page and "Promyk" in page
    assert "Wsparcie dzienne: Świetlica" in client.get(f"/families/{fam.id}").get_data(as_text=True)


def test_team_register_read_by_zi_member_edited_by_coordinator(client, login_as):
    login_as("zi_member")
    assert "Nie zarejestrowano żadnego członka zespołu" in client.get("/support/team/").get_data(as_text=True)
    assert client.get("/support/team/new").status_code == 403
    client.post("/logout")
    login_as("coordinator")
    r = client.post("/support/team/new", data={"full_name": "Anna Policka", "sector": "police",
                                               "appointed_on": "2024-01-01"})
    assert r.status_code == 400 and "Wybierz instytucję" in r.get_data(as_text=True)
    r = client.post("/support/team/new", data={"full_name": "Anna Policka", "sector": "police",
                                               "institution_name": "KPP Przykładowo", "appointed_on": "2024-01-01"})
    assert r.status_code == 302
    assert "KPP Przykładowo" in client.get("/support/team/").get_data(as_text=True)
    assert db.session.query(TeamMembership).count() == 1


def test_za_zyciem_request_without_a_period(client, login_as, make_user):
    login_as("coordinator")
    assistant = make_user("assistant", full_name="Asystentka Ewa")
    fam = family("Zaciszni")
    db.session.commit()
    r = client.post(f"/support/family/{fam.id}/za-zyciem/new", data={
        "request_date": "2025-03-01", "coordination_start": "2025-03-05"})
    assert r.status_code == 400 and "Wybierz asystenta, który koordynuje" in r.get_data(as_text=True)
    r = client.post(f"/support/family/{fam.id}/za-zyciem/new", data={
        "request_date": "2025-03-01", "assistant_id": assistant.id, "coordination_start": "2025-03-05"})
    assert r.status_code == 302
    assert db.session.query(ZaZyciemRequest).one().support_period_id is None
    html = client.get("/support/za-zyciem/").get_data(as_text=True)
    assert "Zaciszni" in html and "bez okresu wsparcia" in html


def test_day_support_facility_form_and_places(client, login_as):
    login_as("coordinator")
    inst = Institution(name="Klub „Razem”", type_id=by_code("institution_type", "day_support").id)
    db.session.add(inst)
    db.session.commit()
    assert "nie podano" in client.get("/support/day-support/").get_data(as_text=True)
    r = client.post(f"/support/day-support/{inst.id}", data={"form": "street_work", "places": "0"})
    assert r.status_code == 400 and "Liczba miejsc musi wynosić od 1" in r.get_data(as_text=True)
    assert client.post(f"/support/day-support/{inst.id}", data={"form": "street_work", "places": "25"}).status_code == 302
    html = client.get("/support/day-support/").get_data(as_text=True)
    assert "praca podwórkowa" in html and ">25<" in html
