"""Rules of foster care: placements and the stay they make up, the co-financing tier, the monthly bills.
Add and flush; never commit.

Counting the years of stay (art. 191 ust. 9 UWR): 12-month years from the first day of the child's first placement
(calendar months, a day missing at a month's end clamped: 29 Feb 2024 + 12 months = 28 Feb 2025). A change of form
continues the stay. After a return home and a new placement, the count continues from the first placement, unless
the setting `foster_care_count_restarts` is on: then it starts again with the new stay. Each placement keeps the
day its count starts and the first days of the 30 % and 50 % years (recount() keeps them), so the indicators read
the tier with plain date comparisons in SQL. A monthly bill takes the tier of the month's first day in care (a tier
that starts mid-month applies from the next month's bill; a county billing pro rata shows as a difference to check)."""
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from casework.assessments.services import add_months
from casework.core import audit
from casework.core.errors import RuleError
from casework.core.settings import get_setting
from casework.core.timeutil import utcnow
from casework.extensions import db
from casework.fostercare.models import END_REASONS, FORMS, FosterCareBill, FosterChild, Placement
from casework.indicators import engine
from casework.indicators import services as indicator_services

PLACEMENT_FIELDS = ("form", "county", "court", "court_signature", "court_decision_date", "start_date", "end_date",
                    "end_reason")


class FosterCareRuleError(RuleError):
    """A rule of this domain refused the change."""


def count_restarts() -> bool:
    return bool(get_setting("foster_care_count_restarts"))


#: the tier (the statute's share in the first, second, third and later years) → the setting of its percentage
RATE_SETTINGS = {10: "foster_care_rate_year_1", 30: "foster_care_rate_year_2", 50: "foster_care_rate_year_3"}


def rates() -> dict[int, Decimal]:
    """The municipality's share (percent of the cost) by tier: the declared settings (art. 191 ust. 9 UWR)."""
    return {tier: Decimal(str(get_setting(key))) for tier, key in RATE_SETTINGS.items()}


def _clean(values: dict) -> dict:
    return {f: ((values[f].strip() or None) if isinstance(values[f], str) else values[f])
            for f in PLACEMENT_FIELDS if f in values}


def register_child(*, member=None, first_name=None, last_name=None, birth_date=None, notes=None,
                   actor) -> FosterChild:
    """A child of a registered family (its member), or one entered only here."""
    if member is not None:
        existing = db.session.scalar(select(FosterChild).where(FosterChild.member_id == member.id))
        if existing is not None:
            return existing
        child = FosterChild(member_id=member.id, family_id=member.family_id, notes=notes)
    else:
        if not (first_name or "").strip() or not (last_name or "").strip():
            raise FosterCareRuleError(_("Enter the child's first and last name."))
        if birth_date is not None and birth_date > date.today():
            raise FosterCareRuleError(_("The date of birth cannot be in the future."))
        child = FosterChild(first_name=first_name.strip(), last_name=last_name.strip(), birth_date=birth_date,
                            notes=notes)
    db.session.add(child)
    db.session.flush()
    audit.record("foster_child_registered", child, user=actor)
    return child


def _check(values: dict, child: FosterChild, placement_id: int | None) -> list[str]:
    problems = []
    if values.get("form") not in FORMS:
        problems.append(_("Choose the form of foster care."))
    start, end = values.get("start_date"), values.get("end_date")
    if start is None:
        problems.append(_("Enter the date the placement started."))
    if end is not None and start is not None and end < start:
        problems.append(_("The placement cannot end before it starts."))
    if end is not None and values.get("end_reason") not in END_REASONS:
        problems.append(_("Choose why the placement ended."))
    if end is None and values.get("end_reason"):
        problems.append(_("Enter the end date together with the reason."))
    decided = values.get("court_decision_date")
    if decided is not None and start is not None and decided > start + timedelta(days=366):
        problems.append(_("The court decision is dated long after the placement started; check the dates."))
    if start is not None and not problems:
        for other in child.placements:
            if other.id == placement_id:
                continue
            other_end = other.end_date or date.max
            this_end = end or date.max
            if start <= other_end and other.start_date <= this_end:
                problems.append(_("The child is already in foster care from %(start)s%(end)s; a placement cannot "
                                  "overlap another (to change the form, end the previous one first).",
                                  start=other.start_date.isoformat(),
                                  end=f" – {other.end_date.isoformat()}" if other.end_date else ""))
                break
    return problems


def recount(child: FosterChild) -> None:
    """Set each placement's count start and tier dates from the child's placements and the counting setting."""
    placements = sorted(child.placements, key=lambda p: (p.start_date, p.id or 0))
    restart = count_restarts()
    anchor, previous_end = None, None
    for p in placements:
        continues = previous_end is not None and p.start_date <= previous_end + timedelta(days=1)
        if anchor is None or (restart and not continues):
            anchor = p.start_date
        p.count_from = anchor
        p.tier_30_from = add_months(anchor, 12)
        p.tier_50_from = add_months(anchor, 24)
        previous_end = p.end_date or date.max - timedelta(days=1)


def recount_all() -> int:
    """After the counting setting changes: every child's placements again."""
    children = db.session.scalars(select(FosterChild)).all()
    for child in children:
        recount(child)
    db.session.flush()
    return len(children)


def add_placement(child: FosterChild, values: dict, *, actor) -> Placement:
    values = _clean(values)
    problems = _check(values, child, None)
    if problems:
        raise FosterCareRuleError(problems)
    placement = Placement(child_id=child.id, count_from=values["start_date"], tier_30_from=values["start_date"],
                          tier_50_from=values["start_date"], **values)
    child.placements.append(placement)
    recount(child)
    db.session.flush()
    audit.record("placement_added", placement, user=actor, details={"child_id": child.id, "form": placement.form})
    return placement


def update_placement(placement: Placement, values: dict, *, actor) -> dict:
    values = _clean(values)
    merged = {f: getattr(placement, f) for f in PLACEMENT_FIELDS} | values
    problems = _check(merged, placement.child, placement.id)
    if problems:
        raise FosterCareRuleError(problems)
    changes = audit.diff(placement, PLACEMENT_FIELDS, values)
    recount(placement.child)
    if changes:
        audit.record("placement_updated", placement, user=actor, details=changes)
    db.session.flush()
    return changes


def change_form(placement: Placement, new_form: str, on: date, *, actor) -> Placement:
    """The child moves to another form of care on `on`: the current placement ends the day before (reason: moved
    to another form) and a new one starts, continuing the stay."""
    if placement.end_date is not None:
        raise FosterCareRuleError(_("This placement has already ended."))
    if on <= placement.start_date:
        raise FosterCareRuleError(_("The change must be after the placement started (%(date)s).",
                                    date=placement.start_date.isoformat()))
    placement.end_date = on - timedelta(days=1)
    placement.end_reason = "other_form"
    db.session.flush()
    return add_placement(placement.child, {"form": new_form, "county": placement.county, "court": placement.court,
                                           "court_signature": placement.court_signature,
                                           "court_decision_date": placement.court_decision_date,
                                           "start_date": on}, actor=actor)


def placement_on(child: FosterChild, day: date) -> Placement | None:
    for p in child.placements:
        if p.start_date <= day and (p.end_date is None or p.end_date >= day):
            return p
    return None


def tier_info(child: FosterChild, day: date) -> dict | None:
    """The tier on `day` and when the next one starts (None when the child is not in care that day)."""
    placement = placement_on(child, day)
    if placement is None:
        return None
    tier = placement.tier_on(day)
    next_from = placement.tier_30_from if tier == 10 else placement.tier_50_from if tier == 30 else None
    return {"placement": placement, "tier": tier, "rate": rates()[tier], "next_from": next_from,
            "next_tier": 30 if tier == 10 else 50 if tier == 30 else None, "count_from": placement.count_from}


def _money(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", ".")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    except ArithmeticError as exc:
        raise FosterCareRuleError(_("Enter an amount in złoty, e.g. 4 250,00.")) from exc
    if amount < 0 or amount > Decimal("10000000"):
        raise FosterCareRuleError(_("Enter an amount in złoty, e.g. 4 250,00."))
    return amount


def price_bill(child: FosterChild, month: date, total: Decimal, billed: Decimal | None) -> dict:
    """The bill's derived columns for a month: the placement and tier on its first day in care, the share computed
    from the rate table, and the billed figure only when it differs."""
    next_month = add_months(month, 1)
    in_month = [p for p in child.placements
                if p.start_date < next_month and (p.end_date is None or p.end_date >= month)]
    if not in_month:
        raise FosterCareRuleError(_("The child was not in foster care in %(month)s.", month=month.strftime("%m.%Y")))
    placement = max(in_month, key=lambda p: p.start_date)
    tier = placement.tier_on(max(month, placement.start_date))
    computed = (total * rates()[tier] / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return {"placement_id": placement.id, "tier": tier, "form": placement.form, "computed_share": computed,
            "billed_share": billed if billed is not None and billed != computed else None}


def record_bill(child: FosterChild, month: date, total_cost, billed_share=None, note=None, *, actor,
                bill: FosterCareBill | None = None) -> FosterCareBill:
    """The county's bill for a month: the share computed from the tier in that month, and the billed figure
    kept when it differs (flagged for checking)."""
    month = date(month.year, month.month, 1)
    total, billed = _money(total_cost), _money(billed_share)
    if total is None:
        raise FosterCareRuleError(_("Enter the total cost of care in the month."))
    priced = price_bill(child, month, total, billed)
    duplicate = db.session.scalar(select(FosterCareBill.id).where(FosterCareBill.child_id == child.id,
                                                                  FosterCareBill.month == month))
    if duplicate is not None and (bill is None or duplicate != bill.id):
        raise FosterCareRuleError(_("A bill for %(month)s is already recorded for this child.",
                                    month=month.strftime("%m.%Y")))
    if bill is None:
        bill = FosterCareBill(child_id=child.id, month=month)
        db.session.add(bill)
    bill.month, bill.total_cost = month, total
    for name, value in priced.items():
        setattr(bill, name, value)
    bill.note = (note or "").strip() or None
    db.session.flush()
    audit.record("foster_care_bill_recorded", bill, user=actor, details={"child_id": child.id,
                                                                         "month": month.isoformat()})
    return bill


#: the figures of the foster-care year page (all FC_ indicators)
YEAR_FIGURES = ("FC_CHILDREN_PLACED", "FC_CHILDREN_FAMILY_CARE", "FC_CHILDREN_INSTITUTIONAL", "FC_CHILDREN_RETURNED",
                "FC_CHILDREN_TIER_10", "FC_CHILDREN_TIER_30", "FC_CHILDREN_TIER_50", "FC_COST_TOTAL",
                "FC_COST_FAMILY_CARE", "FC_COST_INSTITUTIONAL", "FC_COST_TIER_10", "FC_COST_TIER_30",
                "FC_COST_TIER_50")


def year_figures(period) -> dict:
    """The year's figures computed now from today's data, the same data the page lists child by child, so a total
    never disagrees with its rows (a cached total beside live rows could). A closed year's frozen values are what
    its report uses: the page says so, and whether today's data differs, without showing a second set of numbers.

    {"values": {code: value}, "computed_at": aware UTC, "closed": ClosedPeriod | None, "frozen_differs": bool}"""
    values = engine.compute(period, codes=YEAR_FIGURES)
    closed = indicator_services.closed_for(period)
    frozen = indicator_services.frozen_values(closed) if closed is not None else {}
    differs = closed is not None and any(frozen.get(code) != values.get(code) for code in YEAR_FIGURES)
    return {"values": values, "computed_at": utcnow(), "closed": closed, "frozen_differs": differs}
