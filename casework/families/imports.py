"""The case register's sheets of the spreadsheet import: families (rodziny), members (czlonkowie) and support
periods with their assistant (okresy_wsparcia). Each row is checked by casework.families.rules, the same functions
the forms call: the same refusal, in the same Polish words, pointed at the row's column. Rules across rows
(overlapping periods, the caseload cap, a PESEL or case number used twice) see the stored records and the rows of
the file that are not written yet. Contract: casework.core.imports."""
from flask_babel import gettext as _
from sqlalchemy import select

from casework.auth.models import User
from casework.core.collation import sort_key
from casework.core.imports import ID, Column, Kind, blank_or_yes_no, choice, day, pesel_cell, refuse, register, text
from casework.extensions import db
from casework.families import rules
from casework.families.models import AssistantAssignment, Family, FamilyMember, SupportPeriod

AREAS = {"miasto": "urban", "miejski": "urban", "wieś": "rural", "wies": "rural", "wiejski": "rural"}
RELATIONS = {"rodzic": "parent", "opiekun": "guardian", "dziecko": "child", "inny dorosły": "other_adult",
             "inna osoba dorosła": "other_adult"}
BASES = {"skierowanie": "referral", "wniosek": "referral", "postanowienie sądu": "court_order", "sąd": "court_order"}


def _families():
    def case_number_in_use(number, ext, ctx):
        stored = ctx.stored("case_numbers", lambda: {n.lower(): i for n, i in db.session.execute(
            select(Family.case_number, Family.id))})
        owner = stored.get(number.lower())
        if owner is not None and owner != ctx.known["families"].get(ext):
            return True
        return ctx.memo("case_numbers").setdefault(number.lower(), ext) != ext

    def build(v, ctx):
        record = {"case_number": v["case_number"], "name": v["name"], "name_sort": sort_key(v["name"]),
                  "street": v["street"], "postal_code": v["postal_code"], "city": v["city"],
                  "area": v["area"] or "urban", "phone": v["phone"], "notes": v["notes"]}
        key = ("families", v["external_id"])
        if key not in ctx.checked:
            refuse(columns, rules.family_problems(
                record, case_number_in_use=lambda n: case_number_in_use(n, v["external_id"], ctx)))
            ctx.checked.add(key)
        return record

    register(Kind("families", "rodziny", Family.__table__, columns := [
        ID, Column("numer_sprawy", "case_number", text(40), required=True),
        Column("nazwa", "name", text(200), required=True, help="np. nazwisko rodziny"),
        Column("ulica", "street", text(200)), Column("kod_pocztowy", "postal_code", text(6)),
        Column("miejscowosc", "city", text(100)), Column("obszar", "area", choice(AREAS), help="miasto / wieś"),
        Column("telefon", "phone", text(40)), Column("uwagi", "notes", text(2000))], 10, build,
        check_rows=lambda rows, ctx: _check_case_numbers(rows, ctx)))


def _members():
    def pesel_in_use(pesel, ext, ctx):
        stored = ctx.stored("pesels", lambda: {p: i for p, i in db.session.execute(
            select(FamilyMember.pesel, FamilyMember.id).where(FamilyMember.pesel.is_not(None),
                                                              FamilyMember.archived_at.is_(None)))})
        owner = stored.get(pesel)
        if owner is not None and owner != ctx.known["members"].get(ext):
            return True
        return ctx.memo("pesels").setdefault(pesel, ext) != ext

    def build(v, ctx):
        values = {"first_name": v["first_name"], "last_name": v["last_name"], "birth_date": v["birth_date"],
                  "pesel": v["pesel"], "relation": v["relation"]}
        key = ("members", v["external_id"])
        if key not in ctx.checked:
            refuse(columns, rules.member_problems(
                values, pesel_in_use=lambda p: pesel_in_use(p, v["external_id"], ctx), today=ctx.today))
            ctx.checked.add(key)
        return {"family_id": ctx.ref("families", v["family"]), **values,
                "birth_date": rules.member_birth_date(values),
                "in_household": True if v["in_household"] is None else v["in_household"]}

    register(Kind("members", "czlonkowie", FamilyMember.__table__, columns := [
        ID, Column("rodzina_id", "family", text(100), required=True), Column("imie", "first_name", text(100), True),
        Column("nazwisko", "last_name", text(100), True), Column("data_urodzenia", "birth_date", day),
        Column("pesel", "pesel", pesel_cell), Column("relacja", "relation", choice(RELATIONS), True,
                                                help="rodzic / opiekun / dziecko / inny dorosły"),
        Column("w_gospodarstwie", "in_household", blank_or_yes_no, help="tak / nie (puste: tak)")], 20, build,
        refs={"family": "families"}))


def _periods():
    fields = {"end_reason_id": "end_reason", "assistant_id": "assistant", "za_zyciem_request_date": "za_zyciem_date",
              "za_zyciem_category_id": "za_zyciem_category"}

    def stored_periods(ctx):
        """family id → [(start, end)] of the stored periods, without those this file brings again."""
        def load():
            again, found = ctx.in_file_ids("support_periods"), {}
            for period_id, family_id, start, end in db.session.execute(
                    select(SupportPeriod.id, SupportPeriod.family_id, SupportPeriod.start_date,
                           SupportPeriod.end_date)):
                if period_id not in again:
                    found.setdefault(family_id, []).append((start, end))
            return found
        return ctx.stored("periods", load)

    def stored_spans(assistant_id, ctx):
        """(family key, start, end) of the assistant's stored caseload, without the periods this file brings."""
        return ctx.stored(("caseload", assistant_id), lambda: [
            (family_id, start, end) for _a, _p, family_id, start, end in rules.caseload_spans_from_db(
                assistant_id, exclude_period_ids=ctx.in_file_ids("support_periods"))])

    def check(v, record, assistant_id, ctx):
        family_id = record["family_id"]
        family_key = family_id if family_id is not None else ("row", v["family"])
        others = [span for ext, span in ctx.memo("periods").get(v["family"], {}).items() if ext != v["external_id"]]
        others += stored_periods(ctx).get(family_id, []) if family_id is not None else []
        refuse(columns, rules.period_problems(record, others=others), fields)
        if record["end_date"] or record["end_reason_id"] or record["monitoring_until"]:
            refuse(columns, rules.period_end_problems(record["start_date"], record["end_date"],
                                                      record["end_reason_id"], record["end_reason_text"],
                                                      record["monitoring_until"], today=ctx.today), fields)
        if v["assistant"]:
            spans = [span for ext, span in ctx.memo("caseloads").get(assistant_id, {}).items() if ext != v["external_id"]]
            refuse(columns, rules.assignment_problems(
                db.session.get(User, assistant_id), family_key=family_key, period_start=record["start_date"],
                period_end=record["end_date"], start=record["start_date"],
                other_spans=spans + stored_spans(assistant_id, ctx)), fields)
            ctx.memo("caseloads").setdefault(assistant_id, {})[v["external_id"]] = (
                family_key, record["start_date"], record["end_date"])
        ctx.memo("periods").setdefault(v["family"], {})[v["external_id"]] = (record["start_date"], record["end_date"])

    def build(v, ctx):
        record = {"family_id": ctx.ref("families", v["family"]), "basis": v["basis"] or "referral",
                  "referral_date": v["referral_date"], "court_name": v["court_name"],
                  "court_case_signature": v["court_case_signature"], "court_order_date": v["court_order_date"],
                  "consent_date": v["consent_date"], "start_date": v["start_date"], "end_date": v["end_date"],
                  "end_reason_id": ctx.dictionary("end_reason", v["end_reason"], "powod_zakonczenia"),
                  "end_reason_text": v["end_reason_text"], "monitoring_until": v["monitoring_until"],
                  "za_zyciem_request_date": v["za_zyciem_date"],
                  "za_zyciem_category_id": ctx.dictionary("za_zyciem_category", v["za_zyciem_category"],
                                                          "za_zyciem_kategoria")}
        assistant_id = ctx.user_id(v["assistant"], "asystent") if v["assistant"] else None
        key = ("support_periods", v["external_id"])
        if key not in ctx.checked:
            check(v, record, assistant_id, ctx)
            ctx.checked.add(key)
        return record | {"_assistant_id": assistant_id}

    def after_insert(rows, ctx):
        assignments = [{"support_period_id": r["id"], "family_id": r["family_id"],
                        "assistant_id": r["_assistant_id"], "start_date": r["start_date"], "end_date": r["end_date"]}
                       for r in rows if r.get("_assistant_id")]
        if assignments:
            db.session.execute(AssistantAssignment.__table__.insert(), assignments)

    register(Kind("support_periods", "okresy_wsparcia", SupportPeriod.__table__, columns := [
        ID, Column("rodzina_id", "family", text(100), True),
        Column("podstawa", "basis", choice(BASES), help="skierowanie / postanowienie sądu"),
        Column("data_skierowania", "referral_date", day, help="wymagana przy skierowaniu"),
        Column("sad", "court_name", text(200), help="wymagany przy postanowieniu sądu"),
        Column("sygnatura", "court_case_signature", text(100)),
        Column("data_postanowienia", "court_order_date", day, help="wymagana przy postanowieniu sądu"),
        Column("data_zgody", "consent_date", day), Column("data_rozpoczecia", "start_date", day, True),
        Column("data_zakonczenia", "end_date", day), Column("powod_zakonczenia", "end_reason", text(60),
                                                              help="kod ze słownika end_reason"),
        Column("opis_powodu", "end_reason_text", text(2000), help="gdy powód tego wymaga (np. inny)"),
        Column("monitoring_do", "monitoring_until", day), Column("asystent", "assistant", text(80),
                                                                 help="login asystenta"),
        Column("za_zyciem_data", "za_zyciem_date", day), Column("za_zyciem_kategoria", "za_zyciem_category", text(60))],
        30, build, refs={"family": "families"}, after_insert=after_insert))


def _check_case_numbers(rows, ctx):
    """A case number repeated in the sheet, or already another family's (over the rows that passed)."""
    problems, seen = [], {}
    for number, values in rows:
        case = values["case_number"]
        if case in seen:
            problems.append((number, "numer_sprawy",
                             _("The case number %(number)s repeats in the sheet.", number=case)))
        seen[case] = values["external_id"]
    if not seen:
        return problems
    taken = dict(db.session.execute(select(Family.case_number, Family.id).where(Family.case_number.in_(list(seen)))).all())
    for number, values in rows:
        owner = taken.get(values["case_number"])
        if owner is not None and ctx.known["families"].get(values["external_id"]) != owner:
            problems.append((number, "numer_sprawy", _(
                "The case number %(number)s belongs to another family already.", number=values["case_number"])))
    return problems


for _define in (_families, _members, _periods):
    _define()
