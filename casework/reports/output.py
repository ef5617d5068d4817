"""A report document rendered (sections.render_document) as DOCX through casework.core.documents — the centre's
letterhead, file number, place and date, headings in Word's styles, real tables, numbered lists, signature block —
and as XLSX (one sheet per table, numbers as numbers)."""
import csv
import io
from decimal import Decimal

from casework.core import documents
from casework.core.cells import safe_row
from casework.reports.placeholders import plain


def _paragraph_text(block) -> str:
    return plain(block.segments)


def to_docx(document, rendered, title: str, subtitle: str | None = None, identity=None) -> bytes:
    """The DOCX of a report document (title and subtitle as rendered, sections.title_of): a cover letter section
    first (seed 004) comes before the title."""
    identity = identity or documents.centre_identity()
    leading_letters = []
    for section in rendered:
        if section.kind != "letter":
            break
        leading_letters.append(section)
    doc = documents.new_document(None if leading_letters else title, None if leading_letters else subtitle,
                                 file_number=document.file_number, identity=identity)
    for section in rendered:
        if section in leading_letters:
            _blocks(doc, section)
            if section is leading_letters[-1]:
                documents.add_title(doc, title, subtitle)
            continue
        if section.heading:
            documents.add_heading(doc, section.heading, section.level)
        _blocks(doc, section)
    documents.add_signature_block(doc, document.prepared_by, identity=identity)
    return documents.to_bytes(doc)


def _blocks(doc, section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # local import: a heavy library, loaded only when a file is made

    for block in section.blocks:
        if block.kind == "para":
            paragraph = documents.add_paragraph(doc, _paragraph_text(block))
            if block.align == "right":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif block.kind == "signature":
            paragraph = documents.add_paragraph(doc, _paragraph_text(block), bold=True)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif block.kind == "heading":
            documents.add_heading(doc, _paragraph_text(block), block.level)
        elif block.kind == "list":
            documents.add_numbered(doc, [plain(item) for item in block.items])
        elif block.kind == "table":
            table = block.table
            documents.add_table(doc, table.headers, [[c.text for c in row] for row in table.rows],
                                title=table.title, source=table.source, merge_down=table.merge_down)
            documents.add_paragraph(doc, "")
        elif block.kind == "break":
            documents.add_page_break(doc)


def tables(rendered) -> list[tuple[str, object]]:
    """(name, RTable) of every table of the document, in order."""
    out = []
    for section in rendered:
        for block in section.blocks:
            if block.kind == "table":
                out.append((block.table.title or section.heading or "", block.table))
    return out


def to_xlsx(title: str, rendered) -> bytes:
    """Every table on its own sheet ("Tabela 1", …): its title, the header row, the rows; figures as numbers."""
    from openpyxl import Workbook  # local import: a heavy library, loaded only when a file is made
    from openpyxl.styles import Alignment, Font  # local import: as above

    wb = Workbook()
    wb.remove(wb.active)
    for n, (name, table) in enumerate(tables(rendered), start=1):
        ws = wb.create_sheet(f"Tabela {n}")
        ws.append(safe_row([name or title]))
        ws.cell(1, 1).font = Font(bold=True)
        if table.headers:
            ws.append(safe_row(table.headers))
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        for row in table.rows:
            ws.append(safe_row([c.value if isinstance(c.value, (int, float, Decimal)) and not isinstance(c.value, bool)
                                and c.text != "-" else c.text for c in row]))
        if table.source:
            ws.append(safe_row([f"Źródło: {table.source}"]))
        ws.column_dimensions["A"].width = 60
        for column in "BCDEF":
            ws.column_dimensions[column].width = 22
        for row in ws.iter_rows():
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if not wb.sheetnames:
        ws = wb.create_sheet("Tabela 1")
        ws.append(safe_row([title]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_csv(rendered) -> str:
    """One line per figure of every table: section; table; row; column; value; code (easy to paste or to diff)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(["section", "table", "row", "column", "value", "code"])
    for section in rendered:
        for block in section.blocks:
            if block.kind != "table":
                continue
            table = block.table
            for row in table.rows:
                label = row[0].text if row else ""
                for n, cell in enumerate(row[1:], start=1):
                    header = table.headers[n] if n < len(table.headers) else ""
                    writer.writerow(safe_row([section.heading or "", table.title or "", label, header, cell.text,
                                              cell.code or ""]))
    return buf.getvalue()
