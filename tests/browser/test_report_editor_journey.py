"""A coordinator on a phone (and on a desktop) starts the report to the council from its template, edits a section's text, and loses
nothing: not on a refused placeholder, not when the form has expired; the pages pass axe (#19)."""
import pytest
from playwright.sync_api import expect

from casework.core import documents
from casework.extensions import db
from tests.browser.conftest import check_accessibility, log_in
from tests.core.test_documents import IDENTITY

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("screen", ["phone", pytest.param("desktop", marks=pytest.mark.desktop)])
def test_report_editor_keeps_typed_text(page, live_server, make_user, screen):
    make_user("coordinator", login="kierownik", full_name="Kinga Kierownik")
    documents.update_identity(IDENTITY, actor=None)
    db.session.commit()
    log_in(page, live_server, "kierownik")
    page.goto(live_server + "/reports/documents")
    check_accessibility(page)
    page.get_by_label("Sprawozdanie z realizacji Gminnego Programu Wspierania Rodziny").check()
    page.get_by_label("Rok sprawozdania").fill("2025")
    page.get_by_role("button", name="Utwórz sprawozdanie").click()
    expect(page.locator("h1")).to_have_text("Sprawozdanie z realizacji Gminnego Programu Wspierania Rodziny")
    check_accessibility(page)
    section = page.locator("section.report-section", has=page.get_by_role("heading", name="Wprowadzenie"))
    section.locator("summary", has_text="Edytuj tę sekcję").click()
    typed = "Akapit pisany długo: {AR_NO_SUCH_CODE} rodzin."
    section.get_by_label("Tekst").fill(typed)
    section.get_by_role("button", name="Zapisz sekcję").click()
    expect(page.locator(".error-box")).to_contain_text("Nie ma wskaźnika o kodzie AR_NO_SUCH_CODE.")
    section = page.locator("section.report-section", has=page.get_by_role("heading", name="Wprowadzenie"))
    expect(section.get_by_label("Tekst")).to_have_value(typed)
    check_accessibility(page)
    # the form expires (a long coffee break): the text comes back from the "form has expired" page
    corrected = "W {YEAR} roku asystenci pracowali z {AR_FAMILIES_SUPPORTED} rodzin."
    section.get_by_label("Tekst").fill(corrected)
    section.locator("details form input[name=csrf_token]").evaluate("i => i.value = 'expired'")
    section.get_by_role("button", name="Zapisz sekcję").click()
    expect(page.locator("h1")).to_have_text("Formularz wygasł")
    page.get_by_role("link", name="Wróć do formularza (wpisany tekst wróci)").click()
    section = page.locator("section.report-section", has=page.get_by_role("heading", name="Wprowadzenie"))
    expect(section.get_by_label("Tekst")).to_have_value(corrected)
    section.get_by_role("button", name="Zapisz sekcję").click()
    expect(page.locator("main")).to_contain_text("W 2025 roku asystenci pracowali z 0 rodzin.")
