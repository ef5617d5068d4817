"""Data-quality checks of the staff register before a half-year closes (issue 18, item 8), on the contract of
casework.core.quality: every assistant with families has an employment spell, every month of employment in the
period has its cost, no cost stands in a month without employment, a qualification basis is recorded, the
ministry form's sub-rows add up to their rows and its typed-in rows have their figures."""
from sqlalchemy import exists, select

from casework.auth.models import User
from casework.core.indicators import OTHER, USER
from casework.core.quality import check
from casework.core.sql import overlaps
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family
from casework.indicators import engine
from casework.reports import ministry
from casework.staff import rules
from casework.staff.models import EmploymentSpell, StaffCost, StaffProfile

U = User.__table__
ES = EmploymentSpell.__table__
AA = AssistantAssignment.__table__
F = Family.__table__


def _staff_link(user_id):
    return ("staff.person", {"user_id": user_id})


@check("Q_STAFF_ASSISTANT_WITHOUT_SPELL", "Asystenci pracujący z rodzinami bez okresu zatrudnienia w rejestrze",
       "Assistants working with families without an employment spell in the register", record_type=USER, order=60)
def q_assistant_without_spell(p):
    return (select(U.c.id.label("id"), U.c.full_name.label("label"))
            .where(exists(select(AA.c.id).select_from(AA.join(F, F.c.id == AA.c.family_id))
                          .where(AA.c.assistant_id == U.c.id, F.c.archived_at.is_(None),
                                 overlaps(AA.c.start_date, AA.c.end_date, p))),
                   ~exists(select(ES.c.id).where(ES.c.user_id == U.c.id, ES.c.archived_at.is_(None),
                                                 overlaps(ES.c.date_from, ES.c.date_to, p)))))


def _spells_in(p):
    out: dict[int, list] = {}
    for spell in db.session.scalars(select(EmploymentSpell).where(
            EmploymentSpell.archived_at.is_(None), overlaps(ES.c.date_from, ES.c.date_to, p))):
        out.setdefault(spell.user_id, []).append((spell.date_from, spell.date_to))
    return out


def _costs_in(p):
    out: dict[int, list] = {}
    for cost in db.session.scalars(select(StaffCost).where(
            StaffCost.archived_at.is_(None), StaffCost.date_from <= p.end, StaffCost.date_to >= p.start)):
        out.setdefault(cost.user_id, []).append(cost)
    return out


def _names(user_ids) -> dict:
    ids = list(user_ids) or [0]
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


@check("Q_STAFF_MONTH_WITHOUT_COST", "Miesiące zatrudnienia asystenta bez kosztu zatrudnienia",
       "Months of an assistant's employment without a cost entry", record_type=USER, order=61, listed=True)
def q_month_without_cost(p):
    spells, costs = _spells_in(p), _costs_in(p)
    names = _names(spells)
    found = []
    for user_id, spans in spells.items():
        covered = [(c.date_from, c.date_to) for c in costs.get(user_id, [])]
        missing = [m for m in rules.months(p.start, p.end)
                   if any(rules.spans_overlap(m, rules.month_end(m), a, b) for a, b in spans)
                   and not any(rules.spans_overlap(m, rules.month_end(m), a, b) for a, b in covered)]
        if missing:
            found.append({"id": user_id, "label": f"{names.get(user_id, user_id)}: "
                                                   + ", ".join(m.strftime("%m.%Y") for m in missing),
                          "link": _staff_link(user_id)})
    return found


@check("Q_STAFF_COST_WITHOUT_SPELL", "Koszty zatrudnienia w miesiącach bez okresu zatrudnienia",
       "Costs in months without an employment spell", record_type=USER, order=62, listed=True)
def q_cost_without_spell(p):
    costs = _costs_in(p)
    names = _names(costs)
    found = []
    for user_id, entries in costs.items():
        spans = [(s.date_from, s.date_to) for s in db.session.scalars(select(EmploymentSpell).where(
            EmploymentSpell.user_id == user_id, EmploymentSpell.archived_at.is_(None)))]
        for cost in entries:
            missing = rules.months_without_spell(cost.date_from, cost.date_to, spans)
            if missing:
                found.append({"id": cost.id, "label": f"{names.get(user_id, user_id)}: "
                                                      + ", ".join(m.strftime("%m.%Y") for m in missing),
                              "link": _staff_link(user_id)})
    return found


@check("Q_STAFF_NO_QUALIFICATION", "Asystenci zatrudnieni bez wpisanej podstawy kwalifikacji (art. 12 UWR)",
       "Assistants employed without a recorded qualification basis (art. 12 UWR)", record_type=USER, order=63)
def q_no_qualification(p):
    SPR = StaffProfile.__table__
    return (select(U.c.id.label("id"), U.c.full_name.label("label"))
            .where(exists(select(ES.c.id).where(ES.c.user_id == U.c.id, ES.c.archived_at.is_(None),
                                                overlaps(ES.c.date_from, ES.c.date_to, p))),
                   ~exists(select(SPR.c.id).where(SPR.c.user_id == U.c.id,
                                                  SPR.c.qualification_basis.is_not(None)))))


@check("Q_MINISTRY_SUBROWS", "Wiersze sprawozdania dla ministra, których pozycje „w tym” nie sumują się do wiersza",
       "Rows of the ministry report whose sub-rows do not add up to the row", record_type=OTHER, order=64,
       listed=True)
def q_ministry_subrows(p):
    return [dict(item, link=("reports.ministry_rows", {})) for item in ministry.subrow_mismatches(engine.compute(p))]


@check("Q_MINISTRY_TYPED_MISSING", "Wiersze sprawozdania dla ministra wpisywane ręcznie, bez wpisanej wartości",
       "Typed-in rows of the ministry report without a figure", record_type=OTHER, order=65, listed=True)
def q_ministry_typed_missing(p):
    return [dict(item, link=("reports.ministry_values", {"year": item["year"], "half": item["half"]}))
            for item in ministry.missing_typed(p)]
