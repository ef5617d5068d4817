"""The import: read a workbook (or CSV files), check every row, and only when every row is valid write them all in
one transaction (the caller commits). Rows carry a stable external id: a row seen before updates its record when it
changed and is left alone when it did not, so importing the same file twice changes nothing."""
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select

from casework.core import audit
from casework.extensions import db
from casework.importer.kinds import Context, RowError, by_sheet, ordered
from casework.importer.models import ImportKey
from casework.importer.parsing import CellError

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


def read_workbook(stream, filename: str) -> tuple[dict, list]:
    """{kind code: [(row number, {header: value})]} and the problems of reading (unknown sheets, missing headers)."""
    problems, sheets = [], {}
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        kind = by_sheet(Path(filename).stem)
        if kind is None:
            return {}, [Problem(Path(filename).name, 0, "", _("Name the CSV file after its sheet, e.g. wizyty.csv."))]
        raw = stream.read()
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t") if text.strip() else csv.excel
        table = list(csv.reader(io.StringIO(text), dialect))
        tables = {kind.code: (kind.sheet, table)}
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(stream, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable file gets the same clear message
            return {}, [Problem(Path(filename).name, 0, "", _("The file cannot be read as an XLSX workbook."))]
        tables = {}
        for sheet in book.worksheets:
            kind = by_sheet(sheet.title)
            if kind is None:
                if sheet.title.strip().lower() not in IGNORED_SHEETS:
                    problems.append(Problem(sheet.title, 0, "", _("Unknown sheet; the sheets are named as in the "
                                                                 "template.")))
                continue
            tables[kind.code] = (sheet.title, [list(r) for r in sheet.iter_rows(values_only=True)])
    else:
        return {}, [Problem(Path(filename).name, 0, "", _("Import an XLSX workbook or a CSV file."))]
    from casework.importer.kinds import KINDS

    for code, (title, table) in tables.items():
        if not table:
            continue
        headers = [str(h).strip().lower() if h is not None else "" for h in table[0]]
        kind = KINDS[code]
        missing = [c.header for c in kind.columns if c.required and c.header not in headers]
        for header in missing:
            problems.append(Problem(title, 1, header, _("The column is missing.")))
        rows = []
        for number, values in enumerate(table[1:], start=2):
            if all(v in (None, "") for v in values):
                continue
            rows.append((number, {h: v for h, v in zip(headers, values) if h}))
        sheets[code] = rows
    return sheets, problems


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
    from casework.importer.kinds import KINDS

    report, ctx = Report(dry_run=dry_run), Context()
    for code in KINDS:
        ctx.known[code] = {ext: rid for ext, rid in db.session.execute(
            select(ImportKey.external_id, ImportKey.record_id).where(ImportKey.kind == code))}
    parsed: dict[str, list] = {}
    in_file = ctx.in_file = {code: set() for code in KINDS}
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
                        sheet=KINDS[target].sheet)))
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
    _check_case_numbers(parsed.get("families", []), ctx, report)
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


def _check_case_numbers(rows, ctx, report):
    from casework.families.models import Family

    seen = {}
    for number, values in rows:
        case = values["case_number"]
        if case in seen:
            report.problems.append(Problem("rodziny", number, "numer_sprawy",
                                           _("The case number %(number)s repeats in the sheet.", number=case)))
        seen[case] = values["external_id"]
    if not seen:
        return
    taken = dict(db.session.execute(select(Family.case_number, Family.id).where(Family.case_number.in_(list(seen)))).all())
    for number, values in rows:
        owner = taken.get(values["case_number"])
        if owner is not None and ctx.known["families"].get(values["external_id"]) != owner:
            report.problems.append(Problem("rodziny", number, "numer_sprawy", _(
                "The case number %(number)s belongs to another family already.", number=values["case_number"])))


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
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from casework.core.dictionaries import DictionaryEntry

    book = Workbook()
    book.remove(book.active)
    for kind in ordered():
        sheet = book.create_sheet(kind.sheet)
        sheet.append([c.header for c in kind.columns])
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
                    values.append([kind.sheet, column.header, word, column.help])
            elif column.help:
                values.append([kind.sheet, column.header, "", column.help + ("; wymagana" if column.required else "")])
    for entry in db.session.scalars(select(DictionaryEntry).where(DictionaryEntry.active.is_(True))
                                    .order_by(DictionaryEntry.kind, DictionaryEntry.position)):
        values.append([entry.kind, "", entry.code, entry.label_pl])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
