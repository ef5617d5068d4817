"""The browser's back button and "Zapisz" again, after a visit was saved: nothing is saved twice, and the user lands
on the saved visit's day with a message saying so (the form's one-time token, casework.core.forms)."""
from datetime import date

import pytest
from sqlalchemy import func, select

from casework.extensions import db
from casework.families import services
from casework.visits.models import Visit
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_back_and_save_again_saves_the_visit_once(page, live_server, make_user):
    agata = make_user("assistant", login="agata", full_name="Agata Asystentka")
    family = services.register_family({"case_number": "AR/2026/8", "name": "Nowakowie", "area": "rural"},
                                      actor=None)
    period = services.start_support_period(family, {"basis": "referral", "referral_date": date(2026, 1, 2),
                                                    "start_date": date(2026, 1, 5)}, actor=None)
    services.assign_assistant(period, agata, date(2026, 1, 5), actor=None)
    db.session.commit()

    log_in(page, live_server, "agata")
    page.goto(live_server + "/visits/new")
    page.get_by_label("Rodzina").select_option(label="Nowakowie (AR/2026/8)")
    page.get_by_label("Czas trwania (minuty)").fill("40")
    page.get_by_label("Co zrobiono").fill("Rozmowa o szkole")
    page.get_by_role("button", name="Zapisz").click()
    assert "Zapisano wizytę" in page.inner_text("main")
    page.go_back()
    page.get_by_role("button", name="Zapisz").click()
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Visit.id))) == 1
    assert "został już zapisany" in page.inner_text("main") and "Rozmowa o szkole" in page.inner_text("main")
