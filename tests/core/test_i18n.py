"""Every UI string is translated to Polish (the default) and the compiled catalog is current."""
import os
from io import BytesIO

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PO = os.path.join(ROOT, "translations", "pl", "LC_MESSAGES", "messages.po")
MO = os.path.join(ROOT, "translations", "pl", "LC_MESSAGES", "messages.mo")
METHODS = [("casework/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _extracted_ids():
    ids = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(ROOT, METHODS, keywords=KEYWORDS):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def _catalog():
    with open(PO, "rb") as f:
        return read_po(f, locale="pl")


def test_every_ui_string_has_a_polish_translation():
    catalog = _catalog()
    translated = {}
    for m in catalog:
        if not m.id:
            continue
        key = m.id[0] if isinstance(m.id, tuple) else m.id
        done = all(m.string) if isinstance(m.string, tuple) else bool(m.string)
        translated[key] = done and "fuzzy" not in m.flags
    missing = sorted(i for i in _extracted_ids() if not translated.get(i))
    assert not missing, "run `make i18n` and translate in translations/pl: " + "; ".join(missing[:20])


def test_compiled_catalog_matches_the_po_file():
    buf = BytesIO()
    write_mo(buf, _catalog())
    buf.seek(0)
    expected = {str(m.id): str(m.string) for m in read_mo(buf) if m.id}
    with open(MO, "rb") as f:
        actual = {str(m.id): str(m.string) for m in read_mo(f) if m.id}
    assert actual == expected, "the .mo file is stale: run `make i18n`"
