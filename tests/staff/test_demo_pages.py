"""Over the demo centre: the staff register and the ministry report's pages are in Polish (no raw codes or keys,
numbers in Polish format), every staff page renders, and the demo's register passes the checks it should."""
import re

from sqlalchemy import select

from casework.auth.models import User
from casework.core import periods
from casework.core.timeutil import today_local
from casework.demo import DEMO_PASSWORD, load_demo
from casework.extensions import db
from casework.indicators import engine
from casework.reports.builders import ministry_report
from casework.reports.models import MinistryRow
from casework.staff.models import EmploymentSpell, StaffCost, StaffTraining
from tests.conftest import login
from tests.core.test_polish_screens import problems_in, visible_text


def test_staff_and_ministry_pages_over_the_demo_centre(app):
    load_demo(families=12, seed=2026)
    assert db.session.scalar(select(EmploymentSpell.id)) and db.session.scalar(select(StaffCost.id))
    assert db.session.scalar(select(StaffTraining.id))
    client = app.test_client()
    assert login(client, "koordynator", DEMO_PASSWORD).status_code == 302
    agata = db.session.scalar(select(User).where(User.login == "asystent1"))
    spell = db.session.scalar(select(EmploymentSpell).where(EmploymentSpell.user_id == agata.id))
    training = db.session.scalar(select(StaffTraining).where(StaffTraining.user_id == agata.id))
    cost = db.session.scalar(select(StaffCost).where(StaffCost.user_id == agata.id))
    today = today_local()
    half = 1 if today.month <= 6 else 2
    row = db.session.scalar(select(MinistryRow).where(MinistryRow.number == "8.4"))
    pages = ["/staff/", "/staff/?show=all", f"/staff/{agata.id}", f"/staff/{agata.id}/qualification",
             f"/staff/{agata.id}/spells/new", f"/staff/spells/{spell.id}/edit", f"/staff/trainings/{training.id}/edit",
             f"/staff/costs/{cost.id}/edit", f"/staff/{agata.id}/trainings/new", f"/staff/{agata.id}/costs/new",
             f"/staff/trainings?year={today.year}", "/reports/ministry-rows", f"/reports/ministry-rows/{row.id}/records",
             f"/reports/r/ministry?year={today.year}&half={half}",
             f"/reports/ministry-values?year={today.year}&half={half}"]
    found = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        problems = problems_in(visible_text(response.get_data(as_text=True)))
        if problems:
            found[url] = problems
    assert not found, found
    html = client.get(f"/staff/{agata.id}").get_data(as_text=True)
    assert "umowa o pracę w systemie zadaniowego czasu pracy" in html
    celina = db.session.scalar(select(User).where(User.login == "asystent3"))
    assert "Nie wpisano podstawy kwalifikacji" in client.get(f"/staff/{celina.id}").get_data(as_text=True)
    values = engine.compute(periods.half(today.year, half))
    assert values["AR_COST_TOTAL"] > 0 and sum(values["AR_STAFF_BY_EMPLOYMENT_FORM"].values()) >= 3
    report = client.get(f"/reports/r/ministry?year={today.year}&half={half}").get_data(as_text=True)
    assert re.search(r"/reports/ministry-rows/\d+/records\?year=", report)


def test_the_demo_centres_ministry_report_has_no_empty_row(app):
    """Issue 18's "done when": every row of this half-year's report (and the previous one) has a value, the
    typed-in ones with the figure the finance department supplied."""
    load_demo(families=12, seed=2026)
    today = today_local()
    this_half = periods.half(today.year, 1 if today.month <= 6 else 2)
    previous = periods.half(today.year - 1, 2) if this_half.start.month == 1 else periods.half(today.year, 1)
    with app.test_request_context():
        for p in (previous, this_half):
            empty = [cells[1].value for section in ministry_report(p).sections for cells in section.tables[0].rows
                     if any(c.value is None for c in cells[2:])]
            assert empty == [], (p.title, empty)
