"""An assistant drafts a plan of work with two goals on a phone; the coordinator sees the assessment due."""
import os
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from casework.assessments.services import due_date
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families import services
from tests.browser.conftest import check_accessibility, open_menu
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _login(page, live_server, login):
    page.context.clear_cookies()
    page.goto(live_server + "/login")
    page.get_by_label("Login").fill(login)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url(live_server + "/")


def test_plan_with_two_goals_then_the_assessment_on_the_board(page, live_server, make_user, artifacts_dir):
    agata = make_user("assistant", login="agata", full_name="Agata Asystentka")
    make_user("coordinator", login="kierownik", full_name="Kinga Kierownik")
    start = today_local() - timedelta(days=175)  # the first assessment is due in a few days
    family = services.register_family({"case_number": "AR/2026/12", "name": "Zielińscy", "area": "urban"},
                                      actor=None)
    period = services.start_support_period(family, {"basis": "referral", "referral_date": start,
                                                    "start_date": start}, actor=None)
    services.assign_assistant(period, agata, start, actor=None)
    db.session.commit()

    _login(page, live_server, "agata")
    open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="Moje rodziny").click()
    page.get_by_role("link", name="Zielińscy").first.click()
    page.get_by_role("link", name="Plan pracy").click()
    check_accessibility(page)
    page.get_by_label("Skonsultowany z pracownikiem socjalnym (kto)").fill("Dorota Socjalna")
    page.get_by_role("button", name="Utwórz plan").click()
    for goal in ("Regularna nauka dzieci", "Uporządkowanie budżetu domowego"):
        page.get_by_label("Cel", exact=True).fill(goal)
        page.get_by_role("button", name="Dodaj cel").click()
        assert goal in page.inner_text("main")
    page.get_by_text("Dodaj działanie").first.click()
    page.get_by_label("Działanie").first.fill("Spotkanie z wychowawczynią")
    page.get_by_role("button", name="Dodaj działanie").first.click()
    main = page.inner_text("main")
    assert "Cel 1: Regularna nauka dzieci" in main and "Cel 2: Uporządkowanie budżetu domowego" in main
    assert "Spotkanie z wychowawczynią" in main
    check_accessibility(page)
    page.screenshot(path=os.path.join(artifacts_dir, "plan-phone.png"), full_page=True)

    _login(page, live_server, "kierownik")
    open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="Terminy").click()
    page.get_by_label("Rodzaj").select_option(label="Ocena okresowa")
    page.get_by_role("button", name="Filtruj").click()
    row = page.get_by_role("row").filter(has_text="AR/2026/12")
    expect(row).to_have_count(1)  # waits for the filtered board
    expect(row).to_contain_text("Ocena okresowa")
    expect(row).to_contain_text(due_date(period, None).isoformat())
    check_accessibility(page)
