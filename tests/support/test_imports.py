"""issue 18's sheets in the spreadsheet import: written with the families they refer to, a re-import changes
nothing, and the forms' rules refuse bad rows in Polish with nothing written."""
import copy

import pytest

from casework.support.models import (DaySupportAttendance, SupportingFamily, SupportingFamilyCost,
                                     SupportingFamilyHelp, TeamMembership, ZaZyciemRequest)
from tests.importer.test_import import SHEETS, count, run, workbook

MINE = {
    "instytucje": [["id", "nazwa", "rodzaj", "miejscowosc"], ["I1", "Szkoła Podstawowa nr 1", "school", "Krasnystaw"],
                   ["I2", "Świetlica „Promyk”", "day_support", "Krasnystaw"]],
    "rodziny_wspierajace": [["id", "nazwa", "adres", "telefon", "data_ustanowienia", "data_zakonczenia", "uwagi"],
                            ["S1", "Anna i Piotr Nowakowie", "ul. Lipowa 3", "", "2019-02-01", "", ""]],
    "pomoc_rodzin_wspierajacych": [["id", "rodzina_wspierajaca_id", "rodzina_id", "od", "do", "data_zgody", "zakres"],
                                   ["H1", "S1", "F1", "2019-03-01", "2019-12-31", "2019-02-20", "opieka po szkole"]],
    "koszty_rodzin_wspierajacych": [["id", "pomoc_id", "miesiac", "kwota"], ["C1", "H1", "2019-03", "350,00"],
                                    ["C2", "H1", "04.2019", "350"]],
    "wsparcie_dzienne": [["id", "rodzina_id", "dziecko_id", "placowka_id", "od", "do", "uwagi"],
                         ["A1", "F1", "M2", "I2", "2019-09-01", "", ""]],
    "zespol_interdyscyplinarny": [["id", "imie_nazwisko", "reprezentuje", "instytucja", "data_powolania",
                                   "data_odwolania", "przewodniczacy", "login"],
                                  ["Z1", "Anna Policka", "policja", "KPP Krasnystaw", "2023-01-01", "", "tak", ""],
                                  ["Z2", "Ewa Pedagog", "oświata", "SP 1", "2023-01-01", "", "nie", ""]],
    "wnioski_za_zyciem": [["id", "rodzina_id", "data_wniosku", "kategoria", "okres_wsparcia_id", "asystent",
                           "koordynacja_od", "koordynacja_do", "uwagi"],
                          ["ZZ1", "F2", "2020-01-15", "", "", "agata", "2020-01-20", "2020-02-29", ""]],
}


def sheets(**changes):
    data = copy.deepcopy(SHEETS) | copy.deepcopy(MINE)
    for sheet, (row, col, value) in changes.items():
        data[sheet][row][data[sheet][0].index(col)] = value
    return data


@pytest.fixture
def agata(make_user):
    return make_user("assistant", login="agata")


def test_issue_18_sheets_import_and_reimport_changes_nothing(agata):
    report = run(workbook(sheets()))
    assert report.ok, report.problems
    assert count(SupportingFamily) == 1 and count(SupportingFamilyHelp) == 1 and count(SupportingFamilyCost) == 2
    assert count(DaySupportAttendance) == 1 and count(TeamMembership) == 2 and count(ZaZyciemRequest) == 1
    again = run(workbook(sheets()))
    assert again.ok, again.problems
    assert count(SupportingFamilyCost) == 2 and count(TeamMembership) == 2


@pytest.mark.parametrize("change, column, message", [
    ({"koszty_rodzin_wspierajacych": (2, "miesiac", "2019-03")}, "miesiac", "już zapisane"),
    ({"koszty_rodzin_wspierajacych": (2, "miesiac", "2020-01")}, "miesiac", "Pomoc nie trwała w tym miesiącu"),
    ({"pomoc_rodzin_wspierajacych": (1, "od", "2019-01-01")}, "od", "w datach rodziny wspierającej"),
    ({"zespol_interdyscyplinarny": (2, "imie_nazwisko", "Anna Policka")}, "data_powolania", "już członkiem"),
    ({"wnioski_za_zyciem": (1, "koordynacja_od", "2020-01-01")}, "koordynacja_od", "przed wnioskiem"),
])
def test_the_forms_rules_refuse_bad_rows_in_polish(agata, change, column, message):
    report = run(workbook(sheets(**change)))
    assert not report.ok
    found = [p for p in report.problems if message in str(p.message)]
    assert found, [str(p.message) for p in report.problems]
    assert any(p.column == column for p in found), [(p.column, p.message) for p in found]
    assert count(SupportingFamily) == 0 and count(TeamMembership) == 0


@pytest.mark.parametrize("column, value, message", [("dziecko_id", "M1", "Wybierz dziecko tej rodziny"),
                                                    ("placowka_id", "I1", "placówkę wsparcia dziennego")])
def test_attendance_of_a_stored_parent_or_at_a_school_is_refused(agata, column, value, message):
    """A member imported before is checked as the form checks it (a member only in the same file is checked by its
    own sheet; its relation is not known until it is written)."""
    first = {k: v for k, v in sheets().items() if k in ("rodziny", "czlonkowie", "instytucje")}
    assert run(workbook(first)).ok
    second = {"wsparcie_dzienne": copy.deepcopy(MINE["wsparcie_dzienne"])}
    second["wsparcie_dzienne"][1][second["wsparcie_dzienne"][0].index(column)] = value
    report = run(workbook(second))
    assert not report.ok
    assert any(p.column == column and message in str(p.message) for p in report.problems), report.problems
    assert count(DaySupportAttendance) == 0
