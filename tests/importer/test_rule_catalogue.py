"""The case register's rules hold on every path: each rule of the catalogue below is fed through the form (a
coordinator's POST) AND through the spreadsheet import, and both must refuse it with the same Polish message and
write nothing. A path that skips a rule (e.g. the importer without the caseload cap) fails its rows here.

Then: the same family entered by the forms and by an import gives the same rows and the same AR_ indicators."""
import html
import io
from dataclasses import dataclass
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from stdnum.pl.pesel import calc_check_digit

from casework.core import dictionaries, periods
from casework.core.pesel import encode
from casework.core.settings import set_setting
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, FamilyMember, SupportPeriod
from casework.importer import services as importer
from casework.indicators import engine

HEADERS = {
    "rodziny": ["id", "numer_sprawy", "nazwa", "ulica", "kod_pocztowy", "miejscowosc", "obszar"],
    "czlonkowie": ["id", "rodzina_id", "imie", "nazwisko", "data_urodzenia", "pesel", "relacja", "w_gospodarstwie"],
    "okresy_wsparcia": ["id", "rodzina_id", "podstawa", "data_skierowania", "sad", "data_postanowienia",
                        "data_rozpoczecia", "data_zakonczenia", "powod_zakonczenia", "opis_powodu", "monitoring_do",
                        "asystent"],
}
PESEL_ANNA = encode(date(1985, 3, 2), 11)
#: F1 works with agata since 2019 (the cap is 1); F2 had a period in 2020; F3 has none yet
BASE = {
    "rodziny": [{"id": "F1", "numer_sprawy": "AR/1", "nazwa": "Kowalscy", "obszar": "miasto"},
                {"id": "F2", "numer_sprawy": "AR/2", "nazwa": "Nowakowie", "obszar": "wieś"},
                {"id": "F3", "numer_sprawy": "AR/3", "nazwa": "Wiśniewscy", "obszar": "miasto"}],
    "czlonkowie": [{"id": "M1", "rodzina_id": "F1", "imie": "Anna", "nazwisko": "Kowalska",
                    "data_urodzenia": "1985-03-02", "pesel": PESEL_ANNA, "relacja": "rodzic"}],
    "okresy_wsparcia": [
        {"id": "P1", "rodzina_id": "F1", "podstawa": "skierowanie", "data_skierowania": "2019-01-10",
         "data_rozpoczecia": "2019-02-01", "asystent": "agata"},
        {"id": "P2", "rodzina_id": "F2", "podstawa": "skierowanie", "data_skierowania": "2020-01-05",
         "data_rozpoczecia": "2020-02-01", "data_zakonczenia": "2020-12-31", "powod_zakonczenia": "goals_achieved"}],
}


def workbook(sheets: dict) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(HEADERS[title])
        for row in rows:
            sheet.append([row.get(h, "") for h in HEADERS[title]])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def import_sheets(sheets: dict):
    read, problems = importer.read_workbook(io.BytesIO(workbook(sheets)), "dane.xlsx")
    report = importer.run(read, dry_run=False)
    report.problems = problems + report.problems
    if report.ok:
        db.session.commit()
    else:
        db.session.rollback()
    return report


# --- the catalogue -------------------------------------------------------------------------------------------

@dataclass
class Rule:
    id: str
    #: a fragment of the Polish refusal (the whole message must then be the same on both paths)
    message: str
    #: (url with {F1}/{F3}/{P1} placeholders, form fields)
    form: tuple
    #: (sheet, row): one row of the import, referring to the base rows by their ids
    row: tuple
    #: the column the import points at
    column: str
    #: a value the message must also carry (a date, a count)
    detail: str = ""


def member(relation="parent", birth="", pesel=""):
    form = {"first_name": "Ola", "last_name": "Nowak", "relation": relation, "birth_date": birth, "pesel": pesel,
            "in_household": "y"}
    row = {"id": "M9", "rodzina_id": "F1", "imie": "Ola", "nazwisko": "Nowak", "data_urodzenia": birth,
           "pesel": pesel, "relacja": {"parent": "rodzic", "child": "dziecko"}[relation], "w_gospodarstwie": "tak"}
    return ("/families/{F1}/members/new", form), ("czlonkowie", row)


def period(family="F3", basis="referral", referral="2021-01-02", court="", court_date="", start="2021-01-05",
           assistant=""):
    form = {"basis": basis, "referral_date": referral, "court_name": court, "court_order_date": court_date,
            "start_date": start, "assistant_id": assistant, "referred_by_id": "", "za_zyciem_category_id": ""}
    row = {"id": "P9", "rodzina_id": family, "podstawa": {"referral": "skierowanie",
                                                          "court_order": "postanowienie sądu"}[basis],
           "data_skierowania": referral, "sad": court, "data_postanowienia": court_date, "data_rozpoczecia": start,
           "asystent": assistant}
    return ("/families/{%s}/periods/new" % family, form), ("okresy_wsparcia", row)


def ending(end, reason="goals_achieved", text="", monitoring=""):
    """The form ends P1 (started 2019-02-01); the import brings an ended period of F3 that starts 2019-02-01."""
    form = {"end_date": end, "end_reason_id": reason, "end_reason_text": text, "monitoring_until": monitoring}
    row = {"id": "P9", "rodzina_id": "F3", "podstawa": "skierowanie", "data_skierowania": "2019-01-10",
           "data_rozpoczecia": "2019-02-01", "data_zakonczenia": end, "powod_zakonczenia": reason,
           "opis_powodu": text, "monitoring_do": monitoring}
    return ("/families/{F1}/periods/{P1}/end", form), ("okresy_wsparcia", row)


def rule(rule_id, message, column, paths, detail=""):
    form, row = paths
    return Rule(rule_id, message, form, row, column, detail)


CATALOGUE = [
    rule("family.case_number_unique", "ma już inna rodzina", "numer_sprawy", (
        ("/families/new", {"case_number": "AR/1", "name": "Inni", "area": "urban", "social_worker_id": ""}),
        ("rodziny", {"id": "F9", "numer_sprawy": "AR/1", "nazwa": "Inni", "obszar": "miasto"}))),
    rule("member.pesel_check_digit", "poprawną cyfrę kontrolną", "pesel", member(pesel="85030212345")),
    rule("member.pesel_no_date", "nie zawiera poprawnej daty", "pesel",
         member(pesel="8513311234" + calc_check_digit("8513311234"))),  # month 13
    rule("member.pesel_born_1819", "lat temu; sprawdź numer", "pesel", member("child", pesel=encode(date(1819, 5, 1), 1)),
         "1819-05-01, ponad 120 lat"),
    rule("member.pesel_born_in_future", "w przyszłości", "pesel", member("child", pesel=encode(date(2099, 1, 1), 1))),
    rule("member.pesel_other_birth_date", ", inną niż wpisana", "pesel",
         member("child", birth="2016-03-01", pesel=encode(date(2016, 2, 29), 1234)), "2016-02-29"),
    rule("member.pesel_taken", "Inny aktywny rekord", "pesel", member(pesel=PESEL_ANNA)),
    rule("member.birth_in_future", "Data urodzenia nie może być z przyszłości", "data_urodzenia",
         member("child", birth="2099-01-01")),
    rule("member.birth_over_120_years", "lat; sprawdź ją", "data_urodzenia", member(birth="1880-01-01"), "120"),
    rule("member.child_implausible_age", "Dziecko w rodzinie nie może mieć więcej niż", "data_urodzenia",
         member("child", birth="1980-01-01"), "25 lat"),
    rule("period.referral_needs_date", "Wpisz datę wniosku pracownika socjalnego", "data_skierowania",
         period(referral="")),
    rule("period.court_order_needs_court", "Przy postanowieniu sądu wpisz sąd i datę", "sad",
         period(basis="court_order", referral="", court_date="2020-12-01")),
    rule("period.court_order_needs_date", "Przy postanowieniu sądu wpisz sąd i datę", "data_postanowienia",
         period(basis="court_order", referral="", court="SR Gniezno")),
    rule("period.no_overlap", "nakłada się", "data_rozpoczecia", period("F1", start="2023-02-01")),
    rule("period.no_overlap_backdated", "nakłada się", "data_rozpoczecia", period("F2", start="2018-03-01")),
    rule("assignment.assistant_inactive", "Wybierz aktywnego asystenta rodziny", "asystent",
         period(assistant="{ola}")),
    rule("assignment.not_an_assistant", "Wybierz aktywnego asystenta rodziny", "asystent",
         period(assistant="{sw}")),
    rule("assignment.cap_on_first_day", "pracuje już z", "asystent", period(assistant="{agata}"),
         "Agata Nowak pracuje już z 1 rodzinami (limit wynosi 1)"),
    rule("assignment.cap_on_a_later_day", "rodzinami oprócz tej", "asystent",
         period(referral="2018-05-20", start="2018-06-01", assistant="{agata}"), "W dniu 2019-02-01 Agata Nowak"),
    rule("period_end.before_start", "wcześniejsza niż początek", "data_zakonczenia", ending("2019-01-15")),
    rule("period_end.in_future", "Data zakończenia nie może być z przyszłości", "data_zakonczenia",
         ending("2099-01-01")),
    rule("period_end.reason_needed", "Wybierz powód zakończenia", "powod_zakonczenia", ending("2021-06-30", "")),
    rule("period_end.reason_described", "Opisz powód zakończenia", "opis_powodu", ending("2021-06-30", "other")),
    rule("period_end.monitoring_after_end", "Monitorowanie musi trwać", "monitoring_do",
         ending("2021-06-30", monitoring="2021-06-01")),
]


@pytest.fixture
def base(make_user):
    """The base records, imported (so the import's rows can refer to them), the cap set to 1."""
    users = {"agata": make_user("assistant", login="agata", full_name="Agata Nowak"),
             "ola": make_user("assistant", login="ola", active=False),
             "sw": make_user("social_worker", login="sw")}
    set_setting("caseload_cap", 1)
    db.session.commit()
    report = import_sheets(BASE)
    assert report.ok, report.problems
    ids = {ext: db.session.scalar(select(Family.id).where(Family.case_number == f"AR/{ext[1]}"))
           for ext in ("F1", "F2", "F3")}
    ids["P1"] = db.session.scalar(select(SupportPeriod.id).where(SupportPeriod.family_id == ids["F1"]))
    return ids, users


def state():
    """Everything the rules guard, so 'nothing written' also catches a changed row."""
    return (db.session.execute(select(Family.id, Family.case_number).order_by(Family.id)).all(),
            db.session.execute(select(FamilyMember.id, FamilyMember.pesel).order_by(FamilyMember.id)).all(),
            db.session.execute(select(SupportPeriod.id, SupportPeriod.start_date, SupportPeriod.end_date,
                                      SupportPeriod.end_reason_id, SupportPeriod.monitoring_until)
                               .order_by(SupportPeriod.id)).all(),
            db.session.execute(select(AssistantAssignment.id, AssistantAssignment.assistant_id,
                                      AssistantAssignment.start_date, AssistantAssignment.end_date)
                               .order_by(AssistantAssignment.id)).all())


def _fill(value, ids, users, *, form: bool):
    if not isinstance(value, str) or "{" not in value:
        return value
    key = value.strip("{}")
    if key in users:
        return str(users[key].id) if form else users[key].login
    return value.format(**{k: v for k, v in ids.items()})


@pytest.mark.parametrize("rule", CATALOGUE, ids=[r.id for r in CATALOGUE])
def test_each_rule_refused_by_the_form_and_by_the_import_alike(client, login_as, base, rule):
    ids, users = base
    before = state()

    sheet, row = rule.row
    row = {k: _fill(v, ids, users, form=False) for k, v in row.items()}
    report = import_sheets({sheet: [row]})
    assert not report.ok, f"the import accepted {rule.id}"
    found = [p for p in report.problems if rule.message.lower() in p.message.lower()]
    assert found, [(p.sheet, p.row, p.column, p.message) for p in report.problems]
    assert (found[0].sheet, found[0].row, found[0].column) == (sheet, 2, rule.column)
    assert rule.detail in found[0].message
    assert state() == before

    login_as("coordinator")
    url, data = rule.form
    data = {k: _fill(v, ids, users, form=True) for k, v in data.items()}
    if "end_reason_id" in data:
        entry = dictionaries.by_code("end_reason", data["end_reason_id"]) if data["end_reason_id"] else None
        data["end_reason_id"] = str(entry.id) if entry else ""
    response = client.post(url.format(**ids), data=data)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400, f"the form accepted {rule.id}"
    assert found[0].message in page, f"the form did not say: {found[0].message}"
    db.session.expire_all()
    assert state() == before


#: refusals of casework.families.rules that cannot be fed through both paths, and why
ONE_PATH_ONLY = {
    "Enter the case number.": "the import's required column refuses an empty cell first",
    "Enter the family's name.": "the import's required column refuses an empty cell first",
    "Choose the area: urban or rural.": "the import's column accepts only its listed words",
    "Choose a social worker from the list.": "the import has no social-worker column",
    "Enter the first name.": "the import's required column refuses an empty cell first",
    "Enter the last name.": "the import's required column refuses an empty cell first",
    "Choose the relation to the family.": "the import's column accepts only its listed words",
    "Choose the basis: a social worker's referral or a court order.": "the import's column accepts only its words",
    "Enter the start date of the support period.": "both paths require the date before the rule runs",
    "The assignment must start within the support period.": "an imported assignment starts with its period",
    "This assistant is already assigned to the family.": "the import assigns once per period (no reassignment)",
    "Give the end date and the reason together.": "the form cannot post an end without its date",
}


def _rule_messages() -> list[str]:
    """Every message casework.families.rules can refuse with (its msgids)."""
    import ast
    import inspect

    from casework.families import rules

    tree = ast.parse(inspect.getsource(rules))
    return [node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and node.args
            and isinstance(node.args[0], ast.Constant)]


def test_the_catalogue_covers_every_rule_of_the_case_register():
    """A refusal added to casework.families.rules needs a catalogue entry (or a reason in ONE_PATH_ONLY)."""
    from flask_babel import gettext

    missing = [msgid for msgid in _rule_messages() if msgid not in ONE_PATH_ONLY
               and not any(r.message in gettext(msgid) for r in CATALOGUE)]
    assert missing == []
    assert set(ONE_PATH_ONLY) <= set(_rule_messages())  # no stale reasons


# --- the same family by form and by import ------------------------------------------------------------------

def _snapshot():
    """The family's rows without ids and timestamps, and the AR_ indicators of 2024 and 2025."""
    family = db.session.scalars(select(Family)).one()
    members = sorted((m.first_name, m.last_name, m.birth_date, m.pesel, m.relation, m.in_household)
                     for m in family.members)
    spans = [(p.basis, p.referral_date, p.court_name, p.court_order_date, p.start_date, p.end_date,
              p.end_reason.code if p.end_reason else None, p.end_reason_text, p.monitoring_until,
              [(a.assistant.login, a.start_date, a.end_date) for a in p.assignments])
             for p in family.support_periods]
    rows = ((family.case_number, family.name, family.name_sort, family.area, family.city, family.street,
             family.postal_code), members, spans)
    figures = {year: {code: value for code, value in engine.compute(periods.year(year)).items()
                      if code.startswith("AR_")} for year in (2024, 2025)}
    return rows, figures


def test_the_same_family_by_form_and_by_import_gives_the_same_rows_and_indicators(app, client, login_as,
                                                                                  make_user):
    from tests.conftest import _truncate_all

    child_pesel = encode(date(2015, 6, 1), 4321)

    def by_form():
        agata = make_user("assistant", login="agata")
        login_as("coordinator")
        client.post("/families/new", data={"case_number": "AR/2024/5", "name": "Zielińscy", "area": "rural",
                                           "city": "Siennica", "street": "Polna 3", "postal_code": "05-332",
                                           "social_worker_id": ""})
        family = db.session.scalars(select(Family)).one()
        for data in ({"first_name": "Ewa", "last_name": "Zielińska", "relation": "parent",
                      "birth_date": "1990-01-20", "pesel": ""},
                     {"first_name": "Kuba", "last_name": "Zieliński", "relation": "child", "birth_date": "",
                      "pesel": child_pesel}):
            assert client.post(f"/families/{family.id}/members/new",
                               data=data | {"in_household": "y"}).status_code == 302
        assert client.post(f"/families/{family.id}/periods/new", data={
            "basis": "referral", "referral_date": "2024-02-20", "start_date": "2024-03-01",
            "assistant_id": agata.id, "referred_by_id": "", "za_zyciem_category_id": ""}).status_code == 302
        period = db.session.scalars(select(SupportPeriod)).one()
        assert client.post(f"/families/{family.id}/periods/{period.id}/end", data={
            "end_date": "2025-02-28", "end_reason_id": dictionaries.by_code("end_reason", "goals_achieved").id,
            "end_reason_text": "", "monitoring_until": "2025-08-31"}).status_code == 302

    def by_import():
        make_user("assistant", login="agata")
        report = import_sheets({
            "rodziny": [{"id": "Z", "numer_sprawy": "AR/2024/5", "nazwa": "Zielińscy", "obszar": "wieś",
                         "miejscowosc": "Siennica", "ulica": "Polna 3", "kod_pocztowy": "05-332"}],
            "czlonkowie": [{"id": "Z1", "rodzina_id": "Z", "imie": "Ewa", "nazwisko": "Zielińska",
                            "data_urodzenia": "20.01.1990", "relacja": "rodzic"},
                           {"id": "Z2", "rodzina_id": "Z", "imie": "Kuba", "nazwisko": "Zieliński",
                            "pesel": child_pesel, "relacja": "dziecko"}],
            "okresy_wsparcia": [{"id": "ZP", "rodzina_id": "Z", "podstawa": "skierowanie",
                                 "data_skierowania": "2024-02-20", "data_rozpoczecia": "2024-03-01",
                                 "data_zakonczenia": "2025-02-28", "powod_zakonczenia": "goals_achieved",
                                 "monitoring_do": "2025-08-31", "asystent": "agata"}]})
        assert report.ok, report.problems

    by_form()
    typed = _snapshot()
    db.session.remove()
    _truncate_all(db)
    by_import()
    imported = _snapshot()
    assert imported[0] == typed[0]
    assert imported[1] == typed[1]
    assert typed[1][2024]["AR_FAMILIES_SUPPORTED"] == 1
