"""Printable documents (DOCX through python-docx, PDF through LibreOffice): one look for everything casework prints.

Every generated document carries the centre's identity (declared settings `centre.*`, edited on /admin/centre):
a letterhead with the logo, name, address, REGON and NIP; the file number (znak sprawy); place and date; the page
number "strona X z Y" in the footer (Word PAGE / NUMPAGES fields); A4 with 2.5 cm margins; the centre's font;
headings in Word's heading styles (a table of contents can be built from them) and real Word tables.

The API (small on purpose; letters, plans, assessments, reports all use it):

    identity = centre_identity()                  # Identity(name, address_lines, place, ..., logo bytes or None)
    number = file_number(7, 2026)                 # "MGOPS.AR.440.7.2026" from the centre's scheme ({n}, {year})
    doc = new_document("Plan pracy", file_number=number, subtitle=None, when=date(...), letterhead=True)
    add_title(doc, "Sprawozdanie", "za 2025 rok")  # when new_document(None, …) left the title for later
    add_heading(doc, "Cel 1", level=1)            # Word "Heading 1" … "Heading 4"
    add_paragraph(doc, "text")                    # body text, justified
    add_labelled(doc, "Label", "text")            # bold label: text (nothing when the text is empty)
    add_table(doc, headers, rows, widths_cm=None) # a Word table, header row repeated on each page
    add_numbered(doc, ["item", …])                # a numbered list (List Number)
    add_signature_block(doc, prepared_by="…", approved_by=None)   # "Sporządził(a)" / "Zatwierdził(a)" (head)
    add_signatures(doc, ["Family member", …])     # lines for handwritten signatures, one per person
    data = to_bytes(doc); docx_response(doc, "plan-7"); pdf_response(data, "plan-7")   # PDF when LibreOffice is
    to_pdf(data) -> bytes (PdfUnavailable with a Polish message when `soffice` is missing or fails)

Checks of the identity (the rules live here, once): `check_nip`, `check_regon` (python-stdnum), and
`update_identity(values, logo=None, actor=…)` which validates, stores the settings and audits the change.
"""
import base64
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from flask import Response
from flask_babel import gettext as _

from casework.core import audit
from casework.core import settings as app_settings
from casework.core.errors import RuleError
from casework.core.timeutil import today_local

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIMETYPE = "application/pdf"
DEFAULT_FONT = "Times New Roman"
MARGIN_CM = 2.5
LOGO_MAX_BYTES = 1024 * 1024
#: the identity fields an administrator edits (settings keys are "centre." + field)
IDENTITY_FIELDS = ("name", "address", "place", "municipality", "regon", "nip", "phone", "head_name", "head_title",
                   "file_number_pattern", "font")


class IdentityError(RuleError):
    """A value of the centre's identity was refused (Polish message)."""


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed here or the conversion failed; `str(exc)` is for the user (Polish)."""


@dataclass(frozen=True)
class Identity:
    name: str | None = None
    address: str | None = None
    place: str | None = None
    municipality: str | None = None
    regon: str | None = None
    nip: str | None = None
    phone: str | None = None
    head_name: str | None = None
    head_title: str | None = None
    file_number_pattern: str | None = None
    font: str | None = None
    logo: bytes | None = None
    logo_mime: str | None = None

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in (self.address or "").splitlines() if line.strip()]

    @property
    def head(self) -> str:
        """"DYREKTOR mgr Ewelina Skuza" as signed under a document ("" when not set)."""
        return " ".join(p for p in (self.head_title, self.head_name) if p)


def centre_identity() -> Identity:
    """The centre's identity as stored (empty fields None)."""
    values = {f: app_settings.get_setting(f"centre.{f}") for f in IDENTITY_FIELDS}
    logo = app_settings.get_setting("centre.logo")
    data = None
    if logo:
        try:
            data = base64.b64decode(logo["data"])
        except (ValueError, TypeError):
            data = None
    return Identity(**values, logo=data, logo_mime=logo["mime"] if data else None)


# --- rules -------------------------------------------------------------------------------------------------------

def check_nip(raw: str | None) -> str | None:
    """NIP with a valid check digit, printed as 657-23-79-216 (None when empty)."""
    from stdnum.pl import nip  # local import: python-stdnum is only needed when the identity is edited

    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        digits = nip.validate(raw)
        return f"{digits[:3]}-{digits[3:5]}-{digits[5:7]}-{digits[7:]}"  # as on letterheads: 657-23-79-216
    except Exception:  # noqa: BLE001 - stdnum raises several ValidationError kinds; all mean "not a NIP"
        raise IdentityError(_("The NIP %(value)s is not valid (10 digits with a correct check digit).",
                              value=raw)) from None


def check_regon(raw: str | None) -> str | None:
    """REGON (9 or 14 digits) with valid check digits (None when empty)."""
    from stdnum.pl import regon  # local import: python-stdnum is only needed when the identity is edited

    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return regon.compact(regon.validate(raw))
    except Exception:  # noqa: BLE001 - stdnum raises several ValidationError kinds; all mean "not a REGON"
        raise IdentityError(_("The REGON %(value)s is not valid (9 or 14 digits with a correct check digit).",
                              value=raw)) from None


def check_file_number_pattern(raw: str | None) -> str | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        raw.format(n=1, year=2026)
    except (KeyError, IndexError, ValueError):
        raise IdentityError(_("The file-number scheme may contain only {n} (the number) and {year} (the year), "
                              "e.g. MGOPS.AR.440.{n}.{year}.")) from None
    return raw


def _image_mime(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def update_identity(values: dict, *, logo: bytes | None = None, remove_logo: bool = False, actor=None) -> Identity:
    """Check and store the identity (all fields or none: IdentityError lists every problem). Flushes, audits."""
    problems, clean = [], {}
    for field in IDENTITY_FIELDS:
        value = (values.get(field) or "").strip() or None
        if value and len(value) > 500:
            problems.append(_("Enter at most 500 characters."))
            continue
        clean[field] = value
    for field, check in (("nip", check_nip), ("regon", check_regon),
                         ("file_number_pattern", check_file_number_pattern)):
        try:
            clean[field] = check(clean.get(field))
        except IdentityError as exc:
            problems.extend(exc.messages)
    image = None
    if logo:
        mime = _image_mime(logo)
        if mime is None:
            problems.append(_("The logo must be a PNG or JPEG image."))
        elif len(logo) > LOGO_MAX_BYTES:
            problems.append(_("The logo may have at most 1 MB."))
        else:
            image = {"mime": mime, "data": base64.b64encode(logo).decode("ascii")}
    if problems:
        raise IdentityError(problems)
    changed = []
    for field, value in clean.items():
        if app_settings.get_setting(f"centre.{field}") != value:
            app_settings.set_setting(f"centre.{field}", value)
            changed.append(field)
    if image is not None or remove_logo:
        app_settings.set_setting("centre.logo", image)
        changed.append("logo")
    audit.record("centre_identity_changed", object_type="app_setting", user=actor, details={"fields": changed})
    return centre_identity()


def file_number(n=None, year: int | None = None, identity: Identity | None = None) -> str | None:
    """The file number from the centre's scheme: "MGOPS.AR.440.{n}.{year}" → "MGOPS.AR.440.7.2026".
    None when the centre has no scheme; "…" stands for a number not given (filled in by hand)."""
    identity = identity or centre_identity()
    if not identity.file_number_pattern:
        return None
    return identity.file_number_pattern.format(n="…" if n in (None, "") else n,
                                               year=year or today_local().year)


# --- building a document -------------------------------------------------------------------------------------------

def _field(run, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in `run`: Word and LibreOffice compute it when the page is laid out."""
    from docx.oxml import OxmlElement  # local import: a heavy library, loaded only when a file is made
    from docx.oxml.ns import qn  # local import: as above

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    text = OxmlElement("w:t")
    text.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, text, end):
        run._r.append(element)


def _set_font(document, font: str) -> None:
    from docx.oxml.ns import qn  # local import: a heavy library, loaded only when a file is made
    from docx.shared import Pt  # local import: as above

    for name, size in (("Normal", 11), ("Title", 16), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11),
                       ("Heading 4", 11)):
        style = document.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), font)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(attr), None)
        if name != "Normal":
            style.font.color.rgb = None
    document.styles["Normal"].paragraph_format.space_after = Pt(4)


def _letterhead(section, identity: Identity) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # local import: a heavy library, loaded only when a file is made
    from docx.shared import Cm, Pt  # local import: as above

    header = section.header
    header.is_linked_to_previous = False
    first = header.paragraphs[0]
    if identity.logo:
        try:
            first.add_run().add_picture(BytesIO(identity.logo), height=Cm(1.6))
            first = header.add_paragraph()
        except Exception:  # noqa: BLE001 - an image python-docx cannot read: the letterhead without it
            pass
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name = first.add_run(identity.name or _("(name of the centre — set it in Administration → Centre)"))
    name.bold = True
    name.font.size = Pt(12)
    details = list(identity.address_lines)
    numbers = ", ".join(p for p in (f"REGON: {identity.regon}" if identity.regon else "",
                                    f"NIP: {identity.nip}" if identity.nip else "") if p)
    if identity.phone:
        details.append(identity.phone)
    if numbers:
        details.append(numbers)
    for line in details:
        paragraph = header.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        run.font.size = Pt(9)


def _footer(section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # local import: a heavy library, loaded only when a file is made
    from docx.shared import Pt  # local import: as above

    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text = _("page [PAGE] of [PAGES]")
    before, _sep, rest = text.partition("[PAGE]")
    middle, _sep, after = rest.partition("[PAGES]")
    for piece, field in ((before, "PAGE"), (middle, "NUMPAGES"), (after, None)):
        if piece:
            paragraph.add_run(piece).font.size = Pt(9)
        if field:
            run = paragraph.add_run()
            run.font.size = Pt(9)
            _field(run, field)


def new_document(title: str | None, subtitle: str | None = None, *, file_number: str | None = None,
                 when: date | None = None, letterhead: bool = True, landscape: bool = False,
                 identity: Identity | None = None):
    """A python-docx Document with the centre's look: A4, 2.5 cm margins, the centre's font, the letterhead in the
    header, "strona X z Y" in the footer, then "Znak: <file number>" and "<place>, dn. <date>" and the title (Word's
    Title style) with its subtitle. `title=None` leaves the body empty (a letter lays out its own first lines)."""
    from docx import Document  # local import: a heavy library, loaded only when a file is made
    from docx.enum.section import WD_ORIENT  # local import: as above
    from docx.enum.text import WD_TAB_ALIGNMENT  # local import: as above
    from docx.shared import Cm  # local import: as above

    identity = identity or centre_identity()
    document = Document()
    _set_font(document, identity.font or DEFAULT_FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    section.header_distance = section.footer_distance = Cm(1.0)
    if letterhead:
        _letterhead(section, identity)
    _footer(section)
    document.core_properties.title = title or ""
    document.core_properties.author = identity.name or ""
    document.core_properties.language = "pl-PL"
    when = when or today_local()
    line = document.add_paragraph()
    line.paragraph_format.tab_stops.add_tab_stop(section.page_width - section.left_margin - section.right_margin,
                                                 WD_TAB_ALIGNMENT.RIGHT)
    if file_number:
        line.add_run(_("File no.: %(number)s", number=file_number))
    line.add_run("\t" + _("%(place)s, %(date)s", place=identity.place or identity.municipality or "",
                          date=when.strftime("%d.%m.%Y")).lstrip(", "))
    if title:
        add_title(document, title, subtitle)
    return document


def add_title(document, title: str, subtitle: str | None = None) -> None:
    """The document's title in Word's Title style, centred, and its subtitle under it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # local import: a heavy library, loaded only when a file is made

    heading = document.add_paragraph(title, style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if subtitle:
        paragraph = document.add_paragraph(subtitle)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def add_heading(document, text: str, level: int = 1):
    """A heading in Word's "Heading N" style (N 1–4): the table of contents is built from these."""
    return document.add_heading(text, level=min(max(int(level or 1), 1), 4))


def add_paragraph(document, text: str | None, *, bold: bool = False, italic: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # local import: a heavy library, loaded only when a file is made

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    run = paragraph.add_run(text or "")
    run.bold, run.italic = bold or None, italic or None
    return paragraph


def add_labelled(document, label: str, text: str | None) -> None:
    """A bold label and its text; nothing when the text is empty (a printed form shows what was recorded)."""
    if not text:
        return
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(str(text))


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement  # local import: a heavy library, loaded only when a file is made
    from docx.oxml.ns import qn  # local import: as above

    trpr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    trpr.append(element)


def add_table(document, headers, rows, *, title: str | None = None, source: str | None = None,
              widths_cm=None, merge_down: tuple = ()):
    """A Word table ("Table Grid"): a bold header row repeated on each page, then the rows (None → ""). `title`
    goes above it (bold), `source` below it ("Źródło: …"). `merge_down`: column indexes whose empty cells join the
    cell above (seed 002's task / form / partners spanning the rows of their measures)."""
    from docx.shared import Cm, Pt  # local import: a heavy library, loaded only when a file is made

    if title:
        document.add_paragraph().add_run(title).bold = True
    headers = list(headers)
    table = document.add_table(rows=1 if headers else 0, cols=max(len(headers), max((len(r) for r in rows),
                                                                                     default=1)))
    table.style = "Table Grid"
    if headers:
        for cell, text in zip(table.rows[0].cells, headers):
            cell.text = "" if text is None else str(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = "" if text is None else str(text)
    for column in merge_down:
        start = 1 if headers else 0
        top = None
        for index in range(start, len(table.rows)):
            cell = table.rows[index].cells[column]
            if cell.text == "" and top is not None:
                top = top.merge(cell)
                # merging keeps an empty paragraph of the merged cell: drop it
                for paragraph in top.paragraphs[1:]:
                    if not paragraph.text:
                        paragraph._p.getparent().remove(paragraph._p)
            else:
                top = cell
    if widths_cm:
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm):
                cell.width = Cm(width)
    if source:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(_("Source: %(source)s", source=source))
        run.italic = True
        run.font.size = Pt(9)
    return table


def add_numbered(document, items) -> None:
    """A numbered list in Word's "List Number" style."""
    for item in items:
        if str(item).strip():
            document.add_paragraph(str(item).strip(), style="List Number")


def add_signature_block(document, prepared_by: str | None = None, approved_by: str | None = None, *,
                        identity: Identity | None = None) -> None:
    """"Sporządził(a): …" on the left and "Zatwierdził(a): <head of centre>" on the right, with dotted lines to
    sign on paper. `approved_by` defaults to the head of centre of the identity."""
    from docx.enum.text import WD_TAB_ALIGNMENT  # local import: a heavy library, loaded only when a file is made
    from docx.shared import Cm  # local import: as above

    identity = identity or centre_identity()
    approved_by = approved_by if approved_by is not None else identity.head
    section = document.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    document.add_paragraph("")
    for left, right in ((_("Prepared by") + ":", _("Approved by") + ":"),
                        (prepared_by or "", approved_by or ""),
                        ("." * 40, "." * 40),
                        (_("(date and signature)"), _("(date and signature)"))):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.tab_stops.add_tab_stop(width // 2 + Cm(1), WD_TAB_ALIGNMENT.LEFT)
        paragraph.paragraph_format.space_after = 0
        paragraph.add_run(f"{left}\t{right}")


def add_signatures(document, who: list[str]) -> None:
    """Lines for handwritten signatures, one per person (the document is signed on paper)."""
    document.add_paragraph("")
    for label in who:
        document.add_paragraph(f"{label}: ........................................   ........................")


def add_page_break(document) -> None:
    from docx.enum.text import WD_BREAK  # local import: a heavy library, loaded only when a file is made

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def to_bytes(document) -> bytes:
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def docx_response(document, filename: str) -> Response:
    data = document if isinstance(document, bytes) else to_bytes(document)
    return Response(data, mimetype=DOCX_MIMETYPE,
                    headers={"Content-Disposition": f"attachment; filename={filename}.docx"})


# --- PDF -------------------------------------------------------------------------------------------------------

def soffice_path() -> str | None:
    """LibreOffice's command (Debian: libreoffice-writer-nogui), or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, timeout: int = 120) -> bytes:
    """The DOCX converted by LibreOffice headless (a private profile per call, so parallel calls do not clash).
    PdfUnavailable (message in Polish) when LibreOffice is missing or fails."""
    command = soffice_path()
    if command is None:
        raise PdfUnavailable(_("PDF cannot be made here: LibreOffice is not installed on the server "
                               "(Debian package libreoffice-writer-nogui). Download the DOCX and save it as PDF "
                               "in your word processor, or ask the administrator to install it."))
    with tempfile.TemporaryDirectory(prefix="casework-pdf-") as work:
        source = os.path.join(work, "document.docx")
        with open(source, "wb") as out:
            out.write(docx)
        try:
            subprocess.run([command, f"-env:UserInstallation=file://{work}/profile", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", work, source],
                           check=True, capture_output=True, timeout=timeout)
            with open(os.path.join(work, "document.pdf"), "rb") as result:
                return result.read()
        except (subprocess.SubprocessError, OSError):
            raise PdfUnavailable(_("LibreOffice could not convert the document to PDF. Download the DOCX "
                                   "instead, or try again later.")) from None


def pdf_response(docx: bytes, filename: str) -> Response:
    """The PDF as a download; raises PdfUnavailable (the view shows its message)."""
    return Response(to_pdf(docx), mimetype=PDF_MIMETYPE,
                    headers={"Content-Disposition": f"attachment; filename={filename}.pdf"})
