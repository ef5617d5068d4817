import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, open_menu
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_login_journey_on_a_phone(page, live_server, make_user, artifacts_dir):
    make_user("assistant", login="agata", full_name="Agata Testowa")
    page.goto(live_server + "/")
    assert page.url.startswith(live_server + "/login")
    assert page.locator("html").get_attribute("lang") == "pl"
    check_accessibility(page)

    page.get_by_label("Login").fill("agata")
    page.get_by_label("Hasło").fill("wrong-password-1")
    page.get_by_role("button", name="Zaloguj się").click()
    assert page.get_by_role("alert").inner_text().startswith("Nieprawidłowy login lub hasło")

    page.get_by_label("Login").fill("agata")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url(live_server + "/")
    assert "Dzień dobry, Agata Testowa" in page.get_by_role("heading", level=1).inner_text()
    check_accessibility(page)
    page.screenshot(path=os.path.join(artifacts_dir, "login-journey-home.png"), full_page=True)

    open_menu(page)
    page.get_by_role("button", name="Wyloguj się").click()
    page.wait_for_url(live_server + "/login")
    expect(page.locator("body")).to_contain_text("Wylogowano")


def test_keyboard_user_can_skip_to_content(page, live_server):
    page.goto(live_server + "/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Przejdź do treści"


@pytest.mark.desktop
def test_admin_pages_accessible_on_desktop(page, live_server, make_user):
    make_user("admin", login="ada")
    page.goto(live_server + "/login")
    page.get_by_label("Login").fill("ada")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url(live_server + "/")
    for path in ("/admin/users", "/admin/users/new", "/admin/audit", "/account/password"):
        page.goto(live_server + path)
        check_accessibility(page)
