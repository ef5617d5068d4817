"""The kinds of sheet casework imports, each a registry entry: its Polish sheet name and headers, the parsers, the
cross-row rules and how a row becomes a record. A new kind (e.g. foster-care placements) is one more
`register(Kind(...))` — the import engine does not change."""
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from flask_babel import gettext as _
from sqlalchemy import select

from casework.auth.models import User, UserRole
from casework.core.collation import sort_key
from casework.core.dictionaries import DictionaryEntry
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.importer.parsing import choice, clock, day, money, month, pesel, text, whole, yes_no


@dataclass
class Column:
    header: str
    name: str
    parse: Callable
    required: bool = False
    help: str = ""


@dataclass
class Kind:
    code: str
    sheet: str
    table: object
    columns: list
    order: int
    #: build(values, ctx) -> the record's column values (may raise CellError(column name, message))
    build: Callable
    #: ref columns: {column name: kind code} — external ids of rows of another kind (in this file or imported before)
    refs: dict = field(default_factory=dict)
    #: after_insert(rows with ids, ctx): dependent rows (assignments, visit areas)
    after_insert: Callable | None = None
    #: columns the domain computes (tier dates, shares): inserted provisionally, never compared on re-import, and
    #: set by after_write(records with ids, ctx) for every row written or kept
    derived: tuple = ()
    after_write: Callable | None = None
    #: columns compared and updated on re-import (the built record's keys by default)
    label: str = ""


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


def ordered() -> list[Kind]:
    return sorted(KINDS.values(), key=lambda k: k.order)


class RowError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


class Context:
    """Lookups cached for one import: users by login, dictionary codes, the external ids known."""

    def __init__(self):
        self.today = today_local()
        self._users: dict | None = None
        self._dicts: dict = {}
        self.known: dict[str, dict] = {}  # kind → {external id: record id or None (in this file, not yet written)}
        self.in_file: dict[str, set] = {}  # kind → the external ids in this file
        #: what cross-row rules remember of the rows seen (build runs for the check and again for the write, so
        #: rows are remembered by their external id): child → {row id: (start, end)}; (child, month) → row id
        self.foster_stays: dict[str, dict] = {}
        self.foster_bills: dict[tuple, str] = {}

    def user_id(self, login, column, role=None):
        if self._users is None:
            self._users = {}
            for user_id, user_login, user_role in db.session.execute(
                    select(User.id, User.login, UserRole.role).outerjoin(UserRole, UserRole.user_id == User.id)):
                self._users.setdefault(user_login.lower(), (user_id, set()))[1].add(user_role)
        found = self._users.get(str(login).strip().lower()) if login else None
        if found is None:
            raise RowError(column, _("There is no user with the login %(login)s.", login=login))
        if role and role not in found[1]:
            raise RowError(column, _("The user %(login)s is not a family assistant.", login=login))
        return found[0]

    def dictionary(self, kind, code, column):
        if kind not in self._dicts:
            self._dicts[kind] = {e.code: e.id for e in db.session.scalars(
                select(DictionaryEntry).where(DictionaryEntry.kind == kind))}
        if code is None:
            return None
        found = self._dicts[kind].get(str(code).strip().lower())
        if found is None:
            raise RowError(column, _("Unknown code %(code)s; see the sheet „słowniki”.", code=code))
        return found

    def ref(self, kind, external_id):
        """The record id of a referenced row (None while it is only in this file, before it is written)."""
        return self.known.get(kind, {}).get(str(external_id))


AREAS = {"miasto": "urban", "miejski": "urban", "wieś": "rural", "wies": "rural", "wiejski": "rural"}
RELATIONS = {"rodzic": "parent", "opiekun": "guardian", "dziecko": "child", "inny dorosły": "other_adult",
             "inna osoba dorosła": "other_adult"}
BASES = {"skierowanie": "referral", "wniosek": "referral", "postanowienie sądu": "court_order", "sąd": "court_order"}
PLACES = {"dom rodziny": "home", "ośrodek": "centre", "instytucja": "institution", "inne": "other"}
VISIT_FORMS = {"wizyta domowa": "home_visit", "spotkanie w ośrodku": "centre_meeting",
               "towarzyszenie": "accompanying", "telefon": "phone_call", "inna": "other"}
FOSTER_FORMS = {"rodzina zastępcza spokrewniona": "foster_family_related",
                "rodzina zastępcza niezawodowa": "foster_family_unrelated",
                "rodzina zastępcza zawodowa": "foster_family_professional",
                "rodzinny dom dziecka": "family_childrens_home",
                "placówka opiekuńczo-wychowawcza": "care_education_institution",
                "regionalna placówka opiekuńczo-terapeutyczna": "regional_care_therapy_institution",
                "interwencyjny ośrodek preadopcyjny": "pre_adoption_intervention_centre"}
PLACEMENT_ENDS = {"powrót do rodziny": "return_home", "przysposobienie": "adoption", "adopcja": "adoption",
                  "usamodzielnienie": "independence", "pełnoletność": "independence",
                  "zmiana formy": "other_form", "inny": "other"}
CONTACT_FORMS = {"telefon": "phone", "pismo": "letter", "e-mail": "email", "spotkanie": "meeting", "inna": "other"}
ID = Column("id", "external_id", text(100), required=True)


def _families():
    from casework.families.models import Family

    def build(v, ctx):
        return {"case_number": v["case_number"], "name": v["name"], "name_sort": sort_key(v["name"]),
                "street": v["street"], "postal_code": v["postal_code"], "city": v["city"],
                "area": v["area"] or "urban", "phone": v["phone"], "notes": v["notes"]}

    register(Kind("families", "rodziny", Family.__table__, [
        ID, Column("numer_sprawy", "case_number", text(40), required=True),
        Column("nazwa", "name", text(200), required=True, help="np. nazwisko rodziny"),
        Column("ulica", "street", text(200)), Column("kod_pocztowy", "postal_code", text(6)),
        Column("miejscowosc", "city", text(100)), Column("obszar", "area", choice(AREAS), help="miasto / wieś"),
        Column("telefon", "phone", text(40)), Column("uwagi", "notes", text(2000))], 10, build))


def _members():
    from casework.families.models import FamilyMember
    from casework.core import pesel as pesel_rules

    def build(v, ctx):
        if v["pesel"] and v["birth_date"] and pesel_rules.birth_date(v["pesel"]) != v["birth_date"]:
            raise RowError("pesel", _("The PESEL number does not match the date of birth."))
        if v["birth_date"] and v["birth_date"] > ctx.today:
            raise RowError("data_urodzenia", _("The date of birth cannot be in the future."))
        return {"family_id": ctx.ref("families", v["family"]), "first_name": v["first_name"],
                "last_name": v["last_name"], "birth_date": v["birth_date"] or (
                    pesel_rules.birth_date(v["pesel"]) if v["pesel"] else None), "pesel": v["pesel"],
                "relation": v["relation"], "in_household": True if v["in_household"] is None else v["in_household"]}

    register(Kind("members", "czlonkowie", FamilyMember.__table__, [
        ID, Column("rodzina_id", "family", text(100), required=True), Column("imie", "first_name", text(100), True),
        Column("nazwisko", "last_name", text(100), True), Column("data_urodzenia", "birth_date", day),
        Column("pesel", "pesel", pesel), Column("relacja", "relation", choice(RELATIONS), True,
                                                help="rodzic / opiekun / dziecko / inny dorosły"),
        Column("w_gospodarstwie", "in_household", yes_no, help="tak / nie")], 20, build,
        refs={"family": "families"}))


def _periods():
    from casework.families.models import AssistantAssignment, SupportPeriod

    def build(v, ctx):
        if v["end_date"] and v["end_date"] < v["start_date"]:
            raise RowError("data_zakonczenia", _("The support period cannot end before it starts."))
        if v["start_date"] > ctx.today:
            raise RowError("data_rozpoczecia", _("The start cannot be in the future."))
        if bool(v["end_date"]) != bool(v["end_reason"]):
            raise RowError("powod_zakonczenia", _("Give the end date and the reason together."))
        if (v["basis"] or "referral") == "court_order" and not v["court_name"]:
            raise RowError("sad", _("A court order needs the court."))
        if v["monitoring_until"] and (not v["end_date"] or v["monitoring_until"] <= v["end_date"]):
            raise RowError("monitoring_do", _("Monitoring follows the end of the support period."))
        return {"family_id": ctx.ref("families", v["family"]), "basis": v["basis"] or "referral",
                "referral_date": v["referral_date"], "court_name": v["court_name"],
                "court_case_signature": v["court_case_signature"], "court_order_date": v["court_order_date"],
                "consent_date": v["consent_date"], "start_date": v["start_date"], "end_date": v["end_date"],
                "end_reason_id": ctx.dictionary("end_reason", v["end_reason"], "powod_zakonczenia"),
                "monitoring_until": v["monitoring_until"], "za_zyciem_request_date": v["za_zyciem_date"],
                "za_zyciem_category_id": ctx.dictionary("za_zyciem_category", v["za_zyciem_category"],
                                                        "za_zyciem_kategoria"),
                "_assistant_id": ctx.user_id(v["assistant"], "asystent", "assistant") if v["assistant"] else None}

    def after_insert(rows, ctx):
        assignments = [{"support_period_id": r["id"], "family_id": r["family_id"],
                        "assistant_id": r["_assistant_id"], "start_date": r["start_date"], "end_date": r["end_date"]}
                       for r in rows if r.get("_assistant_id")]
        if assignments:
            db.session.execute(AssistantAssignment.__table__.insert(), assignments)

    register(Kind("support_periods", "okresy_wsparcia", SupportPeriod.__table__, [
        ID, Column("rodzina_id", "family", text(100), True),
        Column("podstawa", "basis", choice(BASES), help="skierowanie / postanowienie sądu"),
        Column("data_skierowania", "referral_date", day), Column("sad", "court_name", text(200)),
        Column("sygnatura", "court_case_signature", text(100)), Column("data_postanowienia", "court_order_date", day),
        Column("data_zgody", "consent_date", day), Column("data_rozpoczecia", "start_date", day, True),
        Column("data_zakonczenia", "end_date", day), Column("powod_zakonczenia", "end_reason", text(60),
                                                              help="kod ze słownika end_reason"),
        Column("monitoring_do", "monitoring_until", day), Column("asystent", "assistant", text(80),
                                                                 help="login asystenta"),
        Column("za_zyciem_data", "za_zyciem_date", day), Column("za_zyciem_kategoria", "za_zyciem_category", text(60))],
        30, build, refs={"family": "families"}, after_insert=after_insert))


def _visits():
    from casework.visits.models import Visit, visit_area

    def build(v, ctx):
        if v["visit_date"] > ctx.today:
            raise RowError("data", _("A visit cannot be dated in the future."))
        areas = [ctx.dictionary("area_of_work", code.strip(), "obszary")
                 for code in (v["areas"] or "").split(";") if code.strip()]
        return {"family_id": ctx.ref("families", v["family"]),
                "assistant_id": ctx.user_id(v["assistant"], "asystent"), "visit_date": v["visit_date"],
                "start_time": v["start_time"], "duration_minutes": v["duration"], "place": v["place"],
                "form": v["form"], "activities": v["activities"], "agreed_next": v["agreed_next"], "_areas": areas}

    def after_insert(rows, ctx):
        links = [{"visit_id": r["id"], "area_id": a} for r in rows for a in r.get("_areas") or ()]
        if links:
            db.session.execute(visit_area.insert(), links)

    register(Kind("visits", "wizyty", Visit.__table__, [
        ID, Column("rodzina_id", "family", text(100), True), Column("asystent", "assistant", text(80), True),
        Column("data", "visit_date", day, True), Column("godzina", "start_time", clock),
        Column("czas_min", "duration", whole(1, 720), True), Column("miejsce", "place", choice(PLACES)),
        Column("forma", "form", choice(VISIT_FORMS)), Column("obszary", "areas", text(500),
                                                             help="kody ze słownika area_of_work, rozdzielone ;"),
        Column("co_zrobiono", "activities", text(4000)), Column("ustalenia", "agreed_next", text(4000))],
        40, build, refs={"family": "families"}, after_insert=after_insert))


def _meetings():
    from casework.contacts.models import TeamMeeting

    def build(v, ctx):
        if v["meeting_date"] > ctx.today:
            raise RowError("data", _("The date cannot be in the future."))
        return {"family_id": ctx.ref("families", v["family"]), "meeting_date": v["meeting_date"],
                "participants": v["participants"], "decisions": v["decisions"],
                "new_family": bool(v["new_family"]), "user_id": ctx.user_id(v["author"], "autor")}

    register(Kind("team_meetings", "posiedzenia", TeamMeeting.__table__, [
        ID, Column("rodzina_id", "family", text(100), True), Column("data", "meeting_date", day, True),
        Column("uczestnicy", "participants", text(2000), True), Column("ustalenia", "decisions", text(4000)),
        Column("nowa_rodzina", "new_family", yes_no, help="tak / nie"),
        Column("autor", "author", text(80), True, help="login")], 50, build, refs={"family": "families"}))


def _institutions():
    from casework.contacts.models import Institution

    def build(v, ctx):
        return {"name": v["name"], "name_sort": sort_key(v["name"]),
                "type_id": ctx.dictionary("institution_type", v["type"], "rodzaj"), "street": v["street"],
                "postal_code": v["postal_code"], "city": v["city"], "phone": v["phone"], "email": v["email"]}

    register(Kind("institutions", "instytucje", Institution.__table__, [
        ID, Column("nazwa", "name", text(200), True), Column("rodzaj", "type", text(60), True,
                                                             help="kod ze słownika institution_type"),
        Column("ulica", "street", text(200)), Column("kod_pocztowy", "postal_code", text(6)),
        Column("miejscowosc", "city", text(100)), Column("telefon", "phone", text(40)),
        Column("email", "email", text(254))], 15, build))


def _contacts():
    from casework.contacts.models import InstitutionContact

    def build(v, ctx):
        if v["contact_date"] > ctx.today:
            raise RowError("data", _("The date cannot be in the future."))
        return {"contact_date": v["contact_date"], "institution_id": ctx.ref("institutions", v["institution"]),
                "family_id": ctx.ref("families", v["family"]) if v["family"] else None,
                "form": v["form"] or "other", "subject": v["subject"],
                "user_id": ctx.user_id(v["author"], "pracownik")}

    register(Kind("institution_contacts", "kontakty", InstitutionContact.__table__, [
        ID, Column("instytucja_id", "institution", text(100), True), Column("rodzina_id", "family", text(100)),
        Column("data", "contact_date", day, True), Column("forma", "form", choice(CONTACT_FORMS)),
        Column("temat", "subject", text(4000)), Column("pracownik", "author", text(80), True, help="login")],
        60, build, refs={"institution": "institutions", "family": "families"}))


def _foster_children():
    from casework.fostercare.models import FosterChild
    from casework.families.models import FamilyMember

    def build(v, ctx):
        if not v["member"] and not (v["first_name"] and v["last_name"]):
            raise RowError("imie", _("Give the member's id or the child's first and last name."))
        if v["birth_date"] and v["birth_date"] > ctx.today:
            raise RowError("data_urodzenia", _("The date of birth cannot be in the future."))
        return {"member_id": ctx.ref("members", v["member"]) if v["member"] else None,
                "first_name": None if v["member"] else v["first_name"],
                "last_name": None if v["member"] else v["last_name"],
                "birth_date": None if v["member"] else v["birth_date"], "notes": v["notes"], "family_id": None}

    def after_write(records, ctx):
        ids = [r["id"] for r in records if r.get("member_id")]
        if ids:  # the child of a registered family belongs to the member's family
            db.session.execute(FosterChild.__table__.update().where(FosterChild.id.in_(ids)).values(
                family_id=select(FamilyMember.family_id).where(FamilyMember.id == FosterChild.member_id)
                .scalar_subquery()))

    register(Kind("foster_children", "dzieci_w_pieczy", FosterChild.__table__, [
        ID, Column("czlonek_id", "member", text(100), help="id z arkusza czlonkowie (dziecko z rodziny) albo puste"),
        Column("imie", "first_name", text(100), help="gdy dziecko nie jest członkiem rodziny z arkusza"),
        Column("nazwisko", "last_name", text(100)), Column("data_urodzenia", "birth_date", day),
        Column("uwagi", "notes", text(2000))], 70, build, refs={"member": "members"},
        derived=("family_id",), after_write=after_write))


def _children_of(records, ctx):
    from sqlalchemy.orm import selectinload

    from casework.fostercare.models import FosterChild

    ids = {r["child_id"] for r in records}
    return {c.id: c for c in db.session.scalars(select(FosterChild).where(FosterChild.id.in_(ids))
                                                .options(selectinload(FosterChild.placements))
                                                .execution_options(populate_existing=True))}


def _placements():
    from casework.fostercare import services as foster
    from casework.fostercare.models import Placement

    def build(v, ctx):
        if v["end_date"] and v["end_date"] < v["start_date"]:
            raise RowError("data_zakonczenia", _("The placement cannot end before it starts."))
        if bool(v["end_date"]) != bool(v["end_reason"]):
            raise RowError("powod_zakonczenia", _("Enter the end date together with the reason."))
        if v["start_date"] > ctx.today:
            raise RowError("data_rozpoczecia", _("The start cannot be in the future."))
        # placements of one child must not overlap (a change of form ends the previous one first)
        stays = ctx.foster_stays.setdefault(v["child"], {})
        end = v["end_date"] or date.max
        for row_id, (other_start, other_end) in stays.items():
            if row_id != v["external_id"] and v["start_date"] <= other_end and other_start <= end:
                raise RowError("data_rozpoczecia", _("The child's placements overlap in this file."))
        stays[v["external_id"]] = (v["start_date"], end)
        child_id = ctx.ref("foster_children", v["child"])
        if child_id:  # a child imported before: its placements typed into the app count too
            from_file = {ctx.known["placements"].get(e) for e in ctx.in_file.get("placements", ())}
            for other_id, other_start, other_end in db.session.execute(
                    select(Placement.id, Placement.start_date, Placement.end_date)
                    .where(Placement.child_id == child_id)):
                if other_id not in from_file and v["start_date"] <= (other_end or date.max) and other_start <= end:
                    raise RowError("data_rozpoczecia", _(
                        "The placement overlaps the child's placement recorded from %(start)s.",
                        start=other_start.isoformat()))
        return {"child_id": child_id, "form": v["form"], "county": v["county"],
                "court": v["court"], "court_signature": v["court_signature"],
                "court_decision_date": v["court_decision_date"], "start_date": v["start_date"],
                "end_date": v["end_date"], "end_reason": v["end_reason"], "count_from": v["start_date"],
                "tier_30_from": v["start_date"], "tier_50_from": v["start_date"]}

    def after_write(records, ctx):
        for child in _children_of(records, ctx).values():
            foster.recount(child)  # the years of stay across the child's placements (and the counting setting)
        db.session.flush()

    register(Kind("placements", "umieszczenia", Placement.__table__, [
        ID, Column("dziecko_id", "child", text(100), True, help="id z arkusza dzieci_w_pieczy"),
        Column("forma", "form", choice(FOSTER_FORMS), True), Column("powiat", "county", text(200)),
        Column("sad", "court", text(200)), Column("sygnatura", "court_signature", text(100)),
        Column("data_postanowienia", "court_decision_date", day),
        Column("data_rozpoczecia", "start_date", day, True), Column("data_zakonczenia", "end_date", day),
        Column("powod_zakonczenia", "end_reason", choice(PLACEMENT_ENDS))], 80, build,
        refs={"child": "foster_children"}, derived=("count_from", "tier_30_from", "tier_50_from"),
        after_write=after_write))


def _bills():
    from decimal import Decimal

    from casework.assessments.services import add_months
    from casework.fostercare import services as foster
    from casework.fostercare.models import FosterCareBill, Placement

    def in_care(v, ctx) -> bool:
        first, last = v["month"], add_months(v["month"], 1) - timedelta(days=1)
        stays = list(ctx.foster_stays.get(v["child"], {}).values())
        child_id = ctx.ref("foster_children", v["child"])
        if child_id:
            stays += [(s, e or date.max) for s, e in db.session.execute(
                select(Placement.start_date, Placement.end_date).where(Placement.child_id == child_id))]
        return any(s <= last and e >= first for s, e in stays)

    def build(v, ctx):
        if ctx.foster_bills.setdefault((v["child"], v["month"]), v["external_id"]) != v["external_id"]:
            raise RowError("miesiac", _("A bill for %(month)s is already recorded for this child.",
                                        month=v["month"].strftime("%m.%Y")))
        if not in_care(v, ctx):
            raise RowError("miesiac", _("The child was not in foster care in %(month)s.",
                                        month=v["month"].strftime("%m.%Y")))
        return {"child_id": ctx.ref("foster_children", v["child"]), "month": v["month"],
                "total_cost": v["total_cost"], "note": v["note"], "tier": 10, "form": "", "computed_share": 0,
                "placement_id": None, "billed_share": None, "_billed": v["billed"]}

    def after_write(records, ctx):
        children = _children_of(records, ctx)
        for r in records:
            bill = db.session.get(FosterCareBill, r["id"], populate_existing=True)
            priced = foster.price_bill(children[r["child_id"]], r["month"], Decimal(r["total_cost"]), r["_billed"])
            for name, value in priced.items():
                setattr(bill, name, value)
        db.session.flush()

    register(Kind("foster_care_bills", "noty_pcpr", FosterCareBill.__table__, [
        ID, Column("dziecko_id", "child", text(100), True, help="id z arkusza dzieci_w_pieczy"),
        Column("miesiac", "month", month, True, help="RRRR-MM"),
        Column("koszt", "total_cost", money, True, help="całkowity koszt opieki w miesiącu, zł"),
        Column("naliczono", "billed", money, help="udział gminy naliczony przez powiat, gdy jest na nocie"),
        Column("uwagi", "note", text(2000))], 90, build, refs={"child": "foster_children"},
        derived=("tier", "form", "computed_share", "placement_id", "billed_share"), after_write=after_write))


for _define in (_families, _members, _periods, _visits, _meetings, _institutions, _contacts, _foster_children,
                _placements, _bills):
    _define()


def by_sheet(name: str) -> Kind | None:
    name = (name or "").strip().lower()
    return next((k for k in KINDS.values() if k.sheet == name or k.code == name), None)

