"""The demo command and the benchmark tiers end with ANALYZE: the query planner knows the tables' sizes at once
(without statistics SQLite's dashboard took 689 ms instead of 163 at the city tier)."""
from sqlalchemy import text

from casework.extensions import db


def _visit_statistics():
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first():
                return None
            row = conn.execute(text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'visit' LIMIT 1")).first()
            return row and row.stat
    with db.engine.connect() as conn:  # -1 until the table is analyzed (PostgreSQL 14+)
        tuples = conn.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'visit'")).scalar_one()
        return tuples if tuples > 0 else None


def test_loading_the_demo_leaves_the_planner_statistics(app):
    from casework.demo import load_demo

    with db.engine.begin() as conn:  # statistics of an earlier test's data do not count
        if db.engine.dialect.name == "sqlite":
            conn.execute(text("DROP TABLE IF EXISTS sqlite_stat1"))
    assert db.engine.dialect.name != "sqlite" or _visit_statistics() is None
    load_demo(families=6, seed=5)
    assert _visit_statistics(), "no planner statistics for the visits after loading the demo"
