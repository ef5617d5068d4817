"""Institution directory, institution contacts and team meetings."""
from datetime import date

import pytest
from sqlalchemy import select

from casework.contacts import services
from casework.contacts.models import InstitutionContact
from casework.core import dictionaries
from casework.extensions import db
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


@pytest.fixture
def school():
    return services.add_institution({"name": "Szkoła Podstawowa nr 1", "city": "Gniezno",
                                     "type_id": dictionaries.by_code("institution_type", "school").id}, actor=None)


def test_directory_refuses_duplicates_and_missing_type(school):
    with pytest.raises(services.ContactRuleError, match="już w katalogu"):
        services.add_institution({"name": "szkoła podstawowa nr 1", "city": "Gniezno", "type_id": school.type_id},
                                 actor=None)
    with pytest.raises(services.ContactRuleError, match="rodzaj instytucji"):
        services.add_institution({"name": "Inna", "type_id": None}, actor=None)


def test_contact_from_the_family_page_shows_on_the_timeline(client, make_user, make_family, school):  # noqa: F811
    agata = make_user("assistant", login="agata")
    family = make_family(assistant=agata, name="Kowalscy")
    db.session.commit()
    login(client, "agata")
    assert f"/contacts/new?family_id={family.id}" in client.get(f"/families/{family.id}").get_data(as_text=True)
    response = client.post("/contacts/new", data={"contact_date": date.today().isoformat(),
                                                  "institution_id": school.id, "family_id": family.id,
                                                  "form": "phone", "subject": "Frekwencja Oli"})
    assert response.status_code == 302
    html = client.get(f"/families/{family.id}").get_data(as_text=True)
    assert "Kontakt z: Szkoła Podstawowa nr 1 (rozmowa telefoniczna)" in html


def test_contacts_about_other_families_stay_hidden(app, client, make_user, make_family, school):  # noqa: F811
    owner = make_user("assistant", login="owner")
    secret = make_family(assistant=owner, name="Tajni")
    services.log_contact({"contact_date": date(2025, 3, 1), "institution_id": school.id, "family_id": secret.id,
                          "form": "meeting", "subject": "Sprawa Tajnych"}, actor=owner, today=date(2025, 3, 2))
    services.log_contact({"contact_date": date(2025, 3, 1), "institution_id": school.id, "form": "email",
                          "subject": "Ogólne ustalenia"}, actor=owner, today=date(2025, 3, 2))
    db.session.commit()
    login(client, make_user("assistant", login="other"))
    html = client.get(f"/institutions/{school.id}").get_data(as_text=True)
    assert "Ogólne ustalenia" in html and "Tajni" not in html and "Sprawa Tajnych" not in html
    response = client.post("/contacts/new", data={"contact_date": "2025-03-01", "institution_id": school.id,
                                                  "family_id": secret.id, "form": "phone"})
    assert response.status_code == 404
    assert db.session.scalar(select(InstitutionContact.id).where(InstitutionContact.user_id != owner.id)) is None


def test_contact_and_meeting_rules_in_polish(make_user, make_family, school):  # noqa: F811
    agata = make_user("assistant")
    family = make_family(assistant=agata)
    with pytest.raises(services.ContactRuleError, match="z przyszłości"):
        services.log_contact({"contact_date": date(2030, 1, 1), "institution_id": school.id, "form": "phone"},
                             actor=agata, today=date(2025, 1, 1))
    with pytest.raises(services.ContactRuleError, match="uczestników"):
        services.log_meeting(family, {"meeting_date": date(2025, 1, 1), "participants": ""}, actor=agata,
                             today=date(2025, 1, 2))


def test_indicators_count_contacts_by_type_and_meetings(make_user, make_family, school):  # noqa: F811
    from casework.core.periods import year
    from casework.indicators import engine

    agata = make_user("assistant")
    family = make_family(assistant=agata)
    police = services.add_institution({"name": "KPP", "type_id": dictionaries.by_code("institution_type",
                                                                                      "police").id}, actor=None)
    for institution, day in ((school, date(2025, 2, 1)), (school, date(2025, 12, 31)), (police, date(2025, 6, 1)),
                             (police, date(2026, 1, 1))):
        services.log_contact({"contact_date": day, "institution_id": institution.id, "form": "phone"},
                             actor=agata, today=date(2026, 2, 1))
    services.log_meeting(family, {"meeting_date": date(2025, 1, 20), "participants": "AR, PS",
                                  "new_family": True}, actor=agata, today=date(2026, 2, 1))
    services.log_meeting(family, {"meeting_date": date(2025, 7, 20), "participants": "AR, PS"}, actor=agata,
                         today=date(2026, 2, 1))
    db.session.commit()
    values = engine.compute(year(2025))
    assert values["CONTACTS_TOTAL"] == 3
    assert values["CONTACTS_BY_INSTITUTION_TYPE"]["school"] == 2
    assert values["CONTACTS_BY_INSTITUTION_TYPE"]["police"] == 1
    assert values["CONTACTS_BY_INSTITUTION_TYPE"]["ngo"] == 0
    assert values["AR_TEAM_MEETINGS"] == 2 and values["AR_TEAM_MEETINGS_NEW_FAMILIES"] == 1


def test_institution_list_query_count_constant(client, login_as, queries):
    login_as("assistant")
    kind = dictionaries.by_code("institution_type", "ngo").id

    def count():
        with queries() as q:
            assert client.get("/institutions/").status_code == 200
        return len(q)

    for n in range(3):
        services.add_institution({"name": f"Fundacja {n}", "type_id": kind}, actor=None)
    db.session.commit()
    few = count()
    for n in range(3, 30):
        services.add_institution({"name": f"Fundacja {n}", "type_id": kind}, actor=None)
    db.session.commit()
    assert count() == few


def test_own_entries_editable_within_the_window_then_coordinator_only(make_user, make_family, school):  # noqa: F811
    agata = make_user("assistant")
    family = make_family(assistant=agata)
    contact = services.log_contact({"contact_date": date(2025, 3, 1), "institution_id": school.id,
                                    "family_id": family.id, "form": "phone"}, actor=agata, today=date(2025, 3, 1))
    services.update_record(contact, {"subject": "poprawka"}, actor=agata, today=date(2025, 3, 5))
    with pytest.raises(services.ContactRuleError, match="minął"):
        services.update_record(contact, {"subject": "za późno"}, actor=agata, today=date(2025, 4, 1))
    services.update_record(contact, {"subject": "koordynator"}, actor=make_user("coordinator"),
                           today=date(2025, 4, 1))
    assert contact.subject == "koordynator"


def test_edit_pages_follow_the_family_access_rule(app, client, make_user, make_family, school):  # noqa: F811
    owner = make_user("assistant", login="owner")
    family = make_family(assistant=owner)
    contact = services.log_contact({"contact_date": date.today(), "institution_id": school.id,
                                    "family_id": family.id, "form": "phone"}, actor=owner)
    meeting = services.log_meeting(family, {"meeting_date": date.today(), "participants": "AR"}, actor=owner)
    db.session.commit()
    login(client, make_user("assistant", login="other"))
    assert client.get(f"/contacts/{contact.id}/edit").status_code == 404
    assert client.get(f"/meetings/{meeting.id}/edit").status_code == 404
    mine = app.test_client()
    login(mine, "owner")
    assert mine.get(f"/meetings/{meeting.id}/edit").status_code == 200
    assert mine.post(f"/meetings/{meeting.id}/edit", data={"version": meeting.version,
                                                           "meeting_date": date.today().isoformat(),
                                                           "participants": "AR, PS"}).status_code == 302


@pytest.mark.parametrize("forged", ["99999999999", "2147483648", "0", "-1"])
def test_a_forged_id_past_the_database_integer_is_not_chosen_not_a_server_error(client, make_user, forged):
    """Found by the fuzz test on PostgreSQL: an id beyond a 32-bit integer reached the database (500)."""
    from casework.contacts.models import Institution

    make_user("coordinator", login="kierownik")
    login(client, "kierownik")
    response = client.post("/institutions/new", data={"name": "Poradnia", "type_id": forged})
    assert response.status_code == 400
    assert "Wybierz" in response.get_data(as_text=True)
    assert db.session.scalar(select(Institution.id)) is None
