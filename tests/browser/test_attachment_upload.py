"""On a phone: a court order photographed and attached in three taps (Dołącz dokument → Zrób zdjęcie → Dołącz),
then on the family's timeline; the forms pass axe. And a letter generated from the family's page."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from casework.attachments.models import Attachment
from casework.extensions import db
from tests.attachments.conftest import files_dir  # noqa: F401 - fixture: files kept in the test's own directory
from tests.browser.conftest import check_accessibility, log_in
from tests.families.conftest import make_family  # noqa: F401 - fixture

pytestmark = pytest.mark.browser
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 4096 + b"\xff\xd9"


def test_a_court_order_photographed_on_a_phone_is_attached_in_three_taps(page, live_server, make_user,  # noqa: F811
                                                                         make_family, files_dir):  # noqa: F811
    agata = make_user("assistant", login="agata", full_name="Agata Asystentka")
    family = make_family(assistant=agata, name="Wiśniewscy")
    log_in(page, live_server, "agata")
    page.goto(f"{live_server}/families/{family.id}")
    page.get_by_role("link", name="Dołącz dokument").click()  # 1
    check_accessibility(page)
    camera = page.get_by_label("Zrób zdjęcie dokumentu")
    assert camera.get_attribute("capture") == "environment" and camera.get_attribute("accept") == "image/*"
    camera.set_input_files({"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": JPEG})  # 2: the camera
    assert page.get_by_label("Rodzaj dokumentu", exact=True).input_value() != ""  # a court order, chosen already
    page.get_by_role("button", name="Dołącz").click()  # 3
    expect(page.locator("body")).to_contain_text("Dokument został dołączony")
    expect(page.get_by_role("link", name="Dokument: Postanowienie sądu")).to_have_count(1)
    row = db.session.scalars(select(Attachment)).one()
    assert (files_dir / row.storage_name).read_bytes() == JPEG

    page.get_by_role("link", name="Wygeneruj pismo").click()
    check_accessibility(page)
    page.get_by_label("Pismo", exact=True).select_option(label="Zgoda na wsparcie asystenta rodziny")
    page.get_by_role("button", name="Wygeneruj").click()
    expect(page.locator("body")).to_contain_text("zostało wygenerowane")
    expect(page.get_by_role("link", name="Pismo: Zgoda na wsparcie asystenta rodziny")).to_have_count(1)


@pytest.mark.desktop
def test_the_letter_templates_page_passes_axe(page, live_server, make_user):  # noqa: F811
    make_user("admin", login="admin")
    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/admin/letters")
    check_accessibility(page)
