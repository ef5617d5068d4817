"""A report as data — sections of paragraphs and tables whose cells may carry an indicator code — and its
renderers: DOCX, XLSX, CSV and JSON (HTML is the template reports/show.html over the same structure).

Reports only arrange indicators: a cell with a code shows the value of that code and links to its drill-down."""
import csv
import io
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from casework.core import documents
from casework.core.cells import safe_row


@dataclass
class Cell:
    value: object = None
    #: the indicator code behind the number (drill-down); None for text or typed-in figures
    code: str | None = None
    #: a note shown under the value (e.g. who supplied a typed-in figure)
    note: str | None = None

    def text(self) -> str:
        if self.value is None:
            return "—"
        if isinstance(self.value, (float, Decimal)) and not isinstance(self.value, bool):
            return f"{self.value:,.2f}".replace(",", " ").replace(".", ",")
        return str(self.value)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Cell]]
    title: str | None = None


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    level: int = 2


@dataclass
class Report:
    name: str
    title: str
    period_label: str
    period: dict
    sections: list[Section]
    subtitle: str | None = None
    #: codes of the indicators used, for the drill-down links (the period is the report's)
    notes: list[str] = field(default_factory=list)


def cell(value=None, code=None, note=None) -> Cell:
    return value if isinstance(value, Cell) else Cell(value, code, note)


def to_json(report: Report) -> str:
    return json.dumps(asdict(report), ensure_ascii=False, indent=2, default=str)


def to_csv(report: Report) -> str:
    """One line per table cell: section; table; row label; column; value; code — easy to paste or to diff."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(["section", "table", "row", "column", "value", "code"])
    for section in report.sections:
        for table in section.tables:
            for row in table.rows:
                label = row[0].text() if row else ""
                for header, c in zip(table.headers[1:], row[1:]):
                    writer.writerow(safe_row([section.heading, table.title or "", label, header,
                                              "" if c.value is None else c.value, c.code or ""]))
    return buf.getvalue()


def to_xlsx(report: Report) -> bytes:
    """One sheet: the title, then each section's heading, paragraphs and tables, numbers as numbers."""
    from openpyxl import Workbook  # local import: a heavy library, loaded only when a file is made
    from openpyxl.styles import Alignment, Font  # local import: a heavy library, loaded only when a file is made

    wb = Workbook()
    ws = wb.active
    ws.title = report.name[:31]
    ws.append(safe_row([report.title]))
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=14)
    ws.append(safe_row([report.period_label]))
    for section in report.sections:
        ws.append([])
        ws.append(safe_row([section.heading]))
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for paragraph in section.paragraphs:
            ws.append(safe_row([paragraph]))
        for table in section.tables:
            if table.title:
                ws.append(safe_row([table.title]))
                ws.cell(ws.max_row, 1).font = Font(italic=True)
            ws.append(safe_row(table.headers))
            for c in ws[ws.max_row]:
                c.font = Font(bold=True)
            for row in table.rows:
                ws.append(safe_row([c.value if isinstance(c.value, (int, float)) else
                                    (None if c.value is None else str(c.value)) for c in row]))
    ws.column_dimensions["A"].width = 80
    for col in "BCDEF":
        ws.column_dimensions[col].width = 18
    for row in ws.iter_rows(min_col=1, max_col=1):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_docx(report: Report) -> bytes:
    """Through casework.core.documents: the centre's letterhead, A4, page numbers, Word heading styles, tables."""
    document = documents.new_document(report.title, report.subtitle)
    for section in report.sections:
        documents.add_heading(document, section.heading, section.level)
        for paragraph in section.paragraphs:
            documents.add_paragraph(document, paragraph)
        for table in section.tables:
            documents.add_table(document, table.headers,
                                [[c.text() + (f" ({c.note})" if c.note else "") for c in row] for row in table.rows],
                                title=table.title)
    for note in report.notes:
        documents.add_paragraph(document, note)
    documents.add_signature_block(document)
    return documents.to_bytes(document)


RENDERERS = {
    "json": (to_json, "application/json; charset=utf-8"),
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": (to_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
