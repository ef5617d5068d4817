"""What a stored document may be: the type recognised from the file's first bytes (never the name or the type the
browser sent: an executable renamed `.pdf` is refused), and its size (the `attachment_max_mb` setting)."""
import io
import zipfile

from flask_babel import gettext as _

from casework.core.errors import RuleError
from casework.core.settings import get_setting

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
HEIC = "image/heic"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
#: the extension a download is given, by recognised type
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", HEIC: "heic", DOCX: "docx", ODT: "odt"}
#: the upload field's `accept`: what a phone or a file picker offers
ACCEPT = "image/*,application/pdf,.pdf,.jpg,.jpeg,.png,.heic,.docx,.odt," + DOCX + "," + ODT
#: the entry of an OpenDocument file naming its type
_ODF_TYPE_ENTRY = "mimetype"
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def sniff(data: bytes) -> str | None:
    """The document type the content is, or None when it is none of the accepted ones."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return HEIC
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return None


def _office(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if _ODF_TYPE_ENTRY in names and "content.xml" in names:
                info = archive.getinfo(_ODF_TYPE_ENTRY)
                if info.file_size < 100 and archive.read(info).strip() == ODT.encode():
                    return ODT
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return None
    return None


def max_bytes() -> int:
    return int(get_setting("attachment_max_mb")) * 1024 * 1024


def check_file(data: bytes) -> str:
    """The recognised type of an acceptable file; RuleError (Polish) otherwise."""
    if not data:
        raise RuleError(_("Choose a file or take a photo of the document."))
    if len(data) > max_bytes():
        raise RuleError(_("The file is larger than %(mb)d MB.", mb=int(get_setting("attachment_max_mb"))))
    kind = sniff(data)
    if kind is None:
        raise RuleError(_("This file is not a PDF, a photo (JPEG, PNG, HEIC) or a DOCX/ODT document; it was not "
                          "saved."))
    return kind
