"""The schema comes from the migrations alone: upgrade from empty reaches the models exactly."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from casework.extensions import db


def test_upgrade_from_empty_matches_the_models():
    # the session fixture already ran `upgrade` on an empty database
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_every_model_table_exists_with_alembic_version():
    names = set(inspect(db.engine).get_table_names())
    assert "alembic_version" in names
    assert {t.name for t in db.metadata.sorted_tables} <= names


def test_downgrade_and_upgrade_again(scratch_app):
    """A fresh database can go up, down to empty and up again, on the suite's backend (SQLite and PostgreSQL)."""
    from flask_migrate import downgrade, upgrade

    other = scratch_app("updown")
    with other.app_context():
        upgrade()
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        if db.engine.dialect.name == "postgresql":  # nothing else left behind: functions, types, sequences
            with db.engine.connect() as conn:
                left = conn.execute(text(
                    "SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace "
                    "UNION ALL SELECT 'type ' || typname FROM pg_type WHERE typnamespace = 'public'::regnamespace "
                    "AND typtype IN ('e', 'd') "
                    "UNION ALL SELECT 'sequence ' || relname FROM pg_class "
                    "WHERE relnamespace = 'public'::regnamespace AND relkind = 'S'")).scalars().all()
            assert left == []
        upgrade()
        assert "user_account" in inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
