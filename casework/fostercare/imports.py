"""The foster-care sheets of the spreadsheet import: children in foster care (dzieci_w_pieczy), their placements
(umieszczenia) and the county's bills (noty_pcpr), checked and priced by casework.fostercare.services, as the forms
do. Contract: casework.core.imports."""
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.assessments.services import add_months
from casework.core.imports import ID, Column, Kind, RowError, choice, day, first_problem, money, month, register, text
from casework.extensions import db
from casework.families.models import FamilyMember
from casework.fostercare import services as foster
from casework.fostercare.models import FosterCareBill, FosterChild, Placement

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
        stays = ctx.memo("foster_stays").setdefault(v["child"], {})
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
        stays = list(ctx.memo("foster_stays").get(v["child"], {}).values())
        child_id = ctx.ref("foster_children", v["child"])
        if child_id:
            stays += [(s, e or date.max) for s, e in db.session.execute(
                select(Placement.start_date, Placement.end_date).where(Placement.child_id == child_id))]
        return any(s <= last and e >= first for s, e in stays)

    def build(v, ctx):
        if ctx.memo("foster_bills").setdefault((v["child"], v["month"]), v["external_id"]) != v["external_id"]:
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


for _define in (_foster_children, _placements, _bills):
    _define()
