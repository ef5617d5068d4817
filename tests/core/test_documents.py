"""Every generated DOCX carries the centre's identity: letterhead, file number, place and date, "strona X z Y",
A4 with 2.5 cm margins, Word heading styles, a signature block; the identity is checked (NIP, REGON) and edited by
the administrator; PDF through LibreOffice where it is installed."""
import io
import os
import struct
import zlib

import pytest
from docx import Document

from casework.core import documents
from casework.extensions import db

IDENTITY = {"name": "Miejsko-Gminny Ośrodek Pomocy Społecznej w Chmielniku",
            "address": "ul. A. Dygasińskiego 12\n26-020 Chmielnik", "place": "Chmielnik", "municipality": "Chmielnik",
            "regon": "290421461", "nip": "6572379216", "phone": "tel. 41 251 43 83", "head_name": "mgr Ewelina Skuza",
            "head_title": "DYREKTOR", "file_number_pattern": "MGOPS.AR.440.{n}.{year}", "font": ""}


def png() -> bytes:
    """A 1×1 PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def field_codes(part) -> str:
    return " ".join(t.text for t in part._element.iter() if t.tag.endswith("}instrText"))


def test_a_document_carries_the_centre_identity(app):
    documents.update_identity(IDENTITY, logo=png(), actor=None)
    db.session.commit()
    doc = documents.new_document("Sprawozdanie", "za 2025 rok", file_number=documents.file_number(7, 2026))
    documents.add_heading(doc, "Wprowadzenie", 1)
    documents.add_table(doc, ["A", "B"], [["x", "1"]], title="Tabela nr 1", source="MGOPS")
    documents.add_signature_block(doc, "Dorota Gozdek")
    opened = Document(io.BytesIO(documents.to_bytes(doc)))
    section = opened.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)  # A4
    assert round(section.left_margin.cm, 2) == round(section.right_margin.cm, 2) == 2.5
    header = "\n".join(p.text for p in section.header.paragraphs)
    assert "Miejsko-Gminny Ośrodek Pomocy Społecznej w Chmielniku" in header and "26-020 Chmielnik" in header
    assert "REGON: 290421461" in header and "NIP: 657-23-79-216" in header
    assert section.header._element.xpath(".//pic:pic")  # the logo
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("strona") and " z " in footer.text
    assert "PAGE" in field_codes(section.footer) and "NUMPAGES" in field_codes(section.footer)
    first = opened.paragraphs[0].text
    assert "Znak: MGOPS.AR.440.7.2026" in first and "Chmielnik, " in first
    styles = [(p.style.name, p.text) for p in opened.paragraphs]
    assert ("Title", "Sprawozdanie") in styles and ("Heading 1", "Wprowadzenie") in styles
    assert opened.tables[0].rows[0].cells[0].text == "A"
    body = "\n".join(p.text for p in opened.paragraphs)
    assert "Sporządził(a):" in body and "Zatwierdził(a):" in body and "DYREKTOR mgr Ewelina Skuza" in body
    assert "Źródło: MGOPS" in body
    assert opened.styles["Normal"].font.name == "Times New Roman"


def test_identity_is_checked_with_polish_messages(app):
    with pytest.raises(documents.IdentityError) as refused:
        documents.update_identity(dict(IDENTITY, nip="6572379217", regon="12345", file_number_pattern="X.{nr}"),
                                  actor=None)
    text = " ".join(refused.value.messages)
    assert "NIP 6572379217 jest nieprawidłowy" in text and "REGON 12345 jest nieprawidłowy" in text
    assert "{n}" in text
    assert documents.centre_identity().name is None  # nothing stored
    with pytest.raises(documents.IdentityError):
        documents.update_identity(IDENTITY, logo=b"GIF89a not a png", actor=None)


def test_admin_edits_the_identity_and_keeps_typed_values_on_error(client, login_as):
    login_as("admin")
    assert client.get("/admin/centre").status_code == 200
    bad = dict(IDENTITY, nip="123")
    response = client.post("/admin/centre", data=bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "NIP 123 jest nieprawidłowy" in html
    assert "Miejsko-Gminny Ośrodek Pomocy Społecznej w Chmielniku" in html  # what was typed is still there
    response = client.post("/admin/centre", data=dict(IDENTITY, logo=(io.BytesIO(png()), "logo.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    identity = documents.centre_identity()
    assert identity.nip == "657-23-79-216" and identity.logo == png() and identity.head == "DYREKTOR mgr Ewelina Skuza"
    assert client.get("/admin/centre/logo").data == png()


def test_coordinator_may_not_edit_the_identity(client, login_as):
    login_as("coordinator")
    assert client.get("/admin/centre").status_code == 403


@pytest.mark.skipif(documents.soffice_path() is None and os.environ.get("CI") != "true",
                    reason="LibreOffice is not installed (scripts/ensure-libreoffice.sh installs it; CI fails here)")
def test_pdf_through_libreoffice(app):
    doc = documents.new_document("Sprawozdanie", file_number="MGOPS.AR.440.7.2026")
    documents.add_paragraph(doc, "Zażółć gęślą jaźń")
    pdf = documents.to_pdf(documents.to_bytes(doc))
    assert pdf.startswith(b"%PDF")


def test_pdf_missing_says_so_in_polish(app, monkeypatch):
    monkeypatch.setattr(documents, "soffice_path", lambda: None)
    with pytest.raises(documents.PdfUnavailable) as missing:
        documents.to_pdf(b"")
    assert "LibreOffice" in str(missing.value) and "nie" in str(missing.value)
