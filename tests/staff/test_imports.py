"""The staff register's import sheets: the same rules as the forms (FTE, overlapping spells, a cost in a month
without a spell), refused in Polish with nothing written; a clean file imports and a second run changes nothing."""
import pytest
from sqlalchemy import func, select

from casework.core import periods
from casework.extensions import db
from casework.indicators import engine
from casework.staff.models import EmploymentSpell, StaffCost, StaffProfile, StaffTraining
from tests.importer.test_import import run, workbook

SHEETS = {
    "kadry": [("id", "login", "podstawa_kwalifikacji", "dokumenty", "warunki_sprawdzone"),
              ("K1", "agata", "wyższe kierunkowe", "dyplom pedagogika", "2024-01-05")],
    "zatrudnienie": [("id", "login", "forma", "etat", "pracodawca", "od", "do"),
                     ("Z1", "agata", "umowa o pracę zadaniowy", "1", None, "2024-01-01", "2025-03-31"),
                     ("Z2", "agata", "umowa cywilnoprawna", "0,5", None, "2025-04-01", None)],
    "szkolenia": [("id", "login", "data", "tytul", "organizator", "godziny", "koszt"),
                  ("S1", "agata", "2025-04-10", "Teczka asystenta rodziny", "FRDL", "6", "450,00")],
    "koszty_zatrudnienia": [("id", "login", "miesiac_od", "miesiac_do", "zrodlo", "kwota", "uwagi"),
                            ("C1", "agata", "2025-01", "2025-06", "budżet gminy", "43036,44", None),
                            ("C2", "agata", "2025-01", "2025-06", "program asystent rodziny", "20066,11", None)],
}


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def agata(make_user):
    return make_user("assistant", login="agata")


def test_the_finance_sheet_imports_and_a_second_run_changes_nothing(agata):
    report = run(workbook(SHEETS))
    assert report.ok, [(p.sheet, p.row, p.column, p.message) for p in report.problems]
    assert (count(StaffProfile), count(EmploymentSpell), count(StaffTraining), count(StaffCost)) == (1, 2, 1, 2)
    v = engine.compute(periods.half(2025, 1))
    assert v["AR_COST_BY_SOURCE"]["own"] == 43036.44 and v["AR_COST_TOTAL"] == 63102.55
    assert v["AR_STAFF_BY_EMPLOYMENT_FORM"]["civil_contract"] == 1 and v["AR_STAFF_FTE"] == 0.5
    again = run(workbook(SHEETS))
    assert again.ok and count(EmploymentSpell) == 2 and count(StaffCost) == 2


@pytest.mark.parametrize("sheet, cell, value, column, message", [
    ("zatrudnienie", "D2", "0", "etat", "większy od 0 i nie większy niż 1"),
    ("zatrudnienie", "D3", "1,2", "etat", "większy od 0 i nie większy niż 1"),
    ("zatrudnienie", "F3", "2025-03-01", "od", "nie mogą się nakładać"),
    ("zatrudnienie", "C3", "podmiot zlecony", "pracodawca", "art. 190"),
    ("koszty_zatrudnienia", "C2+D2", "2023-12", "miesiac_od", "nie miał okresu zatrudnienia"),
    ("koszty_zatrudnienia", "D2", "2025-07", "miesiac_od", "końca półrocza"),
    ("koszty_zatrudnienia", "F3", "0", "kwota", "więcej niż 0"),
    ("szkolenia", "F2", "0", "godziny", "więcej niż 0"),
])
def test_every_rule_refused_in_polish_and_nothing_written(agata, sheet, cell, value, column, message):
    def spoil(book):
        for one in cell.split("+"):
            book[sheet][one] = value
    report = run(workbook(SHEETS, change=spoil))
    assert not report.ok
    assert any(p.sheet == sheet and p.column == column and message.lower() in p.message.lower()
               for p in report.problems), [(p.sheet, p.row, p.column, p.message) for p in report.problems]
    assert (count(EmploymentSpell), count(StaffCost), count(StaffTraining)) == (0, 0, 0)
