"""Browser tests: the app served on a free loopback port in a thread, driven by Debian's headless Chromium.

Every page visited through `page` fails the test on a JavaScript error or a console error (a CSP violation
shows up there too). `check_accessibility(page)` runs axe-core (WCAG 2.1 A/AA rules) on the current page.
"""
import os
import re
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing in CI (scripts/ensure-chromium.sh should have installed it)")
        pytest.skip("chromium is not installed (make test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request, artifacts_dir):
    """A fresh browser context per test (phone-sized by default: assistants work in the field)."""
    phone = not request.node.get_closest_marker("desktop")
    context = browser.new_context(
        viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900},
        locale="pl-PL", is_mobile=phone, has_touch=phone)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))

    def on_console(msg):
        # Chromium logs every 4xx document as "Failed to load resource"; those statuses are asserted by the
        # tests themselves (a refused login answers 401). Anything else logged as an error is a problem.
        if msg.type == "error" and not re.match(r"Failed to load resource: the server responded with a status "
                                                r"of 4\d\d", msg.text):
            problems.append(f"console {msg.type}: {msg.text}")

    page.on("console", on_console)
    page.on("response", lambda r: problems.append(f"server error {r.status} on {r.url}") if r.status >= 500 else None)
    yield page
    try:
        page.screenshot(path=os.path.join(artifacts_dir, f"{request.node.name}-last.png"), full_page=True)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def log_in(page, live_server, login):
    """Sign in through the login form as a user made with the suite's password; lands on the start page."""
    from tests.conftest import PASSWORD

    page.goto(live_server + "/login")
    page.get_by_label("Login").fill(login)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url(live_server + "/")


def open_menu(page):
    """On a phone the navigation and the user's links sit behind the "Menu" button (a <details> disclosure in
    templates/base.html): open it when it is shown and closed. On a wide screen the menu is always open."""
    button = page.locator("summary.menu-button")
    if button.count() and button.is_visible() and not page.locator("details.site-menu").evaluate("d => d.open"):
        button.click()


def check_accessibility(page):
    """Fail on any axe-core violation of WCAG 2.0/2.1 level A and AA rules on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                           "wcag21aa"]}})
    violations = results.response.get("violations", [])
    summary = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
               for v in violations]
    assert not violations, "accessibility violations on " + page.url + ":\n" + "\n".join(summary)
