"""Exports of an indicator table: JSON (the INDICATORS.md object), CSV and XLSX."""
import csv
import io
import json

from casework.core import documents
from casework.core.cells import safe_row
from casework.core.indicators import BY_KEY, all_indicators
from casework.indicators import reports


def table_rows(values: dict, previous: dict | None = None, locale: str = "pl") -> list[dict]:
    """One row per number: object-by-key indicators give one row per key (CODE.key)."""
    out = []
    previous = previous or {}
    for ind in all_indicators():
        if ind.code not in values:
            continue
        value = values[ind.code]
        if ind.kind == BY_KEY:
            prev = previous.get(ind.code) or {}
            for key in sorted(set(value) | set(prev)):
                out.append({"code": f"{ind.code}.{key}", "label": f"{ind.label(locale)}: {key}",
                            "value": value.get(key, 0), "previous": prev.get(key)})
        else:
            out.append({"code": ind.code, "label": ind.label(locale), "value": value,
                        "previous": previous.get(ind.code)})
    return out


def to_json(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def to_csv(period, rows: list[dict], headers: tuple) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(safe_row(headers))
    for r in rows:
        writer.writerow(safe_row([r["code"], r["label"], r["value"], "" if r["previous"] is None else r["previous"]]))
    return buf.getvalue()


def to_xlsx(period, rows: list[dict], headers: tuple, title: str) -> bytes:
    from openpyxl import Workbook  # local import: a heavy library, loaded only when a file is made
    from openpyxl.styles import Font  # local import: a heavy library, loaded only when a file is made

    wb = Workbook()
    ws = wb.active
    ws.title = "Wskazniki"
    ws.append(safe_row([title]))
    ws["A1"].font = Font(bold=True)
    ws.append([f"{period.start.isoformat()} – {period.end.isoformat()}"])
    ws.append([])
    ws.append(safe_row(headers))
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(safe_row([r["code"], r["label"], r["value"], r["previous"]]))
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 14
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_docx(period, rows: list[dict], headers: tuple, title: str, values: dict) -> bytes:
    """A Word document: seed 004's assistants' table 1 and the full indicator table with the previous year."""


    # the centre's letterhead, A4, page numbers (casework.core.documents)
    doc = documents.new_document(title, f"{period.start.isoformat()} – {period.end.isoformat()}")
    doc.add_paragraph(reports.assistants_summary(period, values))
    doc.add_paragraph(reports.ASSISTANTS_TABLE_TITLE).runs[0].bold = True
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, _code, value in reports.assistants_table(period, values):
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = "" if value is None else str(value)
    doc.add_paragraph("")
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = str(text)
    for r in rows:
        cells = table.add_row().cells
        cells[0].text = r["code"]
        cells[1].text = r["label"]
        cells[2].text = str(r["value"])
        cells[3].text = "" if r["previous"] is None else str(r["previous"])
    return documents.to_bytes(doc)
