"""On a 390×844 phone: a header under 64 px with a menu that opens from the keyboard (and without JavaScript), touch
targets of at least 24 px, and a visit form that chooses no family unless opened from one."""
from datetime import date

import pytest
from playwright.sync_api import expect

from casework.extensions import db
from casework.families import services
from tests.browser.conftest import check_accessibility, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def assistant_with_families(make_user):
    agata = make_user("assistant", login="agata", full_name="Agata Asystentka")
    families = []
    for number, name in (("AR/2026/1", "Adamscy"), ("AR/2026/2", "Wiśniewscy")):
        family = services.register_family({"case_number": number, "name": name, "area": "rural"}, actor=None)
        period = services.start_support_period(family, {"basis": "referral", "referral_date": date(2026, 1, 2),
                                                        "start_date": date(2026, 1, 5)}, actor=None)
        services.assign_assistant(period, agata, date(2026, 1, 5), actor=None)
        families.append(family)
    db.session.commit()
    return agata, families


def _check_target_size(page):
    """axe-core's WCAG 2.2 rule 2.5.8 (target size, minimum 24 × 24 px) on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["target-size"]}})
    violations = [n["target"] for v in results.response.get("violations", []) for n in v["nodes"]]
    assert not violations, f"targets under 24 px on {page.url}: {violations[:5]}"


def test_phone_header_menu_and_visit_form(page, live_server, assistant_with_families):
    _agata, (_adamscy, wisniewscy) = assistant_with_families
    log_in(page, live_server, "agata")

    header = page.locator("header.site-header").bounding_box()
    assert header["height"] < 64, header
    menu_button = page.locator("summary.menu-button")
    assert menu_button.inner_text().strip() == "Menu"
    assert menu_button.get_attribute("aria-controls") == "site-menu-panel"
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    nav = page.get_by_role("navigation", name="Nawigacja główna")
    expect(nav).to_be_hidden()

    # the keyboard: Tab reaches the menu button (after the skip link and the brand), with a visible focus ring
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('summary.menu-button')"):
            break
    assert page.evaluate("document.activeElement.matches('summary.menu-button')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), outline
    page.keyboard.press("Enter")
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    check_accessibility(page)
    _check_target_size(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#site-menu-panel') !== null")  # the menu's first item
    page.keyboard.press("Escape")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert page.evaluate("document.activeElement.matches('summary.menu-button')")

    # a tap outside the open menu closes it
    menu_button.click()
    expect(nav).to_be_visible()
    page.mouse.click(200, 800)
    expect(nav).to_be_hidden()

    # the visit form from the menu: no family chosen, a 24 px checkbox
    menu_button.click()
    nav.get_by_role("link", name="Zapisz wizytę").click()
    page.wait_for_url("**/visits/new")
    assert page.locator("header.site-header").bounding_box()["height"] < 64
    family = page.get_by_label("Rodzina")
    assert family.input_value() == ""
    assert family.evaluate("s => s.options[s.selectedIndex].text") == "— wybierz rodzinę —"
    box = page.locator("main input[type=checkbox]").first.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box
    _check_target_size(page)
    page.get_by_label("Czas trwania (minuty)").fill("30")
    page.get_by_role("button", name="Zapisz").click()
    assert "Wybierz rodzinę." in page.inner_text("main")
    check_accessibility(page)

    # opened from a family card of "Moje rodziny": that family is chosen
    page.goto(live_server + "/families/mine")
    card = page.locator(".family-cards > li").filter(has=page.get_by_role("heading", name="Wiśniewscy"))
    card.get_by_role("link", name="Zapisz wizytę").click()
    page.wait_for_url(f"**/visits/new?family_id={wisniewscy.id}")
    assert page.get_by_label("Rodzina").input_value() == str(wisniewscy.id)


def test_the_menu_opens_without_javascript(browser, live_server, assistant_with_families):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="pl-PL", is_mobile=True,
                                  has_touch=True, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live_server, "agata")
        nav = page.get_by_role("navigation", name="Nawigacja główna")
        expect(nav).to_be_hidden()
        page.locator("summary.menu-button").click()
        expect(nav).to_be_visible()
        assert nav.get_by_role("link", name="Moje rodziny").is_visible()
    finally:
        context.close()


@pytest.mark.desktop
def test_desktop_shows_the_menu_in_the_header(page, live_server, assistant_with_families):
    log_in(page, live_server, "agata")
    assert not page.locator("summary.menu-button").is_visible()
    nav = page.get_by_role("navigation", name="Nawigacja główna")
    assert nav.get_by_role("link", name="Moje rodziny").is_visible()
    assert page.get_by_role("button", name="Wyloguj").is_visible()
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] < 130, header
    check_accessibility(page)
