"""The staff register's sheets of the spreadsheet import (contract: casework.core.imports): qualifications
(kadry), employment spells (zatrudnienie), trainings (szkolenia) and the cost of employment from the finance
department's sheet (koszty_zatrudnienia). Every row is checked by casework.staff.rules, the functions the forms
use: an FTE of 0 or above 1, a spell overlapping another of the same person, a cost in a month without a spell are
refused in the import as on the form, with the same Polish message."""
from flask_babel import gettext as _
from sqlalchemy import select

from casework.core.formatting import parse_decimal
from casework.auth.roles import ASSISTANT
from casework.core.imports import ID, Column, Kind, RowError, choice, day, first_problem, money, month, register, text
from casework.extensions import db
from casework.staff import rules
from casework.staff.models import EMPLOYMENT_FORMS, EmploymentSpell, StaffCost, StaffProfile, StaffTraining

FORMS = {"umowa o pracę zadaniowy": "employment_task_based",
         "umowa o pracę w systemie zadaniowego czasu pracy": "employment_task_based",
         "umowa o pracę inny system": "employment_other",
         "umowa o pracę w innym systemie czasu pracy": "employment_other",
         "umowa cywilnoprawna": "civil_contract", "umowa zlecenie": "civil_contract",
         "świadczenie usług": "service", "działalność gospodarcza": "service",
         "podmiot zlecony": "contracted_entity", "zlecenie zadania (art. 190)": "contracted_entity"}
SOURCES = {"budżet gminy": "own", "środki własne": "own", "własne": "own",
           "dotacja": "state_programme", "program asystent rodziny": "state_programme",
           "budżet państwa": "state_programme", "ue": "eu", "unia europejska": "eu", "inne": "other"}
BASES = {"wyższe kierunkowe": "higher_field", "wyższe ze szkoleniem": "higher_training",
         "średnie ze szkoleniem": "secondary_training"}


def _number(column):
    """A number cell kept as typed (the rule reads it, so the import and the form refuse the same values)."""
    def parse(value):
        if value in (None, ""):
            return None
        return str(value).strip()
    parse.column = column
    return parse


def _profiles():
    def build(v, ctx):
        user_id = ctx.user_id(v["login"], "login")
        seen = ctx.memo("staff_profiles")
        if seen.setdefault(user_id, v["external_id"]) != v["external_id"]:
            raise RowError("login", _("This person already has a row in the sheet."))
        first_problem(rules.check_qualification(v["basis"]), {}, "podstawa_kwalifikacji")
        return {"user_id": user_id, "qualification_basis": v["basis"], "qualification_note": v["note"],
                "conditions_checked_on": v["checked_on"]}

    register(Kind("staff_profiles", "kadry", StaffProfile.__table__, [
        ID, Column("login", "login", text(80), True, help="login konta asystenta"),
        Column("podstawa_kwalifikacji", "basis", choice(BASES), help="art. 12 ust. 1 pkt 1 UWR"),
        Column("dokumenty", "note", text(5000)), Column("warunki_sprawdzone", "checked_on", day)],
        100, build))


def _stored_spells(ctx, user_id) -> list[tuple]:
    again = ctx.in_file_ids("employment_spells")
    return [(start, end) for spell_id, start, end in db.session.execute(
        select(EmploymentSpell.id, EmploymentSpell.date_from, EmploymentSpell.date_to).where(
            EmploymentSpell.user_id == user_id, EmploymentSpell.archived_at.is_(None)))
        if spell_id not in again]


def _spells():
    def build(v, ctx):
        user_id = ctx.user_id(v["login"], "login", ASSISTANT)
        in_file = ctx.memo("staff_spells").setdefault(user_id, {})
        key = ("employment_spells", v["external_id"])
        values = {"fte": v["fte"], "date_from": v["date_from"], "date_to": v["date_to"], "employer": v["employer"]}
        if key not in ctx.checked:
            others = _stored_spells(ctx, user_id) + [span for ext, span in in_file.items()
                                                     if ext != v["external_id"]]
            problems = rules.check_spell(values, v["form"], others)
            columns_of = {m: "etat" for m in rules.check_fte(v["fte"])}
            columns_of[_("Name the organisation the task is contracted to (art. 190 UWR) that employs the "
                         "assistant.")] = "pracodawca"
            columns_of[_("The last day of employment is before the first.")] = "do"
            first_problem(problems, columns_of, "od")
            ctx.checked.add(key)
        in_file[v["external_id"]] = (v["date_from"], v["date_to"])
        return {"user_id": user_id, "form_id": ctx.dictionary("employment_form", v["form"], "forma"),
                "fte": parse_decimal(v["fte"]), "employer": v["employer"], "date_from": v["date_from"],
                "date_to": v["date_to"]}

    register(Kind("employment_spells", "zatrudnienie", EmploymentSpell.__table__, [
        ID, Column("login", "login", text(80), True, help="login konta asystenta"),
        Column("forma", "form", choice(FORMS), True, help=", ".join(EMPLOYMENT_FORMS)),
        Column("etat", "fte", _number("etat"), True, help="więcej niż 0, najwyżej 1, np. 0,5"),
        Column("pracodawca", "employer", text(200), help="gdy zadanie zlecono (art. 190 UWR)"),
        Column("od", "date_from", day, True), Column("do", "date_to", day)],
        101, build))


def _trainings():
    def build(v, ctx):
        values = {"training_date": v["training_date"], "title": v["title"], "hours": v["hours"], "cost": v["cost"]}
        columns_of = {_("Enter the hours of the training (more than 0)."): "godziny",
                      _("The cost of the training must be a number, 0 or more."): "koszt",
                      _("Enter the title of the training."): "tytul"}
        first_problem(rules.check_training(values), columns_of, "data")
        return {"user_id": ctx.user_id(v["login"], "login"), "training_date": v["training_date"],
                "title": v["title"], "organiser": v["organiser"], "hours": parse_decimal(v["hours"]),
                "cost": parse_decimal(v["cost"])}

    register(Kind("staff_trainings", "szkolenia", StaffTraining.__table__, [
        ID, Column("login", "login", text(80), True, help="login konta asystenta"),
        Column("data", "training_date", day, True), Column("tytul", "title", text(300), True),
        Column("organizator", "organiser", text(200)), Column("godziny", "hours", _number("godziny"), True),
        Column("koszt", "cost", _number("koszt"), help="zł; puste: bezpłatne")],
        102, build))


def _costs():
    def build(v, ctx):
        user_id = ctx.user_id(v["login"], "login")
        spells = _stored_spells(ctx, user_id) + list(ctx.memo("staff_spells").get(user_id, {}).values())
        values = {"date_from": v["month_from"], "date_to": v["month_to"], "source": v["source"],
                  "amount": v["amount"]}
        problems = rules.check_cost(values, spells)
        columns_of = {_("Choose the source of funding."): "zrodlo",
                      _("Enter the amount in PLN (more than 0)."): "kwota",
                      _("The last month of the cost is before the first."): "miesiac_do"}
        first_problem(problems, columns_of, "miesiac_od")
        first, last = rules.cost_months(v["month_from"], v["month_to"])
        return {"user_id": user_id, "date_from": first, "date_to": last, "source": v["source"],
                "amount": v["amount"], "note": v["note"]}

    register(Kind("staff_costs", "koszty_zatrudnienia", StaffCost.__table__, [
        ID, Column("login", "login", text(80), True, help="login konta asystenta"),
        Column("miesiac_od", "month_from", month, True, help="RRRR-MM"),
        Column("miesiac_do", "month_to", month, help="RRRR-MM; puste: jeden miesiąc"),
        Column("zrodlo", "source", choice(SOURCES), True, help="own, state_programme, eu, other"),
        Column("kwota", "amount", money, True), Column("uwagi", "note", text(300))],
        103, build))


_profiles()
_spells()
_trainings()
_costs()
