"""A data set small enough to count on paper, with the expected value of every AR_ code for 2024, 2025 and the
first half of 2025 (the counting is written beside each family)."""
from datetime import datetime, timezone

import pytest

from casework.core import periods
from casework.extensions import db
from casework.indicators import engine
from tests.indicators.helpers import assign, child, d, family, period


@pytest.fixture
def centre(make_user):
    a, b, c = make_user("assistant"), make_user("assistant"), make_user("assistant")
    # F1: 2023-10-01 – 2024-03-31, goals achieved, monitored until 2024-09-30; one child born 2010
    f1 = family("Adamczyk")
    period(f1, d("2023-10-01"), d("2024-03-31"), "goals_achieved", assistant=a, monitoring_until=d("2024-09-30"))
    child(f1, d("2010-01-01"))
    # F2: court order from 2024-06-15, open; assistant A until 2025-02-28, then B; Za życiem request 2025-04-10;
    # one child turning 18 on 2024-07-01 (counted in 2024 only), one born 2020
    f2 = family("Baran")
    sp2 = period(f2, d("2024-06-15"), basis="court_order", za_zyciem_request_date=d("2025-04-10"))
    assign(sp2, a, d("2024-06-15"), d("2025-02-28"))
    assign(sp2, b, d("2025-03-01"))
    child(f2, d("2006-07-01"), "Starszy")
    child(f2, d("2020-01-01"), "Młodszy")
    # F3: two periods: 2024-02-01 – 2024-04-30 (no effects), 2025-01-15 – 2025-05-31 (no cooperation, monitored
    # until 2025-08-31); one child born 2012
    f3 = family("Cieślak")
    period(f3, d("2024-02-01"), d("2024-04-30"), "no_effects", assistant=b)
    period(f3, d("2025-01-15"), d("2025-05-31"), "no_cooperation", assistant=b, monitoring_until=d("2025-08-31"))
    child(f3, d("2012-12-12"))
    # F4: 2025-07-01 – 2025-12-31 (moved away; open on the last day of 2025); only an adult
    f4 = family("Dudek")
    period(f4, d("2025-07-01"), d("2025-12-31"), "moved_away", assistant=b)
    child(f4, d("1990-01-01"), "Matka", relation="parent")
    # F5: archived (entered by mistake) with assistant C: never counted
    f5 = family("Ewa", archived_at=datetime(2025, 1, 1, tzinfo=timezone.utc), archived_reason="duplicate")
    period(f5, d("2024-01-01"), assistant=c)
    child(f5, d("2015-01-01"))
    db.session.commit()


EXPECTED = {
    #                                       2024  2025  2025H1
    "AR_ASSISTANTS":                        (2,    2,    2),
    "AR_FAMILIES_SUPPORTED":                (3,    3,    2),
    "AR_CHILDREN_IN_SUPPORTED_FAMILIES":    (4,    2,    2),
    "AR_FAMILIES_STARTED":                  (2,    2,    1),
    "AR_FAMILIES_ENDED":                    (2,    2,    1),
    "AR_ENDED_GOALS_ACHIEVED":              (1,    0,    0),
    "AR_ENDED_NO_COOPERATION":              (0,    1,    1),
    "AR_ENDED_NO_EFFECTS":                  (1,    0,    0),
    "AR_ENDED_MOVED_AWAY":                  (0,    1,    0),
    "AR_ENDED_OTHER":                       (0,    0,    0),
    "AR_FAMILIES_ACTIVE_AT_END":            (1,    2,    1),
    "AR_ACTIVE_AT_END_COURT_ORDERED":       (1,    1,    1),
    "AR_ACTIVE_AT_END_VOLUNTARY":           (0,    1,    0),
    "AR_FAMILIES_COURT_ORDERED":            (1,    1,    1),
    "AR_DURATION_UP_TO_3M":                 (1,    0,    0),
    "AR_DURATION_3_TO_12M":                 (2,    2,    1),
    "AR_DURATION_OVER_12M":                 (0,    1,    1),
    "AR_ZA_ZYCIEM_REQUESTS":                (0,    1,    1),
    "AR_ZA_ZYCIEM_FAMILIES":                (0,    1,    1),
    "AR_FAMILIES_MONITORED":                (1,    1,    1),
    "AR_CHILDREN_IN_MONITORED_FAMILIES":    (1,    1,    1),
}
PERIODS = (periods.year(2024), periods.year(2025), periods.half(2025, 1))


@pytest.mark.parametrize("column", [0, 1, 2], ids=["2024", "2025", "2025H1"])
def test_every_ar_code_counted_on_paper(centre, column):
    values = engine.compute(PERIODS[column])
    got = {code: values[code] for code in EXPECTED}
    assert got == {code: expected[column] for code, expected in EXPECTED.items()}


def test_property_sums(centre):
    for p in PERIODS:
        v = engine.compute(p)
        assert sum(v[c] for c in ("AR_ENDED_GOALS_ACHIEVED", "AR_ENDED_NO_COOPERATION", "AR_ENDED_NO_EFFECTS",
                                  "AR_ENDED_MOVED_AWAY", "AR_ENDED_OTHER")) == v["AR_FAMILIES_ENDED"]
        assert v["AR_DURATION_UP_TO_3M"] + v["AR_DURATION_3_TO_12M"] + v["AR_DURATION_OVER_12M"] == \
            v["AR_FAMILIES_SUPPORTED"]
        assert v["AR_ACTIVE_AT_END_COURT_ORDERED"] + v["AR_ACTIVE_AT_END_VOLUNTARY"] == v["AR_FAMILIES_ACTIVE_AT_END"]
