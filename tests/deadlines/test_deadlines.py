"""The deadline board and the calendar feed; court opinions feed both."""
import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from icalendar import Calendar

from casework.core import dictionaries
from casework.extensions import db
from casework.families import services as families
from casework.opinions import services as opinions
from casework.plans import services as plans
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


@pytest.fixture
def centre(make_user, make_family):  # noqa: F811
    """Prepared data: each kind of deadline once, in Agata's family; an unrelated family of Bartosz."""
    from casework.core.settings import set_setting

    today = date.today()
    agata, bartosz = make_user("assistant", login="agata"), make_user("assistant", login="bartosz")
    make_user("coordinator", login="kierownik")
    mine = make_family(assistant=agata, name="Moi", start=today - timedelta(days=175))  # assessment due in ~5 days
    plan = plans.create_plan(mine.support_periods[0], {"drawn_up_on": today - timedelta(days=170)}, actor=agata)
    goal = plans.add_goal(plan, "Cel", None, None, actor=agata)
    plans.add_action(goal, {"what": "Zaległe działanie", "deadline": today - timedelta(days=3)}, actor=agata)
    opinions.record_request(mine, {"court": "SR Gniezno", "received_on": today - timedelta(days=5),
                                   "due_on": today + timedelta(days=10)}, actor=agata)
    ended = make_family(assistant=agata, name="Monitorowani", start=today - timedelta(days=400))
    families.end_support_period(ended.support_periods[0], today - timedelta(days=10),
                                dictionaries.by_code("end_reason", "goals_achieved").id, None,
                                today + timedelta(days=20), actor=agata)
    other = make_family(assistant=bartosz, name="Cudzy", start=today - timedelta(days=5))  # plan missing
    set_setting("caseload_cap", 1)
    db.session.commit()
    return {"mine": mine, "other": other}


def test_the_board_shows_every_kind_of_deadline_to_the_coordinator(client, centre):
    login(client, "kierownik")
    html = client.get("/deadlines/").get_data(as_text=True)
    for text in ("Ocena okresowa", "Plan pracy z rodziną nie został jeszcze sporządzony", "Zaległe działanie",
                 "Opinia dla sądu", "Monitorowanie się kończy", "Brak wizyty od zbyt dawna", "limit 1"):
        assert text in html, text


def test_an_assistant_sees_only_their_own_families(client, centre):
    login(client, "agata")
    html = client.get("/deadlines/").get_data(as_text=True)
    assert centre["mine"].case_number in html
    assert centre["other"].case_number not in html
    assert "limit 1" not in html
    only = client.get("/deadlines/?kind=court_opinion").get_data(as_text=True)
    assert "Opinia dla sądu" in only and "Zaległe działanie" not in only


def test_calendar_feed_parses_and_the_token_can_be_revoked(client, centre):
    login(client, "agata")
    html = client.post("/deadlines/calendar", data={"action": "new"}).get_data(as_text=True)
    url = re.search(r'value="(http[^"]+\.ics)"', html).group(1)
    path = url.split("localhost", 1)[1]
    feed = client.get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    calendar = Calendar.from_ical(feed.data)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert any(s.startswith("Opinia dla sądu") and centre["mine"].case_number in s for s in summaries)
    assert not any("Zaległe działanie" in s or "Moi" in s for s in summaries)  # kind and case number only
    assert not any(centre["other"].case_number in s for s in summaries)
    client.post("/deadlines/calendar", data={"action": "revoke"})
    assert client.get(path).status_code == 404


def test_court_opinion_rules_document_and_indicator(client, make_user, make_family):  # noqa: F811
    from casework.core.periods import year
    from casework.indicators import engine

    agata = make_user("assistant", login="agata")
    family = make_family(assistant=agata)
    with pytest.raises(opinions.RuleError, match="przed otrzymaniem"):
        opinions.record_request(family, {"court": "SR", "received_on": date(2025, 5, 5),
                                         "due_on": date(2025, 5, 1)}, actor=agata, today=date(2025, 6, 1))
    db.session.rollback()
    login(client, "agata")
    response = client.post(f"/families/{family.id}/opinions/new", data={
        "court": "Sąd Rejonowy w Gnieźnie", "received_on": "2025-05-05", "due_on": "2025-05-20",
        "sent_on": "2025-05-18", "document": (BytesIO(b"%PDF-1.4 opinia"), "opinia.pdf", "application/pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    from sqlalchemy import select

    from casework.opinions.models import CourtOpinion

    opinion = db.session.scalars(select(CourtOpinion)).one()
    assert client.get(f"/opinions/{opinion.id}/document").data == b"%PDF-1.4 opinia"
    assert engine.compute(year(2025))["AR_COURT_OPINIONS"] == 1
    other = make_user("assistant", login="other")
    from casework.extensions import db as _db

    _db.session.commit()
    other_client = client.application.test_client()
    login(other_client, other)
    assert other_client.get(f"/opinions/{opinion.id}/document").status_code == 404
