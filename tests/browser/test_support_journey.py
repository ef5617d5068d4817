"""A coordinator on a phone: the waiting list, a supporting family with its help and a month's costs, the team's
register — each page passes axe."""
import os
from datetime import timedelta

import pytest

from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families import services
from tests.browser.conftest import check_accessibility, log_in

pytestmark = pytest.mark.browser


def test_waiting_list_and_supporting_family_on_a_phone(page, live_server, make_user, artifacts_dir):
    make_user("coordinator", login="kierowniczka", full_name="Kinga Kierownik")
    family = services.register_family({"case_number": "AR/2026/45", "name": "Czekający", "area": "urban"}, actor=None)
    today = today_local()
    services.start_support_period(family, {"basis": "referral", "referral_date": today - timedelta(days=9),
                                           "start_date": today + timedelta(days=5)}, actor=None)
    db.session.commit()
    log_in(page, live_server, "kierowniczka")

    page.goto(live_server + "/support/waiting")
    row = page.get_by_role("row", name="Czekający")
    assert "\n9\n" in row.inner_text()  # days waiting
    check_accessibility(page)

    page.goto(live_server + "/support/supporting-families/new")
    page.get_by_label("Rodzina wspierająca (imiona i nazwisko)").fill("Anna i Piotr Nowakowie")
    page.get_by_label("Data ustanowienia").fill((today - timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Zapisz").click()
    assert "Anna i Piotr Nowakowie" in page.inner_text("h1")
    page.get_by_role("link", name="Dodaj rodzinę, której pomaga").click()
    page.get_by_label("Rodzina, której pomaga").select_option(label="Czekający (AR/2026/45)")
    page.get_by_label("Od", exact=True).fill((today - timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_label("Kwota zwrotu (zł)").fill("abc")
    page.get_by_label("Miesiąc").fill(today.strftime("%Y-%m"))
    page.get_by_role("button", name="Zapisz koszty").click()
    assert "Podaj kwotę w złotych" in page.inner_text("main")
    page.get_by_label("Miesiąc").fill(today.strftime("%Y-%m"))
    page.get_by_label("Kwota zwrotu (zł)").fill("350,50")
    page.get_by_role("button", name="Zapisz koszty").click()
    assert "350,50" in page.inner_text("main")
    check_accessibility(page)
    page.screenshot(path=os.path.join(artifacts_dir, "supporting-family-phone.png"), full_page=True)

    page.goto(live_server + "/support/team/new")
    page.get_by_label("Imię i nazwisko").fill("Anna Policka")
    page.get_by_label("Reprezentuje").select_option(label="policja")
    page.get_by_label("lub nazwa instytucji").fill("KPP Przykładowo")
    page.get_by_label("Data powołania").fill("2024-01-01")
    page.get_by_role("button", name="Zapisz").click()
    assert "KPP Przykładowo" in page.inner_text("main")
    check_accessibility(page)
