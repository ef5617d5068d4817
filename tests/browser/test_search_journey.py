"""The search box in a phone's browser: from the header menu to the family, axe-clean; the family page printed
(print media): no menu and no buttons, the centre's name on top."""
import pytest

from casework.core.settings import set_setting
from casework.extensions import db
from casework.families import services
from tests.browser.conftest import check_accessibility, log_in

pytestmark = pytest.mark.browser


def test_a_coordinator_finds_a_family_from_the_header_on_a_phone(page, live_server, make_user):  # noqa: F811
    make_user("coordinator", login="szukajaca")
    family = services.register_family({"case_number": "AR/2019/4", "name": "Wiśniewscy", "street": "ul. Polna 1",
                                       "city": "Gniezno"}, actor=None)
    set_setting("centre.name", "Ośrodek Pomocy Społecznej w Testowie")
    db.session.commit()
    log_in(page, live_server, "szukajaca")
    page.get_by_text("Menu").click()
    page.get_by_label("Szukaj: numer sprawy, nazwisko, PESEL, adres").fill("wisniewska")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=wisniewska")
    link = page.get_by_role("link", name="Wiśniewscy")
    assert link.is_visible()
    check_accessibility(page)
    link.click()
    page.wait_for_url(f"**/families/{family.id}")
    page.emulate_media(media="print")
    assert page.locator(".print-centre").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert page.locator("main .button:visible, main button:visible").count() == 0
