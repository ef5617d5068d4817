"""Import from spreadsheets: every kind, every rule, all-or-nothing, re-import is a no-op, a corrected file updates."""
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from casework.contacts.models import Institution, InstitutionContact, TeamMeeting
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, FamilyMember, SupportPeriod
from casework.fostercare.models import FosterChild
from casework.importer import services
from casework.visits.models import Visit, visit_area
from tests.conftest import login

SHEETS = {
    "rodziny": [["id", "numer_sprawy", "nazwa", "ulica", "kod_pocztowy", "miejscowosc", "obszar", "telefon", "uwagi"],
                ["F1", "AR/2019/1", "Kowalscy", "Polna 1", "22-300", "Krasnystaw", "miasto", "", ""],
                ["F2", "AR/2020/7", "Wiśniewscy", "", "", "Siennica", "wieś", "", "z arkusza 2020"]],
    "czlonkowie": [["id", "rodzina_id", "imie", "nazwisko", "data_urodzenia", "pesel", "relacja", "w_gospodarstwie"],
                   ["M1", "F1", "Anna", "Kowalska", "1985-03-02", "", "rodzic", "tak"],
                   ["M2", "F1", "Jan", "Kowalski", "12.05.2015", "", "dziecko", "tak"],
                   ["M3", "F2", "Ola", "Wiśniewska", "", "", "dziecko", ""]],
    "okresy_wsparcia": [["id", "rodzina_id", "podstawa", "data_skierowania", "sad", "data_rozpoczecia",
                         "data_zakonczenia", "powod_zakonczenia", "asystent", "data_postanowienia"],
                        ["P1", "F1", "skierowanie", "2019-01-10", "", "2019-02-01", "2020-06-30", "goals_achieved",
                         "agata", ""],
                        ["P2", "F2", "postanowienie sądu", "", "SR Krasnystaw", "2020-03-01", "", "", "agata",
                         "2020-02-20"]],
    "wizyty": [["id", "rodzina_id", "asystent", "data", "godzina", "czas_min", "miejsce", "forma", "obszary",
                "co_zrobiono"],
               ["W1", "F1", "agata", "2019-02-05", "10:00", "60", "dom rodziny", "wizyta domowa", "", "Pierwsza"],
               ["W2", "F2", "agata", "2020-03-10", "", "45", "", "telefon", "", ""],
               ["W3", "F2", "agata", "2020-04-10", "", "90", "", "", "", ""]],
    "posiedzenia": [["id", "rodzina_id", "data", "uczestnicy", "ustalenia", "nowa_rodzina", "autor"],
                    ["T1", "F2", "2020-03-02", "asystent, pracownik socjalny", "plan", "tak", "agata"]],
    "instytucje": [["id", "nazwa", "rodzaj", "miejscowosc"], ["I1", "Szkoła Podstawowa nr 1", "school", "Krasnystaw"]],
    "kontakty": [["id", "instytucja_id", "rodzina_id", "data", "forma", "temat", "pracownik"],
                 ["K1", "I1", "F1", "2019-03-01", "telefon", "frekwencja", "agata"]],
}

FOSTER = {
    "dzieci_w_pieczy": [["id", "czlonek_id", "imie", "nazwisko", "data_urodzenia", "uwagi"],
                        ["D1", "M2", "", "", "", ""],
                        ["D2", "", "Oliwia", "Zawadzka", "2016-04-01", "rodzina nieobjęta wsparciem"]],
    "umieszczenia": [["id", "dziecko_id", "forma", "powiat", "sad", "sygnatura", "data_postanowienia",
                      "data_rozpoczecia", "data_zakonczenia", "powod_zakonczenia"],
                     ["U1", "D1", "rodzina zastępcza spokrewniona", "Powiat Krasnostawski", "SR Krasnystaw",
                      "III Nsm 1/22", "2022-01-20", "2022-02-01", "2023-01-31", "zmiana formy"],
                     ["U2", "D1", "placówka opiekuńczo-wychowawcza", "Powiat Krasnostawski", "", "", "",
                      "2023-02-01", "", ""],
                     ["U3", "D2", "rodzina zastępcza zawodowa", "Powiat Chełmski", "", "", "", "2024-03-01", "",
                      ""]],
    "noty_pcpr": [["id", "dziecko_id", "miesiac", "koszt", "naliczono", "uwagi"],
                  ["N1", "D1", "2022-06", "4000,00", "", ""],       # first year of stay: 10 %
                  ["N2", "D1", "2023-03", "5000", "", ""],          # second year across the change of form: 30 %
                  ["N3", "D1", "03.2024", "6 000,00", "2900", ""],  # third year: 50 % = 3000; billed 2900
                  ["N4", "D2", "2024-04", "4200", "", ""]],
}


def workbook(sheets=SHEETS, change=None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    if change:
        change(book)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def run(data: bytes, dry_run=False, name="import.xlsx"):
    sheets, problems = services.read_workbook(io.BytesIO(data), name)
    report = services.run(sheets, dry_run=dry_run)
    report.problems = problems + report.problems
    if report.ok and not dry_run:
        db.session.commit()
    else:
        db.session.rollback()
    return report


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def agata(make_user):
    return make_user("assistant", login="agata")


def test_every_kind_imports_then_reimport_changes_nothing_and_a_correction_updates(agata):
    dry = run(workbook(), dry_run=True)
    assert dry.ok and count(Family) == 0  # a dry run writes nothing
    report = run(workbook())
    assert report.ok, report.problems
    assert (count(Family), count(FamilyMember), count(SupportPeriod), count(Visit), count(TeamMeeting),
            count(Institution), count(InstitutionContact)) == (2, 3, 2, 3, 1, 1, 1)
    assert count(AssistantAssignment) == 2
    kowalscy = db.session.scalar(select(Family).where(Family.case_number == "AR/2019/1"))
    assert kowalscy.area == "urban" and kowalscy.name_sort
    jan = db.session.scalar(select(FamilyMember).where(FamilyMember.first_name == "Jan"))
    assert jan.birth_date == date(2015, 5, 12) and jan.relation == "child"
    again = run(workbook())
    assert again.counts["wizyty"] == {"new": 0, "existing": 3, "updated": 0, "unchanged": 3}
    assert count(Visit) == 3 and count(Family) == 2

    def longer(book):
        book["wizyty"]["F3"] = "75"  # W2: 45 → 75 minutes
    corrected = run(workbook(change=longer))
    assert corrected.counts["wizyty"]["updated"] == 1 and corrected.counts["rodziny"]["updated"] == 0
    assert db.session.scalar(select(func.sum(Visit.duration_minutes))) == 60 + 75 + 90


@pytest.mark.parametrize("sheet, cell, value, column, message", [
    ("rodziny", "C2", "", "nazwa", "wymagana"),
    ("rodziny", "G2", "las", "obszar", "Dozwolone wartości"),
    ("czlonkowie", "E2", "31.02.2019", "data_urodzenia", "RRRR-MM-DD"),
    ("czlonkowie", "F2", "85030212345", "pesel", "PESEL"),
    ("czlonkowie", "G2", "sąsiad", "relacja", "Dozwolone wartości"),
    ("czlonkowie", "B2", "F9", "rodzina_id", "F9"),
    ("okresy_wsparcia", "G2", "2018-01-01", "data_zakonczenia", "wcześniejsza niż początek"),
    ("okresy_wsparcia", "H2", "", "powod_zakonczenia", "Wybierz powód zakończenia"),
    ("okresy_wsparcia", "H2", "bo_tak", "powod_zakonczenia", "słowniki"),
    ("okresy_wsparcia", "I2", "nieznany", "asystent", "nieznany"),
    ("okresy_wsparcia", "E3", "", "sad", "sąd"),
    ("wizyty", "F2", "0", "czas_min", "od 1 do 720"),
    ("wizyty", "D2", "2099-01-01", "data", "przyszłości"),
    ("wizyty", "E2", "25:00", "godzina", "GG:MM"),
    ("wizyty", "I2", "nieznany_obszar", "obszary", "słowniki"),
    ("posiedzenia", "D2", "", "uczestnicy", "wymagana"),
    ("instytucje", "C2", "bank", "rodzaj", "słowniki"),
    ("kontakty", "B2", "I7", "instytucja_id", "I7"),
    ("kontakty", "G2", "", "pracownik", "wymagana"),
    ("umieszczenia", "I2", "2023-06-01", "data_rozpoczecia", "nie mogą się nakładać"),  # U1 runs into U2
    ("umieszczenia", "C2", "dom dziecka", "forma", "Dozwolone wartości"),
    ("umieszczenia", "J2", "", "powod_zakonczenia", "Wybierz przyczynę zakończenia"),
    ("umieszczenia", "J3", "powrót do rodziny", "data_zakonczenia", "razem"),
    ("noty_pcpr", "C2", "2021-12", "miesiac", "nie przebywało"),
    ("noty_pcpr", "C3", "2022-06", "miesiac", "już"),
    ("noty_pcpr", "D2", "-5", "koszt", "zł"),
    ("dzieci_w_pieczy", "C3", "", "imie", "imię"),
])
def test_every_rule_reported_in_polish_and_nothing_written(agata, sheet, cell, value, column, message):
    def spoil(book):
        book[sheet][cell] = value or None
    report = run(workbook(dict(SHEETS, **FOSTER), change=spoil))
    assert not report.ok
    assert any(p.sheet == sheet and p.column == column and message.lower() in p.message.lower()
               for p in report.problems), [(p.sheet, p.row, p.column, p.message) for p in report.problems]
    assert (count(Family), count(Visit), count(Institution), count(FosterChild)) == (0, 0, 0, 0)


def test_file_level_problems(agata, make_user):
    def damage(book):
        book.create_sheet("notatki")
        book["wizyty"]["A4"] = "W1"  # a repeated id
        book["rodziny"].delete_cols(2)  # the case-number column is gone
    report = run(workbook(change=damage))
    messages = {(p.sheet, p.column, p.message) for p in report.problems}
    assert ("notatki", "", "Nieznany arkusz; arkusze nazywają się tak jak w szablonie.") in messages
    assert any(p.sheet == "rodziny" and p.column == "numer_sprawy" and "Brak kolumny" in p.message
               for p in report.problems)
    assert any("powtarza się" in p.message for p in report.problems)
    db.session.add(Family(case_number="AR/2019/1", name="Inni"))
    db.session.commit()
    taken = run(workbook())
    assert any(p.column == "numer_sprawy" and "ma już inna rodzina" in p.message for p in taken.problems)


def test_csv_named_after_the_sheet_references_an_earlier_import(agata):
    assert run(workbook()).ok
    text = "id;rodzina_id;asystent;data;czas_min\nW10;F1;agata;2019-04-01;30\nW11;F2;agata;01.05.2020;20\n"
    report = run(text.encode("utf-8-sig"), name="wizyty.csv")
    assert report.ok and report.counts["wizyty"]["new"] == 2 and count(Visit) == 5
    bad = run(text.encode(), name="cokolwiek.csv")
    assert "wizyty.csv" in bad.problems[0].message


def test_visit_areas_are_linked(agata):
    def areas(book):
        book["wizyty"]["I2"] = "parenting;health"
    from casework.core.dictionaries import entries

    codes = {e.code for e in entries("area_of_work")}
    assert {"parenting", "health"} <= codes
    assert run(workbook(change=areas)).ok
    assert db.session.scalar(select(func.count()).select_from(visit_area)) == 2


def test_through_the_pages_and_the_template(app, client, login_as, agata):
    login_as("coordinator")
    template = load_workbook(io.BytesIO(client.get("/import/template.xlsx").data))
    assert {"rodziny", "wizyty", "słowniki"} <= set(template.sheetnames)
    assert [c.value for c in template["wizyty"][1]][:4] == ["id", "rodzina_id", "asystent", "data"]

    def spoil(book):
        book["wizyty"]["F2"] = "dużo"
    upload = client.post("/import/", data={"file": (io.BytesIO(workbook(change=spoil)), "dane.xlsx")},
                         content_type="multipart/form-data")
    check_url = upload.headers["Location"]
    html = client.get(check_url).get_data(as_text=True)
    assert "Wpisz liczbę całkowitą" in html and "<td data-label=\"Wiersz\">2</td>" in html
    assert client.post(check_url + "/confirm").status_code == 302 and count(Family) == 0
    upload = client.post("/import/", data={"file": (io.BytesIO(workbook()), "dane.xlsx")},
                         content_type="multipart/form-data")
    check_url = upload.headers["Location"]
    assert "Co zrobi import" in client.get(check_url).get_data(as_text=True)
    done = client.post(check_url + "/confirm")
    assert done.status_code == 200 and count(Family) == 2
    other = app.test_client()
    login(other, agata)
    assert other.get("/import/").status_code == 403
    assert other.get("/import/template.xlsx").status_code == 403


def test_cli_dry_run_and_import(app, agata, tmp_path):
    path = tmp_path / "dane.xlsx"
    path.write_bytes(workbook())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["casework", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "wizyty: new 3" in result.output and count(Visit) == 0
    result = runner.invoke(args=["casework", "import", str(path)])
    assert result.exit_code == 0 and count(Visit) == 3
    bad = tmp_path / "wizyty.csv"
    bad.write_text("id;rodzina_id;asystent;data;czas_min\nW9;F1;agata;jutro;30\n", encoding="utf-8")
    result = runner.invoke(args=["casework", "import", str(bad)])
    assert result.exit_code == 1 and "wiersz 2, kolumna data" in result.output



def test_foster_care_imports_with_tiers_computed_and_reimport_is_a_no_op(agata):
    from decimal import Decimal

    from casework.fostercare.models import FosterCareBill, Placement

    sheets = dict(SHEETS, **FOSTER)
    report = run(workbook(sheets))
    assert report.ok, report.problems
    assert (count(FosterChild), count(Placement), count(FosterCareBill)) == (2, 3, 4)
    jan = db.session.scalar(select(FosterChild).where(FosterChild.member_id.is_not(None)))
    assert jan.family.case_number == "AR/2019/1" and jan.name == "Jan Kowalski"
    second = db.session.scalar(select(Placement).where(Placement.start_date == date(2023, 2, 1)))
    assert second.count_from == date(2022, 2, 1) and second.tier_50_from == date(2024, 2, 1)
    bills = {b.month: b for b in db.session.scalars(select(FosterCareBill))}
    assert bills[date(2022, 6, 1)].computed_share == Decimal("400.00") and bills[date(2022, 6, 1)].tier == 10
    assert bills[date(2023, 3, 1)].tier == 30 and bills[date(2023, 3, 1)].form == "care_education_institution"
    march = bills[date(2024, 3, 1)]
    assert march.computed_share == Decimal("3000.00") and march.billed_share == Decimal("2900.00") and march.differs
    again = run(workbook(sheets))
    assert again.ok
    assert all(c["updated"] == 0 and c["new"] == 0 for c in again.counts.values() if c["existing"])

    def cheaper(book):
        book["noty_pcpr"]["D2"] = "4500"  # N1: 4000 → 4500 zł
    corrected = run(workbook(sheets, change=cheaper))
    assert corrected.counts["noty_pcpr"]["updated"] == 1
    db.session.expire_all()
    assert db.session.scalar(select(FosterCareBill).where(FosterCareBill.month == date(2022, 6, 1))) \
        .computed_share == Decimal("450.00")


def test_an_imported_placement_may_not_overlap_one_typed_into_the_app(agata, make_user):
    from casework.fostercare import services as foster
    from casework.fostercare.models import FosterChild, Placement

    assert run(workbook(dict(SHEETS, **FOSTER))).ok
    oliwia = db.session.scalar(select(FosterChild).where(FosterChild.first_name == "Oliwia"))
    foster.update_placement(oliwia.placements[0], {"end_date": date(2024, 8, 31), "end_reason": "return_home"},
                            actor=agata)
    foster.add_placement(oliwia, {"form": "foster_family_unrelated", "start_date": date(2025, 1, 10)}, actor=agata)
    db.session.commit()
    sheets = dict(SHEETS, **FOSTER)
    sheets["umieszczenia"] = FOSTER["umieszczenia"] + [
        ["U4", "D2", "rodzinny dom dziecka", "", "", "", "", "2025-03-01", "", ""]]
    report = run(workbook(sheets))
    assert not report.ok
    assert any("2025-01-10" in p.message for p in report.problems), report.problems
    assert count(Placement) == 4


def test_a_pesel_typed_as_a_number_gets_its_leading_zero_back(agata):
    from casework.core.pesel import encode

    number = encode(date(2005, 7, 14), 1235)  # starts with 0: a number cell in Excel drops it

    def as_number(book):
        book["czlonkowie"]["F3"] = int(number)
        book["czlonkowie"]["E3"] = None
    assert run(workbook(change=as_number)).ok
    jan = db.session.scalar(select(FamilyMember).where(FamilyMember.first_name == "Jan"))
    assert (jan.pesel, jan.birth_date) == (number, date(2005, 7, 14))
