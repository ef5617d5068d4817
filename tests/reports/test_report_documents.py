"""A report is an ordered list of sections, per series and year (#19): the four templates of the seeds as DOCX
(A4, letterhead, file number, page X of Y, section order, table shapes), XLSX of every table, PDF; placeholders with
Polish plural agreement equal to the drill-down; next year's edition in one action keeping every typed section; the
editor keeps typed text on a refusal."""
import io
import os
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from casework.core import documents
from casework.core.indicators import get as get_indicator
from casework.core.periods import year as year_period
from casework.core.settings import set_setting
from casework.extensions import db
from casework.reports import editions, placeholders, services
from casework.reports.models import ReportDocument
from tests.core.test_documents import IDENTITY
from tests.indicators.helpers import child, d, family, period

TEMPLATES = {t["file"]: t for t in editions.templates()}


@pytest.fixture
def centre(make_user):
    assistant = make_user("assistant", login="agata")
    for n in range(3):
        fam = family(f"Raportowi{n}")
        child(fam, d("2015-05-05"))
        period(fam, d("2025-02-01"), d("2025-11-30") if n == 0 else None,
               "goals_achieved" if n == 0 else None, assistant=assistant)
    documents.update_identity(IDENTITY, actor=None)
    db.session.commit()
    return assistant


def _new(client, template: str, year: int = 2025):
    response = client.post("/reports/documents", data={"template": template, "year": str(year)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(ReportDocument).where(ReportDocument.template == template,
                                                          ReportDocument.year == year))


def _docx(client, report) -> Document:
    response = client.get(f"/reports/documents/{report.id}/export.docx")
    assert response.status_code == 200
    return Document(io.BytesIO(response.data))


@pytest.mark.parametrize("n", [1, 2, 4, 5, 12, 21, 22, 24, 25])
def test_plural_agreement(n):
    expected = {1: "1 rodzina", 2: "2 rodziny", 4: "4 rodziny", 5: "5 rodzin", 12: "12 rodzin", 21: "21 rodzin",
                22: "22 rodziny", 24: "24 rodziny", 25: "25 rodzin"}[n]
    assert placeholders.noun_for(n, "rodzin") == expected.split()[1]
    assert placeholders.agree(n, "dziecko", "dzieci", "dzieci") == ("dziecko" if n == 1 else "dzieci")


def test_placeholders_render_figures_money_and_explicit_forms(app):
    values = {2025: {"AR_FAMILIES_SUPPORTED": 22, "FC_COST_TOTAL": "12833.30", "NK_GROUPS_FORMED": 1,
                     "CONTACTS_BY_INSTITUTION_TYPE": {"school": 3}},
              2024: {"AR_FAMILIES_SUPPORTED": 15}}
    render = lambda text: placeholders.plain(placeholders.render(text, values.get, 2025, {}))  # noqa: E731
    assert render("{AR_FAMILIES_SUPPORTED} rodzin") == "22 rodziny"
    assert render("{AR_FAMILIES_SUPPORTED@-1} rodzin w {PREVIOUS_YEAR}") == "15 rodzin w 2024"
    assert render("koszt {FC_COST_TOTAL}") == "koszt 12\u00a0833,30\u00a0zł"
    assert render("{NK_GROUPS_FORMED|grupa|grupy|grup} w {YEAR}") == "1 grupa w 2025"
    assert render('{CONTACTS_BY_INSTITUTION_TYPE["school"]} kontaktów') == "3 kontakty"
    assert render("{AR_FAMILIES_SUPPORTED - 2} rodzin") == "20 rodzin"
    with pytest.raises(placeholders.PlaceholderError):
        render("{NO_SUCH_CODE} rodzin")


def test_the_four_templates_as_docx(client, login_as, centre):
    login_as("coordinator")
    assert len(TEMPLATES) == 4
    for name, template in TEMPLATES.items():
        report = _new(client, name)
        doc = _docx(client, report)
        section = doc.sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7), name
        header = "\n".join(p.text for p in section.header.paragraphs)
        assert "Miejsko-Gminny Ośrodek Pomocy Społecznej w Chmielniku" in header, name
        assert f"Znak: MGOPS.AR.440.….{date.today().year}" in doc.paragraphs[0].text, name
        codes = " ".join(t.text for t in section.footer._element.iter() if t.tag.endswith("}instrText"))
        assert "PAGE" in codes and "NUMPAGES" in codes and section.footer.paragraphs[0].text.startswith("strona")
        headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
        expected = [h.replace("{NEXT_YEAR}", "2026") for h in
                    (s.heading for s in report.sections if s.heading)]
        assert [h for h in headings if h in expected] == expected, name  # every section's heading, in order
        assert doc.tables, name


def test_seed_004_tables_in_the_seed_column_order(client, login_as, centre):
    login_as("coordinator")
    report = _new(client, "3_family_support_report_art176")
    doc = _docx(client, report)
    table_2 = next(t for t in doc.tables if t.rows[0].cells[0].text == "Liczba dzieci umieszczonych w pieczy")
    assert [c.text for c in table_2.rows[0].cells] == ["Liczba dzieci umieszczonych w pieczy",
                                                       "Odsetek wydatków poniesionych przez Gminę Chmielnik"]
    assert [[c.text for c in row.cells] for row in table_2.rows[1:]] == [["-", "10%"], ["-", "30%"], ["-", "50%"]]
    body = [p.text for p in doc.paragraphs]
    assert "Tabela nr 2. Udział Gminy w odpłatności za pobyt dzieci w pieczy w 2025r." in body
    table_1 = next(t for t in doc.tables if t.rows[1].cells[0].text.startswith("Liczba rodzin, które korzystały"))
    assert table_1.rows[1].cells[0].text == "Liczba rodzin, które korzystały z usług asystenta w 2025 roku"
    assert table_1.rows[1].cells[1].text == "3" and table_1.rows[2].cells[1].text == "1"
    table_3 = next(t for t in doc.tables if t.rows[0].cells[0].text == "Forma świadczenia pieniężnego")
    assert [c.text for c in table_3.rows[0].cells] == ["Forma świadczenia pieniężnego", "Liczba świadczeń", "Kwota"]
    # the cover letter comes first, then the title; the needs for next year are a numbered list
    assert body.index("Sprawozdanie z realizacji Gminnego Programu Wspierania Rodziny") > \
        next(i for i, t in enumerate(body) if "art. 179 ust. 1" in t)
    assert "zapewnienie rodzinom mediacji rodzinnych;" in [p.text for p in doc.paragraphs
                                                            if p.style.name == "List Number"]
    assert "W 2025 roku ze wsparcia asystenta rodziny korzystało łącznie 3 rodziny. W tych rodzinach wsparciem " \
           "objęto 3 dzieci." in body


def test_placeholder_figure_equals_the_drilldown(client, login_as, centre):
    login_as("coordinator")
    report = _new(client, "3_family_support_report_art176")
    html = client.get(f"/reports/documents/{report.id}").get_data(as_text=True)
    listed = db.session.execute(get_indicator("AR_FAMILIES_SUPPORTED").rows(year_period(2025))).all()
    assert len(listed) == 3
    link = ('code/AR_FAMILIES_SUPPORTED?from=2025-01-01&amp;to=2025-12-31" title="AR_FAMILIES_SUPPORTED" '
            'data-code="AR_FAMILIES_SUPPORTED">3</a> rodziny')
    assert link in html
    drilldown = client.get("/reports/indicators/code/AR_FAMILIES_SUPPORTED?from=2025-01-01&to=2025-12-31")
    assert drilldown.status_code == 200 and all(f"Raportowi{n}" in drilldown.get_data(as_text=True)
                                                for n in range(3))


def test_next_year_keeps_every_typed_section(client, login_as, centre):
    login_as("coordinator")
    report = _new(client, "4_assistants_annual")
    response = client.post(f"/reports/documents/{report.id}", data={
        "action": "add", "kind": "typed_table", "version": report.version, "heading": "Poradnictwo",
        "title": "Porady w {YEAR} r.", "table": "Forma | Liczba\nPorady prawne | 14", "source": "Punkt konsultacyjny"})
    assert response.status_code == 302
    db.session.expire_all()
    report = db.session.get(ReportDocument, report.id)
    response = client.post(f"/reports/documents/{report.id}", data={
        "action": "add", "kind": "text", "version": report.version, "heading": "Słowo wstępne",
        "text": "W {YEAR} roku asystenci pracowali z {AR_FAMILIES_SUPPORTED} rodzin."})
    assert response.status_code == 302
    db.session.expire_all()
    report = db.session.get(ReportDocument, report.id)
    response = client.post(f"/reports/documents/{report.id}", data={"action": "next_year",
                                                                     "version": report.version})
    assert response.status_code == 302
    db.session.expire_all()
    old = db.session.get(ReportDocument, report.id)
    new = db.session.scalar(select(ReportDocument).where(ReportDocument.series == old.series,
                                                         ReportDocument.year == 2026))
    assert new.previous_id == old.id
    assert [(s.kind, s.heading, s.content) for s in new.sections] == \
        [(s.kind, s.heading, s.content) for s in old.sections]
    html = client.get(f"/reports/documents/{new.id}").get_data(as_text=True)
    assert "Porady w 2026 r." in html and "Porady prawne" in html and "Punkt konsultacyjny" in html
    assert "W 2026 roku asystenci pracowali z" in html  # figures for the new year
    # one edition per series and year
    response = client.post(f"/reports/documents/{old.id}", data={"action": "next_year", "version": old.version})
    assert response.status_code == 400 and "już istnieje" in response.get_data(as_text=True)


def test_editor_keeps_typed_text_on_a_refusal_and_on_a_stale_form(client, login_as, centre):
    login_as("coordinator")
    report = _new(client, "1_family_support_info")
    section = next(s for s in report.sections if s.kind == "text")
    typed = "Nowy akapit, który koordynatorka pisała pół godziny: {AR_NO_SUCH_CODE} rodzin."
    response = client.post(f"/reports/documents/{report.id}", data={
        "action": "edit", "section_id": section.id, "version": report.version, "heading": "Wprowadzenie",
        "level": "1", "text": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nie ma wskaźnika o kodzie AR_NO_SUCH_CODE." in html and typed in html
    response = client.post(f"/reports/documents/{report.id}", data={
        "action": "edit", "section_id": section.id, "version": report.version - 1 if report.version > 1 else 0,
        "heading": "Wprowadzenie", "level": "1", "text": "Tekst z nieaktualnego formularza"})
    assert response.status_code == 409 and "Tekst z nieaktualnego formularza" in response.get_data(as_text=True)


def test_xlsx_has_every_table(client, login_as, centre):
    login_as("coordinator")
    report = _new(client, "3_family_support_report_art176")
    book = load_workbook(io.BytesIO(client.get(f"/reports/documents/{report.id}/export.xlsx").data))
    assert book.sheetnames == ["Tabela 1", "Tabela 2", "Tabela 3"]
    rows = [[c.value for c in row] for row in book["Tabela 1"].iter_rows()]
    assert ["Liczba rodzin, które korzystały z usług asystenta w 2025 roku", 3] in rows
    assert [c.value for c in book["Tabela 2"][2]] == ["Liczba dzieci umieszczonych w pieczy",
                                                      "Odsetek wydatków poniesionych przez Gminę Chmielnik"]


def test_changes_since_the_last_export(client, login_as, centre, make_user):
    login_as("coordinator")
    report = _new(client, "3_family_support_report_art176")
    client.get(f"/reports/documents/{report.id}/export.docx")
    fam = family("Nowi")
    period(fam, d("2025-03-01"), assistant=centre)
    db.session.commit()
    set_setting("indicator_cache_minutes", 0)
    db.session.commit()
    html = client.get(f"/reports/documents/{report.id}").get_data(as_text=True)
    assert "Zmiany od ostatniego eksportu" in html and "3 → <strong>4</strong>" in html


@pytest.mark.skipif(documents.soffice_path() is None and os.environ.get("CI") != "true",
                    reason="LibreOffice is not installed (scripts/ensure-libreoffice.sh installs it; CI fails here)")
def test_pdf_export(client, login_as, centre):
    login_as("coordinator")
    report = _new(client, "2_violence_prevention_info")
    response = client.get(f"/reports/documents/{report.id}/export.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_pdf_export_without_libreoffice_says_why(client, login_as, centre, monkeypatch):
    login_as("coordinator")
    report = _new(client, "2_violence_prevention_info")
    monkeypatch.setattr(documents, "soffice_path", lambda: None)
    response = client.get(f"/reports/documents/{report.id}/export.pdf")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "LibreOffice" in page and "PDF" in page


def test_programme_layouts_and_years_side_by_side(client, login_as, centre):
    user = login_as("coordinator")
    for example in services.examples():
        services.load_example(example["file"], actor=user)
    db.session.commit()
    # seeds 000/001: a four-row block per form of realisation, the figures of two years side by side
    doc = _docx(client, _new(client, "1_family_support_info", 2024))
    blocks = [t for t in doc.tables if t.rows[0].cells[0].text == "Forma realizacji"]
    assert blocks and all([r.cells[0].text for r in t.rows] == ["Forma realizacji", "Harmonogram realizacji",
                                                                "Wskaźniki realizacji", "Realizatorzy/partnerzy"]
                          for t in blocks)
    interviews = next(t for t in blocks if "wywiadów środowiskowych" in t.rows[2].cells[1].text)
    assert "– 171" in interviews.rows[2].cells[1].text  # typed in for 2024, with its source
    years = next(t for t in doc.tables if t.rows[0].cells[0].text == "Wskaźnik")
    assert [c.text for c in years.rows[0].cells] == ["Wskaźnik", "2024", "2023"]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "CEL SZCZEGÓŁOWY Nr 1 PROMOWANIE ROLI, FUNKCJI I WARTOŚCI RODZINY" in headings
    # seed 002: a five-column table per goal; team members, groups and visits bound to their codes
    doc = _docx(client, _new(client, "2_violence_prevention_info", 2023))
    goals = [t for t in doc.tables if t.rows[0].cells[0].text == "Zadanie"]
    assert goals and all(len(t.columns) == 5 for t in goals)
    assert [c.text for c in goals[0].rows[0].cells] == [
        "Zadanie", "Forma realizacji", "Realizatorzy", "Nazwa wskaźnika",
        "Wielkość wskaźnika osiągnięta w roku sprawozdawczym"]
    rows = {r.cells[3].text: r.cells[4].text for t in goals for r in t.rows[1:]}
    assert rows["2. Liczba przeprowadzonych wizyt w rodzinach"] != "96"  # from the case data, not the seed's figure
    assert rows["1. Liczba udzielonych porad i konsultacji"] == "295"


def test_sections_are_added_moved_and_deleted_with_polish_refusals(client, login_as, centre):
    login_as("coordinator")
    report = _new(client, "4_assistants_annual")

    def post(**data):
        db.session.expire_all()
        current = db.session.get(ReportDocument, report.id)
        return client.post(f"/reports/documents/{report.id}", data={"version": current.version, **data})

    response = post(action="add", kind="typed_table", heading="Porady", table="Forma | Liczba\nPorady | 3")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Podaj źródło danych (kto je przekazał)." in html and "Porady | 3" in html  # typed text kept
    response = post(action="add", kind="list", heading="Potrzeby", items="  \n ")
    assert response.status_code == 400 and "Wpisz co najmniej jeden punkt listy" in response.get_data(as_text=True)
    response = post(action="add", kind="derived_table", heading="Liczby", table="Rodziny AR_FAMILIES_SUPPORTED")
    assert response.status_code == 400 and "wpisz opis, | i kod" in response.get_data(as_text=True)
    assert post(action="add", kind="list", heading="Wnioski", items="pierwszy\n- drugi").status_code == 302
    db.session.expire_all()
    sections = db.session.get(ReportDocument, report.id).sections
    last = sections[-1]
    assert (last.heading, last.content["items"]) == ("Wnioski", ["pierwszy", "drugi"])
    assert post(action="up", section_id=last.id).status_code == 302
    db.session.expire_all()
    headings = [s.heading for s in db.session.get(ReportDocument, report.id).sections]
    assert headings[-2] == "Wnioski"
    assert post(action="delete", section_id=last.id).status_code == 302
    db.session.expire_all()
    assert "Wnioski" not in [s.heading for s in db.session.get(ReportDocument, report.id).sections]


def test_csv_lists_every_figure_with_its_code(client, login_as, centre):
    login_as("coordinator")
    report = _new(client, "3_family_support_report_art176")
    lines = client.get(f"/reports/documents/{report.id}/export.csv").get_data(as_text=True).splitlines()
    assert lines[0] == "section;table;row;column;value;code"
    assert any(line.endswith(";2025;3;AR_FAMILIES_SUPPORTED") for line in lines)
