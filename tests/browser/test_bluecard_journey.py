"""A ZI member on a phone records NK-A, passes it to the chair and hands it to a diagnostic group; the family's
assistant sees only that a procedure exists."""
import os
from datetime import date, timedelta

import pytest

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


def test_nka_to_a_group_on_a_phone(page, live_server, make_user, artifacts_dir):
    make_user("zi_member", login="zespol", full_name="Zofia Zespołowa")
    make_user("social_worker", login="socjalny", full_name="Sebastian Socjalny")
    agata = make_user("assistant", login="agata", full_name="Agata Asystentka")
    start = date.today() - timedelta(days=30)
    family = services.register_family({"case_number": "AR/2026/90", "name": "Przemoccy", "area": "urban"},
                                      actor=None)
    period = services.start_support_period(family, {"basis": "referral", "referral_date": start,
                                                    "start_date": start}, actor=None)
    services.assign_assistant(period, agata, start, actor=None)
    db.session.commit()

    _login(page, live_server, "zespol")
    open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="Niebieska Karta").click()
    check_accessibility(page)
    page.get_by_role("link", name="Wypełnij NK-A").click()
    page.get_by_label("Instytucja, która wypełniła NK-A").select_option(label="policja")
    page.get_by_label("psychiczna").check()
    page.locator("#nkb_handed_on").fill(date.today().isoformat())
    page.locator("#nkb_recipient").fill("Anna Przemocka")
    page.locator("#nkb_recipient_role").select_option("affected")
    page.locator("#p0-first_name").fill("Anna")
    page.locator("#p0-last_name").fill("Przemocka")
    page.locator("#p1-first_name").fill("Marek")
    page.locator("#p1-last_name").fill("Przemocki")
    check_accessibility(page)
    page.get_by_role("button", name="Zapisz NK-A").click()
    assert "Zapisano NK-A jako NK/" in page.inner_text("main")
    page.get_by_role("button", name="Zapisz").first.click()  # NK-A reached the chair today
    page.locator("#m0-user_id").select_option(label="Sebastian Socjalny")
    page.locator("#m1-name").fill("asp. Jan Policyjny")
    page.get_by_role("button", name="Przekaż grupie").click()
    main = page.inner_text("main")
    assert "Sebastian Socjalny (pomoc społeczna)" in main and "asp. Jan Policyjny (policja)" in main
    check_accessibility(page)
    page.screenshot(path=os.path.join(artifacts_dir, "blue-card-phone.png"), full_page=True)

    _login(page, live_server, "agata")
    assert page.get_by_role("navigation").get_by_role("link", name="Niebieska Karta").count() == 0
