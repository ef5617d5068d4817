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
    login_as("coordinator")
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
    login_as("coordinator")
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
