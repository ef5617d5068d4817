"""The work-time sheet of the whole job (issue 21): visits, contacts with institutions, team meetings, trainings and
the other work (a court hearing, travel, office work) on one sheet, the page and its XLSX/DOCX adding up the same;
the other work entered on the sheet's page with Polish refusals; removed by its author only; a fixed number of
queries however many rows."""
from datetime import date, timedelta
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from casework.contacts import services as contacts
from casework.core import dictionaries
from casework.core import worktime
from casework.extensions import db
from casework.staff import services as staff
from casework.visits import services as visits
from casework.worktime.models import WorkEntry
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


@pytest.fixture
def agata(make_user):
    return make_user("assistant", login="agata", full_name="Agata Asystentka")


@pytest.fixture
def family(make_family, agata):  # noqa: F811
    return make_family(assistant=agata, name="Kowalscy")


def _month_start():
    today = date.today()
    # a month whose first days are past (the 1st and 2nd of this month may be today: use the previous month)
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _whole_job(agata, family, first):
    today = first + timedelta(days=27)
    visits.log_visit(family, {"visit_date": first, "duration_minutes": 90}, [], actor=agata, today=today)
    school = contacts.add_institution({"name": "Szkoła Podstawowa nr 1", "city": "Gniezno",
                                       "type_id": dictionaries.by_code("institution_type", "school").id}, actor=None)
    contacts.log_contact({"contact_date": first, "institution_id": school.id, "family_id": family.id,
                          "form": "phone", "duration_minutes": 15}, actor=agata, today=today)
    contacts.log_contact({"contact_date": first + timedelta(days=1), "institution_id": school.id, "form": "email"},
                         actor=agata, today=today)  # no duration given: listed, not counted
    contacts.log_meeting(family, {"meeting_date": first + timedelta(days=1), "participants": "asystent, pedagog",
                                  "duration_minutes": 45}, actor=agata, today=today)
    staff.save_training(agata, {"training_date": first + timedelta(days=2), "title": "Praca z rodziną",
                                "hours": "4"}, actor=agata)
    db.session.commit()


def test_the_sheet_adds_up_the_whole_job_on_the_page_and_in_both_files(client, agata, family):
    first = _month_start()
    _whole_job(agata, family, first)
    login(client, "agata")
    month = first.strftime("%Y-%m")
    form = client.get("/work-time/new")
    assert form.status_code == 200 and "Rozprawa w sądzie" in form.get_data(as_text=True)
    response = client.post("/work-time/new", data={"work_date": (first + timedelta(days=3)).isoformat(),
                                                    "kind": "court_hearing", "minutes": "120",
                                                    "family_id": str(family.id), "note": "Sąd Rejonowy, III Nsm"})
    assert response.status_code == 302 and f"month={month}" in response.headers["Location"]

    sheet = worktime.sheet(agata.id, first.year, first.month)
    # 90 (visit) + 15 (contact) + 45 (meeting) + 240 (training) + 120 (hearing); the e-mail without a duration is 0
    assert sheet.total_minutes == 510
    assert [(str(label), count, minutes) for label, count, minutes in sheet.by_kind] == [
        ("Wizyty", 1, 90), ("Kontakty z instytucjami", 2, 15), ("Spotkania zespołu", 1, 45),
        ("Szkolenia", 1, 240), ("Rozprawa w sądzie", 1, 120)]
    assert dict(sheet.by_family)[f"{family.case_number} Kowalscy"] == 90 + 15 + 45 + 120

    html = client.get(f"/visits/timesheet?month={month}").get_data(as_text=True)
    assert "Godziny w miesiącu: 8,5\u00a0h" in html
    assert "Szkolenia" in html and "Praca z rodziną" in html and "Sąd Rejonowy, III Nsm" in html
    rows = list(load_workbook(BytesIO(client.get(f"/visits/timesheet?month={month}&format=xlsx").data))
                .active.values)
    assert rows[-1][0] == "Razem" and rows[-1][4] == 6 and rows[-1][5] == 8.5
    docx = Document(BytesIO(client.get(f"/visits/timesheet?month={month}&format=docx").data))
    assert docx.tables[0].rows[-1].cells[5].text == "8,50"
    assert any(c.text == "Rozprawa w sądzie" for r in docx.tables[0].rows for c in r.cells)


@pytest.mark.parametrize("case", ["zero_minutes", "thirteen_hours", "future", "no_kind", "foreign_family"])
def test_bad_work_is_refused_in_polish_and_nothing_is_stored(client, agata, family, make_family, make_user,  # noqa: F811
                                                             case):
    other = make_family(assistant=make_user("assistant", login="bartosz"), name="Nowakowie")
    data = {"work_date": date.today().isoformat(), "kind": "travel", "minutes": "30", "family_id": ""}
    message = {"zero_minutes": "Czas trwania musi wynosić od 1 minuty do 12 godzin.",
               "thirteen_hours": "Czas trwania musi wynosić od 1 minuty do 12 godzin.",
               "future": "Pracy nie można wpisać z datą przyszłą.",
               "no_kind": "Wybierz rodzaj pracy.",
               "foreign_family": "Wybierz jedną ze swoich rodzin."}[case]
    data |= {"zero_minutes": {"minutes": "0"}, "thirteen_hours": {"minutes": "780"},
             "future": {"work_date": (date.today() + timedelta(days=1)).isoformat()},
             "no_kind": {"kind": ""}, "foreign_family": {"family_id": str(other.id)}}[case]
    login(client, "agata")
    response = client.post("/work-time/new", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "Nowakowie" not in response.get_data(as_text=True)  # the form lists only the assistant's families
    assert db.session.scalar(select(func.count()).select_from(WorkEntry)) == 0


def test_a_contact_or_meeting_duration_obeys_the_same_rule(agata, family):
    from casework.core.errors import RuleError

    with pytest.raises(RuleError, match="od 1 minuty do 12 godzin"):
        contacts.log_meeting(family, {"meeting_date": date.today(), "participants": "asystent",
                                      "duration_minutes": 0}, actor=agata)


def test_only_the_author_or_a_coordinator_removes_an_entry(client, agata, make_user):
    make_user("assistant", login="bartosz")
    make_user("coordinator", login="kierownik")
    login(client, "agata")
    client.post("/work-time/new", data={"work_date": date.today().isoformat(), "kind": "office", "minutes": "60"})
    entry = db.session.scalars(select(WorkEntry)).one()
    month = date.today().strftime("%Y-%m")
    page = client.get(f"/visits/timesheet?month={month}").get_data(as_text=True)
    assert f"/work-time/{entry.id}/archive" in page
    client.post("/logout")
    login(client, "bartosz")
    assert client.post(f"/work-time/{entry.id}/archive").status_code == 404
    client.post("/logout")
    login(client, "kierownik")
    assert client.post(f"/work-time/{entry.id}/archive").status_code == 302
    db.session.expire_all()
    assert db.session.get(WorkEntry, entry.id).archived_at is not None
    assert worktime.sheet(agata.id, date.today().year, date.today().month).total_minutes == 0


def test_the_sheet_page_queries_do_not_grow_with_its_rows(client, agata, family, queries):
    first = _month_start()
    login(client, "agata")
    month = first.strftime("%Y-%m")

    def count():
        with queries() as counted:
            assert client.get(f"/visits/timesheet?month={month}").status_code == 200
        return len(counted)

    _whole_job(agata, family, first)
    few = count()
    for day in range(3, 20):
        visits.log_visit(family, {"visit_date": first + timedelta(days=day), "duration_minutes": 30}, [], actor=agata,
                         today=first + timedelta(days=27))
        db.session.add(WorkEntry(user_id=agata.id, work_date=first + timedelta(days=day), kind="travel", minutes=20))
    db.session.commit()
    assert count() == few
