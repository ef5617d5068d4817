"""The import: read a workbook (or CSV files), check every row, and only when every row is valid write them all in
one transaction (the caller commits). Rows carry a stable external id: a row seen before updates its record when it
changed and is left alone when it did not, so importing the same file twice changes nothing."""
import csv
import io
import logging
import os
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select

from casework.core import audit, settings
from casework.core.cells import safe_row
from casework.core.dictionaries import DictionaryEntry
from casework.auth.models import User, UserRole
from casework.core.imports import CellError, Context, RowError, by_sheet, kinds, ordered
from casework.extensions import db
from casework.importer.models import ImportKey

log = logging.getLogger(__name__)
BATCH = 2000
IGNORED_SHEETS = {"słowniki", "slowniki", "instrukcja"}


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class Report:
    problems: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # kind sheet → {"new", "updated", "unchanged"}
    rows: int = 0
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems


#: the limits of what an import reads, whatever the file itself declares: declared settings (casework.core.settings)
LIMIT_SETTINGS = ("import_max_rows", "import_max_columns", "import_max_cells", "import_max_unpacked_mb")


@dataclass(frozen=True)
class Limits:
    rows: int         # rows of one sheet, the header and empty rows among them
    columns: int      # columns with a value in any row
    cells: int        # cells with a value in the whole file
    unpacked_mb: int  # what an XLSX (a ZIP) unpacks to, all its parts together

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(*(int(settings.get_setting(key)) for key in LIMIT_SETTINGS))


class FileRefused(Exception):
    """The file passes a limit or cannot be decoded; the message (Polish) says why and what to do."""


class _Table:
    """The rows of one sheet as they are read: trailing empty cells dropped, every limit checked on the way, so
    memory and time follow what the file holds, never what it declares (<dimension>, a far-away empty cell)."""

    def __init__(self, title: str, limits: Limits, cells_so_far: int):
        self.title, self.limits, self.cells = title, limits, cells_so_far
        self.rows: list[tuple[int, list]] = []  # (row number, values); empty rows are left out

    def add(self, number: int, values) -> None:
        if number > self.limits.rows:
            raise FileRefused(_("The sheet „%(sheet)s” has more than %(n)d rows (empty rows at its end count too): "
                                "delete the rows below the data or split the file.", sheet=self.title,
                                n=self.limits.rows))
        values = list(values)
        while values and values[-1] in (None, ""):
            values.pop()
        if not values:
            return
        if len(values) > self.limits.columns:
            raise FileRefused(_("The sheet „%(sheet)s” has a value beyond column %(n)d in row %(row)d: delete the "
                                "columns right of the data.", sheet=self.title, n=self.limits.columns, row=number))
        self.cells += sum(1 for v in values if v not in (None, ""))
        if self.cells > self.limits.cells:
            raise FileRefused(_("The file has more than %(n)d filled cells: split it into smaller files.",
                                n=self.limits.cells))
        self.rows.append((number, values))


def _decode_csv(raw: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes) or Windows-1250, as Polish Excel saves „CSV (rozdzielany
    przecinkami)”."""
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("unknown encoding")


def _csv_delimiter(text: str) -> str:
    """The separator of the header line: `;` (Polish Excel), `,` or tab; a one-column file has none."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in ";,\t"}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(stream, title: str, limits: Limits) -> _Table:
    raw = stream.read()
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    try:
        text = _decode_csv(raw)
    except ValueError:
        raise FileRefused(_("The file's characters cannot be read: save it in Excel as „CSV UTF-8 (rozdzielany "
                            "przecinkami)” or „CSV (rozdzielany przecinkami)”.")) from None
    table = _Table(title, limits, 0)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text))
    for number, values in enumerate(reader, start=1):
        table.add(number, values)
    return table


def _check_zip(stream, limits: Limits) -> None:
    """Refuse an XLSX that unpacks to more than the limit (a ZIP bomb) before openpyxl reads any of it; Python's
    zipfile never inflates a part beyond the size its header declares."""
    with zipfile.ZipFile(stream) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > limits.unpacked_mb * 1024 * 1024 or len(archive.infolist()) > 10_000:
            raise FileRefused(_("The workbook unpacks to more than %(mb)d MB: split it into smaller files.",
                                mb=limits.unpacked_mb))
    stream.seek(0)


def _read_xlsx(stream, limits: Limits, problems: list) -> dict:
    from openpyxl import load_workbook  # local import: a heavy library, loaded only when a file is made

    _check_zip(stream, limits)
    book = load_workbook(stream, read_only=True, data_only=True)
    tables, cells = {}, 0
    try:
        for sheet in book.worksheets:
            kind = by_sheet(sheet.title)
            if kind is None:
                if sheet.title.strip().lower() not in IGNORED_SHEETS:
                    problems.append(Problem(sheet.title, 0, "", _("Unknown sheet; the sheets are named as in the "
                                                                 "template.")))
                continue
            sheet.reset_dimensions()  # never trust <dimension>: read what the rows hold, no padding to it
            table = _Table(sheet.title, limits, cells)
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                table.add(number, values)
            cells = table.cells
            tables[kind.code] = table
    finally:
        book.close()
    return tables


def read_workbook(stream, filename: str, limits: Limits | None = None) -> tuple[dict, list]:
    """{kind code: [(row number, {header: value})]} and the problems of reading (unknown sheets, missing headers,
    a limit passed, a file that cannot be read: each a Polish line of the report, never an exception)."""
    problems, sheets = [], {}
    limits = limits or Limits.from_settings()
    name = Path(filename).name
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".csv":
            kind = by_sheet(Path(filename).stem)
            if kind is None:
                return {}, [Problem(name, 0, "", _("Name the CSV file after its sheet, e.g. wizyty.csv."))]
            tables = {kind.code: _read_csv(stream, kind.sheet, limits)}
        elif suffix in (".xlsx", ".xlsm"):
            tables = _read_xlsx(stream, limits, problems)
        else:
            return {}, [Problem(name, 0, "", _("Import an XLSX workbook or a CSV file."))]
    except FileRefused as exc:
        return {}, [Problem(name, 0, "", str(exc))]
    except Exception as exc:  # noqa: BLE001 - a damaged or hostile file (bad ZIP, XML, DTD, CSV) gets one clear line
        log.info("import file unreadable: %s", type(exc).__name__)
        message = (_("The file cannot be read as a CSV file: save it in Excel as „CSV UTF-8 (rozdzielany "
                     "przecinkami)” or „CSV (rozdzielany przecinkami)”.") if suffix == ".csv" else
                   _("The file cannot be read as an XLSX workbook."))
        return {}, [Problem(name, 0, "", message)]

    for code, table in tables.items():
        if not table.rows:
            continue
        if table.rows[0][0] != 1:
            problems.append(Problem(table.title, 1, "", _("The first row holds the column names, as in the "
                                                          "template.")))
            continue
        headers = [str(h).strip().lower() if h is not None else "" for h in table.rows[0][1]]
        kind = kinds()[code]
        missing = [c.header for c in kind.columns if c.required and c.header not in headers]
        for header in missing:
            problems.append(Problem(table.title, 1, header, _("The column is missing.")))
        sheets[code] = [(number, {h: v for h, v in zip(headers, values) if h}) for number, values in table.rows[1:]]
    return sheets, problems


#: uploads not confirmed within this time are deleted by the scheduler (confirmed and failed ones at once)
UPLOAD_MAX_AGE = timedelta(days=1)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")


def upload_dir() -> Path:
    """instance/imports, readable by the app's own user only."""
    path = Path(current_app.instance_path) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def store_upload(data: bytes, filename: str) -> str:
    """Keep an uploaded file until it is confirmed, fails or is a day old (mode 0600); return its token."""
    suffix = Path(filename).suffix.lower()
    token = secrets.token_urlsafe(12)
    _write_private(upload_dir() / f"{token}{suffix}", data)
    _write_private(upload_dir() / f"{token}.name", (Path(filename).stem + suffix).encode("utf-8"))
    return token


def stored_upload(token: str) -> tuple[Path, str] | None:
    """(the file, its original name) for a token, None when there is no such upload (any more)."""
    if not token or not _TOKEN.fullmatch(token):
        return None
    directory = upload_dir()
    files = [p for p in directory.glob(f"{token}.*") if p.suffix != ".name"]
    name_file = directory / f"{token}.name"
    if not files or not name_file.exists():
        return None
    return files[0], name_file.read_text(encoding="utf-8")


def discard_upload(token: str) -> None:
    if not token or not _TOKEN.fullmatch(token):
        return
    for path in upload_dir().glob(f"{token}.*"):
        path.unlink(missing_ok=True)


def delete_stale_uploads(now: datetime, max_age: timedelta = UPLOAD_MAX_AGE) -> int:
    """Delete uploads older than max_age (the scheduler's job); returns the number of files deleted."""
    directory = Path(current_app.instance_path) / "imports"
    if not directory.is_dir():
        return 0
    cutoff = (now - max_age).timestamp()
    deleted = 0
    for path in directory.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def _parse(kind, number, row, ctx, problems) -> dict | None:
    values, ok = {}, True
    for column in kind.columns:
        raw = row.get(column.header)
        try:
            value = column.parse(raw)
        except CellError as exc:
            problems.append(Problem(kind.sheet, number, column.header, str(exc)))
            ok = False
            continue
        if column.required and value in (None, ""):
            problems.append(Problem(kind.sheet, number, column.header, _("The value is required.")))
            ok = False
        values[column.name] = value
    return values if ok else None


def run(sheets: dict, *, dry_run: bool, progress=None, actor=None, write_progress=None) -> Report:
    """Check every row; write only when all are valid and not `dry_run`. `progress(n)` is told of rows checked,
    `write_progress(n)` of rows written (the caller commits: one transaction, all or nothing)."""
    report, ctx = Report(dry_run=dry_run), Context(users=_users)
    for code in kinds():
        ctx.known[code] = {ext: rid for ext, rid in db.session.execute(
            select(ImportKey.external_id, ImportKey.record_id).where(ImportKey.kind == code))}
    parsed: dict[str, list] = {}
    in_file = ctx.in_file = {code: set() for code in kinds()}
    for kind in ordered():
        for number, row in sheets.get(kind.code, []):
            ext = str(row.get("id") or "").strip()
            if ext.endswith(".0"):
                ext = ext[:-2]
            if ext in in_file[kind.code]:
                report.problems.append(Problem(kind.sheet, number, "id", _("The id %(id)s repeats in the sheet.",
                                                                           id=ext)))
            in_file[kind.code].add(ext)
    for kind in ordered():
        rows = []
        for number, row in sheets.get(kind.code, []):
            report.rows += 1
            values = _parse(kind, number, row, ctx, report.problems)
            if values is None:
                continue
            values["external_id"] = values["external_id"].removesuffix(".0")
            bad_ref = False
            for name, target in kind.refs.items():
                ref = values.get(name)
                if ref is None:
                    continue
                ref = str(ref).removesuffix(".0")
                values[name] = ref
                if ref not in in_file[target] and ref not in ctx.known[target]:
                    header = next(c.header for c in kind.columns if c.name == name)
                    report.problems.append(Problem(kind.sheet, number, header, _(
                        "No row with the id %(id)s in the sheet „%(sheet)s” nor imported before.", id=ref,
                        sheet=kinds()[target].sheet)))
                    bad_ref = True
            try:
                kind.build(values, ctx)
            except RowError as exc:
                report.problems.append(Problem(kind.sheet, number, exc.column, exc.message))
                continue
            if not bad_ref:
                rows.append((number, values))
        parsed[kind.code] = rows
        if progress:
            progress(len(sheets.get(kind.code, [])))
    for kind in ordered():
        if kind.check_rows and parsed.get(kind.code):
            report.problems += [Problem(kind.sheet, number, header, message)
                                for number, header, message in kind.check_rows(parsed[kind.code], ctx)]
    for kind in ordered():
        existing = sum(1 for _n, v in parsed.get(kind.code, []) if v["external_id"] in ctx.known[kind.code])
        report.counts[kind.sheet] = {"new": len(parsed.get(kind.code, [])) - existing, "existing": existing,
                                     "updated": 0, "unchanged": 0}
    if not report.ok or dry_run:
        return report
    if write_progress:
        write_progress(0)
    for kind in ordered():
        _write(kind, parsed.get(kind.code, []), ctx, report.counts[kind.sheet])
        if write_progress:
            write_progress(len(parsed.get(kind.code, [])))
    audit.record("data_imported", object_type="import", user=actor,
                 details={sheet: {k: v for k, v in c.items() if k != "existing"} for sheet, c in report.counts.items()
                          if c["new"] or c["existing"]})
    return report


def _users() -> dict:
    """{login lowercased: (user id, set of roles)} for the import's look-ups of users by login."""
    found = {}
    for user_id, user_login, user_role in db.session.execute(
            select(User.id, User.login, UserRole.role).outerjoin(UserRole, UserRole.user_id == User.id)):
        found.setdefault(user_login.lower(), (user_id, set()))[1].add(user_role)
    return found


def _write(kind, rows, ctx, counts):
    table = kind.table
    new, old = [], []
    for _number, values in rows:
        record = kind.build(values, ctx)
        record_id = ctx.known[kind.code].get(values["external_id"])
        (old if record_id else new).append((values["external_id"], record_id, record))
    for start in range(0, len(new), BATCH):
        batch = new[start:start + BATCH]
        records = [{k: v for k, v in r.items() if not k.startswith("_")} for _e, _i, r in batch]
        ids = db.session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                 records).scalars().all()
        for (ext, _i, record), new_id in zip(batch, ids):
            record["id"] = new_id
            ctx.known[kind.code][ext] = new_id
        if kind.after_insert:
            kind.after_insert([r for _e, _i, r in batch], ctx)
        db.session.execute(insert(ImportKey.__table__), [{"kind": kind.code, "external_id": ext, "record_id": r["id"]}
                                                         for ext, _i, r in batch])
    counts["new"] = len(new)
    for start in range(0, len(old), BATCH):
        batch = old[start:start + BATCH]
        fields = [k for k in batch[0][2] if not k.startswith("_") and k not in kind.derived]
        current = {row.id: row for row in db.session.execute(
            select(table.c.id, *[table.c[f] for f in fields]).where(table.c.id.in_([i for _e, i, _r in batch])))}
        changed = []
        for _e, record_id, record in batch:
            row = current.get(record_id)
            if row is None:
                continue  # the record was removed since; nothing to update
            if any(getattr(row, f) != record[f] for f in fields):
                changed.append({"_id": record_id, **{f: record[f] for f in fields}})
        if changed:
            stmt = table.update().where(table.c.id == bindparam("_id")).values(
                **{f: bindparam(f) for f in fields})
            if "version" in table.c:
                stmt = stmt.values(version=table.c.version + 1)
            db.session.execute(stmt, changed)
        counts["updated"] += len(changed)
        counts["unchanged"] += len(batch) - len(changed)
    db.session.flush()
    if kind.after_write:
        written = [r for _e, _i, r in new] + [dict(r, id=record_id) for _e, record_id, r in old]
        for start in range(0, len(written), BATCH):
            kind.after_write(written[start:start + BATCH], ctx)


def template_workbook() -> bytes:
    """An XLSX with one sheet per kind (the headers, a note under each) and the sheet „słowniki” of allowed values."""
    from openpyxl import Workbook  # local import: a heavy library, loaded only when a file is made
    from openpyxl.styles import Font  # local import: a heavy library, loaded only when a file is made


    book = Workbook()
    book.remove(book.active)
    for kind in ordered():
        sheet = book.create_sheet(kind.sheet)
        sheet.append(safe_row(c.header for c in kind.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for n, column in enumerate(kind.columns, start=1):
            sheet.cell(1, n).comment = None
            sheet.column_dimensions[sheet.cell(1, n).column_letter].width = max(12, len(column.header) + 4)
    values = book.create_sheet("słowniki")
    values.append(["arkusz / słownik", "kolumna", "wartość", "opis"])
    for cell in values[1]:
        cell.font = Font(bold=True)
    for kind in ordered():
        for column in kind.columns:
            allowed = getattr(column.parse, "allowed", None)
            if allowed:
                for word in sorted(allowed):
                    values.append(safe_row([kind.sheet, column.header, word, column.help]))
            elif column.help:
                values.append(safe_row([kind.sheet, column.header, "",
                                        column.help + ("; wymagana" if column.required else "")]))
    for entry in db.session.scalars(select(DictionaryEntry).where(DictionaryEntry.active.is_(True))
                                    .order_by(DictionaryEntry.kind, DictionaryEntry.position)):
        values.append(safe_row([entry.kind, "", entry.code, entry.label_pl]))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
