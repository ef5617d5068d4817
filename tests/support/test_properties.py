"""Property tests of issue 18's indicators over random case data (hypothesis), as tests/indicators/test_properties.py
does for the AR_ codes: the _BY_ objects add up to their totals, the drill-down lists exactly the counted records,
and the waiting list and its median agree with a brute-force computation."""
import statistics
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from casework.core import periods
from casework.core.dictionaries import entries
from casework.core.indicators import COUNT, get
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, FamilyMember, SupportPeriod
from casework.fostercare.models import FAMILY_FORMS, FORMS, FosterCareBill, FosterChild, Placement
from casework.indicators import engine
from casework.visits.models import Visit
from tests.indicators.helpers import assign, family, period

PERIODS = [periods.year(2024), periods.year(2025), periods.half(2025, 1), periods.half(2025, 2)]
DAY0 = date(2023, 6, 1)
SETTINGS = dict(max_examples=15, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _cleanup(*models):
    db.session.rollback()
    for model in models:
        db.session.execute(delete(model))
    db.session.commit()


def _counts_match_records(p, prefix):
    v = engine.compute(p)
    for code, value in v.items():
        ind = get(code)
        if code.startswith(prefix) and ind.kind == COUNT:
            assert engine.count_records(code, p) == value, code
    return v


placement = st.tuples(st.integers(0, 800), st.one_of(st.none(), st.integers(0, 500)), st.sampled_from(FORMS),
                      st.sampled_from(["return_home", "adoption", "independence", "other_form", "other"]))
child_case = st.tuples(st.lists(placement, min_size=1, max_size=3), st.lists(st.integers(0, 30), max_size=4))


@settings(**SETTINGS)
@given(children=st.lists(child_case, min_size=1, max_size=6), which=st.sampled_from(range(len(PERIODS))))
def test_foster_care_by_form_adds_up(children, which):
    p = PERIODS[which]
    try:
        fam = family("Piecza")
        adopted = 0
        for n, (stays, bills) in enumerate(children):
            c = FosterChild(family_id=fam.id, first_name=f"D{n}", last_name="Test", birth_date=date(2015, 1, 1))
            db.session.add(c)
            db.session.flush()
            start, billed = DAY0, set()
            for offset, length, form, reason in stays:
                start = start + timedelta(days=offset)
                end = None if length is None else start + timedelta(days=length)
                pl = Placement(child_id=c.id, form=form, start_date=start, end_date=end,
                               end_reason=reason if end else None, count_from=start,
                               tier_30_from=start + timedelta(days=365), tier_50_from=start + timedelta(days=730))
                db.session.add(pl)
                db.session.flush()
                if end is not None and reason == "adoption" and p.start <= end <= p.end:
                    adopted += 1
                for k in bills:
                    month = (start + timedelta(days=31 * k)).replace(day=1)
                    if month in billed:
                        continue
                    billed.add(month)
                    db.session.add(FosterCareBill(child_id=c.id, placement_id=pl.id, month=month, tier=10, form=form,
                                                  total_cost=Decimal("1000"), computed_share=Decimal("100.00")))
                if end is None:
                    break
                start = end + timedelta(days=1)
            db.session.flush()
        db.session.commit()
        v = _counts_match_records(p, "FC_")
        assert sum(v["FC_CHILDREN_BY_FORM"].values()) == v["FC_CHILDREN_PLACED"]
        assert sum(v["FC_CHILDREN_BY_FORM"][f] for f in FAMILY_FORMS) == v["FC_CHILDREN_FAMILY_CARE"]
        assert round(sum(v["FC_COST_BY_FORM"].values()), 2) == v["FC_COST_TOTAL"]
        assert set(v["FC_CHILDREN_BY_FORM"]) == set(FORMS) == set(v["FC_COST_BY_FORM"])
        assert v["FC_CHILDREN_ADOPTED"] == adopted
    finally:
        _cleanup(FosterCareBill, Placement, FosterChild, FamilyMember, Family)


visit = st.tuples(st.integers(0, 1000), st.lists(st.integers(0, 6), max_size=4, unique=True))


@settings(**SETTINGS)
@given(visits=st.lists(visit, min_size=1, max_size=12), which=st.sampled_from(range(len(PERIODS))))
def test_visits_by_area_counts_each_area_of_each_visit(visits, which, make_user):
    p = PERIODS[which]
    areas = entries("area_of_work", include_inactive=True)
    try:
        assistant = make_user("assistant")
        fam = family("Obszary")
        links, in_p = 0, 0
        for offset, picks in visits:
            day = DAY0 + timedelta(days=offset)
            chosen = [areas[i % len(areas)] for i in picks]
            chosen = list({a.id: a for a in chosen}.values())
            v = Visit(family_id=fam.id, assistant_id=assistant.id, visit_date=day, duration_minutes=30)
            v.areas = chosen
            db.session.add(v)
            if p.start <= day <= p.end:
                in_p += 1
                links += len(chosen)
        db.session.commit()
        v = engine.compute(p, ["AR_VISITS", "AR_VISITS_BY_AREA"])
        assert v["AR_VISITS"] == in_p
        assert sum(v["AR_VISITS_BY_AREA"].values()) == links
        assert all(count <= v["AR_VISITS"] for count in v["AR_VISITS_BY_AREA"].values())
        assert set(v["AR_VISITS_BY_AREA"]) == {a.code for a in areas}
    finally:
        _cleanup(Visit, FamilyMember, Family)


wait = st.tuples(st.integers(0, 900), st.integers(0, 90), st.one_of(st.none(), st.integers(0, 120)),
                 st.one_of(st.none(), st.integers(1, 400)), st.booleans())


@settings(**SETTINGS)
@given(cases=st.lists(wait, min_size=1, max_size=8), which=st.sampled_from(range(len(PERIODS))))
def test_waiting_list_and_median_agree_with_brute_force(cases, which, make_user):
    """A family referred `lead` days before the period's start; an assistant `assigned` days after the start (None:
    never); the period possibly ended `length` days after its start."""
    p = PERIODS[which]
    try:
        assistant = make_user("assistant")
        waiting_ids, waits = set(), []
        for n, (offset, lead, assigned, length, archived) in enumerate(cases):
            fam = family(f"W{n}")
            start = DAY0 + timedelta(days=offset)
            end = None if length is None else start + timedelta(days=length)
            referral = start - timedelta(days=lead)
            sp = period(fam, start, end, "other" if end else None, referral_date=referral)
            first = None
            if assigned is not None:
                first = start + timedelta(days=assigned)
                if end is not None and first > end:
                    first = None
                else:
                    assign(sp, assistant, first, end)
            if archived:
                fam.archived_at = db.func.now()
                continue
            if referral <= p.end and (end is None or end >= p.end) and (first is None or first > p.end):
                waiting_ids.add(fam.id)
            if first is not None and p.start <= first <= p.end:
                waits.append((first - referral).days)
        db.session.commit()
        v = _counts_match_records(p, "AR_")
        assert v["AR_FAMILIES_WAITING_AT_END"] == len(waiting_ids)
        assert {r["id"] for r in engine.records("AR_FAMILIES_WAITING_AT_END", p)} == waiting_ids
        assert v["AR_WAITING_DAYS_MEDIAN"] == (round(float(statistics.median(waits)), 2) if waits else 0.0)
        assert len(engine.records("AR_WAITING_DAYS_MEDIAN", p)) == len(waits)
    finally:
        _cleanup(AssistantAssignment, SupportPeriod, FamilyMember, Family)


# --- day support and supporting families' costs: the ministry rows 17–19 derived ------------------------------------

stay = st.tuples(st.integers(0, 2), st.integers(0, 900), st.one_of(st.none(), st.integers(0, 400)))
day_case = st.tuples(st.integers(0, 900), st.one_of(st.none(), st.integers(0, 500)),
                     st.lists(st.lists(stay, max_size=2), min_size=1, max_size=3))


def _overlaps(start, end, p):
    return start <= p.end and (end is None or end >= p.start)


@settings(**SETTINGS)
@given(cases=st.lists(day_case, min_size=1, max_size=5), which=st.sampled_from(range(len(PERIODS))),
       costs=st.lists(st.tuples(st.integers(0, 30), st.integers(1, 99999)), max_size=6, unique_by=lambda c: c[0]))
def test_day_support_and_supporting_family_costs_agree_with_brute_force(cases, which, costs):
    from casework.contacts.models import Institution
    from casework.core.dictionaries import by_code
    from casework.support.models import (DaySupportAttendance, SupportingFamily, SupportingFamilyCost,
                                         SupportingFamilyHelp)
    from tests.indicators.helpers import child

    p = PERIODS[which]
    try:
        kind = by_code("institution_type", "day_support") or by_code("institution_type", "other")
        places = [Institution(name=f"Świetlica {n}", type_id=kind.id) for n in range(3)]
        db.session.add_all(places)
        db.session.flush()
        children, used = set(), set()
        for n, (start, length, kids) in enumerate(cases):
            fam = family(f"Dzienne{n}")
            begin = DAY0 + timedelta(days=start)
            end = begin + timedelta(days=length) if length is not None else None
            period(fam, begin, end)
            supported = _overlaps(begin, end, p)
            for k, stays in enumerate(kids):
                kid = child(fam, date(2015, 1, 1), first=f"D{k}")
                for place, s, dur in stays:
                    a_start = DAY0 + timedelta(days=s)
                    a_end = a_start + timedelta(days=dur) if dur is not None else None
                    db.session.add(DaySupportAttendance(family_id=fam.id, member_id=kid.id,
                                                        institution_id=places[place].id, start_date=a_start,
                                                        end_date=a_end))
                    if supported and _overlaps(a_start, a_end, p):
                        children.add(kid.id)
                        used.add(places[place].id)
        sf = SupportingFamily(name="Wspierający", start_date=DAY0)
        db.session.add(sf)
        db.session.flush()
        helped = family("Wspierani")
        help_ = SupportingFamilyHelp(supporting_family_id=sf.id, family_id=helped.id, start_date=DAY0)
        db.session.add(help_)
        db.session.flush()
        expected = Decimal("0")
        for month, cents in costs:
            first = date(DAY0.year + (DAY0.month - 1 + month) // 12, (DAY0.month - 1 + month) % 12 + 1, 1)
            amount = Decimal(cents) / 100
            db.session.add(SupportingFamilyCost(help_id=help_.id, month=first, amount=amount))
            if p.start <= first <= p.end:
                expected += amount
        db.session.flush()
        v = engine.compute(p)
        assert v["AR_CHILDREN_IN_DAY_SUPPORT"] == len(children)
        assert v["AR_DAY_SUPPORT_FACILITIES_USED"] == len(used)
        assert Decimal(str(v["AR_SUPPORTING_FAMILY_COSTS"])) == expected
        assert engine.count_records("AR_CHILDREN_IN_DAY_SUPPORT", p) == len(children)
    finally:
        _cleanup(SupportingFamilyCost, SupportingFamilyHelp, SupportingFamily, DaySupportAttendance, SupportPeriod,
                 FamilyMember, Family, Institution)
