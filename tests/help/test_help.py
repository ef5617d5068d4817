"""Help inside the app: the user guides of docs/ as pages behind login, each screen's "Pomoc" link to its guide,
only registered guides (never a path from the URL), raw HTML in a guide shown as text."""
import re

import pytest

from casework.help import guides
from tests.families.conftest import make_family  # noqa: F401 - fixture

HELP_LINK = re.compile(r'<a class="help-link" href="([^"]+)">Pomoc</a>')


def test_the_index_lists_every_guide(client, login_as):
    login_as("assistant")
    html = client.get("/pomoc").get_data(as_text=True)
    assert "<h1>Pomoc</h1>" in html
    for slug, title in (("przewodnik-rodziny", "Sprawa rodziny"), ("import", "Import danych z arkuszy"),
                        ("niebieska-karta", "Procedury „Niebieskie Karty”"),
                        ("privacy", "Dane osoby i okresy przechowywania")):
        assert f'href="/pomoc/{slug}">{title}</a>' in html
    assert "/pomoc/backup" not in html  # the operator's server commands are not a user guide


def test_a_guide_renders_with_its_headings_and_tables(client, login_as):
    login_as("coordinator")
    response = client.get("/pomoc/przewodnik-rodziny")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r"<h1[^>]*>Przewodnik: sprawa rodziny w systemie casework</h1>", html)
    assert re.search(r'<h2 id="[^"]+">Kto co widzi</h2>', html)
    assert "<strong>Asystent rodziny</strong>" in html
    imported = client.get("/pomoc/import").get_data(as_text=True)
    assert "<table>" in imported and "<code>rodziny</code>" in imported
    assert 'lang="en"' in client.get("/pomoc/niebieska-karta").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/pomoc/nieznany", "/pomoc/backup", "/pomoc/README", "/pomoc/..%2Frequirements.txt",
                                  "/pomoc/..%2F..%2Fetc%2Fpasswd", "/pomoc/%2Fetc%2Fpasswd", "/pomoc/import.md",
                                  "/pomoc/../requirements.txt"])
def test_unknown_guides_and_paths_are_not_found(client, login_as, path):
    login_as("admin")
    response = client.get(path)
    assert response.status_code == 404
    assert "Markdown==" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/pomoc", "/pomoc/przewodnik-rodziny"])
def test_anonymous_users_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_help_link_of_a_family_page_opens_the_family_guide(client, login_as, make_family):
    assistant = login_as("assistant")
    family = make_family(assistant=assistant)
    html = client.get(f"/families/{family.id}").get_data(as_text=True)
    assert HELP_LINK.findall(html) == ["/pomoc/przewodnik-rodziny"]
    assert client.get("/pomoc/przewodnik-rodziny").status_code == 200
    # a screen without a guide of its own links to the list of guides
    assert HELP_LINK.findall(client.get("/").get_data(as_text=True)) == ["/pomoc"]


def test_the_login_page_has_no_help_link(client):
    assert "help-link" not in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("endpoint,slug", [("families.detail", "przewodnik-rodziny"), ("importer.index", "import"),
                                           ("bluecard.detail", "niebieska-karta"),
                                           ("privacy.person_export", "privacy"), ("reports.index", None),
                                           ("main.home", None), (None, None)])
def test_each_screen_maps_to_its_guide(endpoint, slug):
    assert guides.guide_for_endpoint(endpoint) == slug
    assert slug is None or slug in guides.GUIDES


def test_raw_html_in_a_guide_is_shown_as_text(app):
    source = ('# Tytuł\n\n<script>alert(1)</script>\n\nTekst <img src=x onerror="alert(2)"> i '
              '<a href="javascript:alert(3)">link</a>.\n\n[zły](javascript:alert(4)) [plik](../config.py) '
              '![obraz](https://example.com/x.png)\n')
    with app.test_request_context():
        html = str(guides.render(source))
    assert "<script" not in html and "<img" not in html and "<a href=\"javascript" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    shown = '&lt;a href="javascript:alert(3)"&gt;link&lt;/a&gt;'  # the raw tag as text
    assert shown in html and "javascript:" not in html.replace(shown, "")
    assert "config.py" not in html and ">zły<" in html and ">obraz<" in html


def test_links_between_guides_open_their_help_pages(app):
    source = ("See [import](import.md#arkusze), [the blue card](docs/niebieska-karta.md), "
              "[backup](backup.md), [web](https://www.gov.pl/) and [here](#top).\n")
    with app.test_request_context():
        html = str(guides.render(source))
    assert '<a href="/pomoc/import#arkusze">import</a>' in html
    assert '<a href="/pomoc/niebieska-karta">the blue card</a>' in html
    assert "<span>backup</span>" in html  # not a guide shown in the app: the text stays, the link goes
    assert '<a href="https://www.gov.pl/" rel="noopener noreferrer">web</a>' in html
    assert '<a href="#top">here</a>' in html
