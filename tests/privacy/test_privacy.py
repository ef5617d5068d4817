"""A person's data export (completeness, the blue-card exclusion, access, reason) and retention (what is listed,
the purge, frozen statistics intact, nothing younger touched)."""
import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from casework.bluecard import services as bluecard
from casework.core import periods
from casework.core.audit import AuditEvent
from casework.extensions import db
from casework.families import services as families
from casework.families.models import Family, FamilyMember, SupportPeriod
from casework.indicators import services as indicators
from casework.indicators.models import FrozenIndicatorValue
from casework.privacy import retention
from casework.visits.models import Visit
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture

PESEL = "85030212344"  # synthetic, valid checksum for 1985-03-02


def _member(family, first, last, relation="parent", pesel=None, born=None):
    return families.add_member(family, {"first_name": first, "last_name": last, "relation": relation,
                                        "pesel": pesel, "birth_date": born, "in_household": True}, actor=None)


@pytest.fixture
def person(make_user, make_family):  # noqa: F811
    """Anna: registered twice (two families over the years, the same PESEL), affected in a procedure where Marek uses
    violence; the procedure records where Anna is staying."""
    agata = make_user("assistant", login="agata")
    old = make_family(assistant=agata, name="Nowakowie", start=date(2018, 1, 10))
    new = make_family(assistant=agata, name="Nowak-Lis", start=date(2025, 2, 1))
    anna_old = _member(old, "Anna", "Nowak", pesel=PESEL, born=date(1985, 3, 2))
    families.archive(anna_old, "moved to a new family", actor=None)  # PESEL is unique among active records
    anna_new = _member(new, "Anna", "Nowak-Lis", pesel=PESEL, born=date(1985, 3, 2))
    marek = _member(new, "Marek", "Lis")
    db.session.add(Visit(family_id=old.id, assistant_id=agata.id, visit_date=date(2018, 2, 1), duration_minutes=60,
                         activities="Rozmowa o budżecie"))
    procedure = bluecard.start_procedure({"nka_date": date(2025, 3, 1), "sector": "police",
                                          "violence_forms": ["psychological"], "family_id": new.id}, [
        {"role": "affected", "member_id": anna_new.id, "first_name": "Anna", "last_name": "Nowak-Lis",
         "address": "Hostel Bezpieczny, ul. Cicha 5", "phone": "600 123 456"},
        {"role": "suspected", "member_id": marek.id, "first_name": "Marek", "last_name": "Lis"}],
        actor=None, today=date(2025, 3, 2))
    db.session.commit()
    return {"anna": anna_old, "marek": marek, "old": old, "new": new, "procedure": procedure}


def _export(client, member, reason="Wniosek nr 12/2026 z 20.11.2026"):
    response = client.post(f"/privacy/members/{member.id}/export", data={"reason": reason})
    return response, (zipfile.ZipFile(io.BytesIO(response.data)) if response.status_code == 200 else None)


def test_export_is_complete_across_families_and_years(client, login_as, person):
    login_as("coordinator", "zi_member")  # a coordinator in the interdisciplinary team reads the procedure too
    response, archive = _export(client, person["anna"])
    assert response.status_code == 200 and set(archive.namelist()) == {"dane-osoby.json", "dane-osoby.html"}
    data = json.loads(archive.read("dane-osoby.json"))
    sections = {s["code"]: s["entries"] for s in data["sections"]}
    assert {e["rodzina"] for e in sections["members"]} == {person["old"].case_number, person["new"].case_number}
    assert len(sections["support_periods"]) == 2
    assert sections["visits"][0]["co_zrobiono"] == "Rozmowa o budżecie"
    assert sections["blue_card"][0]["dane"]["address"] == "Hostel Bezpieczny, ul. Cicha 5"  # her own data
    html = archive.read("dane-osoby.html").decode()
    assert "Okresy wsparcia asystenta rodziny" in html and "Nowak-Lis" in html
    # coded values read as the app's words: "rola w rodzinie" is "rodzic", not the stored code
    assert sections["members"][0]["relacja"] == "rodzic" and "parent" not in html
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person_data_exported"))
    assert event.details["reason"] == "Wniosek nr 12/2026 z 20.11.2026"


def test_export_for_a_person_using_violence_leaves_out_whereabouts(client, login_as, person):
    login_as("coordinator", "zi_member")
    _response, archive = _export(client, person["marek"])
    text = archive.read("dane-osoby.json").decode() + archive.read("dane-osoby.html").decode()
    assert "Cicha" not in text and "600 123 456" not in text and "Hostel" not in text
    assert person["procedure"].number in text


def test_export_needs_a_reason_and_is_for_coordinators(app, client, login_as, person):
    login_as("coordinator")
    response, _archive = _export(client, person["anna"], reason="")
    assert response.status_code == 400 and "Podaj podstawę" in response.get_data(as_text=True)
    other = app.test_client()
    login(other, "agata")
    assert other.get(f"/privacy/members/{person['anna'].id}/export").status_code == 403
    assert client.get("/privacy/members/999999/export").status_code == 404


def test_retention_lists_purges_and_keeps_statistics(client, login_as, make_user, make_family):  # noqa: F811
    agata = make_user("assistant")
    old = make_family(assistant=agata, name="Dawni", start=date(2012, 3, 1), children=1)
    period = old.support_periods[0]
    period.end_date, period.monitoring_until = date(2014, 6, 30), date(2015, 6, 30)
    db.session.add(Visit(family_id=old.id, assistant_id=agata.id, visit_date=date(2013, 2, 1), duration_minutes=60))
    recent = make_family(assistant=agata, name="Niedawni", start=date(2014, 1, 1))
    recent.support_periods[0].end_date = date(2016, 6, 30)  # counted from 1.1.2017: kept until the end of 2026
    active = make_family(assistant=agata, name="Aktywni", start=date(2010, 1, 1))  # open: never listed
    coordinator = make_user("coordinator")
    db.session.commit()
    indicators.close_period(periods.year(2013), coordinator)
    db.session.commit()
    frozen = db.session.scalar(select(FrozenIndicatorValue.value).where(FrozenIndicatorValue.code ==
                                                                        "AR_FAMILIES_SUPPORTED"))
    assert frozen == 2  # Dawni and Aktywni
    today = date(2026, 11, 24)
    old_id, old_number, members = old.id, old.case_number, len(old.members)
    assert [f.case_number for f in retention.families_past_retention(today)] == [old.case_number]
    login_as("admin")
    page = client.get("/privacy/retention").get_data(as_text=True)
    assert old.case_number in page and recent.case_number not in page and active.case_number not in page
    assert client.post("/privacy/retention", data={"confirm": "tak"}).status_code == 302
    assert db.session.get(Family, old.id) is not None  # not confirmed: nothing deleted
    counts = retention.purge(today, actor=None)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Family, old_id) is None
    assert counts["visit"] == 1 and counts["family_member"] == members and counts["support_period"] == 1
    assert db.session.get(Family, recent.id) is not None and db.session.get(Family, active.id) is not None
    assert db.session.scalar(select(FrozenIndicatorValue.value).where(FrozenIndicatorValue.code ==
                                                                      "AR_FAMILIES_SUPPORTED")) == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention_purge"))
    assert event.details["families"] == [old_id] and "Dawni" not in json.dumps(event.details)
    assert old_number not in json.dumps(event.details)


def test_retention_purges_closed_procedures_with_their_content(make_user):
    old = bluecard.start_procedure({"nka_date": date(2013, 1, 2), "sector": "police", "violence_forms": ["physical"]},
                                   [{"role": "affected", "first_name": "A", "last_name": "B"},
                                    {"role": "suspected", "first_name": "C", "last_name": "D"}], actor=None,
                                   today=date(2013, 1, 3))
    bluecard.hand_to_chair(old, date(2013, 1, 3), actor=None, today=date(2013, 1, 4))
    bluecard.hand_to_group(old, date(2013, 1, 4), [{"name": "P", "sector": "social_assistance"},
                                                   {"name": "Q", "sector": "police"}], actor=None,
                           today=date(2013, 1, 5))
    bluecard.close(old, date(2014, 5, 5), "unfounded", None, actor=None, today=date(2014, 5, 6))
    db.session.commit()
    counts = retention.purge(date(2026, 11, 24), actor=None)
    db.session.commit()
    assert counts["bluecard_procedure"] == 1 and counts["bluecard_person"] == 2 and counts["bluecard_group_member"] == 2
    from casework.bluecard.models import Procedure

    assert db.session.scalar(select(func.count()).select_from(Procedure)) == 0


def _texts(archive) -> str:
    return archive.read("dane-osoby.json").decode() + archive.read("dane-osoby.html").decode()


def _blue_card_reads(procedure) -> list:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "bluecard_viewed",
                                                       AuditEvent.object_id == procedure.id)).all()


def test_blue_card_leaks_through_the_person_data_export(client, login_as, make_family, person):  # noqa: F811
    """Issue 17, finding 1: a coordinator outside the compartment (404 on the procedure) exported Marek's data and
    read his role, the procedure's number and dates, Anna's shelter and phone. Now the export says nothing that
    would tell whether a procedure exists: the same sections, headings and note as for a person without one."""
    coordinator = login_as("coordinator")
    procedure = person["procedure"]
    assert client.get(f"/blue-card/{procedure.id}").status_code == 404
    nobody = _member(make_family(name="Bezprocedurowi"), "Jan", "Spokojny")
    db.session.commit()
    _response, plain = _export(client, nobody)
    expected = [(s["code"], s["title"]) for s in json.loads(plain.read("dane-osoby.json"))["sections"]]
    for member in (person["marek"], person["anna"]):
        response, archive = _export(client, member)
        assert response.status_code == 200
        data = json.loads(archive.read("dane-osoby.json"))
        assert [(s["code"], s["title"]) for s in data["sections"]] == expected
        assert data["notes"] == json.loads(plain.read("dane-osoby.json"))["notes"]
        text = _texts(archive)
        for leaked in (procedure.number, "2025-03-01", "przemoc", "Cicha", "600 123 456", "Niebieskie Karty”</h2>",
                       "blue_card", "procedura"):
            assert leaked not in text, leaked
    assert _blue_card_reads(procedure) == []  # nothing of the procedure was read
    assert coordinator.id  # the exports themselves are audited (person_data_exported), as before
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "person_data_exported")) == 3


def test_blue_card_export_only_for_procedures_the_user_may_read_and_audited(client, login_as, make_user, person):
    """A coordinator in one procedure's diagnostic group exports that procedure and no other of the person's; the
    read is audited as a blue-card read; a team member's export is audited per procedure too."""
    coordinator = login_as("coordinator")
    procedure = person["procedure"]
    other = bluecard.start_procedure({"nka_date": date(2025, 6, 1), "sector": "education",
                                      "violence_forms": ["economic"]}, [
        {"role": "affected", "member_id": person["anna"].id, "first_name": "Anna", "last_name": "Nowak",
         "address": "Schronisko Inne, ul. Dalsza 9"},
        {"role": "suspected", "first_name": "Piotr", "last_name": "Dalszy"}], actor=None, today=date(2025, 6, 2))
    bluecard.hand_to_chair(other, date(2025, 6, 2), actor=None, today=date(2025, 6, 3))
    bluecard.hand_to_group(other, date(2025, 6, 3), [
        {"user_id": coordinator.id, "name": "Koordynator", "sector": "social_assistance"},
        {"name": "Policjant", "sector": "police"}], actor=None, today=date(2025, 6, 4))
    db.session.commit()
    _response, archive = _export(client, person["anna"])
    data = json.loads(archive.read("dane-osoby.json"))
    entries = {s["code"]: s["entries"] for s in data["sections"]}["blue_card"]
    assert [e["procedura"] for e in entries] == [other.number]
    assert procedure.number not in _texts(archive) and "Cicha" not in _texts(archive)
    reads = _blue_card_reads(other)
    assert len(reads) == 1 and reads[0].user_id == coordinator.id
    assert reads[0].details == {"via": "person_data_export"}
    assert _blue_card_reads(procedure) == []

    team = make_user("coordinator", "zi_member", login="zespol")
    member_client = client.application.test_client()
    login(member_client, team)
    response = member_client.post(f"/privacy/members/{person['anna'].id}/export",
                                  data={"reason": "Wniosek nr 13/2026"})
    assert response.status_code == 200
    assert [e.user_id for e in _blue_card_reads(procedure)] == [team.id]
    assert [e.user_id for e in _blue_card_reads(other)] == [coordinator.id, team.id]
