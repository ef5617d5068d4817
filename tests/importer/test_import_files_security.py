"""Hostile and ordinary-but-awkward import files (issue 17): bounded memory whatever the file declares, <dimension>
never trusted, Polish Excel's CSV, parse errors as a Polish report line (never a 500), uploads deleted and private."""
import io
import os
import stat
import subprocess
import sys
import textwrap
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from casework.extensions import db
from casework.families.models import Family
from casework.importer import services
from tests.importer.test_import import workbook

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def raw_xlsx(sheet_xml: str, title: str = "rodziny") -> bytes:
    """A minimal XLSX written by hand, so a test controls every byte of the sheet (openpyxl would fix it)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.'
            f'org/officeDocument/2006/relationships"><sheets><sheet name="{title}" sheetId="1" r:id="rId1"/>'
            '</sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buf.getvalue()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _sheet(rows: list[list[str]], dimension: str, prolog: str = "", extra_rows: str = "") -> str:
    body = "".join(f'<row r="{n}">' + "".join(_cell(f"{'ABC'[i]}{n}", v) for i, v in enumerate(values)) + "</row>"
                   for n, values in enumerate(rows, start=1))
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{NS}"><dimension ref="{dimension}"/>'
            f"<sheetData>{body}{extra_rows}</sheetData></worksheet>")


FAMILIES = [["id", "numer_sprawy", "nazwa"], ["F1", "AR/1", "Kowalscy"], ["F2", "AR/2", "Nowakowie"],
            ["F3", "AR/3", "Wiśniewscy"], ["F4", "AR/4", "Zielińscy"]]
CHILD = textwrap.dedent("""
    import resource, sys, time, tracemalloc
    resource.setrlimit(resource.RLIMIT_AS, (768 * 1024 * 1024, 768 * 1024 * 1024))
    from casework.importer import services
    import casework.core.settings as settings
    declared = getattr(settings, "SETTINGS", {})
    settings.get_setting = lambda key, default=None: declared[key].default if key in declared else default
    tracemalloc.start()
    started = time.monotonic()
    with open(sys.argv[1], "rb") as fh:
        sheets, problems = services.read_workbook(fh, "dane.xlsx")
    print(tracemalloc.get_traced_memory()[1], round(time.monotonic() - started, 2))
    print("|".join(p.message for p in problems))
""")


def test_a_5kb_xlsx_declaring_xfd1048576_does_not_exhaust_memory(tmp_path):
    """Finding 3: one cell at XFD1048576 and <dimension ref="A1:XFD1048576"/> made read_workbook pad every row to
    16,384 columns (1.5 GB in 7 s, then MemoryError). Read in a child process under a 768 MB address-space cap:
    now it answers, in Polish, within a few megabytes and seconds."""
    far = '<row r="1048576">' + _cell("XFD1048576", "x") + "</row>"
    data = raw_xlsx(_sheet(FAMILIES[:1], "A1:XFD1048576", extra_rows=far))
    assert len(data) < 5 * 1024
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    child = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, capture_output=True, text=True,
                           timeout=120, env=dict(os.environ, PYTHONPATH=ROOT))
    assert child.returncode == 0, child.stderr[-2000:]
    peak, seconds = child.stdout.splitlines()[0].split()
    assert int(peak) < 50 * 1024 * 1024 and float(seconds) < 20
    assert "200000" in child.stdout.splitlines()[1]  # the row limit (in English: the child has no request)


def test_import_limits_are_settings_with_a_polish_message(app):
    from casework.core.settings import set_setting

    set_setting("import_max_rows", 3)
    _sheets, problems = services.read_workbook(io.BytesIO(raw_xlsx(_sheet(FAMILIES, "A1:C5"))), "dane.xlsx")
    assert [p.message for p in problems] == [
        "Arkusz „rodziny” ma więcej niż 3 wierszy (liczą się też puste wiersze na jego końcu): usuń wiersze pod "
        "danymi albo podziel plik."]
    set_setting("import_max_rows", 100)
    set_setting("import_max_columns", 2)
    _sheets, problems = services.read_workbook(io.BytesIO(raw_xlsx(_sheet(FAMILIES, "A1:C5"))), "dane.xlsx")
    assert "poza kolumną 2" in problems[0].message
    set_setting("import_max_columns", 60)
    set_setting("import_max_cells", 10)
    _sheets, problems = services.read_workbook(io.BytesIO(raw_xlsx(_sheet(FAMILIES, "A1:C5"))), "dane.xlsx")
    assert "więcej niż 10 wypełnionych komórek" in problems[0].message


def test_an_xlsx_whose_dimension_understates_its_rows_imports_all_rows():
    """Low finding: <dimension ref="A1:C2"/> over five rows imported one family, silently."""
    sheets, problems = services.read_workbook(io.BytesIO(raw_xlsx(_sheet(FAMILIES, "A1:C2"))), "dane.xlsx")
    assert problems == []
    assert [values["numer_sprawy"] for _n, values in sheets["families"]] == ["AR/1", "AR/2", "AR/3", "AR/4"]
    assert [n for n, _values in sheets["families"]] == [2, 3, 4, 5]


def test_an_xlsx_with_a_doctype_is_a_polish_report_line_not_a_500(client, login_as):
    """Finding 5: the XML error is raised lazily, while the rows are read, outside the old try."""
    login_as("coordinator")
    laughs = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    rows = [["id", "numer_sprawy", "nazwa"], ["F1", "AR/1", "&b;"]]
    broken = _sheet(rows[:1], "A1:C2", extra_rows='<row r="2"><c r="A2" t="inlineStr"><is><t>&nbsp;</t></is></c></row>')
    for data in (raw_xlsx(_sheet(rows, "A1:C2", prolog=laughs)), raw_xlsx(broken),
                 raw_xlsx(_sheet(rows, "A1:C2", prolog="<!DOCTYPE worksheet>", extra_rows="<row r='3'>")),
                 raw_xlsx("<worksheet><sheetData><row>"), b"PK\x03\x04 not a zip at all"):
        upload = client.post("/import/", data={"file": (io.BytesIO(data), "dane.xlsx")},
                             content_type="multipart/form-data")
        page = client.get(upload.headers["Location"])
        assert page.status_code == 200
        assert "Nie można odczytać pliku jako skoroszytu XLSX." in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Family)) == 0


def test_a_csv_saved_by_polish_excel_windows_1250_and_semicolons_imports(make_user):
    """Finding 5: Polish Excel's „CSV (rozdzielany przecinkami)” is Windows-1250 with semicolons."""
    text = "id;numer_sprawy;nazwa;miejscowosc\r\nF1;AR/1;Łącka-Źrebięcka;Żółkiewka\r\nF2;AR/2;\"Nowak; Lis\";Łódź\r\n"
    sheets, problems = services.read_workbook(io.BytesIO(text.encode("cp1250")), "rodziny.csv")
    assert problems == []
    rows = [values for _n, values in sheets["families"]]
    assert rows[0]["nazwa"] == "Łącka-Źrebięcka" and rows[0]["miejscowosc"] == "Żółkiewka"
    assert rows[1]["nazwa"] == "Nowak; Lis"
    report = services.run(sheets, dry_run=False)
    assert report.ok, report.problems
    db.session.commit()
    assert db.session.scalar(select(Family.name).where(Family.case_number == "AR/1")) == "Łącka-Źrebięcka"


def test_a_one_column_csv_is_a_report_not_a_500(client, login_as):
    login_as("coordinator")
    upload = client.post("/import/", data={"file": (io.BytesIO(b"id\nF1\nF2\n"), "rodziny.csv")},
                         content_type="multipart/form-data")
    page = client.get(upload.headers["Location"])
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Brak kolumny" in body and "numer_sprawy" in body
    sheets, problems = services.read_workbook(io.BytesIO(b"id\nF1\n"), "rodziny.csv")
    assert [n for n, _v in sheets["families"]] == [2] and {p.column for p in problems} >= {"numer_sprawy", "nazwa"}


def test_an_unreadable_csv_says_how_to_save_it():
    for data in (b"id;nazwa\n\x81\x81\x98;x\n", b'id;nazwa\n"' + b"a" * 200_000 + b'"\n'):
        _sheets, problems = services.read_workbook(io.BytesIO(data), "rodziny.csv")
        assert len(problems) == 1 and "CSV UTF-8" in problems[0].message, data[:20]


def _uploads(app):
    directory = os.path.join(app.instance_path, "imports")
    return sorted(os.listdir(directory)) if os.path.isdir(directory) else []


@pytest.fixture(autouse=True)
def _private_instance(app, tmp_path, monkeypatch):
    """An instance folder of this test's own (the checkout's instance/ is shared with other runs)."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))


def test_uploaded_import_files_are_deleted_and_private(app, client, login_as, make_user):
    """Finding 8: uploads stayed in instance/imports (mode 0644) when not confirmed or failed."""
    make_user("assistant", login="agata")
    login_as("coordinator")
    upload = client.post("/import/", data={"file": (io.BytesIO(workbook()), "dane.xlsx")},
                         content_type="multipart/form-data")
    check_url = upload.headers["Location"]
    files = _uploads(app)
    assert len(files) == 2
    directory = os.path.join(app.instance_path, "imports")
    for name in files:
        assert stat.S_IMODE(os.stat(os.path.join(directory, name)).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    assert client.post(check_url + "/confirm").status_code == 200
    assert _uploads(app) == []  # confirmed

    def spoil(book):
        book["wizyty"]["F2"] = "dużo"
    upload = client.post("/import/", data={"file": (io.BytesIO(workbook(change=spoil)), "dane.xlsx")},
                         content_type="multipart/form-data")
    assert client.post(upload.headers["Location"] + "/confirm").status_code == 302
    assert _uploads(app) == []  # failed
    upload = client.post("/import/", data={"file": (io.BytesIO(b"not a workbook"), "dane.xlsx")},
                         content_type="multipart/form-data")
    assert "Nie można odczytać" in client.get(upload.headers["Location"]).get_data(as_text=True)
    assert _uploads(app) == []  # unreadable: failed at once

    client.post("/import/", data={"file": (io.BytesIO(workbook()), "dane.xlsx")}, content_type="multipart/form-data")
    assert len(_uploads(app)) == 2
    from casework.scheduler import jobs

    now = datetime.now(timezone.utc)
    assert jobs.clean_imports(now + timedelta(hours=23)) == {"deleted": 0}
    assert jobs.clean_imports(now + timedelta(hours=25)) == {"deleted": 2}
    assert _uploads(app) == []
