"""A refused step of a Niebieska Karta procedure comes back with its collapsed form open and the typed text in it
(before, the page came back with every form collapsed and empty: the text was lost)."""
from lxml import html as lxml_html

from tests.bluecard.test_bluecard import compartment  # noqa: F401 - fixture
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


def _open_sections(page):
    return [d.find("summary").text_content().strip() for d in page.iter("details") if d.get("open") is not None]


def test_a_refused_meeting_keeps_what_was_typed(app, compartment):  # noqa: F811
    procedure, _family, _users = compartment
    client = app.test_client()
    login(client, "zi")
    response = client.post(f"/blue-card/{procedure.id}/meeting", data={
        "version": procedure.version, "kind": "monitoring_visit", "day": "2026-05-01",  # before the group got NK-A
        "notes": "Rozmowa z matką <i>w szkole</i>"})
    assert response.status_code >= 400
    page = lxml_html.fromstring(response.get_data(as_text=True))
    assert "po otrzymaniu" in page.xpath("//div[@class='error-box']")[0].text_content()
    assert _open_sections(page) == ["Zapisz posiedzenie lub wizytę monitorującą"]
    assert page.get_element_by_id("meeting-notes").text_content().strip() == "Rozmowa z matką <i>w szkole</i>"
    assert page.get_element_by_id("meeting-day").get("value") == "2026-05-01"
    kind = page.get_element_by_id("meeting-kind")
    assert [o.get("value") for o in kind.iter("option") if o.get("selected") is not None] == ["monitoring_visit"]


def test_a_refused_help_action_keeps_what_was_typed(app, compartment):  # noqa: F811
    procedure, _family, _users = compartment
    ola = next(p for p in procedure.persons if p.first_name == "Ola")
    client = app.test_client()
    login(client, "zi")
    response = client.post(f"/blue-card/{procedure.id}/help", data={
        "version": procedure.version, "person_id": str(ola.id), "action": "Konsultacja z psychologiem",
        "responsible": "PCPR", "deadline": "2026-06-30"})  # refused: NK-C not filled in with her yet
    assert response.status_code >= 400
    page = lxml_html.fromstring(response.get_data(as_text=True))
    assert _open_sections(page) == ["Dodaj działanie do planu pomocy"]
    assert page.get_element_by_id("help-action").text_content().strip() == "Konsultacja z psychologiem"
    assert page.get_element_by_id("help-resp").get("value") == "PCPR"
    assert page.get_element_by_id("help-deadline").get("value") == "2026-06-30"
    person = page.get_element_by_id("help-person")
    assert [o.get("value") for o in person.iter("option") if o.get("selected") is not None] == [str(ola.id)]


def test_the_page_itself_opens_with_forms_collapsed_and_empty(app, compartment):  # noqa: F811
    procedure, _family, _users = compartment
    client = app.test_client()
    login(client, "zi")
    page = lxml_html.fromstring(client.get(f"/blue-card/{procedure.id}").get_data(as_text=True))
    assert _open_sections(page) == []
    assert page.get_element_by_id("meeting-notes").text_content().strip() == ""
