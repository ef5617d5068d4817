"""Issue 18's indicators at their edges, with hand-built data: the waiting list, supporting families, "Za życiem"
requests with and without a support period, the team's members, diagnostic groups, adoptions, the _BY_ objects."""
from datetime import date
from decimal import Decimal

from casework.bluecard.models import Procedure
from casework.core import periods
from casework.core.dictionaries import by_code
from casework.extensions import db
from casework.fostercare.models import FosterCareBill, FosterChild, Placement
from casework.indicators import engine
from casework.support.models import SupportingFamily, SupportingFamilyHelp, TeamMembership, ZaZyciemRequest
from casework.visits.models import Visit
from tests.indicators.helpers import assign, d, family, period

Y2025 = periods.year(2025)


def ids(code, p=Y2025):
    return sorted(r["id"] for r in engine.records(code, p))


def test_waiting_at_end_from_referral_to_first_assignment(make_user):
    a = make_user("assistant")
    waits = family("Czeka")  # referred in December, no assistant on 31 December
    period(waits, d("2026-01-05"), referral_date=d("2025-12-10"))
    assigned_later = family("Potem")  # referred in November, assistant from 2 January
    sp = period(assigned_later, d("2025-11-20"), referral_date=d("2025-11-03"))
    assign(sp, a, d("2026-01-02"))
    assigned = family("Przydzielona")
    period(assigned, d("2025-06-01"), referral_date=d("2025-05-01"), assistant=a)
    withdrawn = family("Wycofana")  # ended without an assistant before the last day: no longer waiting
    period(withdrawn, d("2025-10-01"), d("2025-10-31"), "other", referral_date=d("2025-09-01"))
    court = family("Sąd")  # court order recorded, no assistant yet
    period(court, d("2025-12-31"), basis="court_order", court_order_date=d("2025-12-01"))
    db.session.commit()
    v = engine.compute(Y2025, ["AR_FAMILIES_WAITING_AT_END"])
    assert v["AR_FAMILIES_WAITING_AT_END"] == 3
    assert ids("AR_FAMILIES_WAITING_AT_END") == sorted([waits.id, assigned_later.id, court.id])
    # on 31 October the withdrawn family still waited
    assert engine.compute(periods.Period(date(2025, 10, 1), date(2025, 10, 31)),
                          ["AR_FAMILIES_WAITING_AT_END"])["AR_FAMILIES_WAITING_AT_END"] == 1


def test_median_days_odd_and_even(make_user):
    a = make_user("assistant")
    for n, waited in enumerate((10, 30, 20)):
        fam = family(f"M{n}")
        sp = period(fam, d("2025-03-01"), referral_date=date.fromordinal(d("2025-03-01").toordinal() - waited))
        assign(sp, a, d("2025-03-01"))
    db.session.commit()
    v = engine.compute(Y2025, ["AR_WAITING_DAYS_MEDIAN"])
    assert v["AR_WAITING_DAYS_MEDIAN"] == 20.0
    assert len(engine.records("AR_WAITING_DAYS_MEDIAN", Y2025)) == 3  # every assignment behind the median
    fam = family("M3")
    sp = period(fam, d("2025-04-01"), referral_date=d("2025-03-07"))  # 25 days
    assign(sp, a, d("2025-04-01"))
    db.session.commit()
    assert engine.compute(Y2025, ["AR_WAITING_DAYS_MEDIAN"])["AR_WAITING_DAYS_MEDIAN"] == 22.5
    # a second assignment (a change of assistant) is not a new end of waiting
    b = make_user("assistant")
    assign(sp, b, d("2025-08-01"))
    db.session.commit()
    assert engine.compute(Y2025, ["AR_WAITING_DAYS_MEDIAN"])["AR_WAITING_DAYS_MEDIAN"] == 22.5
    assert engine.compute(periods.year(2024), ["AR_WAITING_DAYS_MEDIAN"])["AR_WAITING_DAYS_MEDIAN"] == 0.0


def test_supporting_families_and_families_helped():
    helped, helped_twice = family("Pomoc"), family("Dwie")
    sf1 = SupportingFamily(name="Nowakowie", start_date=d("2024-05-01"), end_date=d("2025-01-01"))
    sf2 = SupportingFamily(name="Wiśniewscy", start_date=d("2025-06-01"))
    gone = SupportingFamily(name="Dawni", start_date=d("2020-01-01"), end_date=d("2024-12-31"))
    db.session.add_all([sf1, sf2, gone])
    db.session.flush()
    db.session.add_all([
        SupportingFamilyHelp(supporting_family_id=sf1.id, family_id=helped_twice.id, start_date=d("2024-05-01"),
                             end_date=d("2025-01-01")),
        SupportingFamilyHelp(supporting_family_id=sf2.id, family_id=helped_twice.id, start_date=d("2025-06-01")),
        SupportingFamilyHelp(supporting_family_id=sf2.id, family_id=helped.id, start_date=d("2025-07-01")),
        SupportingFamilyHelp(supporting_family_id=gone.id, family_id=family("Dawno").id, start_date=d("2020-01-01"),
                             end_date=d("2024-12-31"))])
    db.session.commit()
    v = engine.compute(Y2025, ["AR_SUPPORTING_FAMILIES", "AR_FAMILIES_WITH_SUPPORTING_FAMILY"])
    assert v == {"AR_SUPPORTING_FAMILIES": 2, "AR_FAMILIES_WITH_SUPPORTING_FAMILY": 2}
    assert ids("AR_FAMILIES_WITH_SUPPORTING_FAMILY") == sorted([helped.id, helped_twice.id])


def test_za_zyciem_counted_with_and_without_a_support_period(make_user):
    a = make_user("assistant")
    on_period = family("Okres")
    sp = period(on_period, d("2025-02-01"), za_zyciem_request_date=d("2025-02-01"))
    without = family("Bez")  # a request and the assistant's coordination, no support period at all
    zr = ZaZyciemRequest(family_id=without.id, request_date=d("2025-04-10"), assistant_id=a.id,
                         coordination_start=d("2025-04-15"))
    linked = family("Powiązany")  # recorded on its own and linked to a period that also carries the date
    sp2 = period(linked, d("2025-05-01"), za_zyciem_request_date=d("2025-05-01"))
    db.session.add(zr)
    db.session.flush()
    zr2 = ZaZyciemRequest(family_id=linked.id, request_date=d("2025-05-01"), support_period_id=sp2.id)
    db.session.add(zr2)
    db.session.commit()
    v = engine.compute(Y2025, ["AR_ZA_ZYCIEM_REQUESTS", "AR_ZA_ZYCIEM_FAMILIES"])
    assert v["AR_ZA_ZYCIEM_REQUESTS"] == 3  # the linked request once
    assert ids("AR_ZA_ZYCIEM_REQUESTS") == sorted([sp.id, -zr.id, -zr2.id])
    assert v["AR_ZA_ZYCIEM_FAMILIES"] == 3
    assert ids("AR_ZA_ZYCIEM_FAMILIES") == sorted([on_period.id, without.id, linked.id])
    # before the coordination started, the family without a period is not counted
    early = periods.Period(date(2025, 1, 1), date(2025, 4, 14))
    assert without.id not in ids("AR_ZA_ZYCIEM_FAMILIES", early)


def test_team_members_on_the_last_day_and_groups_formed(make_user):
    db.session.add_all([
        TeamMembership(full_name="Anna Policka", sector="police", institution_name="KPP", appointed_on=d("2024-01-01")),
        TeamMembership(full_name="Jan Szkolny", sector="education", institution_name="SP 1",
                       appointed_on=d("2024-01-01"), ended_on=d("2025-12-30")),
        TeamMembership(full_name="Ewa Nowa", sector="health_care", institution_name="POZ", appointed_on=d("2026-01-01")),
        TeamMembership(full_name="Zofia Koniec", sector="ngo", institution_name="Fundacja",
                       appointed_on=d("2023-01-01"), ended_on=d("2025-12-31"))])
    for n, (nka, to_group) in enumerate(((d("2025-03-01"), d("2025-03-04")), (d("2024-12-20"), d("2025-01-02")),
                                         (d("2025-12-29"), None), (d("2024-11-02"), d("2024-11-05")))):
        db.session.add(Procedure(number=f"NK/{n}", nka_date=nka, sector="police", to_group_on=to_group))
    db.session.commit()
    v = engine.compute(Y2025, ["NK_TEAM_MEMBERS", "NK_GROUPS_FORMED"])
    assert v == {"NK_TEAM_MEMBERS": 2, "NK_GROUPS_FORMED": 2}
    labels = sorted(r["label"] for r in engine.records("NK_TEAM_MEMBERS", Y2025))
    assert labels == ["Anna Policka (KPP)", "Zofia Koniec (Fundacja)"]


def _child(fam, name):
    c = FosterChild(family_id=fam.id, first_name=name, last_name=fam.name, birth_date=d("2015-01-01"))
    db.session.add(c)
    db.session.flush()
    return c


def _placement(child, form, start, end=None, reason=None):
    pl = Placement(child_id=child.id, form=form, start_date=start, end_date=end, end_reason=reason, count_from=start,
                   tier_30_from=start.replace(year=start.year + 1), tier_50_from=start.replace(year=start.year + 2))
    db.session.add(pl)
    db.session.flush()
    return pl


def test_foster_care_adopted_and_by_form():
    fam = family("Piecza")
    adopted, moved, stays = _child(fam, "Ala"), _child(fam, "Ola"), _child(fam, "Ela")
    _placement(adopted, "foster_family_related", d("2024-01-01"), d("2025-06-30"), "adoption")
    _placement(moved, "foster_family_unrelated", d("2024-01-01"), d("2025-03-31"), "other_form")
    pl = _placement(moved, "care_education_institution", d("2025-04-01"))
    _placement(stays, "foster_family_unrelated", d("2023-01-01"), d("2024-12-31"), "adoption")  # ended 2024
    for month, form in ((d("2025-03-01"), "foster_family_unrelated"), (d("2025-04-01"), "care_education_institution")):
        db.session.add(FosterCareBill(child_id=moved.id, placement_id=pl.id, month=month, total_cost=Decimal("3000"),
                                      tier=30, form=form, computed_share=Decimal("900.00")))
    db.session.commit()
    v = engine.compute(Y2025, ["FC_CHILDREN_ADOPTED", "FC_CHILDREN_BY_FORM", "FC_CHILDREN_PLACED", "FC_COST_BY_FORM",
                               "FC_COST_TOTAL"])
    assert v["FC_CHILDREN_ADOPTED"] == 1
    assert v["FC_CHILDREN_PLACED"] == 2
    assert v["FC_CHILDREN_BY_FORM"]["foster_family_related"] == 1
    assert v["FC_CHILDREN_BY_FORM"]["care_education_institution"] == 1  # the form on the last day within P
    assert v["FC_CHILDREN_BY_FORM"]["foster_family_unrelated"] == 0
    assert sum(v["FC_CHILDREN_BY_FORM"].values()) == v["FC_CHILDREN_PLACED"]
    assert v["FC_COST_BY_FORM"]["foster_family_unrelated"] == 900.0
    assert v["FC_COST_BY_FORM"]["care_education_institution"] == 900.0
    assert sum(v["FC_COST_BY_FORM"].values()) == v["FC_COST_TOTAL"] == 1800.0


def test_visits_by_area_counts_a_visit_under_each_area(make_user):
    a = make_user("assistant")
    fam = family("Obszary")
    areas = [by_code("area_of_work", code) for code in ("parenting", "household_management")]
    areas = [x for x in areas if x is not None]
    assert areas, "the area_of_work dictionary is seeded"
    v1 = Visit(family_id=fam.id, assistant_id=a.id, visit_date=d("2025-02-02"), duration_minutes=60)
    v1.areas = areas
    v2 = Visit(family_id=fam.id, assistant_id=a.id, visit_date=d("2025-02-03"), duration_minutes=30)
    v2.areas = areas[:1]
    db.session.add_all([v1, v2])
    db.session.commit()
    v = engine.compute(Y2025, ["AR_VISITS_BY_AREA", "AR_VISITS"])
    assert v["AR_VISITS"] == 2
    assert v["AR_VISITS_BY_AREA"][areas[0].code] == 2
    assert sum(v["AR_VISITS_BY_AREA"].values()) == 1 + len(areas)


def test_every_new_code_is_registered_with_its_legal_basis():
    from casework.core.indicators import get
    for code in ("AR_VISITS_BY_AREA", "AR_FAMILIES_WAITING_AT_END", "AR_WAITING_DAYS_MEDIAN", "AR_SUPPORTING_FAMILIES",
                 "AR_FAMILIES_WITH_SUPPORTING_FAMILY", "FC_CHILDREN_ADOPTED", "FC_CHILDREN_BY_FORM", "FC_COST_BY_FORM",
                 "NK_GROUPS_FORMED", "NK_TEAM_MEMBERS", "AR_ZA_ZYCIEM_REQUESTS", "AR_ZA_ZYCIEM_FAMILIES"):
        ind = get(code)
        assert ind is not None and ind.legal_basis and ind.definition_pl, code
