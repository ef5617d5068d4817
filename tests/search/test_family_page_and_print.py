"""Issue 20, items 4-5: the family's social worker reads the plan, its versions and the assessments without
changing them; every link on the family page opens for each role (or is not shown); the printable pages carry the
print stylesheet and the centre's name."""
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from casework.assessments import services as assessments
from casework.core.settings import set_setting
from casework.extensions import db
from casework.plans import services as plans
from casework.plans.models import WorkPlan
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - the fixture

ANCHOR = re.compile(r"<a\b[^>]*>")
HREF = re.compile(r'href="([^"#]+)"')
STATIC = Path(__file__).resolve().parents[2] / "static" / "css" / "print.css"


@pytest.fixture
def planned(make_user, make_family):
    """A family with an assistant and a social worker, a plan in two versions and an assessment."""
    coordinator = make_user("coordinator")
    assistant, worker = make_user("assistant"), make_user("social_worker")
    start = date.today() - timedelta(days=200)
    family = make_family(name="Pawlaccy", assistant=assistant, social_worker=worker, start=start)
    period = family.support_periods[0]
    first = plans.create_plan(period, {"drawn_up_on": start + timedelta(days=20), "consulted_with": "p. socjalna"},
                              actor=assistant)
    goal = plans.add_goal(first, "Regularna nauka dzieci", None, "Promocja do następnej klasy", actor=assistant)
    plans.add_action(goal, {"what": "Odrabianie lekcji", "status": "planned"}, actor=assistant)
    second = plans.revise(first, start + timedelta(days=100), actor=assistant)
    assessment = assessments.make_assessment(period, {
        "assessment_date": date.today() - timedelta(days=5), "covers_from": start,
        "covers_to": date.today() - timedelta(days=5), "recommendation": "continue",
        "progress": "Dzieci chodzą do szkoły"}, actor=assistant)
    db.session.commit()
    return {"coordinator": coordinator, "assistant": assistant, "worker": worker, "family": family,
            "first": first, "second": second, "assessment": assessment}


def test_the_social_worker_reads_the_plan_its_versions_and_the_assessment_without_editing(client, planned):
    login(client, planned["worker"])
    family, first, second = planned["family"], planned["first"], planned["second"]
    page = client.get(f"/families/{family.id}/plan", follow_redirects=True)
    assert page.status_code == 200 and "Regularna nauka dzieci" in page.get_data(as_text=True)
    for plan in (first, second):
        html = client.get(f"/plans/{plan.id}").get_data(as_text=True)
        assert "Regularna nauka dzieci" in html and "Możesz czytać plan" in html
        assert 'method="post"' not in html.split("</header>", 1)[1].split("<footer", 1)[0]
    assert client.get(f"/plans/{second.id}/print.docx").status_code == 200
    html = client.get(f"/assessments/{planned['assessment'].id}").get_data(as_text=True)
    assert "Dzieci chodzą do szkoły" in html and "<textarea" not in html
    assert client.get(f"/assessments/{planned['assessment'].id}/print.docx").status_code == 200
    # nothing changes: every write answers 403 and the plan keeps its goals
    assert client.post(f"/plans/{second.id}/goals", data={"description": "Nowy cel"}).status_code == 403
    assert client.post(f"/plans/{second.id}/revise").status_code == 403
    assert client.post(f"/assessments/{planned['assessment'].id}",
                       data={"progress": "zmiana"}).status_code == 403
    assert client.post(f"/families/{family.id}/plan", data={"drawn_up_on": "2026-01-01"}).status_code == 403
    db.session.expire_all()
    assert [g.description for g in db.session.get(WorkPlan, first.id).goals] == ["Regularna nauka dzieci"]
    assert len(db.session.scalars(select(WorkPlan).where(WorkPlan.family_id == family.id)).all()) == 2


def test_another_social_worker_gets_404(app, client, make_user, planned):
    login(client, make_user("social_worker"))
    assert client.get(f"/plans/{planned['second'].id}").status_code == 404
    assert client.get(f"/assessments/{planned['assessment'].id}").status_code == 404


@pytest.mark.parametrize("role", ["admin", "coordinator", "assistant", "social_worker", "zi_member"])
def test_every_link_on_the_family_page_opens_for_each_role(app, make_user, planned, role):
    user = {"assistant": planned["assistant"], "social_worker": planned["worker"],
            "coordinator": planned["coordinator"]}.get(role) or make_user(role)
    client = app.test_client()
    login(client, user)
    family = planned["family"]
    response = client.get(f"/families/{family.id}")
    if role == "zi_member":
        assert response.status_code == 404
        return
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    shown = [a for a in ANCHOR.findall(html) if not re.search(r"\shidden[\s>=]", a)]  # hidden: not shown
    links = {h for a in shown for h in HREF.findall(a) if h.startswith("/") and not h.startswith("/static/")}
    assert any("/plans/" in h for h in links)  # the plan's versions are on the timeline for every role
    broken = []
    for href in sorted(links):
        answer = client.get(href, follow_redirects=True)
        if answer.status_code != 200:
            broken.append((href, answer.status_code))
    assert not broken, broken


def test_the_printable_pages_carry_the_print_stylesheet_and_the_centres_name(client, planned):
    css = STATIC.read_text(encoding="utf-8")
    assert "size: A4" in css and "counter(page)" in css and ".site-header" in css and "button" in css
    set_setting("centre.name", "Miejski Ośrodek Pomocy Społecznej w Gnieźnie")
    db.session.commit()
    login(client, planned["assistant"])
    for url in (f"/families/{planned['family'].id}", f"/plans/{planned['second'].id}",
                f"/assessments/{planned['assessment'].id}", "/visits/day"):
        html = client.get(url).get_data(as_text=True)
        assert 'css/print.css" media="print"' in html, url
        assert 'print-centre">Miejski Ośrodek Pomocy Społecznej w Gnieźnie</p>' in html, url
    # an ordinary page asks nothing about the centre
    assert "print-centre" not in client.get("/search/?q=x").get_data(as_text=True)


def test_the_new_screens_read_in_polish(app, make_user, planned):
    """The checker of tests/core/test_polish_screens.py over the search results, the duplicate warning and the
    social worker's reading pages."""
    from tests.core.test_polish_screens import problems_in, visible_text  # local import: the shared checker

    from casework.families import services as families  # local import: only this test changes the address

    families.update_family(planned["family"], {"street": "Polna 3"}, actor=None)
    db.session.commit()
    coordinator, worker = app.test_client(), app.test_client()
    login(coordinator, planned["coordinator"])
    login(worker, planned["worker"])
    pages = [coordinator.get("/search/?q=pawlacka"), coordinator.get("/search/?q=pawlak&kind=people"),
             coordinator.post("/families/new", data={"case_number": "X/1", "name": "Pawlacka", "street": "ul. Polna 3",
                                                     "city": "Gniezno", "area": "urban"}),
             worker.get(f"/plans/{planned['first'].id}"), worker.get(f"/assessments/{planned['assessment'].id}"),
             worker.get("/search/?q=pawlaccy")]
    for response in pages:
        assert response.status_code in (200, 409)
        assert not problems_in(visible_text(response.get_data(as_text=True))), response.request.path
