"""The schema comes from the migrations alone: upgrade from empty reaches the models exactly."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

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


def test_downgrade_and_upgrade_again(tmp_path, app):
    """A fresh database can go up, down to empty and up again (on SQLite; PostgreSQL uses the suite's one)."""
    from flask_migrate import downgrade, upgrade

    from casework import create_app
    from config import TestingConfig

    if db.engine.dialect.name != "sqlite":
        return
    url = f"sqlite:///{tmp_path / 'updown.db'}"

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    other = create_app(Config)
    with other.app_context():
        upgrade()
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
        assert "user_account" in inspect(db.engine).get_table_names()
        db.engine.dispose()
