"""A coordinator defines a municipal programme on a phone, binds a measure to an indicator, types another,
reads the annual information with numbers from the cases, and looks at the dashboard."""
import os
from datetime import date

import pytest
from playwright.sync_api import expect

from casework.extensions import db
from casework.families import services
from tests.browser.conftest import check_accessibility, open_menu
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_programme_and_dashboard(page, live_server, make_user, artifacts_dir):
    make_user("coordinator", login="kierownik", full_name="Kinga Kierownik")
    agata = make_user("assistant", login="agata", full_name="Agata Asystentka")
    year = date.today().year
    for n in range(2):
        family = services.register_family({"case_number": f"AR/{year}/{n}", "name": f"Programowi{n}",
                                           "area": "urban"}, actor=None)
        period = services.start_support_period(family, {"basis": "referral", "referral_date": date(year, 1, 2),
                                                        "start_date": date(year, 1, 5)}, actor=None)
        services.assign_assistant(period, agata, date(year, 1, 5), actor=None)
    db.session.commit()

    page.goto(live_server + "/login")
    page.get_by_label("Login").fill("kierownik")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="Sprawozdania").click()
    check_accessibility(page)
    page.get_by_role("link", name="Zdefiniuj program lub wczytaj przykład").click()
    check_accessibility(page)
    page.get_by_label("Nazwa programu").fill("Gminny Program Wspierania Rodziny")
    page.get_by_label("Pierwszy rok").fill(str(year - 1))
    page.get_by_label("Ostatni rok").fill(str(year + 1))
    page.get_by_role("button", name="Utwórz program").click()
    assert "Utworzono program" in page.inner_text("main")
    page.get_by_label("Cel", exact=True).fill("Utrzymanie dziecka w rodzinie")
    page.get_by_role("button", name="Dodaj cel").click()
    page.locator("summary", has_text="Dodaj formę realizacji").click()
    page.get_by_label("Forma realizacji").fill("Wsparcie asystenta rodziny")
    page.get_by_role("button", name="Dodaj formę").click()
    for label, code in (("Liczba rodzin objętych wsparciem asystenta", "AR_FAMILIES_SUPPORTED"),
                        ("Liczba uczestników warsztatów", "")):
        page.locator("summary", has_text="Dodaj wskaźnik").click()
        page.get_by_label("Wskaźnik", exact=True).last.fill(label)
        page.get_by_label("Kod wskaźnika").last.fill(code)
        page.get_by_role("button", name="Dodaj wskaźnik").click()
    check_accessibility(page)
    page.get_by_role("link", name=f"wpisz wartości {year}").click()
    page.get_by_label("Liczba uczestników warsztatów", exact=True).fill("41")
    page.get_by_label("Źródło danych", exact=False).first.fill("Świetlica")
    check_accessibility(page)
    page.get_by_role("button", name="Zapisz wartości").click()
    expect(page.locator("main")).to_contain_text("Cel szczegółowy nr 1: Utrzymanie dziecka w rodzinie")
    row = page.get_by_role("row").filter(has_text="Liczba rodzin objętych wsparciem asystenta")
    expect(row).to_contain_text("2")
    expect(page.get_by_role("row").filter(has_text="Liczba uczestników warsztatów")).to_contain_text("41")
    check_accessibility(page)
    page.screenshot(path=os.path.join(artifacts_dir, "programme-report-phone.png"), full_page=True)
    open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="Pulpit").click()
    page.wait_for_url("**/reports/dashboard")  # count the charts of the dashboard, not of the page being left
    page.wait_for_load_state("load")
    assert page.locator("svg[role=img]").count() == 4
    check_accessibility(page)
