"""Case register rules: PESEL, the caseload cap, the support-period lifecycle, archive and restore."""
from datetime import date

import pytest
from sqlalchemy import select

from casework.core import dictionaries
from casework.core.pesel import encode
from casework.core.settings import set_setting
from casework.extensions import db
from casework.families import services
from casework.families.models import AssistantAssignment
from casework.families.services import FamilyRuleError


def _member(family, **values):
    base = {"first_name": "Ola", "last_name": "Nowak", "relation": "child"}
    return services.add_member(family, base | values, actor=None)


def test_pesel_valid_fills_the_birth_date(make_family):
    family = make_family()
    member = _member(family, pesel=encode(date(2016, 2, 29), 1234))
    assert member.birth_date == date(2016, 2, 29)


@pytest.mark.parametrize("pesel, born, message", [
    ("16222901235", None, "cyfrę kontrolną"),  # wrong check digit
    ("1622290123", None, "11 cyfr"),
    (encode(date(2016, 2, 29), 1234), date(2016, 3, 1), "wskazuje datę urodzenia 2016-02-29"),
])
def test_pesel_problems_are_refused_in_polish(client, login_as, make_family, pesel, born, message):
    login_as("coordinator")
    family = make_family()
    response = client.post(f"/families/{family.id}/members/new", data={
        "first_name": "Ola", "last_name": "Nowak", "relation": "child", "pesel": pesel,
        "birth_date": born.isoformat() if born else "", "in_household": "y"})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert len(family.members) == 2  # nothing added


def test_pesel_is_unique_among_active_records_only(make_family):
    first, second = make_family(), make_family()
    pesel = encode(date(2014, 7, 1), 77)
    member = _member(first, pesel=pesel)
    with pytest.raises(FamilyRuleError, match="Inny aktywny rekord"):
        _member(second, pesel=pesel)
    services.archive(member, "wpis omyłkowy", actor=None)
    assert _member(second, pesel=pesel).pesel == pesel
    with pytest.raises(FamilyRuleError):
        services.restore(member, actor=None)  # the PESEL is now used by an active record


def test_caseload_cap_refuses_with_a_clear_message(client, login_as, make_user, make_family):
    set_setting("caseload_cap", 2)
    db.session.commit()
    assistant = make_user("assistant", full_name="Agata Pełna")
    make_family(assistant=assistant)
    make_family(assistant=assistant)
    third = make_family()
    login_as("coordinator")
    period = third.support_periods[0]
    response = client.post(f"/families/{third.id}/periods/{period.id}/assign",
                           data={"assistant_id": assistant.id, "start_date": "2025-02-01"})
    assert response.status_code == 400
    assert "Agata Pełna pracuje już z 2 rodzinami (limit wynosi 2)" in response.get_data(as_text=True)
    assert db.session.scalar(select(AssistantAssignment).where(
        AssistantAssignment.family_id == third.id)) is None


def test_ended_families_free_a_place_under_the_cap(make_user, make_family):
    set_setting("caseload_cap", 1)
    assistant = make_user("assistant")
    first = make_family(assistant=assistant)
    reason = dictionaries.by_code("end_reason", "goals_achieved")
    services.end_support_period(first.support_periods[0], date(2025, 3, 1), reason.id, None, None, actor=None)
    second = make_family(start=date(2025, 3, 2))
    services.assign_assistant(second.support_periods[0], assistant, date(2025, 3, 2), actor=None)


def test_lifecycle_start_reassign_end_monitor_and_a_second_period(make_user, make_family):
    first_assistant, second_assistant = make_user("assistant"), make_user("assistant")
    family = make_family(assistant=first_assistant, start=date(2020, 1, 15))
    period = family.support_periods[0]
    services.assign_assistant(period, second_assistant, date(2020, 6, 1), actor=None)
    history = [(a.assistant_id, a.start_date, a.end_date) for a in period.assignments]
    assert history == [(first_assistant.id, date(2020, 1, 15), date(2020, 5, 31)),
                       (second_assistant.id, date(2020, 6, 1), None)]
    other = dictionaries.by_code("end_reason", "other")
    with pytest.raises(FamilyRuleError, match="Opisz powód zakończenia"):
        services.end_support_period(period, date(2021, 3, 31), other.id, "", None, actor=None)
    with pytest.raises(FamilyRuleError, match="Monitorowanie musi trwać"):
        services.end_support_period(period, date(2021, 3, 31), other.id, "śmierć matki", date(2021, 3, 1),
                                    actor=None)
    services.end_support_period(period, date(2021, 3, 31), other.id, "śmierć matki", date(2021, 9, 30),
                                actor=None)
    assert period.assignments[-1].end_date == date(2021, 3, 31)
    assert services.family_status(family, date(2021, 6, 1)) == "monitoring"
    assert services.family_status(family, date(2022, 1, 1)) == "closed"
    with pytest.raises(FamilyRuleError, match="nakłada się"):
        services.start_support_period(family, {"basis": "referral", "referral_date": date(2021, 1, 1),
                                               "start_date": date(2021, 1, 1)}, actor=None)
    second = services.start_support_period(family, {"basis": "court_order", "court_name": "SR Gniezno",
                                                     "court_order_date": date(2024, 4, 1),
                                                     "start_date": date(2024, 4, 15)}, actor=None)
    assert [p.start_date for p in family.support_periods] == [date(2020, 1, 15), date(2024, 4, 15)]
    assert services.current_period(family, date(2025, 1, 1)) == second
    assert services.family_status(family, date(2025, 1, 1)) == "active"


def test_court_order_needs_the_court_and_the_date(make_family):
    family = make_family()
    services.end_support_period(family.support_periods[0], date(2025, 2, 1),
                                dictionaries.by_code("end_reason", "no_effects").id, None, None, actor=None)
    with pytest.raises(FamilyRuleError, match="postanowieniu sądu"):
        services.start_support_period(family, {"basis": "court_order", "start_date": date(2025, 5, 1)},
                                      actor=None)


def test_archive_hides_from_lists_and_a_coordinator_restores(client, login_as, make_user, make_family, app):
    assistant = make_user("assistant", login="agata")
    family = make_family(assistant=assistant, name="Archiwalni")
    login_as("coordinator")
    response = client.post(f"/families/{family.id}/archive", data={"reason": ""})
    assert "Podaj powód archiwizacji." in client.get(response.headers["Location"]).get_data(as_text=True)
    client.post(f"/families/{family.id}/archive", data={"reason": "rodzina wprowadzona dwukrotnie"})
    assert "Archiwalni" not in client.get("/families/?status=").get_data(as_text=True)
    assert "Archiwalni" in client.get("/families/?status=archived").get_data(as_text=True)
    from tests.conftest import login

    other = app.test_client()
    login(other, "agata")
    assert other.get(f"/families/{family.id}").status_code == 404
    assert "Archiwalni" not in other.get("/families/mine").get_data(as_text=True)
    client.post(f"/families/{family.id}/archive", data={"restore": "1"})
    assert other.get(f"/families/{family.id}").status_code == 200


def test_changes_are_audited_with_field_diffs(client, login_as, make_family):
    from casework.core.audit import AuditEvent

    login_as("coordinator")
    family = make_family(name="Nowakowie")
    client.post(f"/families/{family.id}/edit", data={
        "version": family.version, "case_number": family.case_number, "name": "Nowakowscy", "area": "rural",
        "city": "Gniezno", "social_worker_id": ""})
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "family_updated")).one()
    assert event.details["name"] == ["Nowakowie", "Nowakowscy"] and event.details["area"] == ["urban", "rural"]


def test_case_number_default_pattern_and_uniqueness(client, login_as, make_family):
    login_as("coordinator")
    from casework.core.timeutil import today_local

    html = client.get("/families/new").get_data(as_text=True)
    assert f'value="AR/{today_local().year}/1"' in html
    family = make_family()
    response = client.post("/families/new", data={"case_number": family.case_number, "name": "Inni",
                                                  "area": "urban", "social_worker_id": ""})
    assert response.status_code == 400
    assert f"Numer sprawy {family.case_number} ma już inna rodzina." in response.get_data(as_text=True)
