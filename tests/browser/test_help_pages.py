"""Help on a 390×844 phone: the footer's "Pomoc" opens the guides, the import guide with its table of sheets does
not make the page scroll sideways, and the pages pass axe-core."""
import pytest

from tests.browser.conftest import check_accessibility, log_in

pytestmark = pytest.mark.browser


def test_help_from_the_footer_on_a_phone(page, live_server, make_user):
    make_user("coordinator", login="kasia", full_name="Kasia Koordynatorka")
    log_in(page, live_server, "kasia")
    assert page.locator("header.site-header").bounding_box()["height"] < 64

    page.locator("footer").get_by_role("link", name="Pomoc").click()
    page.wait_for_url(live_server + "/pomoc")
    check_accessibility(page)
    page.get_by_role("link", name="Import danych z arkuszy").click()
    page.wait_for_url(live_server + "/pomoc/import")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Import danych z arkuszy")
    assert page.locator(".help-guide table").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_accessibility(page)
