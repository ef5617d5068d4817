"""Each domain contributes its own import sheets (casework/<domain>/imports.py, contract casework.core.imports),
found at start-up; the engine (casework.importer) imports no domain's sheets itself, and the sheets keep their
order in the template and in the write."""
import ast
import io
from pathlib import Path

from openpyxl import load_workbook

from casework.core.imports import kinds, ordered
from casework.importer import services

ROOT = Path(__file__).resolve().parents[2] / "casework"
#: the sheets of the domains that had them when the hub was split, in their order; later domains add theirs
SHEETS = {"rodziny": "families", "instytucje": "contacts", "czlonkowie": "families", "okresy_wsparcia": "families",
          "wizyty": "visits", "posiedzenia": "contacts", "kontakty": "contacts", "dzieci_w_pieczy": "fostercare",
          "umieszczenia": "fostercare", "noty_pcpr": "fostercare"}


def test_every_sheet_comes_from_its_domains_imports_module():
    by_sheet = {k.sheet: k for k in kinds().values()}
    for sheet, domain in SHEETS.items():
        assert by_sheet[sheet].build.__module__ == f"casework.{domain}.imports", sheet
    assert [k.sheet for k in ordered() if k.sheet in SHEETS] == list(SHEETS)


def test_the_template_lists_the_sheets_in_order(app):
    book = load_workbook(io.BytesIO(services.template_workbook()))
    names = [n for n in book.sheetnames if n in SHEETS]
    assert names == list(SHEETS) and book.sheetnames[-1] == "słowniki"


def test_the_engine_imports_no_domain_sheet_module():
    for path in (ROOT / "importer").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.endswith(".imports") or node.module == "casework.core.imports", \
                    f"{path.name} imports {node.module}"
