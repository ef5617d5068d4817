"""The board, the feed and the reminders read one deadline source per kind (casework/<domain>/deadlines.py,
contract in casework.core.deadlines): a deadline a domain yields reaches all of them, so they cannot disagree.
The board filters, orders and paginates in the database and renders only the rows it shows."""
import calendar
from datetime import date, timedelta

import pytest
from sqlalchemy import literal, select

from casework.assessments.services import add_months as add_months_py
from casework.core import deadlines as core_deadlines
from casework.core.deadlines import Deadline, DeadlineKind, add_months, deadline_row
from casework.core.reminders import all_rules
from casework.core.sql import day
from casework.deadlines import services
from casework.extensions import db
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


def test_every_domain_deadline_module_is_discovered():
    found = core_deadlines.kinds()
    assert list(found) == ["assessment", "plan_missing", "plan_revision", "plan_action", "court_opinion",
                           "monitoring", "no_visit", "caseload"]
    assert {k.rows.__module__ for k in found.values()} == {
        "casework.assessments.deadlines", "casework.families.deadlines", "casework.opinions.deadlines",
        "casework.plans.deadlines", "casework.visits.deadlines"}


def _fake_kind(due: date, family_id: int = 41, ref_id: int = 5):
    def rows(family_ids, today):
        return select(*deadline_row(literal(family_id), day(due), None, literal(ref_id)))

    def render(rows, today):
        return [Deadline("court_opinion", r.due, "Opinia", r.family_id, "AR/1/2026", "opinions.form",
                         (("opinion_id", r.ref_id),), record_type="court_opinion", record_id=r.ref_id)
                for r in rows]

    return DeadlineKind("court_opinion", "Opinia dla sądu", order=50, rows=rows, render=render)


def test_a_deadline_yielded_once_reaches_the_board_the_feed_and_the_reminder(monkeypatch, make_user):
    coordinator = make_user("coordinator")
    today = date(2026, 10, 14)
    soon = today + timedelta(days=3)
    monkeypatch.setattr(core_deadlines, "_kinds", {"court_opinion": _fake_kind(soon)})
    expected = Deadline("court_opinion", soon, "Opinia", 41, "AR/1/2026", "opinions.form", (("opinion_id", 5),))
    assert services.collect(None, today, include_caseload=True) == [expected]
    assert services.board(None, today, include_caseload=True) == ([expected], 1)
    [candidate] = all_rules()["court_opinion_due"].candidates(today)
    assert (candidate.record_type, candidate.record_id, candidate.due_date, candidate.subject) == \
        ("court_opinion", 5, soon, "AR/1/2026")
    assert candidate.recipient_ids == (coordinator.id,)  # a family with no assistant: the coordinators
    # beyond the lead days (7): on the board (30-day horizon), no reminder yet; beyond the horizon: neither
    monkeypatch.setattr(core_deadlines, "_kinds", {"court_opinion": _fake_kind(today + timedelta(days=20))})
    assert len(services.collect(None, today, include_caseload=True)) == 1
    assert list(all_rules()["court_opinion_due"].candidates(today)) == []
    monkeypatch.setattr(core_deadlines, "_kinds", {"court_opinion": _fake_kind(today + timedelta(days=31))})
    assert services.collect(None, today, include_caseload=True) == []


@pytest.mark.parametrize("start", [date(2025, 8, 31), date(2023, 8, 31), date(2026, 1, 31), date(2026, 3, 15),
                                   date(2025, 12, 31), date(2026, 6, 30)])
@pytest.mark.parametrize("months", [1, 6, 12])
def test_add_months_in_sql_is_the_python_rule(app, start, months):
    """31 Aug + 6 months = 28/29 Feb in the database as in casework.assessments.services.add_months."""
    assert db.session.scalar(select(add_months(day(start), months))) == add_months_py(start, months)
    assert add_months_py(date(2023, 8, 31), 6) == date(2024, 2, calendar.monthrange(2024, 2)[1])


@pytest.fixture
def many(make_user, make_family):  # noqa: F811
    """A coordinator and `n` families with no visit (a no-visit lapse each) — made on demand."""
    coordinator = make_user("coordinator", login="kierownik")

    def make(n):
        for _ in range(n):
            make_family(start=date.today() - timedelta(days=60))
        db.session.commit()

    return make, coordinator


def test_the_board_pages_in_the_database_with_a_constant_number_of_queries(client, many, queries):
    make, _coordinator = many
    make(3)
    login(client, "kierownik")
    client.get("/deadlines/")  # warm-up: settings and the menu are read once
    with queries() as few:
        html = client.get("/deadlines/?kind=no_visit").get_data(as_text=True)
    assert "Znaleziono: 3" in html or "Found: 3" in html
    make(60)
    with queries() as lots:
        first = client.get("/deadlines/?kind=no_visit").get_data(as_text=True)
    assert len(lots) == len(few)
    assert first.count('data-label="Rodzina"') == 50 or first.count('data-label="Family"') == 50
    second = client.get("/deadlines/?kind=no_visit&page=2").get_data(as_text=True)
    assert second.count('data-label="Rodzina"') + second.count('data-label="Family"') == 13
    # the rows of the two pages are different families, in due-date order
    items, total = services.board(None, date.today(), include_caseload=True, kind="no_visit", page=1, per_page=50)
    more, _total = services.board(None, date.today(), include_caseload=True, kind="no_visit", page=2, per_page=50)
    assert total == 63 and len(items) == 50 and len(more) == 13
    assert not {d.family_id for d in items} & {d.family_id for d in more}
    dues = [d.due for d in items + more]
    assert dues == sorted(dues)
