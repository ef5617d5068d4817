"""Each AR_ definition at its edges, with hand-built data."""
from datetime import datetime, timezone

from casework.core import periods
from casework.core.indicators import all_indicators
from casework.core.settings import set_setting
from casework.extensions import db
from casework.indicators import engine
from tests.indicators.helpers import child, d, family, period

Y2025 = periods.year(2025)


def values(p=Y2025):
    return engine.compute(p)


def ids(code, p=Y2025):
    return sorted(r["id"] for r in engine.records(code, p))


def test_overlap_boundaries_first_and_last_day():
    before = family("Przed")
    period(before, d("2024-01-01"), d("2024-12-31"), "goals_achieved")
    on_first = family("Pierwszy")
    period(on_first, d("2024-06-01"), d("2025-01-01"), "goals_achieved")
    on_last = family("Ostatni")
    period(on_last, d("2025-12-31"))
    after = family("Po")
    period(after, d("2026-01-01"))
    db.session.commit()
    v = values()
    assert v["AR_FAMILIES_SUPPORTED"] == 2
    assert ids("AR_FAMILIES_SUPPORTED") == sorted([on_first.id, on_last.id])
    assert v["AR_FAMILIES_STARTED"] == 1 and ids("AR_FAMILIES_STARTED") == [on_last.id]
    assert v["AR_FAMILIES_ENDED"] == 1 and ids("AR_FAMILIES_ENDED") == [on_first.id]
    assert v["AR_FAMILIES_ACTIVE_AT_END"] == 1 and ids("AR_FAMILIES_ACTIVE_AT_END") == [on_last.id]


def test_family_with_two_periods_counts_once():
    fam = family()
    period(fam, d("2025-01-10"), d("2025-03-31"), "no_effects")
    period(fam, d("2025-09-01"), d("2025-11-30"), "goals_achieved")
    db.session.commit()
    v = values()
    assert v["AR_FAMILIES_SUPPORTED"] == 1
    assert v["AR_FAMILIES_STARTED"] == 1
    assert v["AR_FAMILIES_ENDED"] == 1
    # the last period ended in P gives the reason
    assert v["AR_ENDED_GOALS_ACHIEVED"] == 1 and v["AR_ENDED_NO_EFFECTS"] == 0
    assert sum(v["AR_DURATION_" + k] for k in ("UP_TO_3M", "3_TO_12M", "OVER_12M")) == 1


def test_assistants_distinct_and_family_once_with_several_assistants(make_user):
    a1, a2, a3 = make_user("assistant"), make_user("assistant"), make_user("assistant")
    fam = family()
    sp = period(fam, d("2024-05-01"), assistant=a1)
    from tests.indicators.helpers import assign
    assign(sp, a2, d("2025-12-31"))
    other = family("Nowak")
    sp2 = period(other, d("2023-01-01"), d("2024-12-31"), "other")
    assign(sp2, a3, d("2023-01-01"), d("2024-12-31"))  # ended the day before P
    db.session.commit()
    v = values()
    assert v["AR_ASSISTANTS"] == 2 and ids("AR_ASSISTANTS") == sorted([a1.id, a2.id])
    assert v["AR_FAMILIES_SUPPORTED"] == 1


def test_child_turning_18_during_overlap_counts_and_adult_does_not():
    fam = family()
    period(fam, d("2025-03-01"), d("2025-08-31"), "goals_achieved")
    turns_18_in_overlap = child(fam, d("2007-08-31"), "A")  # 18 on the overlap's last day
    turns_18_on_first_day = child(fam, d("2007-03-01"), "B")  # already 18 on the first day of the overlap
    turned_18_day_after_first = child(fam, d("2007-03-02"), "C")  # still 17 on 1 March
    born_after_overlap = child(fam, d("2025-09-01"), "D")
    no_birth_date = child(fam, None, "E")
    not_in_household = child(fam, d("2015-01-01"), "F", in_household=False)
    parent = child(fam, d("2010-01-01"), "G", relation="parent")
    archived = child(fam, d("2015-01-01"), "H", archived_at=datetime(2025, 1, 1, tzinfo=timezone.utc))
    db.session.commit()
    assert ids("AR_CHILDREN_IN_SUPPORTED_FAMILIES") == sorted([turns_18_in_overlap.id, turned_18_day_after_first.id])
    assert values()["AR_CHILDREN_IN_SUPPORTED_FAMILIES"] == 2
    del turns_18_on_first_day, born_after_overlap, no_birth_date, not_in_household, parent, archived


def test_child_uses_overlap_not_whole_period():
    fam = family()
    period(fam, d("2020-01-01"))  # started long before P
    adult_before_p = child(fam, d("2006-12-31"), "A")  # 18 on 2024-12-31
    still_17_on_jan_1 = child(fam, d("2007-01-02"), "B")
    db.session.commit()
    assert ids("AR_CHILDREN_IN_SUPPORTED_FAMILIES") == [still_17_on_jan_1.id]
    del adult_before_p


def test_ended_by_reason_sums_to_ended_and_maps_to():
    from casework.core.dictionaries import DictionaryEntry

    withdrew = DictionaryEntry(kind="end_reason", code="consent_withdrawn", label_pl="wycofanie zgody",
                               maps_to="no_cooperation")
    custom = DictionaryEntry(kind="end_reason", code="death", label_pl="śmierć", maps_to="death")
    db.session.add_all([withdrew, custom])
    db.session.flush()
    expected = {"GOALS_ACHIEVED": 2, "NO_COOPERATION": 2, "NO_EFFECTS": 1, "MOVED_AWAY": 1, "OTHER": 3}
    for reason, n in [("goals_achieved", 2), ("no_cooperation", 1), ("no_effects", 1), ("moved_away", 1),
                      ("other", 1)]:
        for _ in range(n):
            period(family(), d("2024-01-01"), d("2025-06-30"), reason)
    period(family(), d("2024-01-01"), d("2025-06-30"), end_reason_id=withdrew.id)
    period(family(), d("2024-01-01"), d("2025-06-30"), end_reason_id=custom.id)
    period(family(), d("2024-01-01"), d("2025-06-30"))  # no reason given
    db.session.commit()
    v = values()
    assert v["AR_FAMILIES_ENDED"] == 9
    for key, n in expected.items():
        assert v["AR_ENDED_" + key] == n, key
    assert sum(v["AR_ENDED_" + k] for k in expected) == v["AR_FAMILIES_ENDED"]
    all_ids = sorted(i for k in expected for i in ids("AR_ENDED_" + k))
    assert all_ids == ids("AR_FAMILIES_ENDED")


def test_duration_bucket_boundaries_exactly_3_and_12_months():
    exactly_3 = family("A")
    period(exactly_3, d("2025-01-15"), d("2025-04-15"), "other")
    day_over_3 = family("B")
    period(day_over_3, d("2025-01-15"), d("2025-04-16"), "other")
    exactly_12 = family("C")
    period(exactly_12, d("2024-03-10"), d("2025-03-10"), "other")
    day_over_12 = family("D")
    period(day_over_12, d("2024-03-10"), d("2025-03-11"), "other")
    clamped = family("E")  # 30 Nov + 3 months = 28 Feb
    period(clamped, d("2024-11-30"), d("2025-02-28"), "other")
    open_cut_at_p_end = family("F")  # open: measured to 31 Dec 2025, 12 months exactly
    period(open_cut_at_p_end, d("2024-12-31"))
    db.session.commit()
    assert ids("AR_DURATION_UP_TO_3M") == sorted([exactly_3.id, clamped.id])
    assert ids("AR_DURATION_3_TO_12M") == sorted([day_over_3.id, exactly_12.id, open_cut_at_p_end.id])
    assert ids("AR_DURATION_OVER_12M") == [day_over_12.id]
    v = values()
    assert v["AR_DURATION_UP_TO_3M"] + v["AR_DURATION_3_TO_12M"] + v["AR_DURATION_OVER_12M"] == \
        v["AR_FAMILIES_SUPPORTED"] == 6


def test_duration_boundaries_are_a_setting():
    fam = family()
    period(fam, d("2025-01-15"), d("2025-06-15"), "other")  # exactly 5 months
    set_setting("indicators.duration_bucket_months", [6, 24])
    db.session.commit()
    assert ids("AR_DURATION_UP_TO_3M") == [fam.id]


def test_active_at_end_by_basis_and_court_ordered():
    court = family("Sąd")
    period(court, d("2025-02-01"), basis="court_order")
    voluntary = family("Dobrowolna")
    period(voluntary, d("2025-02-01"), d("2025-12-31"))  # ends on the last day: still open on it
    ended_court = family("Sąd2")
    period(ended_court, d("2025-01-01"), d("2025-12-30"), "goals_achieved", basis="court_order")
    db.session.commit()
    v = values()
    assert v["AR_FAMILIES_ACTIVE_AT_END"] == 2
    assert ids("AR_ACTIVE_AT_END_COURT_ORDERED") == [court.id]
    assert ids("AR_ACTIVE_AT_END_VOLUNTARY") == [voluntary.id]
    assert v["AR_ACTIVE_AT_END_COURT_ORDERED"] + v["AR_ACTIVE_AT_END_VOLUNTARY"] == v["AR_FAMILIES_ACTIVE_AT_END"]
    assert ids("AR_FAMILIES_COURT_ORDERED") == sorted([court.id, ended_court.id])


def test_za_zyciem_requests_and_families():
    fam = family()
    sp = period(fam, d("2024-06-01"), za_zyciem_request_date=d("2025-01-01"))
    earlier = family("Wcześniej")
    period(earlier, d("2024-06-01"), za_zyciem_request_date=d("2024-06-01"))
    later = family("Później")
    period(later, d("2026-01-01"), za_zyciem_request_date=d("2026-01-01"))
    db.session.commit()
    assert ids("AR_ZA_ZYCIEM_REQUESTS") == [sp.id]
    assert ids("AR_ZA_ZYCIEM_FAMILIES") == sorted([fam.id, earlier.id])


def test_monitoring_and_children_in_monitored():
    fam = family()
    period(fam, d("2024-01-01"), d("2024-12-31"), "goals_achieved", monitoring_until=d("2025-01-01"))
    kid = child(fam, d("2007-01-02"))  # 18 on 2 January 2025: still 17 on 1 January
    older = child(fam, d("2007-01-01"), "Ola")  # 18 on 1 January 2025
    ends_before = family("Przed")
    period(ends_before, d("2023-01-01"), d("2023-12-31"), "goals_achieved", monitoring_until=d("2024-12-31"))
    ends_last_day = family("Koniec")  # ends on the last day: monitoring starts after P
    period(ends_last_day, d("2025-01-01"), d("2025-12-31"), "goals_achieved", monitoring_until=d("2026-06-30"))
    db.session.commit()
    assert ids("AR_FAMILIES_MONITORED") == [fam.id]
    assert ids("AR_CHILDREN_IN_MONITORED_FAMILIES") == [kid.id]
    del older


def test_archived_family_not_counted():
    fam = family(archived_at=datetime(2025, 5, 1, tzinfo=timezone.utc), archived_reason="duplicate")
    period(fam, d("2025-01-01"))
    db.session.commit()
    assert values()["AR_FAMILIES_SUPPORTED"] == 0


def test_half_year_and_range():
    fam = family()
    period(fam, d("2025-06-30"), d("2025-07-01"), "goals_achieved")
    db.session.commit()
    h1, h2 = periods.half(2025, 1), periods.half(2025, 2)
    assert values(h1)["AR_FAMILIES_STARTED"] == 1 and values(h1)["AR_FAMILIES_ENDED"] == 0
    assert values(h2)["AR_FAMILIES_STARTED"] == 0 and values(h2)["AR_FAMILIES_ENDED"] == 1
    assert values(h1)["AR_FAMILIES_ACTIVE_AT_END"] == 1 and values(h2)["AR_FAMILIES_ACTIVE_AT_END"] == 0
    r = periods.date_range(d("2025-07-01"), d("2025-07-01"))
    assert values(r)["AR_FAMILIES_SUPPORTED"] == 1 and values(r)["AR_FAMILIES_ACTIVE_AT_END"] == 1


def test_drilldown_ids_equal_counted_set_for_every_indicator(make_user):
    a = make_user("assistant")
    for i in range(6):
        fam = family(f"R{i}")
        child(fam, d(f"201{i}-05-05"))
        period(fam, d(f"202{i % 4 + 1}-0{i + 1}-15"), d("2025-0%d-20" % (i + 1)) if i % 2 else None,
               "no_cooperation" if i % 2 else None, assistant=a, basis="court_order" if i % 3 == 0 else "referral",
               monitoring_until=d("2025-12-01") if i == 1 else None)
    db.session.commit()
    v = values()
    from casework.core.indicators import all_indicators
    for ind in all_indicators():
        if ind.kind == "count":
            assert len(engine.records(ind.code, Y2025)) == v[ind.code] == engine.count_records(ind.code, Y2025)
            assert len(set(ids(ind.code))) == v[ind.code], ind.code
        for part in ind.parts:
            assert part in v
        if ind.parts:
            assert sum(v[c] for c in ind.parts) == v[ind.code]
    assert v["AR_FAMILIES_SUPPORTED"] == 6


def test_compute_uses_constant_number_of_queries(queries, make_user):
    def build(n):
        a = make_user("assistant")
        for i in range(n):
            fam = family(f"Q{n}-{i}")
            child(fam, d("2015-01-01"))
            period(fam, d("2024-01-01"), d("2025-05-05") if i % 2 else None, "goals_achieved" if i % 2 else None,
                   assistant=a)
        db.session.commit()

    build(2)
    engine.compute(Y2025)  # settings are read once per request/job and then cached
    with queries() as small:
        engine.compute(Y2025)
    build(25)
    with queries() as large:
        engine.compute(Y2025)
    # one statement per distinct query of the indicators (never per family or record): the same count for 2
    # families as for 27 (plus a few reads of the keys of object-by-key indicators)
    assert len(small) == len(large) <= len(all_indicators()) + 5
