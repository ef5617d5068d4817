"""The ministry's form row for row (issue 18 item 7): a row's value is an expression over codes and keys, the
sub-rows add up (the corrected "other reasons" row), the layout has row numbers, sections and half-year columns,
every value opens the records behind it, a row that cannot be derived names its source."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from casework.core import periods
from casework.core.dictionaries import by_code
from casework.extensions import db
from casework.indicators import engine
from casework.reports import ministry, services
from casework.reports.builders import ministry_report
from casework.reports.models import MinistryRow
from casework.staff import services as staff_services
from tests.indicators.helpers import d, family, period


def row(number):
    return db.session.scalar(select(MinistryRow).where(MinistryRow.number == number))


@pytest.fixture
def centre(make_user):
    assistant = make_user("assistant", login="agata")
    make_user("coordinator", login="kierownik")
    for n, reason in enumerate(["goals_achieved", "no_effects", "moved_away", "other", "moved_away", None]):
        period(family(f"Min{n}"), d("2025-02-01"), d("2025-05-31") if reason else None, reason, assistant=assistant)
    staff_services.save_spell(assistant, {"form_id": by_code("employment_form", "employment_task_based").id,
                                          "fte": "1", "date_from": d("2024-01-01")}, actor=None)
    staff_services.save_cost(assistant, {"date_from": d("2025-01-01"), "date_to": d("2025-06-30"),
                                         "source": "state_programme", "amount": "30000"}, actor=None)
    db.session.commit()
    return assistant


def test_the_other_reasons_row_counts_moving_away_too_and_the_sub_rows_add_up(centre):
    values = engine.compute(periods.half(2025, 1))
    assert values["AR_FAMILIES_ENDED"] == 5
    assert ministry.evaluate(row("8.4"), values) == 3  # moved away twice + other once (was 1 before the fix)
    assert sum(ministry.evaluate(row(n), values) for n in ("8.1", "8.2", "8.3", "8.4")) == 5
    assert ministry.subrow_mismatches(values) == []
    assert ministry.evaluate(row("14.2"), values) == 30000.0 and ministry.evaluate(row("14"), values) == 30000.0
    assert ministry.evaluate(row("1.1"), values) == 1


def test_a_sub_row_that_does_not_add_up_is_found(centre):
    services.update_ministry_row(row("8.4"), {"section": row("8.4").section, "label": row("8.4").label,
                                              "code": "AR_ENDED_OTHER"}, actor=None)
    mismatches = ministry.subrow_mismatches(engine.compute(periods.half(2025, 1)))
    assert [m["number"] for m in mismatches] == ["8"]


@pytest.mark.parametrize("expression, message", [
    ("AR_NOPE", "Nie ma wskaźnika o kodzie AR_NOPE"),
    ("AR_COST_BY_SOURCE", "tabela wartości"),
    ("AR_COST_TOTAL[own]", "jedna liczba"),
    ("AR_COST_BY_SOURCE[grant]", "nie ma klucza grant"),
    ("AR_FAMILIES_ENDED - AR_ENDED_OTHER", "nie jest zrozumiała"),
])
def test_bad_expressions_are_refused_in_polish(client, login_as, centre, expression, message):
    login_as("coordinator")
    target = row("14.1")
    response = client.post("/reports/ministry-rows", data={"row_id": target.id, "section": target.section,
                                                           "label": target.label, "code": expression,
                                                           "position": target.position, "row_fields": "1",
                                                           "number": "14.1", "parent_number": "14"})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.refresh(target)
    assert target.expression == "AR_COST_BY_SOURCE[own]"  # nothing lost


def test_a_sum_of_keys_is_saved_and_shown(client, login_as, centre):
    login_as("coordinator")
    target = row("1.3")
    response = client.post("/reports/ministry-rows", data={
        "row_id": target.id, "section": target.section, "label": target.label, "position": target.position,
        "code": "ar_staff_by_employment_form[civil_contract+service]", "row_fields": "1", "number": "1.3",
        "parent_number": "1", "source": ""})
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.expression == "AR_STAFF_BY_EMPLOYMENT_FORM[civil_contract + service]" and target.code is None


def test_layout_numbers_sections_half_year_columns_and_drilldown(client, login_as, centre):
    login_as("coordinator")
    html = client.get("/reports/r/ministry?year=2025&half=2").get_data(as_text=True)
    assert "I. Asystenci rodziny — zatrudnienie i szkolenia" in html
    assert "I półrocze 2025" in html and "II półrocze 2025" in html
    target = row("8.4")
    link = f"/reports/ministry-rows/{target.id}/records?year=2025&amp;half=1"
    assert link in html
    page = client.get(link.replace("&amp;", "&"))
    assert page.status_code == 200 and "Min2" in page.get_data(as_text=True)
    sheet = load_workbook(io.BytesIO(client.get("/reports/r/ministry/export.xlsx?year=2025&half=2").data)).active
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["8.4."][1] == "w tym z innych przyczyn (w tym zmiana miejsca zamieszkania)"
    assert rows["8.4."][2] == 3  # the first half-year's column
    assert rows["14.2."][2] == 30000


def test_every_default_row_has_a_value_or_a_source(app, centre):
    with app.test_request_context():
        report = ministry_report(periods.half(2025, 1))
    for section in report.sections:
        for cells in section.tables[0].rows:
            value = cells[2]
            assert value.value is not None or value.note, cells[1].value


def test_records_page_is_for_coordinators(client, login_as, centre):
    login_as("assistant")
    assert client.get(f"/reports/ministry-rows/{row('8').id}/records?year=2025&half=1").status_code == 403


def test_records_page_refuses_a_bad_half_year_and_an_unknown_row(client, login_as, centre):
    login_as("coordinator")
    assert client.get(f"/reports/ministry-rows/{row('8').id}/records?year=2025&half=3").status_code == 400
    assert client.get("/reports/ministry-rows/999999/records?year=2025&half=1").status_code == 404


def _typed_form(html):
    """The typed-in rows' fields as the page renders them: {name: value}."""
    import re
    return dict(re.findall(r'name="((?:value|supplied|version)-\d+)"[^>]*?value="([^"]*)"', html, re.S))


def test_a_typed_in_row_is_entered_once_and_carried_by_the_report_and_its_xlsx(client, login_as, centre):
    login_as("coordinator")
    target = row("20")
    assert ministry.is_typed(target)
    page = client.get("/reports/ministry-values?year=2025&half=1")
    assert page.status_code == 200
    fields = _typed_form(page.get_data(as_text=True))
    assert fields[f"value-{target.id}"] == "" and fields[f"version-{target.id}"] == "0"
    response = client.post("/reports/ministry-values?year=2025&half=1", data={
        f"value-{target.id}": "12 500,50", f"supplied-{target.id}": "Referat księgowości",
        f"version-{target.id}": "0"})
    assert response.status_code == 302
    html = client.get("/reports/r/ministry?year=2025&half=1").get_data(as_text=True)
    assert "12 500,50" in html.replace("\u00a0", " ") and "Referat księgowości" in html
    assert "/reports/ministry-values?year=2025&amp;half=1" in html  # the typed-in cell opens its form
    sheet = load_workbook(io.BytesIO(client.get("/reports/r/ministry/export.xlsx?year=2025&half=2").data)).active
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["20."][2] == 12500.5 and rows["20."][3] is None  # typed for H1 only
    # the form shows the figure back as typed, and clearing it removes it
    fields = _typed_form(client.get("/reports/ministry-values?year=2025&half=1").get_data(as_text=True))
    assert fields[f"value-{target.id}"] == "12500,5"
    client.post("/reports/ministry-values?year=2025&half=1", data={
        f"value-{target.id}": "", f"version-{target.id}": fields[f"version-{target.id}"]})
    assert ministry.typed_values([periods.half(2025, 1)]) == {}


@pytest.mark.parametrize("typed", ["dużo", "-5", "12,345", "1e400", "NaN"])
def test_a_bad_figure_is_refused_in_polish_and_nothing_is_stored(client, login_as, centre, typed):
    login_as("coordinator")
    target = row("20")
    response = client.post("/reports/ministry-values?year=2025&half=1", data={
        f"value-{target.id}": typed, f"supplied-{target.id}": "Księgowość", f"version-{target.id}": "0"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Wiersz 20.: wpisz wartość jako liczbę" in html
    assert _typed_form(html)[f"value-{target.id}"] == typed  # what was typed is kept on the page
    assert ministry.typed_values([periods.half(2025, 1)]) == {}


def test_a_second_save_of_a_typed_in_figure_does_not_overwrite_the_first(client, login_as, centre):
    login_as("coordinator")
    target = row("20")
    url = "/reports/ministry-values?year=2025&half=1"
    assert client.post(url, data={f"value-{target.id}": "100", f"version-{target.id}": "0"}).status_code == 302
    # a second person who opened the form before the first saved (version 0) is refused
    response = client.post(url, data={f"value-{target.id}": "200", f"version-{target.id}": "0"})
    assert response.status_code == 409
    saved = ministry.typed_values([periods.half(2025, 1)])
    assert [float(v.value) for v in saved.values()] == [100.0]


def test_typed_in_rows_without_a_figure_are_named_before_the_half_year_closes(app, centre):
    from casework.staff.quality import q_ministry_typed_missing
    missing = q_ministry_typed_missing(periods.half(2025, 1))
    assert [m["id"] for m in missing] == [row("20").id]
    services.set_ministry_values(periods.half(2025, 1), {row("20").id: ("5000", "", "0")}, actor=centre)
    assert q_ministry_typed_missing(periods.half(2025, 1)) == []
    assert [m["half"] for m in q_ministry_typed_missing(periods.year(2025))] == [2]


def test_the_typed_in_form_is_for_coordinators(client, login_as, centre):
    login_as("assistant")
    assert client.get("/reports/ministry-values?year=2025&half=1").status_code == 403


def test_the_typed_in_form_refuses_a_bad_half_year(client, login_as, centre):
    login_as("coordinator")
    assert client.get("/reports/ministry-values?year=2025&half=3").status_code == 400
