"""Declarative base with a constraint naming convention, and per-connection SQLite and PostgreSQL settings."""
from datetime import datetime

from sqlalchemy import DateTime, Integer, MetaData, Select, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from casework.core.timeutil import utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Model(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic locking: forms carry the version they were loaded with (see check_version)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class StaleEditError(Exception):
    """Someone else saved the record after this form was loaded."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


def check_version(obj: VersionedMixin, form_version) -> None:
    """Raise StaleEditError when the form was loaded from an older version of obj."""
    try:
        loaded = int(form_version)
    except (TypeError, ValueError):
        loaded = -1
    if loaded != obj.version:
        raise StaleEditError(obj)
    obj.version = obj.version + 1


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):  # pragma: no cover - driver hook
    module = type(dbapi_connection).__module__
    if module.startswith("psycopg"):
        # PostgreSQL's JIT compiles the one-SELECT indicator set for over a second before running it for half of
        # one (bench/RESULTS.md); the app's queries are short, so JIT never pays off here
        cursor = dbapi_connection.cursor()
        cursor.execute("SET jit = off")
        cursor.close()
        dbapi_connection.commit()
        return
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def ids_in(column, ids):
    """`column IN (…)` for a list of ids or a SELECT of them: large sets are better passed as the SELECT, which
    the database plans once, than as thousands of bound parameters."""
    return column.in_(ids if isinstance(ids, Select) else list(ids))


def no_ids(ids) -> bool:
    """True for an empty list of ids (a SELECT is never known to be empty before it runs)."""
    return not isinstance(ids, Select) and not ids
