"""The start page per role (issue 21): the assistant's day, the coordinator's week, the team's blue-card steps,
the administrator's system — each a fixed number of queries, whatever the number of families."""
from datetime import date, timedelta

import pytest

from casework.auth.models import LoginAttempt
from casework.bluecard.models import GroupMember, Procedure
from casework.core.settings import set_setting
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.opinions.models import CourtOpinion
from casework.visits.models import Visit
from tests.conftest import login
from tests.reminders.helpers import make_family


@pytest.fixture
def today():
    return today_local()


def _visit(family, assistant, day, minutes=90):
    db.session.add(Visit(family_id=family.id, assistant_id=assistant.id, visit_date=day, duration_minutes=minutes))


def _opinion(family, author, due):
    db.session.add(CourtOpinion(family_id=family.id, author_id=author.id, court="Sąd Rejonowy w Gnieźnie",
                                received_on=due - timedelta(days=30), due_on=due))


def test_the_assistant_sees_the_day_the_overdue_and_the_families_without_a_visit(client, make_user, today):
    agata, other = make_user("assistant", login="agata"), make_user("assistant", login="bartosz")
    visited, _p = make_family(start=today - timedelta(days=90), assistant=agata, case_number="AR/1",
                              name="Nowakowie")
    quiet, _p = make_family(start=today - timedelta(days=90), assistant=agata, case_number="AR/2", name="Cisi")
    theirs, _p = make_family(start=today - timedelta(days=90), assistant=other, case_number="AR/3", name="Obcy")
    _visit(visited, agata, today)
    _visit(quiet, agata, today - timedelta(days=45))
    _opinion(visited, agata, today - timedelta(days=2))
    _opinion(theirs, other, today - timedelta(days=2))
    db.session.commit()
    login(client, "agata")
    html = client.get("/").get_data(as_text=True)
    assert "Wizyty zapisane dziś" in html and "Nowakowie" in html
    overdue = html.split('id="start-overdue"')[1].split("</ul>")[0]
    assert "AR/1" in overdue and "AR/3" not in overdue
    no_visit = html.split('id="start-no-visit"')[1].split("</ul>")[0]
    assert "AR/2" in no_visit and "AR/1" not in no_visit
    assert (today - timedelta(days=45)).strftime("%d.%m.%Y") in no_visit
    assert "AR/3" not in html
    assert "Rodziny bez wizyty od 30 dni" in html


def test_the_assistants_page_costs_the_same_queries_for_2_or_12_families(client, make_user, queries, today):
    agata = make_user("assistant", login="agata")
    for n in range(2):
        family, _p = make_family(start=today - timedelta(days=90), assistant=agata)
        _opinion(family, agata, today - timedelta(days=1))
    db.session.commit()
    login(client, "agata")
    client.get("/")
    with queries() as few:
        assert client.get("/").status_code == 200
    for n in range(10):
        family, _p = make_family(start=today - timedelta(days=90), assistant=agata)
        _visit(family, agata, today)
        _opinion(family, agata, today - timedelta(days=1))
    db.session.commit()
    with queries() as many:
        assert client.get("/").status_code == 200
    assert len(few) == len(many)


def test_the_coordinator_sees_the_week_the_caseload_near_the_cap_and_the_next_report(client, make_user, queries,
                                                                                      today):
    make_user("coordinator", login="szefowa")
    agata = make_user("assistant", login="agata", full_name="Agata Pełna")
    make_user("assistant", login="bartosz", full_name="Bartosz Wolny")
    set_setting("caseload_cap", 3)
    family, _p = make_family(start=today - timedelta(days=20), assistant=agata, case_number="AR/7")
    make_family(start=today - timedelta(days=20), assistant=agata)
    make_family(start=today - timedelta(days=20), assistant=agata)  # at the cap: every kind of deadline is there
    _opinion(family, agata, today + timedelta(days=3))
    db.session.commit()
    login(client, "szefowa")
    with queries() as few:
        html = client.get("/").get_data(as_text=True)
    week = html.split('id="start-week"')[1].split("</ul>")[0]
    assert "AR/7" in week and "Opinia dla sądu" in week
    caseload = html.split('id="start-caseload"')[1].split("</ul>")[0]
    assert "Agata Pełna: 3" in caseload and "limit osiągnięty" in caseload and "Bartosz" not in caseload
    reports = html.split('id="start-reports"')[1].split("</ul>")[0]
    ministry = date(today.year, 7, 31) if today < date(today.year, 7, 31) else (
        date(today.year + 1, 1, 31) if today > date(today.year, 1, 31) else date(today.year, 1, 31))
    assert ministry.strftime("%d.%m.%Y") in reports
    for n in range(8):
        f, _p = make_family(start=today - timedelta(days=20), assistant=agata)
        _opinion(f, agata, today + timedelta(days=2))
    db.session.commit()
    with queries() as many:
        assert client.get("/").status_code == 200
    assert len(few) == len(many)


def test_the_team_sees_only_the_procedures_it_may_read(client, make_user, today):
    make_user("zi_member", login="zespol")
    worker = make_user("social_worker", login="pracownik")
    make_user("social_worker", login="obcy")
    mine = Procedure(number="NK/1/2026", nka_date=today - timedelta(days=2), sector="social", violence_forms=[])
    hidden = Procedure(number="NK/2/2026", nka_date=today - timedelta(days=3), sector="social", violence_forms=[])
    db.session.add_all([mine, hidden])
    db.session.flush()
    db.session.add(GroupMember(procedure_id=mine.id, user_id=worker.id, name="Pracownik", sector="social"))
    db.session.commit()
    login(client, "zespol")
    html = client.get("/").get_data(as_text=True)
    assert "NK/1/2026" in html and "NK/2/2026" in html and "NK-A do przewodniczącego zespołu" in html
    client.post("/logout")
    login(client, "pracownik")
    html = client.get("/").get_data(as_text=True)
    assert "NK/1/2026" in html and "NK/2/2026" not in html
    client.post("/logout")
    login(client, "obcy")
    html = client.get("/").get_data(as_text=True)
    assert "NK/" not in html


def test_the_administrator_sees_the_scheduler_the_backup_and_the_locked_logins(client, make_user, app):
    make_user("admin", login="admin1")
    for _n in range(app.config["LOGIN_MAX_FAILURES"]):
        db.session.add(LoginAttempt(login="zablokowany", ip="10.0.0.1", attempted_at=utcnow(), success=False))
    db.session.add(LoginAttempt(login="pomylony", ip="10.0.0.2", attempted_at=utcnow(), success=False))
    db.session.commit()
    login(client, "admin1")
    html = client.get("/").get_data(as_text=True)
    system = html.split('id="start-system"')[1].split("</ul>")[0]
    assert "zablokowany" in system and "pomylony" not in system
    assert "nie uruchomiony" in system or "nie działa" in system
    assert "Ostatnia kopia zapasowa" in system


def test_the_teams_page_costs_the_same_queries_for_1_or_8_procedures(client, make_user, queries, today):
    make_user("zi_member", login="zespol")

    def add(n):
        db.session.add(Procedure(number=f"NK/{n}/2026", nka_date=today - timedelta(days=n), sector="social",
                                 violence_forms=[], to_chair_on=today - timedelta(days=n) if n % 2 else None))

    add(1)
    add(2)
    db.session.commit()
    login(client, "zespol")
    with queries() as few:
        assert client.get("/").status_code == 200
    for n in range(3, 11):
        add(n)
    db.session.commit()
    with queries() as many:
        html = client.get("/").get_data(as_text=True)
    assert "NK/10/2026" in html
    assert len(few) == len(many)
