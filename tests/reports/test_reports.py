"""Named reports: the assistants' annual report, municipal programmes, the ministry rows, the dashboard, the CLI."""
import csv
import io
import json

import pytest
from docx import Document
from openpyxl import load_workbook

from casework.extensions import db
from casework.reports import services
from tests.indicators.helpers import child, d, family, period

STRUCTURE = {
    "kind": "family_support", "name": "Gminny Program Wspierania Rodziny na lata 2024–2026", "year_from": 2024,
    "year_to": 2026, "resolution": "X/1/2024", "adopted_by": "Rada Gminy Testowo", "report_year": 2025,
    "goals": [{"title": "Utrzymanie dziecka w rodzinie", "directions": ["Wsparcie rodziny"], "forms": [
        {"task": None, "description": "Wsparcie asystenta rodziny", "schedule": "2024–2026",
         "partners": "Ośrodek Pomocy Społecznej", "measures": [
             {"label": "Liczba rodzin objętych wsparciem asystenta", "code": "AR_FAMILIES_SUPPORTED", "value": "99"},
             {"label": "Liczba uczestników warsztatów", "code": None, "value": "41"}]}]}],
}


@pytest.fixture
def centre(make_user):
    assistant = make_user("assistant", login="agata")
    make_user("coordinator", login="kierownik")
    for n in range(3):
        fam = family(f"Raportowi{n}")
        child(fam, d("2015-05-05"))
        period(fam, d("2025-02-01"), d("2025-11-30") if n == 0 else None,
               "goals_achieved" if n == 0 else None, assistant=assistant)
    old = family("Dawni")
    period(old, d("2024-01-10"), d("2024-12-20"), "no_effects", assistant=assistant)
    db.session.commit()
    return assistant


def test_assistants_report_with_previous_year_and_drilldown(client, login_as, centre):
    login_as("coordinator")
    html = client.get("/reports/r/assistants?year=2025").get_data(as_text=True)
    assert "Tabela nr 1. Rodziny objęte wsparciem asystenta" in html
    assert "Liczba rodzin, które korzystały z usług asystenta w 2025 roku" in html
    assert 'code/AR_FAMILIES_SUPPORTED?from=2025-01-01&amp;to=2025-12-31" title="AR_FAMILIES_SUPPORTED">3</a>' in html
    assert "<th scope=\"col\">2024</th>" in html  # the previous year beside each figure
    assert "Współpraca z instytucjami" in html


def test_assistants_report_exports(client, login_as, centre):
    login_as("coordinator")
    data = json.loads(client.get("/reports/r/assistants/export.json?year=2025").data)
    first_table = data["sections"][0]["tables"][0]
    assert first_table["rows"][0][1] == {"value": 3, "code": "AR_FAMILIES_SUPPORTED", "note": None}
    assert first_table["rows"][3][2]["value"] == 1  # ended for no effects in 2024, the column of the year before
    document = Document(io.BytesIO(client.get("/reports/r/assistants/export.docx?year=2025").data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Liczba rodzin, które korzystały z usług asystenta w 2025 roku" in cells and "3" in cells
    sheet = load_workbook(io.BytesIO(client.get("/reports/r/assistants/export.xlsx?year=2025").data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["Liczba rodzin, które korzystały z usług asystenta w 2025 roku", 3, 1] in [r[:3] for r in rows]
    lines = list(csv.reader(io.StringIO(client.get("/reports/r/assistants/export.csv?year=2025")
                                        .get_data(as_text=True)), delimiter=";"))
    assert lines[0] == ["section", "table", "row", "column", "value", "code"]
    assert any(line[4] == "3" and line[5] == "AR_FAMILIES_SUPPORTED" for line in lines)


def test_programme_bound_and_typed_measures(client, login_as, centre):
    user = login_as("coordinator")
    programme = services.load_structure(STRUCTURE, actor=user)
    db.session.commit()
    html = client.get(f"/reports/programmes/{programme.id}/report/2025").get_data(as_text=True)
    assert "Cel szczegółowy nr 1: Utrzymanie dziecka w rodzinie" in html
    assert "AR_FAMILIES_SUPPORTED?from=2025-01-01" in html and ">3</a>" in html  # from the data, not the 99 typed
    assert "41" in html and "opublikowane sprawozdanie" in html
    measure = programme.goals[0].forms[0].measures[1]
    response = client.post(f"/reports/programmes/{programme.id}/values/2026", data={
        f"value-{measure.id}": "57", f"supplied-{measure.id}": "Szkoła Podstawowa nr 1"})
    assert response.status_code == 302
    html = client.get(f"/reports/programmes/{programme.id}/report/2026").get_data(as_text=True)
    assert "57" in html and "Szkoła Podstawowa nr 1" in html
    document = Document(io.BytesIO(client.get(f"/reports/programmes/{programme.id}/report/2026/export.docx").data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "57 (Szkoła Podstawowa nr 1)" in cells
    assert client.get(f"/reports/programmes/{programme.id}/values/2030").status_code == 404


def test_programme_structure_edits_and_conflicts(client, login_as, centre):
    user = login_as("coordinator")
    programme = services.load_structure(STRUCTURE, actor=user)
    db.session.commit()
    url = f"/reports/programmes/{programme.id}"
    form_id = programme.goals[0].forms[0].id
    bad = client.post(url, data={"version": programme.version, "action": "measure", "form_id": form_id,
                                 "label": "Liczba czegoś", "code": "NIE_MA"})
    assert bad.status_code == 400 and "Nie ma wskaźnika o kodzie NIE_MA" in bad.get_data(as_text=True)
    by_key = client.post(url, data={"version": programme.version, "action": "measure", "form_id": form_id,
                                    "label": "Kontakty", "code": "CONTACTS_BY_INSTITUTION_TYPE"})
    assert "powiąż pojedynczą liczbę" in by_key.get_data(as_text=True)
    ok = client.post(url, data={"version": programme.version, "action": "measure", "form_id": form_id,
                                "label": "Liczba dzieci", "code": "ar_children_in_supported_families"})
    assert ok.status_code == 302
    stale = client.post(url, data={"version": programme.version, "action": "goal", "title": "Drugi cel"})
    assert stale.status_code == 409 and "Ktoś inny zmienił ten program" in stale.get_data(as_text=True)
    db.session.expire_all()
    assert [m.code for m in programme.goals[0].forms[0].measures][-1] == "AR_CHILDREN_IN_SUPPORTED_FAMILIES"
    assert len(programme.goals) == 1


def test_named_programme_report_picks_the_programme_of_the_year(client, login_as, centre):
    user = login_as("coordinator")
    assert "Żaden program nie obejmuje roku 2025" in client.get(
        "/reports/r/family-support-programme?year=2025").get_data(as_text=True)
    services.load_structure(STRUCTURE, actor=user)
    db.session.commit()
    html = client.get("/reports/r/family-support-programme?year=2025").get_data(as_text=True)
    assert STRUCTURE["name"] in html


def test_ministry_rows_are_a_table_the_coordinator_edits(client, login_as, centre):
    login_as("coordinator")
    html = client.get("/reports/r/ministry?year=2025&half=1").get_data(as_text=True)
    assert "Liczba rodzin korzystających z usług asystenta rodziny" in html
    assert "AR_FAMILIES_SUPPORTED?from=2025-01-01&amp;to=2025-06-30" in html
    from casework.reports.models import MinistryRow

    row = db.session.scalar(db.select(MinistryRow).where(MinistryRow.code == "AR_ASSISTANTS"))
    response = client.post("/reports/ministry-rows", data={"row_id": row.id, "section": row.section,
                                                           "label": "Liczba zatrudnionych asystentów",
                                                           "code": "XYZ", "position": row.position})
    assert response.status_code == 400 and "Nie ma wskaźnika o kodzie XYZ" in response.get_data(as_text=True)
    client.post("/reports/ministry-rows", data={"row_id": row.id, "section": row.section, "position": row.position,
                                                "label": "Liczba zatrudnionych asystentów", "code": "AR_ASSISTANTS"})
    sheet = load_workbook(io.BytesIO(client.get("/reports/r/ministry/export.xlsx?year=2025&half=1").data)).active
    values = {r[1]: r[2] for r in sheet.iter_rows(values_only=True) if r and len(r) > 2}  # No., row, H1
    assert values["Liczba zatrudnionych asystentów"] == 1
    assert values["Liczba rodzin korzystających z usług asystenta rodziny"] == 3


def test_dashboard_draws_charts_without_scripts(client, login_as, centre):
    login_as("coordinator")
    html = client.get("/reports/dashboard").get_data(as_text=True)
    assert html.count('role="img"') == 4 and "<script" not in html.split("<main", 1)[1]
    assert centre.full_name in html  # the caseload chart names the assistant


def test_every_reports_route_is_for_coordinators_only(app, client, login_as, centre):
    login_as("assistant")
    programme = services.load_structure(STRUCTURE, actor=None)
    db.session.commit()
    routes = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("reports.")]
    assert len(routes) >= 9
    args = {"name": "assistants", "fmt": "json", "programme_id": programme.id, "year": 2025, "row_id": 1,
            "document_id": 1}
    for rule in routes:
        url = rule.build(args, append_unknown=False)[1]
        response = client.get(url) if "GET" in rule.methods else client.post(url)
        assert response.status_code == 403, (rule.endpoint, response.status_code)


def test_cli_named_reports(app, centre, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["casework", "report", "assistants", "--year", "2025", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["sections"][0]["tables"][0]["rows"][0][1]["value"] == 3
    out = tmp_path / "ministry.xlsx"
    result = runner.invoke(args=["casework", "report", "ministry", "--year", "2025", "--half", "1", "--format", "xlsx",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).active["A1"].value == "Sprawozdanie półroczne dla ministra"
    assert runner.invoke(args=["casework", "report", "ministry", "--year", "2025"]).exit_code != 0
    structure = tmp_path / "program.json"
    structure.write_text(json.dumps(STRUCTURE), encoding="utf-8")
    result = runner.invoke(args=["casework", "report", "load-programme", str(structure)])
    assert result.exit_code == 0 and "Gminny Program" in result.output


def test_examples_from_published_reports_load_and_reproduce_their_tables(client, login_as):
    user = login_as("coordinator")
    files = {e["file"]: e for e in services.examples()}
    assert set(files) == {"family_support_krasnystaw_2022_2024.json", "violence_prevention_krasnystaw_2021_2030.json"}
    family = services.load_example("family_support_krasnystaw_2022_2024.json", actor=user)
    violence = services.load_example("violence_prevention_krasnystaw_2021_2030.json", actor=user)
    db.session.commit()
    assert [g.title for g in family.goals] == ["Promowanie roli, funkcji i wartości rodziny",
                                               "Utrzymanie dziecka w rodzinie biologicznej",
                                               "Umożliwienie powrotu dziecka z pieczy zastępczej do rodziny naturalnej"]
    assert sum(len(f.measures) for g in family.goals for f in g.forms) == 49
    report_2023 = client.get(f"/reports/programmes/{family.id}/report/2023").get_data(as_text=True)
    report_2024 = client.get(f"/reports/programmes/{family.id}/report/2024").get_data(as_text=True)
    assert "Wdrażanie Karty Dużej Rodziny" in report_2023
    assert ">263<" in report_2023 and ">167<" in report_2024  # cards issued, seeds 001 and 000
    assert "AR_ASSISTANTS?from=2023-01-01" in report_2023  # bound: from the case data, not typed
    nk = client.get(f"/reports/programmes/{violence.id}/report/2023").get_data(as_text=True)
    assert "Liczba prowadzonych procedur „Niebieskie Karty”" in nk and "NK_PROCEDURES_CONDUCTED?from=2023" in nk
    assert ">2 506<" in nk  # materials, typed as published
    assert client.get("/reports/r/violence-prevention-programme?year=2023").status_code == 200


def test_seed_002_procedures_conducted_from_entered_procedures(client, login_as):
    """Seed 002 (Krasnystaw 2023): 34 Niebieska Karta procedures conducted — 30 started in 2023, 4 carried over from
    2022; two closed in 2022 do not count."""
    from datetime import date, timedelta

    from casework.bluecard import services as bluecard

    user = login_as("coordinator")
    persons = [{"role": "affected", "first_name": "A", "last_name": "B"},
               {"role": "suspected", "first_name": "C", "last_name": "D"}]

    def start(day):
        return bluecard.start_procedure({"nka_date": day, "sector": "police", "violence_forms": ["physical"]},
                                        persons, actor=None, today=date(2024, 1, 1))

    for n in range(30):
        start(date(2023, 1, 2) + timedelta(days=11 * n))
    for n in range(6):
        procedure = start(date(2022, 10, 1) + timedelta(days=n))
        if n < 2:  # closed before 2023
            bluecard.hand_to_chair(procedure, date(2022, 10, 10), actor=None, today=date(2024, 1, 1))
            bluecard.hand_to_group(procedure, date(2022, 10, 12), [
                {"name": "P", "sector": "social_assistance"}, {"name": "Q", "sector": "police"}], actor=None,
                today=date(2024, 1, 1))
            bluecard.close(procedure, date(2022, 12, 20), "unfounded", None, actor=None, today=date(2024, 1, 1))
    violence = services.load_example("violence_prevention_krasnystaw_2021_2030.json", actor=user)
    db.session.commit()
    html = client.get(f"/reports/programmes/{violence.id}/report/2023").get_data(as_text=True)
    assert 'NK_PROCEDURES_CONDUCTED?from=2023-01-01&amp;to=2023-12-31" title="NK_PROCEDURES_CONDUCTED">34</a>' in html
