"""The sheets of issue 18's registers in the spreadsheet import: supporting families, their help and reimbursed
costs, children's day-support attendance, the interdisciplinary team's members and "Za życiem" requests. Each row is
checked by casework.support.rules, as the forms check it. Contract: casework.core.imports."""
from flask_babel import gettext as _
from sqlalchemy import select

from casework.core.imports import (ID, Column, Kind, RowError, choice, day, money, month, refuse, register, text,
                                   yes_no)
from casework.extensions import db
from casework.families.models import FamilyMember, SupportPeriod
from casework.contacts.models import Institution
from casework.support import rules
from casework.support.models import (TEAM_SECTORS, DaySupportAttendance, SupportingFamily, SupportingFamilyCost,
                                     SupportingFamilyHelp, TeamMembership, ZaZyciemRequest)

SECTORS = {"pomoc społeczna": "social_assistance", "gkrpa": "alcohol_commission", "policja": "police",
           "oświata": "education", "ochrona zdrowia": "health_care", "organizacja pozarządowa": "ngo",
           "kuratorzy": "probation", "prokuratura": "prosecutor", "inne": "other"}
assert set(SECTORS.values()) == set(TEAM_SECTORS)


def _checked(ctx, kind, ext, check):
    key = (kind, ext)
    if key not in ctx.checked:
        check()
        ctx.checked.add(key)


def _spans(ctx, name, key, ext):
    """(start, end) of the other rows of this file remembered under `key`."""
    return [span for e, span in ctx.memo(name).get(key, {}).items() if e != ext]


def _supporting_families():
    def build(v, ctx):
        record = {"name": v["name"], "address": v["address"], "phone": v["phone"], "start_date": v["start_date"],
                  "end_date": v["end_date"], "notes": v["notes"]}
        _checked(ctx, "supporting_families", v["external_id"],
                 lambda: refuse(columns, rules.supporting_family_problems(record)))
        ctx.memo("sf_spans")[v["external_id"]] = (record["start_date"], record["end_date"])
        return record

    register(Kind("supporting_families", "rodziny_wspierajace", SupportingFamily.__table__, columns := [
        ID, Column("nazwa", "name", text(200), True, help="np. Anna i Piotr Nowakowie"),
        Column("adres", "address", text(300)), Column("telefon", "phone", text(40)),
        Column("data_ustanowienia", "start_date", day, True), Column("data_zakonczenia", "end_date", day),
        Column("uwagi", "notes", text(2000))], 100, build, label="rodziny wspierające (art. 29 UWR)"))


def _helps():
    def family_span(v, ctx):
        if v["supporting_family"] in ctx.memo("sf_spans"):
            return ctx.memo("sf_spans")[v["supporting_family"]]
        sf = db.session.get(SupportingFamily, ctx.ref("supporting_families", v["supporting_family"]) or 0)
        if sf is None:
            raise RowError("rodzina_wspierajaca_id", _("There is no supporting family with this id."))
        return sf.start_date, sf.end_date

    def build(v, ctx):
        record = {"supporting_family_id": ctx.ref("supporting_families", v["supporting_family"]),
                  "family_id": ctx.ref("families", v["family"]), "start_date": v["start_date"],
                  "end_date": v["end_date"], "consent_date": v["consent_date"], "notes": v["notes"]}
        key = (v["supporting_family"], v["family"])

        def check():
            start, end = family_span(v, ctx)
            values = record | {"family_id": record["family_id"] or v["family"]}
            refuse(columns, rules.help_problems(values, family_start=start, family_end=end,
                                                others=_spans(ctx, "helps", key, v["external_id"])),
                   {"family_id": "family"})

        _checked(ctx, "supporting_family_helps", v["external_id"], check)
        ctx.memo("helps").setdefault(key, {})[v["external_id"]] = (record["start_date"], record["end_date"])
        ctx.memo("help_spans")[v["external_id"]] = (record["start_date"], record["end_date"])
        return record

    register(Kind("supporting_family_helps", "pomoc_rodzin_wspierajacych", SupportingFamilyHelp.__table__, columns := [
        ID, Column("rodzina_wspierajaca_id", "supporting_family", text(100), True),
        Column("rodzina_id", "family", text(100), True), Column("od", "start_date", day, True),
        Column("do", "end_date", day), Column("data_zgody", "consent_date", day),
        Column("zakres", "notes", text(2000))], 105, build,
        refs={"supporting_family": "supporting_families", "family": "families"}))


def _costs():
    def help_span(v, ctx):
        if v["help"] in ctx.memo("help_spans"):
            return ctx.memo("help_spans")[v["help"]]
        help_ = db.session.get(SupportingFamilyHelp, ctx.ref("supporting_family_helps", v["help"]) or 0)
        if help_ is None:
            raise RowError("pomoc_id", _("There is no supporting family's help with this id."))
        return help_.start_date, help_.end_date

    def stored_months(help_id, ctx):
        again = ctx.in_file_ids("supporting_family_costs")
        return ctx.stored(("sf_costs", help_id), lambda: [
            m for i, m in db.session.execute(select(SupportingFamilyCost.id, SupportingFamilyCost.month)
                                             .where(SupportingFamilyCost.help_id == help_id)) if i not in again])

    def build(v, ctx):
        help_id = ctx.ref("supporting_family_helps", v["help"])
        record = {"help_id": help_id, "month": v["month"], "amount": v["amount"]}

        def check():
            start, end = help_span(v, ctx)
            taken = [m for e, m in ctx.memo("sf_cost_months").get(v["help"], {}).items() if e != v["external_id"]]
            taken += stored_months(help_id, ctx) if help_id else []
            refuse(columns, rules.cost_problems(record, help_start=start, help_end=end, taken_months=taken))

        _checked(ctx, "supporting_family_costs", v["external_id"], check)
        ctx.memo("sf_cost_months").setdefault(v["help"], {})[v["external_id"]] = record["month"]
        return record

    register(Kind("supporting_family_costs", "koszty_rodzin_wspierajacych", SupportingFamilyCost.__table__, columns := [
        ID, Column("pomoc_id", "help", text(100), True), Column("miesiac", "month", month, True, help="RRRR-MM"),
        Column("kwota", "amount", money, True, help="zł, np. 350,00")], 110, build,
        refs={"help": "supporting_family_helps"}))


def _attendance():
    def build(v, ctx):
        record = {"family_id": ctx.ref("families", v["family"]), "member_id": ctx.ref("members", v["member"]),
                  "institution_id": ctx.ref("institutions", v["institution"]), "start_date": v["start_date"],
                  "end_date": v["end_date"], "notes": v["notes"]}

        def check():
            member = db.session.get(FamilyMember, record["member_id"] or 0)
            institution = db.session.get(Institution, record["institution_id"] or 0)
            # a member or facility only in this file is not written while rows are checked: its own sheet checks it,
            # and its relation and type are taken as given here (those imported before are checked as the form does)
            member_family = member.family_id if member is not None else record["family_id"]
            relation = member.relation if member is not None else "child"
            type_code = institution.type.code if institution is not None else "day_support"
            key = (v["member"], v["institution"])
            refuse(columns, rules.attendance_problems(
                record | {"member_id": record["member_id"] or v["member"]}, member_family_id=member_family,
                member_relation=relation, type_code=type_code,
                others=_spans(ctx, "attendance", key, v["external_id"])),
                {"member_id": "member", "institution_id": "institution"})

        _checked(ctx, "day_support_attendance", v["external_id"], check)
        ctx.memo("attendance").setdefault((v["member"], v["institution"]), {})[v["external_id"]] = (
            record["start_date"], record["end_date"])
        return record

    register(Kind("day_support_attendance", "wsparcie_dzienne", DaySupportAttendance.__table__, columns := [
        ID, Column("rodzina_id", "family", text(100), True), Column("dziecko_id", "member", text(100), True),
        Column("placowka_id", "institution", text(100), True, help="instytucja rodzaju day_support"),
        Column("od", "start_date", day, True), Column("do", "end_date", day), Column("uwagi", "notes", text(2000))],
        106, build, refs={"family": "families", "member": "members", "institution": "institutions"}))


def _team():
    def build(v, ctx):
        record = {"full_name": v["full_name"], "sector": v["sector"],
                  "user_id": ctx.user_id(v["login"], "login") if v["login"] else None,
                  "institution_id": None, "institution_name": v["institution_name"],
                  "appointed_on": v["appointed_on"], "ended_on": v["ended_on"], "is_chair": bool(v["is_chair"])}
        person = (record["full_name"] or "").lower()

        def check():
            refuse(columns, rules.team_member_problems(record, others=_spans(ctx, "team", person, v["external_id"])))

        _checked(ctx, "team_members", v["external_id"], check)
        ctx.memo("team").setdefault(person, {})[v["external_id"]] = (record["appointed_on"], record["ended_on"])
        return record

    register(Kind("team_members", "zespol_interdyscyplinarny", TeamMembership.__table__, columns := [
        ID, Column("imie_nazwisko", "full_name", text(200), True),
        Column("reprezentuje", "sector", choice(SECTORS), True, help=", ".join(SECTORS)),
        Column("instytucja", "institution_name", text(200), True), Column("data_powolania", "appointed_on", day, True),
        Column("data_odwolania", "ended_on", day), Column("przewodniczacy", "is_chair", yes_no, help="tak / nie"),
        Column("login", "login", text(80), help="konto w systemie, jeśli jest")], 100, build))


def _za_zyciem():
    def build(v, ctx):
        record = {"family_id": ctx.ref("families", v["family"]), "request_date": v["request_date"],
                  "category_id": ctx.dictionary("za_zyciem_category", v["category"], "kategoria"),
                  "support_period_id": ctx.ref("support_periods", v["period"]) if v["period"] else None,
                  "assistant_id": ctx.user_id(v["assistant"], "asystent", role="assistant") if v["assistant"] else None,
                  "coordination_start": v["coordination_start"], "coordination_end": v["coordination_end"],
                  "notes": v["notes"]}

        def check():
            period = db.session.get(SupportPeriod, record["support_period_id"] or 0)
            period_family = period.family_id if period is not None else record["family_id"]
            refuse(columns, rules.za_zyciem_problems(record, today=ctx.today, period_family_id=period_family),
                   {"support_period_id": "period", "assistant_id": "assistant"})

        _checked(ctx, "za_zyciem_requests", v["external_id"], check)
        return record

    register(Kind("za_zyciem_requests", "wnioski_za_zyciem", ZaZyciemRequest.__table__, columns := [
        ID, Column("rodzina_id", "family", text(100), True), Column("data_wniosku", "request_date", day, True),
        Column("kategoria", "category", text(60), help="kod ze słownika za_zyciem_category"),
        Column("okres_wsparcia_id", "period", text(100), help="puste: bez okresu wsparcia"),
        Column("asystent", "assistant", text(80), help="login asystenta koordynującego"),
        Column("koordynacja_od", "coordination_start", day), Column("koordynacja_do", "coordination_end", day),
        Column("uwagi", "notes", text(2000))], 107, build,
        refs={"family": "families", "period": "support_periods"}))


_supporting_families()
_helps()
_costs()
_attendance()
_team()
_za_zyciem()
