"""The reminders journey in a real browser (phone size): counter, list, done, snooze; WCAG 2.1 AA checks."""
import os
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from casework.core.timeutil import today_local
from casework.extensions import db
from casework.reminders.models import Reminder
from tests.browser.conftest import check_accessibility, open_menu
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _login(page, live_server, login):
    page.goto(live_server + "/login")
    page.get_by_label("Login").fill(login)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url(live_server + "/")


def test_reminders_journey_on_a_phone(page, live_server, make_user, artifacts_dir):
    user = make_user("coordinator", login="krystyna")
    for i, rule in enumerate(("ministry_report", "council_report", "period_without_assistant")):
        db.session.add(Reminder(rule=rule, record_type="calendar", record_id=i, due_date=date(2026, 7, 31),
                                recipient_id=user.id, subject=f"2026-H{i}"))
    db.session.commit()
    _login(page, live_server, "krystyna")
    open_menu(page)
    page.get_by_role("link", name="Przypomnienia 3").click()
    page.wait_for_url(live_server + "/reminders/")
    check_accessibility(page)
    page.screenshot(path=os.path.join(artifacts_dir, "reminders-list.png"), full_page=True)

    page.get_by_role("button", name="Zrobione").first.click()
    expect(page.locator("body")).to_contain_text("Przypomnienie oznaczono jako zrobione.")
    later = today_local() + timedelta(days=7)
    page.get_by_label("Przypomnij ponownie dnia").first.fill(later.isoformat())
    page.get_by_role("button", name="Odłóż").first.click()
    expect(page.locator("body")).to_contain_text(f"Przypomnienie wróci {later.isoformat()}.")
    open_menu(page)
    expect(page.get_by_role("link", name="Przypomnienia 1")).to_have_count(1)
    page.locator("summary.menu-button").click()  # close the menu again (on a phone it covers the page)
    page.get_by_role("link", name="Odłożone").click()
    check_accessibility(page)


@pytest.mark.desktop
def test_scheduler_page_accessible_on_desktop(page, live_server, make_user):
    make_user("admin", login="ada")
    _login(page, live_server, "ada")
    page.goto(live_server + "/admin/scheduler/")
    check_accessibility(page)
