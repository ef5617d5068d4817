"""The files of attachments, outside the database: one directory (`ATTACHMENTS_DIR` in the configuration, else the
environment's `CASEWORK_ATTACHMENTS_DIR`, else `instance/attachments`), random names, mode 0600.

A file follows its row's transaction: one written for a row that is rolled back is removed, and one whose row is
deleted (retention's purge deletes rows in bulk, `casework.privacy.retention`) is removed once the deletion is
committed — never before, so a purge that fails keeps every file."""
import os
import secrets
import tempfile

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

WRITTEN = "attachments_written"
DOOMED = "attachments_doomed"
#: the tables whose rows own a stored file (column `storage_name`)
FILE_TABLES = ("attachment", "bluecard_attachment")


_testing_dir: str | None = None


def directory() -> str:
    path = current_app.config.get("ATTACHMENTS_DIR") or os.environ.get("CASEWORK_ATTACHMENTS_DIR")
    if not path and current_app.testing:  # a test run never writes into the checkout's instance/
        global _testing_dir
        _testing_dir = _testing_dir or tempfile.mkdtemp(prefix="casework-attachments-")
        path = _testing_dir
    path = path or os.path.join(current_app.instance_path, "attachments")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def path_of(storage_name: str) -> str:
    if not storage_name or "/" in storage_name or "\\" in storage_name or storage_name.startswith("."):
        raise ValueError("not a storage name")
    return os.path.join(directory(), storage_name)


def write(session, data: bytes, storage_name: str | None = None) -> str:
    """Store `data` under a new random name (or `storage_name`, restoring a backup); removed again if the
    session's transaction rolls back."""
    name = storage_name or secrets.token_hex(20)
    path = path_of(name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        _unlink(path)
        raise
    if session is not None:
        session.info.setdefault(WRITTEN, []).append(path)
    return name


def read(storage_name: str) -> bytes:
    with open(path_of(storage_name), "rb") as source:
        return source.read()


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _table_name(statement) -> str | None:
    table = getattr(statement, "table", None)
    return getattr(table, "name", None)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_deletes(state):
    """A DELETE of attachment rows (retention's purge): note their files, removed when the deletion commits."""
    if not state.is_delete or _table_name(state.statement) not in FILE_TABLES:
        return
    table = state.statement.table
    query = select(table.c.storage_name)
    if state.statement.whereclause is not None:
        query = query.where(state.statement.whereclause)
    names = state.session.execute(query, state.parameters).scalars().all()
    state.session.info.setdefault(DOOMED, []).extend(os.path.join(directory(), n) for n in names)


@event.listens_for(Session, "after_flush")
def _note_deleted_objects(session, _context):
    for obj in session.deleted:
        if getattr(obj, "__tablename__", None) in FILE_TABLES and obj.storage_name:
            session.info.setdefault(DOOMED, []).append(os.path.join(directory(), obj.storage_name))


@event.listens_for(Session, "after_commit")
def _settle_after_commit(session):
    session.info.pop(WRITTEN, None)
    for path in session.info.pop(DOOMED, []):
        _unlink(path)


@event.listens_for(Session, "after_rollback")
def _settle_after_rollback(session):
    for path in session.info.pop(WRITTEN, []):
        _unlink(path)
    session.info.pop(DOOMED, None)
