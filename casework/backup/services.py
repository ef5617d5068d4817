"""Logical backup and restore, the same for SQLite and PostgreSQL.

A backup is a ZIP: `manifest.json` (format, schema revision, time, row counts per table) and one
`tables/<name>.jsonl` per table (one JSON object per row). It is read inside one transaction (REPEATABLE READ on
PostgreSQL, a read transaction on SQLite's WAL), so it is a consistent copy while the app runs.

Restore refuses a file whose schema revision this code does not know (a newer release made it), builds the schema
of the file's revision from the migrations, loads the rows, and migrates to the current head. Being logical, a
backup also moves a centre from the embedded SQLite to PostgreSQL. For very large PostgreSQL databases,
pg_dump/pg_restore remain available (docs/backup.md).

With a passphrase (the environment variable CASEWORK_BACKUP_KEY) the ZIP is encrypted whole (casework.backup.crypto):
the CLI's `--encrypt`, and every scheduled backup when the variable is set; restore recognises an encrypted file and
decrypts it into a private temporary file first.

The files of attached documents, kept outside the database (casework.attachments.storage), travel in the same ZIP as
`files/<storage name>`, byte for byte, and restore puts them back (mode 0600) under the configured directory.
"""
import json
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, create_engine, inspect, select, text, types as sqltypes

from casework.attachments import storage as attachment_storage
from casework.backup import crypto
from casework.core.timeutil import utcnow
from casework.extensions import db

FORMAT = "casework-backup-1"
#: where the attached documents' files are in the ZIP
FILES = "files/"
BATCH = 5000


class BackupError(RuntimeError):
    """Backup or restore refused; the message says why (in English: it is a command-line tool)."""


@dataclass
class BackupInfo:
    revision: str
    created_at: str
    row_counts: dict

    @property
    def total_rows(self) -> int:
        return sum(self.row_counts.values())


def _script_directory() -> ScriptDirectory:
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config)


def current_revision(connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _encode(value):
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, time):
        return {"$t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$hex": bytes(value).hex()}
    return value


def _decode(value):
    if isinstance(value, dict) and len(value) == 1:
        (key, raw), = value.items()
        if key == "$dt":
            return datetime.fromisoformat(raw)
        if key == "$d":
            return date.fromisoformat(raw)
        if key == "$t":
            return time.fromisoformat(raw)
        if key == "$dec":
            return Decimal(raw)
        if key == "$hex":
            return bytes.fromhex(raw)
    return value


def _user_tables(connection) -> list:
    metadata = MetaData()
    metadata.reflect(bind=connection)
    return [t for t in metadata.sorted_tables if t.name != "alembic_version"]


def backup(path: str, *, passphrase: str | None = None, key_name: str = crypto.KEY_ENV) -> BackupInfo:
    """Write a consistent backup of the whole database to path (a new ZIP file, mode 0600), encrypted with the
    passphrase when one is given (`key_name` names where it came from, for the messages)."""
    if passphrase is None:
        return _backup_plain(path)
    try:
        crypto.check_passphrase(passphrase, key_name)  # before the work, not after it
    except crypto.CryptoError as exc:
        raise BackupError(str(exc)) from exc
    directory = os.path.dirname(os.path.abspath(path)) or "."
    with tempfile.TemporaryDirectory(dir=directory, prefix=".casework-backup-") as tmpdir:  # mode 0700
        plain = os.path.join(tmpdir, "backup.zip")
        info = _backup_plain(plain)
        crypto.encrypt_file(plain, path, passphrase, name=key_name)
    return info


def _backup_plain(path: str) -> BackupInfo:
    engine = db.engine
    if engine.dialect.name == "sqlite":
        # SQLite's online backup API copies a consistent snapshot while the app writes; dump that copy.
        with tempfile.TemporaryDirectory() as tmpdir:
            snapshot = os.path.join(tmpdir, "snapshot.db")
            raw = engine.raw_connection()
            try:
                target = sqlite3.connect(snapshot)
                with target:
                    raw.driver_connection.backup(target)
                target.close()
            finally:
                raw.close()
            snapshot_engine = create_engine(f"sqlite:///{snapshot}")
            try:
                with snapshot_engine.connect() as connection:
                    return _write_archive(connection, path)
            finally:
                snapshot_engine.dispose()
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():  # one snapshot for every table
            return _write_archive(connection, path)


def _write_archive(connection, path: str) -> BackupInfo:
    revision = current_revision(connection)
    if revision is None:
        raise BackupError("the database has no schema (run `flask db upgrade` first)")
    counts = {}
    directory = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(suffix=".zip", dir=directory)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            tables = _user_tables(connection)
            for table in tables:
                counts[table.name] = _dump_table(connection, table, archive)
            files, missing = _dump_files(connection, tables, archive)
            info = BackupInfo(revision=revision, created_at=utcnow().isoformat(), row_counts=counts)
            archive.writestr("manifest.json", json.dumps(
                {"format": FORMAT, "revision": info.revision, "created_at": info.created_at,
                 "dialect": connection.dialect.name, "row_counts": counts, "files": files,
                 "missing_files": missing}, indent=2))
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return info


def _dump_table(connection, table, archive) -> int:
    order = [c for c in table.primary_key.columns] or list(table.columns)
    result = connection.execution_options(yield_per=BATCH).execute(table.select().order_by(*order))
    count = 0
    with archive.open(f"tables/{table.name}.jsonl", "w") as out:
        for row in result.mappings():
            out.write((json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False) + "\n").encode())
            count += 1
    return count


def _dump_files(connection, tables, archive) -> tuple[int, int]:
    """The attached documents' files of the rows just dumped: (files written, files the rows name but the storage
    directory lacks)."""
    written = missing = 0
    for table in tables:
        if table.name not in attachment_storage.FILE_TABLES or "storage_name" not in table.c:
            continue
        for name in connection.execute(select(table.c.storage_name).order_by(table.c.storage_name)).scalars():
            try:
                path = attachment_storage.path_of(name)
            except ValueError:
                missing += 1
                continue
            if not os.path.exists(path):
                missing += 1
                continue
            archive.write(path, f"{FILES}{name}")
            written += 1
    return written, missing


def _restore_files(archive) -> int:
    restored = 0
    for entry in archive.namelist():
        if not entry.startswith(FILES) or entry.endswith("/"):
            continue
        name = entry[len(FILES):]
        target = attachment_storage.path_of(name)  # refuses a name with a path in it
        tmp = target + ".restoring"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out, archive.open(entry) as source:
            while chunk := source.read(1 << 20):
                out.write(chunk)
        os.replace(tmp, target)
        restored += 1
    return restored


def read_manifest(path: str) -> BackupInfo:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise BackupError(f"not a casework backup: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return BackupInfo(revision=manifest["revision"], created_at=manifest["created_at"],
                      row_counts=manifest["row_counts"])


def restore(path: str, *, replace: bool = False, passphrase: str | None = None,
            key_name: str = crypto.KEY_ENV) -> BackupInfo:
    """Restore a backup into the database that DATABASE_URL names, then migrate it to the current schema. An
    encrypted backup is decrypted (with the passphrase) into a private temporary file first; nothing is touched
    when it does not decrypt."""
    if not crypto.is_encrypted(path):
        return _restore_plain(path, replace=replace)
    with tempfile.TemporaryDirectory(prefix="casework-restore-") as tmpdir:  # mode 0700, removed afterwards
        plain = os.path.join(tmpdir, "backup.zip")
        try:
            crypto.decrypt_file(path, plain, passphrase, name=key_name)
        except crypto.CryptoError as exc:
            raise BackupError(str(exc)) from exc
        return _restore_plain(plain, replace=replace)


def _restore_plain(path: str, *, replace: bool) -> BackupInfo:
    info = read_manifest(path)
    scripts = _script_directory()
    try:
        scripts.get_revision(info.revision)
    except Exception as exc:  # alembic raises several kinds for an unknown revision
        raise BackupError(f"the backup comes from a newer schema ({info.revision}) than this casework knows; "
                          "install the newer release to restore it") from exc
    engine = db.engine
    with engine.connect() as connection:
        has_data = inspect(connection).has_table("user_account") and connection.execute(
            text("SELECT 1 FROM user_account LIMIT 1")).first() is not None
    if has_data and not replace:
        raise BackupError("the target database holds data; use --replace to overwrite it")
    _drop_everything()
    upgrade(revision=info.revision)
    db.session.remove()
    with engine.begin() as connection:
        tables = {t.name: t for t in _user_tables(connection)}
        for table in reversed(list(tables.values())):  # rows the migrations seeded give way to the backup's
            if table.name in info.row_counts:
                connection.execute(table.delete())
        with zipfile.ZipFile(path) as archive:
            for table in [t for t in tables.values() if t.name in info.row_counts]:
                _load_table(connection, table, archive)
            _restore_files(archive)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection, tables.values())
    upgrade()
    return info


def _converter(column):
    kind = column.type
    if isinstance(kind, sqltypes.DateTime):
        return lambda v: v if v is None or isinstance(v, datetime) else datetime.fromisoformat(v)
    if isinstance(kind, sqltypes.Date):
        return lambda v: v if v is None or isinstance(v, date) else date.fromisoformat(v)
    return None


def _load_table(connection, table, archive) -> None:
    converters = {c.name: conv for c in table.columns if (conv := _converter(c))}
    batch = []
    with archive.open(f"tables/{table.name}.jsonl") as source:
        for line in source:
            row = {k: _decode(v) for k, v in json.loads(line).items() if k in table.c}
            for name, convert in converters.items():
                if name in row:
                    row[name] = convert(row[name])
            batch.append(row)
            if len(batch) >= BATCH:
                connection.execute(table.insert(), batch)
                batch = []
    if batch:
        connection.execute(table.insert(), batch)


def _reset_sequences(connection, tables) -> None:
    for table in tables:
        for column in table.primary_key.columns:
            sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                          {"t": table.name, "c": column.name}).scalar()
            if sequence:
                connection.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX("{column.name}") '
                                        f'FROM "{table.name}"), 0) + 1, false)'), {"s": sequence})


def _drop_everything() -> None:
    """Empty the database: the migrations' own downgrades first (they also drop functions and triggers), then
    whatever is left."""
    engine = db.engine
    db.session.remove()
    with engine.connect() as connection:
        revision = current_revision(connection)
    if revision is not None:
        downgrade(revision="base")
    with engine.begin() as connection:
        metadata = MetaData()
        metadata.reflect(bind=connection)
        metadata.drop_all(bind=connection)


_FROM_ENV = object()
ENCRYPTED_SUFFIX = ".zip.enc"


def _scheduled_names(directory: str) -> list[str]:
    return sorted(n for n in os.listdir(directory)
                  if n.startswith("casework-") and (n.endswith(".zip") or n.endswith(ENCRYPTED_SUFFIX)))


def scheduled_backup(directory: str, keep: int, now=None, passphrase=_FROM_ENV) -> str:
    """The nightly job: write casework-YYYYMMDD-HHMMSS.zip into directory — casework-….zip.enc, encrypted, when the
    passphrase is configured (CASEWORK_BACKUP_KEY) — and keep only the newest `keep`."""
    if passphrase is _FROM_ENV:
        passphrase = crypto.passphrase_from_env()
    os.makedirs(directory, exist_ok=True)
    stamp = (now or utcnow()).strftime("%Y%m%d-%H%M%S")
    path = os.path.join(directory, f"casework-{stamp}" + (ENCRYPTED_SUFFIX if passphrase else ".zip"))
    backup(path, passphrase=passphrase)
    rotate(directory, keep)
    return path


def rotate(directory: str, keep: int) -> list[str]:
    """Delete all but the newest `keep` scheduled backups in directory; return the deleted paths."""
    names = _scheduled_names(directory)
    doomed = names[:-keep] if keep > 0 else []
    for name in doomed:
        os.unlink(os.path.join(directory, name))
    return [os.path.join(directory, n) for n in doomed]


def latest_backup_age(directory: str, now):
    """How long ago the newest scheduled backup in directory was made (None when there is none)."""
    if not os.path.isdir(directory):
        return None
    names = _scheduled_names(directory)
    if not names:
        return None
    made = datetime.strptime(names[-1][len("casework-"):len("casework-YYYYmmdd-HHMMSS")], "%Y%m%d-%H%M%S")
    return now.replace(tzinfo=None) - made
