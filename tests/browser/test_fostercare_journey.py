"""A coordinator on a phone enters a child of a registered family into foster care and records the county's bill."""
import os
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from casework.extensions import db
from casework.families import services
from tests.browser.conftest import check_accessibility
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_placement_and_bill_on_a_phone(page, live_server, make_user, artifacts_dir):
    make_user("coordinator", login="kierownik", full_name="Kinga Kierownik")
    family = services.register_family({"case_number": "AR/2026/44", "name": "Pieczowi", "area": "rural"}, actor=None)
    services.add_member(family, {"first_name": "Tosia", "last_name": "Pieczowa", "relation": "child",
                                 "birth_date": date(2016, 4, 4), "in_household": True}, actor=None)
    db.session.commit()
    start = date.today() - timedelta(days=90)

    page.goto(live_server + "/login")
    page.get_by_label("Login").fill("kierownik")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.goto(live_server + f"/families/{family.id}")
    page.get_by_role("button", name="Piecza zastępcza Tosia Pieczowa").click()
    assert "Tosia Pieczowa" in page.inner_text("h1")
    check_accessibility(page)
    page.get_by_label("Forma pieczy zastępczej").select_option(label="zawodowa rodzina zastępcza")
    page.get_by_label("Data umieszczenia").fill(start.isoformat())
    page.get_by_label("Powiat, który umieścił dziecko").fill("Powiat Przykładowy")
    page.get_by_role("button", name="Dodaj pobyt").click()
    assert "Gmina pokrywa 10% wydatków" in page.inner_text("main")
    page.get_by_label("Miesiąc (dowolny dzień miesiąca)").fill((start + timedelta(days=35)).isoformat())
    page.get_by_label("Łączny koszt pobytu w miesiącu (zł)").fill("4 250,00")
    page.get_by_role("button", name="Zapisz rachunek").click()
    bills = page.get_by_role("table", name="Rachunki z powiatu")
    expect(bills).to_contain_text("425,00")  # waits for the saved bill, not the page being left
    expect(bills).to_contain_text("zgodny z wyliczeniem")
    check_accessibility(page)
    page.screenshot(path=os.path.join(artifacts_dir, "foster-care-phone.png"), full_page=True)
    page.get_by_role("link", name="Rodzina", exact=True).click()
    assert "umieszczenie w pieczy zastępczej (zawodowa rodzina zastępcza)" in page.inner_text("main")
