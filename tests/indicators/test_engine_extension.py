"""Another domain can register indicators of every kind without touching the engine."""
import pytest
from sqlalchemy import literal, select, union_all

from casework.core import periods
from casework.core import indicators as registry
from casework.indicators import engine
from casework.core.indicators import BY_KEY, DECIMAL, Indicator


@pytest.fixture
def extra_indicators():
    def hours(p):
        rows = [select(literal(i).label("id"), literal(f"wizyta {i}").label("label"),
                       literal(amount).label("amount")) for i, amount in ((1, 1.5), (2, 2.25), (3, 0.125))]
        return union_all(*rows).subquery().select()

    def by_type(p):
        rows = [select(literal(i).label("id"), literal(f"kontakt {i}").label("label"), literal(key).label("key"))
                for i, key in ((1, "school"), (2, "school"), (3, "police"))]
        return union_all(*rows).subquery().select()

    added = [Indicator("TEST_HOURS", "godziny", "hours", "", "test", hours, DECIMAL, group="9 test"),
             Indicator("TEST_BY_TYPE", "wg typu", "by type", "", "test", by_type, BY_KEY, group="9 test",
                       keys=lambda: ["school", "police", "court"])]
    for ind in added:
        registry.register(ind)
    yield added
    for ind in added:
        registry.REGISTRY.pop(ind.code)


def test_decimal_and_object_by_key_kinds(extra_indicators):
    values = engine.compute(periods.year(2025))
    assert values["TEST_HOURS"] == 3.88  # 3.875 rounded half up to two decimals
    assert values["TEST_BY_TYPE"] == {"school": 2, "police": 1, "court": 0}
    records = engine.records("TEST_BY_TYPE", periods.year(2025))
    assert [(r["id"], r["key"]) for r in records] == [(1, "school"), (2, "school"), (3, "police")]
    assert engine.record_ids("TEST_BY_TYPE", periods.year(2025)) == [[1, "school"], [2, "school"], [3, "police"]]


def test_registering_a_code_twice_is_refused(extra_indicators):
    with pytest.raises(ValueError):
        registry.register(Indicator("TEST_HOURS", "x", "x", "", "", lambda p: None))


def test_family_indicators_are_discovered_from_the_domain_module():
    import casework.families.indicators as module

    assert registry.get("AR_FAMILIES_SUPPORTED").rows.__module__ == module.__name__


def test_counts_that_are_keys_of_one_query_are_read_in_one_group_by(queries):
    """A domain declares counts as keys of one keyed query (`key_of`): each value equals its own filtered query
    (what the drill-down lists), a key no record has is 0, a count over the base is the total, and the engine asks
    the database once for all of them."""
    from casework.extensions import db
    from sqlalchemy import func

    def contacts(p):
        rows = [select(literal(i).label("id"), literal(f"kontakt {i}").label("label"), literal(key).label("key"))
                for i, key in ((1, "school"), (2, "school"), (3, "police"), (4, None))]
        return union_all(*rows).subquery().select()

    added = [Indicator("TEST_ALL", "wszystkie", "all", "", "test", contacts, group="9 test")]
    added += [Indicator(f"TEST_{key.upper()}", key, key, "", "test", registry.key_of(contacts, key), group="9 test")
              for key in ("school", "police", "court")]
    for ind in added:
        registry.register(ind)
    try:
        codes = {ind.code for ind in added}
        with queries() as seen:
            values = engine.compute(periods.year(2025), codes)
        assert values == {"TEST_ALL": 4, "TEST_SCHOOL": 2, "TEST_POLICE": 1, "TEST_COURT": 0}
        assert len(seen) == 1
        for ind in added:  # the same number as the records behind it
            sub = ind.rows(periods.year(2025)).subquery()
            assert db.session.scalar(select(func.count()).select_from(sub)) == values[ind.code]
    finally:
        for ind in added:
            registry.REGISTRY.pop(ind.code)
