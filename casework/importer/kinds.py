"""The kinds of sheet casework imports, each a registry entry: its Polish sheet name and headers, the parsers, the
cross-row rules and how a row becomes a record. A new kind (e.g. foster-care placements) is one more
`register(Kind(...))` — the import engine does not change.

A row is checked by the owning domain's rule functions, the same ones the forms use (casework.families.rules for
families, members, support periods and assignments): the same refusal, in the same Polish words, pointed at the
row's column. Rules across rows (overlapping periods, the caseload cap, a PESEL or case number used twice) see the
stored records and the rows of the file that are not written yet. Rows are still written in bulk."""
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Callable

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.assessments.services import add_months
from casework.auth.models import User, UserRole
from casework.contacts.models import Institution, InstitutionContact, TeamMeeting
from casework.contacts.services import contact_problems, institution_problems, meeting_problems
from casework.core.collation import sort_key
from casework.core.dictionaries import DictionaryEntry
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families import rules
from casework.families.models import AssistantAssignment, Family, FamilyMember, SupportPeriod
from casework.fostercare import services as foster
from casework.fostercare.models import FosterCareBill, FosterChild, Placement
from casework.importer.parsing import choice, clock, day, money, month, text, whole, yes_no
from casework.visits import services as visit_rules
from casework.visits.models import Visit, visit_area
from casework.visits.rules import recent_visits_by_key


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
        #: (kind, external id) of the rows whose domain rules passed in the check; the write builds them again and
        #: does not check twice (a rule across rows would then see every row of the file, its own included)
        self.checked: set = set()
        #: rows of this file the case-register rules remember: case number → family id; PESEL → member id;
        #: family id → {period id: (start, end)}; assistant id → {period id: (family key, start, end)}
        self.case_numbers: dict[str, str] = {}
        self.pesels: dict[str, str] = {}
        self.periods: dict[str, dict] = {}
        self.caseloads: dict[int, dict] = {}
        self.institutions: dict[tuple, str] = {}
        self._stored: dict = {}

    def stored(self, name, load):
        """A look-up over the stored records, loaded once per import (the database does not change while rows
        are checked)."""
        if name not in self._stored:
            self._stored[name] = load()
        return self._stored[name]

    def in_file_ids(self, kind) -> set:
        """The record ids of the rows of `kind` in this file that were imported before."""
        return {self.known.get(kind, {}).get(e) for e in self.in_file.get(kind, ())} - {None}

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


def refuse(kind_columns, problems, fields=None):
    """Raise the first domain-rule problem as a RowError on the column that holds its field."""
    if not problems:
        return
    problem = problems[0]
    name = (fields or {}).get(problem.field, problem.field)
    header = next((c.header for c in kind_columns if c.name == name), "id")
    raise RowError(header, problem.message)


def blank_or_yes_no(value):
    """tak / nie, or None for an empty cell (the kind then applies its default)."""
    return None if value in (None, "") else yes_no(value)


def pesel_cell(value):
    """A PESEL cell as text; a number cell (Excel drops the leading zero of those born 1900–09 and 2000–09) gets
    its zeros back. Whether the PESEL is valid is the members' rule (casework.core.pesel via families.rules)."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{int(value):011d}"
    value = str(value).strip()
    return value.removesuffix(".0") or None


def _families():
    def case_number_in_use(number, ext, ctx):
        stored = ctx.stored("case_numbers", lambda: {n.lower(): i for n, i in db.session.execute(
            select(Family.case_number, Family.id))})
        owner = stored.get(number.lower())
        if owner is not None and owner != ctx.known["families"].get(ext):
            return True
        return ctx.case_numbers.setdefault(number.lower(), ext) != ext

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
        Column("telefon", "phone", text(40)), Column("uwagi", "notes", text(2000))], 10, build))


def _members():
    def pesel_in_use(pesel, ext, ctx):
        stored = ctx.stored("pesels", lambda: {p: i for p, i in db.session.execute(
            select(FamilyMember.pesel, FamilyMember.id).where(FamilyMember.pesel.is_not(None),
                                                              FamilyMember.archived_at.is_(None)))})
        owner = stored.get(pesel)
        if owner is not None and owner != ctx.known["members"].get(ext):
            return True
        return ctx.pesels.setdefault(pesel, ext) != ext

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
        others = [span for ext, span in ctx.periods.get(v["family"], {}).items() if ext != v["external_id"]]
        others += stored_periods(ctx).get(family_id, []) if family_id is not None else []
        refuse(columns, rules.period_problems(record, others=others), fields)
        if record["end_date"] or record["end_reason_id"] or record["monitoring_until"]:
            refuse(columns, rules.period_end_problems(record["start_date"], record["end_date"],
                                                      record["end_reason_id"], record["end_reason_text"],
                                                      record["monitoring_until"], today=ctx.today), fields)
        if v["assistant"]:
            spans = [span for ext, span in ctx.caseloads.get(assistant_id, {}).items() if ext != v["external_id"]]
            refuse(columns, rules.assignment_problems(
                db.session.get(User, assistant_id), family_key=family_key, period_start=record["start_date"],
                period_end=record["end_date"], start=record["start_date"],
                other_spans=spans + stored_spans(assistant_id, ctx)), fields)
            ctx.caseloads.setdefault(assistant_id, {})[v["external_id"]] = (
                family_key, record["start_date"], record["end_date"])
        ctx.periods.setdefault(v["family"], {})[v["external_id"]] = (record["start_date"], record["end_date"])

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


def first_problem(messages, columns_of: dict, default: str):
    """Raise the first of a domain's messages (plain strings) on the column that `columns_of` names for it."""
    if messages:
        raise RowError(columns_of.get(str(messages[0]), default), str(messages[0]))


def _visits():
    def build(v, ctx):
        areas = [ctx.dictionary("area_of_work", code.strip(), "obszary")
                 for code in (v["areas"] or "").split(";") if code.strip()]
        record = {"family_id": ctx.ref("families", v["family"]),
                  "assistant_id": ctx.user_id(v["assistant"], "asystent"), "visit_date": v["visit_date"],
                  "start_time": v["start_time"], "duration_minutes": v["duration"], "place": v["place"],
                  "form": v["form"], "activities": v["activities"], "agreed_next": v["agreed_next"]}
        key = ("visits", v["external_id"])
        if key not in ctx.checked:
            # the visit log's own checks, as the form runs them (date, duration, place, form, overlap with the
            # assistant's stored visits of that day, a visit saved twice)
            columns_of = {_("A visit cannot be dated in the future."): "data",
                          _("The duration must be between 1 minute and 12 hours."): "czas_min",
                          _("Choose the place from the list."): "miejsce", _("Choose the form from the list."): "forma"}
            first_problem(visit_rules.visit_problems(record, family_id=record["family_id"],
                                                     assistant_id=record["assistant_id"],
                                                     visit_id=ctx.known["visits"].get(v["external_id"]),
                                                     today=ctx.today,
                                                     recent=ctx.stored("recent_visits",
                                                                       recent_visits_by_key)),
                          columns_of, "godzina")
            ctx.checked.add(key)
        return record | {"_areas": areas}

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

    def build(v, ctx):
        record = {"family_id": ctx.ref("families", v["family"]), "meeting_date": v["meeting_date"],
                  "participants": v["participants"], "decisions": v["decisions"],
                  "new_family": bool(v["new_family"]), "user_id": ctx.user_id(v["author"], "autor")}
        first_problem(meeting_problems(record, ctx.today), {_("List the participants."): "uczestnicy"}, "data")
        return record

    register(Kind("team_meetings", "posiedzenia", TeamMeeting.__table__, [
        ID, Column("rodzina_id", "family", text(100), True), Column("data", "meeting_date", day, True),
        Column("uczestnicy", "participants", text(2000), True), Column("ustalenia", "decisions", text(4000)),
        Column("nowa_rodzina", "new_family", yes_no, help="tak / nie"),
        Column("autor", "author", text(80), True, help="login")], 50, build, refs={"family": "families"}))


def _institutions():
    def in_use(name, city, ext, ctx):
        stored = ctx.stored("institutions", lambda: {(n.lower(), c): i for n, c, i in db.session.execute(
            select(Institution.name, Institution.city, Institution.id).where(Institution.archived_at.is_(None)))})
        owner = stored.get((name.lower(), city))
        if owner is not None and owner != ctx.known["institutions"].get(ext):
            return True
        return ctx.institutions.setdefault((name.lower(), city), ext) != ext

    def build(v, ctx):
        record = {"name": v["name"], "name_sort": sort_key(v["name"]),
                  "type_id": ctx.dictionary("institution_type", v["type"], "rodzaj"), "street": v["street"],
                  "postal_code": v["postal_code"], "city": v["city"], "phone": v["phone"], "email": v["email"]}
        key = ("institutions", v["external_id"])
        if key not in ctx.checked:
            first_problem(institution_problems(record, in_use=lambda n, c: in_use(n, c, v["external_id"], ctx)),
                          {_("Choose the type of institution."): "rodzaj"}, "nazwa")
            ctx.checked.add(key)
        return record

    register(Kind("institutions", "instytucje", Institution.__table__, [
        ID, Column("nazwa", "name", text(200), True), Column("rodzaj", "type", text(60), True,
                                                             help="kod ze słownika institution_type"),
        Column("ulica", "street", text(200)), Column("kod_pocztowy", "postal_code", text(6)),
        Column("miejscowosc", "city", text(100)), Column("telefon", "phone", text(40)),
        Column("email", "email", text(254))], 15, build))


def _contacts():

    def build(v, ctx):
        record = {"contact_date": v["contact_date"], "institution_id": ctx.ref("institutions", v["institution"]),
                  "family_id": ctx.ref("families", v["family"]) if v["family"] else None,
                  "form": v["form"] or "other", "subject": v["subject"],
                  "user_id": ctx.user_id(v["author"], "pracownik")}
        first_problem(contact_problems(record, ctx.today, institution_stored=record["institution_id"] is not None),
                      {_("Choose the form of the contact."): "forma", _("Choose the institution."): "instytucja_id"},
                      "data")
        return record

    register(Kind("institution_contacts", "kontakty", InstitutionContact.__table__, [
        ID, Column("instytucja_id", "institution", text(100), True), Column("rodzina_id", "family", text(100)),
        Column("data", "contact_date", day, True), Column("forma", "form", choice(CONTACT_FORMS)),
        Column("temat", "subject", text(4000)), Column("pracownik", "author", text(80), True, help="login")],
        60, build, refs={"institution": "institutions", "family": "families"}))


def _foster_children():
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

    ids = {r["child_id"] for r in records}
    return {c.id: c for c in db.session.scalars(select(FosterChild).where(FosterChild.id.in_(ids))
                                                .options(selectinload(FosterChild.placements))
                                                .execution_options(populate_existing=True))}


def _placements():
    def build(v, ctx):
        # placements of one child must not overlap (a change of form ends the previous one first): the foster-care
        # service's own check, run over the child's stored placements and this file's rows for the child
        stays = ctx.foster_stays.setdefault(v["child"], {})
        child_id = ctx.ref("foster_children", v["child"])
        key = ("placements", v["external_id"])
        if key not in ctx.checked:
            others = [SimpleNamespace(id=("row", ext), start_date=start, end_date=None if end == date.max else end)
                      for ext, (start, end) in stays.items() if ext != v["external_id"]]
            if child_id:  # a child imported before: its placements typed into the app count too
                again = ctx.in_file_ids("placements")
                others += [SimpleNamespace(id=i, start_date=start, end_date=end) for i, start, end in db.session.execute(
                    select(Placement.id, Placement.start_date, Placement.end_date).where(Placement.child_id == child_id))
                    if i not in again]
            columns_of = {_("Choose the form of foster care."): "forma",
                          _("The placement cannot end before it starts."): "data_zakonczenia",
                          _("Choose why the placement ended."): "powod_zakonczenia",
                          _("Enter the end date together with the reason."): "data_zakonczenia",
                          _("The court decision is dated long after the placement started; check the dates."):
                              "data_postanowienia"}
            first_problem(foster._check(v, SimpleNamespace(placements=others), None), columns_of, "data_rozpoczecia")
            ctx.checked.add(key)
        stays[v["external_id"]] = (v["start_date"], v["end_date"] or date.max)
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

