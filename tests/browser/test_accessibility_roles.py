"""axe-core in Chromium over the main pages of every role (the navigation, a family, the forms of daily work),
on a phone-sized screen, with a demo centre's data: no WCAG 2.1 A/AA violation."""
import pytest

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.browser

#: the demo login of each role, and pages beyond the navigation that the role works on
ROLES = {
    "admin": ("admin", ["/admin/users/new"]),
    "coordinator": ("koordynator", ["/families/new", "/reports/indicators", "/reports/dashboard",
                                    "/reports/ministry-values", "/reports/ministry-rows"]),
    "assistant": ("asystent1", ["/visits/new", "/visits/week", "/work-time/new"]),
    "social_worker": ("pracownik1", []),
    "zi_member": ("zespol", ["/blue-card/new"]),
}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_main_pages_of_every_role_pass_axe(page, live_server, role):
    from casework.demo import DEMO_PASSWORD, load_demo

    load_demo(families=8, seed=11)
    login, extra = ROLES[role]
    page.goto(live_server + "/login")
    check_accessibility(page)
    page.get_by_label("Login").fill(login)
    page.get_by_label("Hasło").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url(live_server + "/")
    nav = page.locator("nav a[href^='/']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    paths = [p for p in dict.fromkeys(nav) if not p.startswith(("/logout", "/static"))]
    assert len(paths) >= 2, nav
    # a family the role may open, when the role sees families
    page.goto(live_server + "/families/")
    family = page.locator("main a[href^='/families/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href')).filter(h => /^\\/families\\/\\d+$/.test(h))")
    if family:
        paths.append(family[0])
    checked = []
    for path in paths + extra:
        response = page.goto(live_server + path)
        if response.status == 404 and path in extra:
            continue
        assert response.status == 200, f"{role}: {path} answered {response.status}"
        check_accessibility(page)
        checked.append(path)
    assert len(checked) >= 3, checked
