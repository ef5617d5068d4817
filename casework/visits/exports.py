"""The work-time sheet as XLSX (openpyxl) and DOCX (python-docx)."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from casework.core import documents
from casework.core.cells import safe_row


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def _row_values(sheet, row) -> list:
    return [row.day, str(sheet.label(row.kind)), row.family, row.detail, row.count,
            _hours(row.minutes) if row.minutes is not None else None]


def timesheet_xlsx(sheet, assistant_name: str, title: str, headers: tuple) -> bytes:
    """The whole job's sheet (casework.core.worktime.Sheet): a row per day and piece of work, the totals per
    kind of work, the month's total."""
    book = Workbook()
    ws = book.active
    ws.title = "Karta czasu pracy"
    ws.append(safe_row([title]))
    ws["A1"].font = Font(bold=True)
    ws.append(safe_row([assistant_name]))
    ws.append([])
    ws.append(safe_row(headers))
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        ws.append(safe_row(_row_values(sheet, row)))
        ws.cell(row=ws.max_row, column=1).number_format = "yyyy-mm-dd"
    ws.append([])
    for label, count, minutes in sheet.by_kind:
        ws.append(safe_row(["", str(label), "", "", count, _hours(minutes)]))
    ws.append(["Razem", "", "", "", sum(c for _l, c, _m in sheet.by_kind), _hours(sheet.total_minutes)])
    for column, width in zip("ABCDEF", (12, 26, 34, 30, 9, 9)):
        ws.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def timesheet_docx(sheet, assistant_name: str, title: str, headers: tuple) -> bytes:
    # the centre's letterhead, A4, page numbers (casework.core.documents)
    document = documents.new_document(title, assistant_name)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = str(text)
    for row in sheet.rows:
        cells = table.add_row().cells
        values = _row_values(sheet, row)
        cells[0].text = row.day.strftime("%d.%m.%Y")
        for cell, value in zip(cells[1:4], values[1:4]):
            cell.text = value
        cells[4].text = str(row.count)
        cells[5].text = _pl(values[5]) if values[5] is not None else "—"
    for label, count, minutes in sheet.by_kind:
        cells = table.add_row().cells
        cells[1].text = str(label)
        cells[4].text = str(count)
        cells[5].text = _pl(_hours(minutes))
    cells = table.add_row().cells
    cells[0].text = "Razem"
    cells[4].text = str(sum(c for _l, c, _m in sheet.by_kind))
    cells[5].text = _pl(_hours(sheet.total_minutes))
    document.add_paragraph("")
    document.add_paragraph("Podpis asystenta rodziny: ..............................")
    document.add_paragraph("Podpis koordynatora: ..............................")
    return documents.to_bytes(document)


def _pl(hours: float) -> str:
    return f"{hours:.2f}".replace(".", ",")
