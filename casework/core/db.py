"""Declarative base with a constraint naming convention, and per-connection SQLite and PostgreSQL settings."""
from datetime import datetime

from sqlalchemy import DateTime, Integer, MetaData, Select, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column

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
    """Optimistic locking in two steps.

    1. Across requests: a form carries the version it was loaded with, and `check_version` compares it with the
       row's version before the change (a second request reloads the row, so only this comparison sees that the
       user edited an older version).
    2. Inside the save: `version_id_col` makes SQLAlchemy bump the version itself and write
       `UPDATE … SET version = n + 1 WHERE id = … AND version = n`; when two saves loaded version n at the same
       moment, the later UPDATE matches no row and raises `StaleDataError` (answered with the same 409 page by
       `casework.core.errors.save`, or by the app's error handler on any other path). Nobody writes
       `version + 1` unguarded: the one place that sets it (`ensure_new_version`, for a save that changed only
       rows under obj) goes through the same guarded UPDATE.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


class StaleEditError(Exception):
    """Someone else saved the record after this form was loaded."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


def check_version(obj: VersionedMixin, form_version) -> None:
    """Raise StaleEditError when the form was loaded from an older version of obj. The version itself is bumped
    by SQLAlchemy when the row is updated (version_id_col), guarded against a concurrent save."""
    try:
        loaded = int(form_version)
    except (TypeError, ValueError):
        loaded = -1
    if loaded != obj.version:
        raise StaleEditError(obj)


def ensure_new_version(obj: VersionedMixin, form_version) -> None:
    """After a form's save: when only rows hanging off obj changed (a visit's areas, an assessment's per-goal
    progress), the row itself gets no UPDATE and so no new version; write the next one so the other open forms
    see a conflict. The UPDATE still carries `WHERE version = n` (version_id_col), so it is race-safe."""
    try:
        loaded = int(form_version)
    except (TypeError, ValueError):
        return
    if obj.version == loaded and inspect(obj).persistent:
        obj.version = loaded + 1


#: how much of an SQLite database file is read through a memory map (the embedded default's larger centres)
SQLITE_MMAP_BYTES = 256 * 1024 * 1024


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
    # reads of the database file through the operating system's page cache, shared by every worker, instead of
    # copying each page into SQLite's 2 MB per-connection cache: a year's counts over the city tier's visits and
    # their areas (11-80 MB of table and index read at random) took about a third less time (bench/RESULTS.md)
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.close()


def ids_in(column, ids):
    """`column IN (…)` for a list of ids or a SELECT of them: large sets are better passed as the SELECT, which
    the database plans once, than as thousands of bound parameters."""
    return column.in_(ids if isinstance(ids, Select) else list(ids))


def no_ids(ids) -> bool:
    """True for an empty list of ids (a SELECT is never known to be empty before it runs)."""
    return not isinstance(ids, Select) and not ids


# --- whether a session has written in its open transaction -----------------------------------------------------
# Work done on a second connection (a thread computing a period's indicators) sees committed data only; a session
# that has flushed changes it has not committed must do such work itself.

@event.listens_for(Session, "after_flush")
def _wrote(session, _context):
    session.info["uncommitted_writes"] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _settled(session):
    session.info.pop("uncommitted_writes", None)


def has_uncommitted_writes(session) -> bool:
    """True when `session` has flushed or pending changes not yet committed (another connection cannot see them)."""
    return bool(session.info.get("uncommitted_writes") or session.new or session.dirty or session.deleted)
