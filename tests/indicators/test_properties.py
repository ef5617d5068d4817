"""Property tests of the AR_ indicators over random case data (hypothesis): the parts sum to the whole, the
drill-down lists exactly the counted records, and the families supported agree with a brute-force count."""
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from casework.core import periods
from casework.extensions import db
from casework.families.models import Family, FamilyMember, SupportPeriod
from casework.indicators import engine
from casework.core.indicators import COUNT, all_indicators
from tests.indicators.helpers import child, family, period

REASONS = ["goals_achieved", "no_cooperation", "no_effects", "moved_away", "other"]
ENDED = ["AR_ENDED_" + r.upper() for r in REASONS]
DURATION = ["AR_DURATION_UP_TO_3M", "AR_DURATION_3_TO_12M", "AR_DURATION_OVER_12M"]
PERIODS = [periods.year(2024), periods.year(2025), periods.half(2025, 1), periods.half(2025, 2)]
DAY0 = date(2023, 6, 1)

stay = st.tuples(st.integers(0, 1100), st.one_of(st.none(), st.integers(0, 700)), st.sampled_from(REASONS))
case = st.tuples(st.lists(stay, min_size=1, max_size=2), st.lists(st.integers(0, 7000), max_size=3),
                 st.booleans())


def _build(cases):
    """Families with one or two non-overlapping support periods (the second after the first ended)."""
    made = []
    for n, (stays, children, archived) in enumerate(cases):
        fam = family(f"R{n}")
        for age in children:
            child(fam, date(2025, 12, 31) - timedelta(days=age))
        start, spans = DAY0, []
        for offset, length, reason in stays:
            start = start + timedelta(days=offset)
            end = None if length is None else start + timedelta(days=length)
            period(fam, start, end, reason if end else None)
            spans.append((start, end))
            if end is None:
                break
            start = end + timedelta(days=1)
        if archived:
            fam.archived_at = fam.created_at or db.func.now()
        made.append((fam.id, archived, spans))
    db.session.commit()
    return made


def _cleanup():
    db.session.rollback()
    for model in (SupportPeriod, FamilyMember, Family):
        db.session.execute(delete(model))
    db.session.commit()


@settings(max_examples=40, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cases=st.lists(case, min_size=1, max_size=8), which=st.sampled_from(range(len(PERIODS))))
def test_indicator_invariants_over_random_cases(cases, which):
    p = PERIODS[which]
    try:
        made = _build(cases)
        v = engine.compute(p)
        supported = sum(1 for _id, archived, spans in made if not archived and any(
            s <= p.end and (e is None or e >= p.start) for s, e in spans))
        assert v["AR_FAMILIES_SUPPORTED"] == supported
        assert sum(v[c] for c in ENDED) == v["AR_FAMILIES_ENDED"]
        assert sum(v[c] for c in DURATION) == v["AR_FAMILIES_SUPPORTED"]
        for part in ("AR_FAMILIES_STARTED", "AR_FAMILIES_ENDED", "AR_FAMILIES_ACTIVE_AT_END"):
            assert v[part] <= v["AR_FAMILIES_SUPPORTED"], part
        for ind in all_indicators():
            if ind.kind == COUNT and ind.code.startswith("AR_"):
                assert engine.count_records(ind.code, p) == v[ind.code], ind.code
    finally:
        _cleanup()
