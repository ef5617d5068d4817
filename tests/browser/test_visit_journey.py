"""An assistant on a phone logs a visit, sees it in "Mój dzień" and on the family's timeline."""
import os
from datetime import date

import pytest

from casework.extensions import db
from casework.families import services
from tests.browser.conftest import check_accessibility, log_in, open_menu

pytestmark = pytest.mark.browser


def test_log_a_visit_on_a_phone(page, live_server, make_user, artifacts_dir):
    agata = make_user("assistant", login="agata", full_name="Agata Asystentka")
    family = services.register_family({"case_number": "AR/2026/7", "name": "Wiśniewscy", "area": "rural"},
                                      actor=None)
    period = services.start_support_period(family, {"basis": "referral", "referral_date": date(2026, 1, 2),
                                                    "start_date": date(2026, 1, 5)}, actor=None)
    services.assign_assistant(period, agata, date(2026, 1, 5), actor=None)
    db.session.commit()

    log_in(page, live_server, "agata")
    open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="Zapisz wizytę").click()
    check_accessibility(page)
    page.get_by_label("Rodzina").select_option(label="Wiśniewscy (AR/2026/7)")
    page.get_by_label("Godzina rozpoczęcia").fill("10:30")
    page.get_by_label("Czas trwania (minuty)").fill("0")
    page.get_by_role("button", name="Zapisz").click()
    assert "od 1 minuty do 12 godzin" in page.inner_text("main")  # the error is tied to the field
    check_accessibility(page)
    page.get_by_label("Czas trwania (minuty)").fill("50")
    page.get_by_label("kompetencje wychowawcze").check()
    page.get_by_label("Co zrobiono").fill("Rozmowa o planie dnia dzieci")
    page.get_by_role("button", name="Zapisz").click()
    assert "Zapisano wizytę" in page.inner_text("main")
    assert "Rozmowa o planie dnia dzieci" in page.inner_text("main")
    check_accessibility(page)
    page.screenshot(path=os.path.join(artifacts_dir, "my-day-phone.png"), full_page=True)
    page.get_by_role("link", name="Wiśniewscy").first.click()
    assert "wizyta domowa, 50 min (Agata Asystentka)" in page.inner_text("main")
