"""Printable documents (DOCX through python-docx): one place for the download response and the signature block."""
from io import BytesIO

from flask import Response

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def new_document(title: str, subtitle: str | None = None):
    from docx import Document  # local import: a heavy library, loaded only when a file is made

    document = Document()
    document.add_heading(title, level=1)
    if subtitle:
        document.add_paragraph(subtitle)
    return document


def add_labelled(document, label: str, text: str | None) -> None:
    """A bold label and its text; nothing when the text is empty (a printed form shows what was recorded)."""
    if not text:
        return
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(str(text))


def add_table(document, headers, rows) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = str(text)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = "" if text is None else str(text)


def add_signatures(document, who: list[str]) -> None:
    """Lines for handwritten signatures, one per person (the document is signed on paper)."""
    document.add_paragraph("")
    for label in who:
        document.add_paragraph(f"{label}: ........................................   ........................")


def docx_response(document, filename: str) -> Response:
    out = BytesIO()
    document.save(out)
    return Response(out.getvalue(), mimetype=DOCX_MIMETYPE,
                    headers={"Content-Disposition": f"attachment; filename={filename}.docx"})
