"""The coordinator registers a family with two children and assigns an assistant; the assistant finds it."""
import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, open_menu
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, live_server, login):
    page.goto(live_server + "/login")
    page.get_by_label("Login").fill(login)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url(live_server + "/")


@pytest.mark.desktop
def test_register_family_assign_assistant_and_assistant_finds_it(browser, page, live_server, make_user,
                                                                   artifacts_dir):
    make_user("coordinator", login="kierownik", full_name="Krystyna Kierownik")
    make_user("assistant", login="agata", full_name="Agata Asystentka")
    _log_in(page, live_server, "kierownik")
    open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="Rodziny", exact=True).click()
    page.get_by_role("link", name="Zarejestruj rodzinę").click()
    check_accessibility(page)
    page.get_by_label("Nazwa rodziny").fill("Łukasiewiczowie")
    page.get_by_label("Miejscowość").fill("Gniezno")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator("body")).to_contain_text("Zarejestrowano rodzinę")

    page.get_by_role("link", name="Dodaj członka rodziny").click()
    page.get_by_label("Imię", exact=True).fill("Ewa")
    page.get_by_label("Nazwisko", exact=True).fill("Łukasiewicz")
    page.get_by_label("Rola w rodzinie").select_option("parent")
    page.get_by_label("Data urodzenia").fill("1988-04-12")
    added = page.get_by_text("Dodano członka rodziny")
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz i dodaj dziecko").click()
    expect(added).to_be_visible()
    for first, born in (("Ola", "2015-06-01"), ("Jaś", "2019-09-30")):
        page.get_by_label("Imię", exact=True).fill(first)
        page.get_by_label("Data urodzenia").fill(born)
        with page.expect_navigation():  # the next child is typed into the next form, not the one being sent
            page.get_by_role("button", name="Zapisz i dodaj dziecko").click()
        expect(added).to_be_visible()
    page.get_by_role("link", name="Łukasiewiczowie").first.click()
    expect(page.get_by_text("dziecko, ")).to_have_count(2)  # waits for the family page, not the form being left

    page.get_by_role("link", name="Rozpocznij okres wsparcia").click()
    check_accessibility(page)
    page.get_by_label("Data wniosku", exact=True).fill("2026-01-05")
    page.get_by_label("Początek wsparcia").fill("2026-01-12")
    page.get_by_label("Przydziel asystenta").select_option(label="Agata Asystentka")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator("body")).to_contain_text("Rozpoczęto okres wsparcia")
    assert "Asystent: Agata Asystentka" in page.inner_text("main")
    check_accessibility(page)
    page.screenshot(path=os.path.join(artifacts_dir, "family-registered.png"), full_page=True)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                locale="pl-PL")
    assistant_page = phone.new_page()
    errors = []
    assistant_page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _log_in(assistant_page, live_server, "agata")
        open_menu(assistant_page)  # the phone's start page shows the day; "Moje rodziny" is in the menu
        assistant_page.locator("nav.main-nav").get_by_role("link", name="Moje rodziny").click()
        assert "Łukasiewiczowie" in assistant_page.inner_text("main")
        check_accessibility(assistant_page)
        assistant_page.screenshot(path=os.path.join(artifacts_dir, "my-families-phone.png"), full_page=True)
        assistant_page.get_by_role("link", name="Łukasiewiczowie").click()
        assert "Ola" in assistant_page.inner_text("main")
        check_accessibility(assistant_page)
    finally:
        phone.close()
    assert not errors
