"""The visit form chooses no family by itself (a hurried assistant would log a visit to the wrong family), except the
family it was opened from: "Zapisz wizytę" on each card of "Moje rodziny" and on the family page."""
from datetime import date

import pytest
from lxml import html as lxml_html
from sqlalchemy import func, select

from casework.extensions import db
from casework.visits.models import Visit
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


@pytest.fixture
def agata(make_user):
    return make_user("assistant", login="agata", full_name="Agata Asystentka")


@pytest.fixture
def families(make_family, agata):  # noqa: F811
    # "Adamscy" sorts first: the old form preselected it
    return make_family(assistant=agata, name="Adamscy"), make_family(assistant=agata, name="Wiśniewscy")


def _family_select(response):
    page = lxml_html.fromstring(response.get_data(as_text=True))
    select_ = page.get_element_by_id("family_id")
    options = [(o.get("value"), o.text_content().strip(), o.get("selected") is not None)
               for o in select_.iter("option")]
    return options


def _chosen(options):
    """What a browser shows chosen: the option marked selected, else the first one."""
    marked = [o for o in options if o[2]]
    return (marked or options)[0]


def test_the_form_opens_with_no_family_chosen(client, families, agata):
    login(client, "agata")
    response = client.get("/visits/new")
    assert response.status_code == 200
    options = _family_select(response)
    assert options[0][:2] == ("", "— wybierz rodzinę —")
    assert _chosen(options)[0] == ""
    assert [o[1] for o in options[1:]] == ["Adamscy (T/1)", "Wiśniewscy (T/2)"]


def test_saving_without_a_family_asks_for_it_in_polish_and_keeps_the_text(client, families, agata):
    login(client, "agata")
    response = client.post("/visits/new", data={"family_id": "", "visit_date": date.today().isoformat(),
                                                 "duration_minutes": "30", "activities": "Rozmowa o szkole"})
    assert response.status_code == 400
    page = lxml_html.fromstring(response.get_data(as_text=True))
    assert page.get_element_by_id("family_id-error").text_content().strip() == "Wybierz rodzinę."
    assert page.get_element_by_id("family_id").get("aria-invalid") == "true"
    assert page.get_element_by_id("activities").text_content().strip() == "Rozmowa o szkole"
    assert db.session.scalar(select(func.count(Visit.id))) == 0


def test_the_family_page_button_opens_the_form_with_that_family(client, families, agata):
    second = families[1]
    login(client, "agata")
    page = lxml_html.fromstring(client.get(f"/families/{second.id}").get_data(as_text=True))
    buttons = [a for a in page.xpath("//main//a") if a.text_content().strip() == "Zapisz wizytę"]
    assert buttons, "no 'Zapisz wizytę' button on the family page"
    for button in buttons:
        assert _chosen(_family_select(client.get(button.get("href"))))[1] == "Wiśniewscy (T/2)"


def test_every_card_of_my_families_has_its_own_button(client, families, agata):
    login(client, "agata")
    page = lxml_html.fromstring(client.get("/families/mine").get_data(as_text=True))
    cards = page.xpath("//ul[contains(@class, 'family-cards')]/li")
    assert len(cards) == 2
    for card, family in zip(cards, families):
        links = [a for a in card.iter("a") if a.text_content().strip().startswith("Zapisz wizytę")]
        assert len(links) == 1
        assert _chosen(_family_select(client.get(links[0].get("href"))))[1].startswith(family.name)


def test_a_family_id_not_on_ones_list_chooses_nothing(client, families, agata, make_family, make_user):  # noqa: F811
    stranger = make_family(assistant=make_user("assistant"), name="Obcy")
    login(client, "agata")
    options = _family_select(client.get(f"/visits/new?family_id={stranger.id}"))
    assert _chosen(options)[0] == ""
    assert "Obcy" not in " ".join(o[1] for o in options)


def test_no_button_for_whom_the_form_lists_no_such_family(client, families, login_as):
    login_as("coordinator")  # sees every family, but has none of them as an assistant
    text = client.get(f"/families/{families[0].id}").get_data(as_text=True)
    assert "Zapisz wizytę" not in text.split("<main", 1)[1]
