"""The work-time sheet as XLSX (openpyxl) and DOCX (python-docx)."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from casework.core import documents
from casework.core.cells import safe_row


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def timesheet_xlsx(sheet: dict, assistant_name: str, title: str, headers: tuple) -> bytes:
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
    for day, _fid, number, name, count, minutes in sheet["rows"]:
        ws.append(safe_row([day, f"{number} {name}", int(count), _hours(int(minutes))]))
        ws.cell(row=ws.max_row, column=1).number_format = "yyyy-mm-dd"
    ws.append([])
    ws.append(["Razem", "", sheet["total_visits"], _hours(sheet["total_minutes"])])
    for column, width in zip("ABCD", (12, 40, 10, 10)):
        ws.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def timesheet_docx(sheet: dict, assistant_name: str, title: str, headers: tuple) -> bytes:
    # the centre's letterhead, A4, page numbers (casework.core.documents)
    document = documents.new_document(title, assistant_name)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = str(text)
    for day, _fid, number, name, count, minutes in sheet["rows"]:
        cells = table.add_row().cells
        cells[0].text = day.isoformat()
        cells[1].text = f"{number} {name}"
        cells[2].text = str(int(count))
        cells[3].text = f"{_hours(int(minutes)):.2f}"
    cells = table.add_row().cells
    cells[0].text = "Razem"
    cells[2].text = str(sheet["total_visits"])
    cells[3].text = f"{_hours(sheet['total_minutes']):.2f}"
    document.add_paragraph("")
    document.add_paragraph("Podpis asystenta rodziny: ..............................")
    document.add_paragraph("Podpis koordynatora: ..............................")
    return documents.to_bytes(document)
