"""Foster-care indicators (FC_) and AR_FAMILIES_WITH_CHILD_IN_FOSTER_CARE; see INDICATORS.md.

A child's "last day in care within P" is the end of its last placement overlapping P, or P's last day when that
placement goes on; the tier on that day compares it with the placement's stored tier dates (see services)."""
from sqlalchemy import and_, case, cast, exists, literal, not_, or_, select
from sqlalchemy.orm import aliased

from casework.families.indicators import GROUP as AR_GROUP
from casework.families.indicators import SP, families_where, period_exists
from casework.families.models import Family, FamilyMember
from casework.fostercare.models import (FAMILY_FORMS, FORMS, INSTITUTIONAL_FORMS, FosterCareBill, FosterChild,
                                       Placement)
from casework.fostercare.views import FORM_LABELS
from casework.core.indicators import BY_KEY, DECIMAL, OTHER, indicator
from casework.core.sql import day, greatest, least, overlaps

GROUP = "3 FC"
UWR_191 = "art. 191 ust. 9 UWR"
P = Placement.__table__
C = FosterChild.__table__
B = FosterCareBill.__table__
F = Family.__table__
M = FamilyMember.__table__


def _child_label():
    name = case((C.c.member_id.is_not(None), select(M.c.first_name + literal(" ") + M.c.last_name)
                 .where(M.c.id == C.c.member_id).scalar_subquery()),
                else_=C.c.first_name + literal(" ") + C.c.last_name)
    return name


def _last_placements(p, *conditions):
    """One row per child: its last placement overlapping P (no later-starting placement of the child overlaps P)."""
    later = aliased(P)
    return (select(C.c.id.label("id"), _child_label().label("label"), C.c.family_id.label("family_id"))
            .select_from(C.join(P, P.c.child_id == C.c.id))
            .where(C.c.archived_at.is_(None), overlaps(P.c.start_date, P.c.end_date, p),
                   not_(exists(select(later.c.id).where(
                       later.c.child_id == P.c.child_id, overlaps(later.c.start_date, later.c.end_date, p),
                       or_(later.c.start_date > P.c.start_date,
                           and_(later.c.start_date == P.c.start_date, later.c.id > P.c.id))))),
                   *conditions))


def _last_day(p):
    return least(P.c.end_date, day(p.end))


def _tier_is(p, tier: int):
    last = _last_day(p)
    if tier == 50:
        return last >= P.c.tier_50_from
    if tier == 30:
        return and_(last >= P.c.tier_30_from, last < P.c.tier_50_from)
    return last < P.c.tier_30_from


@indicator("FC_CHILDREN_PLACED", "Dzieci z gminy w pieczy zastępczej", "Children of the municipality in foster care",
           legal_basis=UWR_191, record_type=OTHER, group=GROUP, order=400,
           definition_pl="Dzieci w pieczy zastępczej w którymś dniu okresu.",
           definition="Children in foster care on some day of P.")
def children_placed(p):
    return _last_placements(p)


@indicator("FC_CHILDREN_FAMILY_CARE", "w tym w rodzinnej pieczy zastępczej", "of whom in family foster care",
           legal_basis=UWR_191, record_type=OTHER, group=GROUP, order=410,
           definition_pl="Dzieci w pieczy w okresie, według formy w ostatnim dniu pobytu w okresie: formy rodzinne.",
           definition="Children placed, by the form on their last day in care within P: family forms.")
def children_family_care(p):
    return _last_placements(p, P.c.form.in_(FAMILY_FORMS))


@indicator("FC_CHILDREN_INSTITUTIONAL", "w tym w instytucjonalnej pieczy zastępczej",
           "of whom in institutional foster care", legal_basis=UWR_191, record_type=OTHER, group=GROUP, order=420,
           definition_pl="Dzieci w pieczy w okresie, według formy w ostatnim dniu pobytu w okresie: formy "
                         "instytucjonalne.",
           definition="Children placed, by the form on their last day in care within P: institutional forms.")
def children_institutional(p):
    return _last_placements(p, P.c.form.in_(INSTITUTIONAL_FORMS))


@indicator("FC_CHILDREN_RETURNED", "Dzieci, które wróciły do rodziny", "Children who returned to their family",
           legal_basis=UWR_191, record_type=OTHER, group=GROUP, order=430,
           definition_pl="Pobyty w pieczy zakończone w okresie powrotem dziecka do rodziny.",
           definition="Placements that ended in P with the child's return to the family.")
def children_returned(p):
    return (select(P.c.id.label("id"), _child_label().label("label"), C.c.family_id.label("family_id"))
            .select_from(P.join(C, C.c.id == P.c.child_id))
            .where(C.c.archived_at.is_(None), P.c.end_reason == "return_home", P.c.end_date >= day(p.start),
                   P.c.end_date <= day(p.end)))


def _tier_indicator(tier: int, order: int):
    @indicator(f"FC_CHILDREN_TIER_{tier}", f"Dzieci, za które gmina płaci {tier}%",
               f"Children for whom the municipality pays {tier}%", legal_basis=UWR_191, record_type=OTHER,
               group=GROUP, order=order,
               definition_pl=f"Dzieci w pieczy w okresie z udziałem gminy {tier}% w ostatnim dniu pobytu w okresie.",
               definition=f"Children placed, at the {tier}% tier on the last day of their stay within P.")
    def rows(p):
        return _last_placements(p, _tier_is(p, tier))

    return rows


for _tier, _order in ((10, 440), (30, 450), (50, 460)):
    _tier_indicator(_tier, _order)


def _bills(p, *conditions):
    share = case((B.c.billed_share.is_not(None), B.c.billed_share), else_=B.c.computed_share)
    return (select(B.c.id.label("id"), (_child_label() + literal(" ") + cast(B.c.month, F.c.name.type)).label("label"),
                   C.c.family_id.label("family_id"), share.label("amount"))
            .select_from(B.join(C, C.c.id == B.c.child_id))
            .where(C.c.archived_at.is_(None), B.c.month >= day(p.start), B.c.month <= day(p.end), *conditions))


def _cost_indicator(code, label_pl, label_en, definition_pl, definition, order, *conditions):
    @indicator(code, label_pl, label_en, legal_basis=UWR_191, kind=DECIMAL, record_type=OTHER, group=GROUP,
               order=order, definition_pl=definition_pl, definition=definition)
    def rows(p):
        return _bills(p, *conditions)

    return rows


_cost_indicator("FC_COST_TOTAL", "Wydatki gminy na pieczę zastępczą (zł)", "The municipality's foster-care cost (PLN)",
                "Udział gminy w rachunkach za miesiące okresu (kwota zafakturowana, a gdy jej brak — wyliczona).",
                "The municipality's share of the bills for months in P (as billed, else as computed).", 470)
_cost_indicator("FC_COST_FAMILY_CARE", "w tym rodzinna piecza zastępcza (zł)", "of which family foster care (PLN)",
                "Jak FC_COST_TOTAL, rachunki za pobyt w formach rodzinnych.", "As FC_COST_TOTAL, family forms.",
                480, B.c.form.in_(FAMILY_FORMS))
_cost_indicator("FC_COST_INSTITUTIONAL", "w tym instytucjonalna piecza zastępcza (zł)",
                "of which institutional foster care (PLN)",
                "Jak FC_COST_TOTAL, rachunki za pobyt w formach instytucjonalnych.",
                "As FC_COST_TOTAL, institutional forms.", 490, B.c.form.in_(INSTITUTIONAL_FORMS))
for _tier, _order in ((10, 500), (30, 510), (50, 520)):
    _cost_indicator(f"FC_COST_TIER_{_tier}", f"w tym przy udziale {_tier}% (zł)", f"of which at the {_tier}% tier (PLN)",
                    f"Jak FC_COST_TOTAL, rachunki z udziałem gminy {_tier}%.", f"As FC_COST_TOTAL, the {_tier}% tier.",
                    _order, B.c.tier == _tier)


@indicator("AR_FAMILIES_WITH_CHILD_IN_FOSTER_CARE", "Rodziny objęte wsparciem z dzieckiem w pieczy zastępczej",
           "Supported families with a child in foster care", legal_basis="art. 15 ust. 1 pkt 2 UWR", group=AR_GROUP,
           order=185,
           definition_pl="Rodziny objęte wsparciem, których dziecko przebywało w pieczy zastępczej w którymś dniu "
                         "wspólnej części okresu wsparcia i okresu sprawozdawczego.",
           definition="Supported families with a child in foster care on some day of the overlap of the support "
                      "period with P.")
def families_with_child_in_care(p):
    first = greatest(SP.c.start_date, day(p.start))
    last = least(SP.c.end_date, day(p.end))
    in_care = exists(select(P.c.id).select_from(P.join(C, C.c.id == P.c.child_id)).where(
        C.c.family_id == SP.c.family_id, C.c.archived_at.is_(None), P.c.start_date <= last,
        or_(P.c.end_date.is_(None), P.c.end_date >= first)))
    return families_where(period_exists(overlaps(SP.c.start_date, SP.c.end_date, p), in_care))


# --- issue 18: adoptions, children and cost by placement form ----------------------------------------------------

@indicator("FC_CHILDREN_ADOPTED", "Dzieci przysposobione (adopcja)", "Children adopted", legal_basis=UWR_191,
           record_type=OTHER, group=GROUP, order=435,
           definition_pl="Pobyty w pieczy zakończone w okresie przysposobieniem dziecka.",
           definition="Placements that ended in P with the child's adoption.")
def children_adopted(p):
    return (select(P.c.id.label("id"), _child_label().label("label"), C.c.family_id.label("family_id"))
            .select_from(P.join(C, C.c.id == P.c.child_id))
            .where(C.c.archived_at.is_(None), P.c.end_reason == "adoption", P.c.end_date >= day(p.start),
                   P.c.end_date <= day(p.end)))


@indicator("FC_CHILDREN_BY_FORM", "Dzieci w pieczy zastępczej według formy pieczy", "Children in foster care by form",
           legal_basis=UWR_191, kind=BY_KEY, record_type=OTHER, group=GROUP, order=425, keys=lambda: list(FORMS),
           key_labels=lambda: FORM_LABELS,
           definition_pl="Dzieci w pieczy w okresie według formy pieczy w ostatnim dniu pobytu w okresie (sumują się "
                         "do FC_CHILDREN_PLACED).",
           definition="Children placed in P by the form on the last day of their stay within P (they add up to "
                      "FC_CHILDREN_PLACED).")
def children_by_form(p):
    return _last_placements(p).add_columns(P.c.form.label("key"))


@indicator("FC_COST_BY_FORM", "Wydatki gminy na pieczę według formy pieczy (zł)",
           "The municipality's foster-care cost by form (PLN)", legal_basis=UWR_191, kind=BY_KEY, record_type=OTHER,
           group=GROUP, order=525, keys=lambda: list(FORMS), key_labels=lambda: FORM_LABELS,
           definition_pl="Udział gminy w rachunkach za miesiące okresu według formy pieczy w danym miesiącu (sumuje "
                         "się do FC_COST_TOTAL).",
           definition="The municipality's share of the bills for months in P by the form of the month (adds up to "
                      "FC_COST_TOTAL).")
def cost_by_form(p):
    return _bills(p).add_columns(B.c.form.label("key"))
