"""Documents attached to a family's records and to a Niebieska Karta procedure: a phone's photo of a court order
attached and opened by who may see the family (404 for others), the type recognised from the content (an
executable renamed .pdf refused), the size limit, nothing stored on bad input, retention removing the file with its
family, backup and restore keeping it byte for byte, the person's-data export, the blue-card compartment."""
import hashlib
import io
import json
import os
import stat
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from casework.attachments import rules, services
from casework.attachments.models import Attachment, BluecardAttachment
from casework.backup.services import backup, restore
from casework.bluecard import services as bluecard
from casework.core.audit import AuditEvent
from casework.core.errors import RuleError
from casework.core.settings import AppSetting
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.privacy import export, retention
from casework.visits.models import Visit
from tests.attachments.conftest import kind_id, stored
from tests.conftest import CaseworkClient, login

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(2048) + b"\xff\xd9"
PDF = b"%PDF-1.7\n" + os.urandom(4096) + b"\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode."


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def _odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", rules.ODT)
        z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


PERSONS = [{"role": "affected", "first_name": "A", "last_name": "B"},
           {"role": "suspected", "first_name": "C", "last_name": "D"}]


class Upload:
    def __init__(self, data, filename="skan.pdf"):
        self.data, self.filename = data, filename

    def read(self, limit=-1):
        return self.data if limit < 0 else self.data[:limit]


@pytest.fixture
def people(make_user):
    return {"agata": make_user("assistant", login="agata"), "bartosz": make_user("assistant", login="bartosz"),
            "socjalna": make_user("social_worker", login="socjalna"),
            "kierownik": make_user("coordinator", login="kierownik"), "zespol": make_user("zi_member", login="zespol")}


@pytest.fixture
def family(people, make_family):  # noqa: F811
    return make_family(assistant=people["agata"], social_worker=people["socjalna"], name="Wiśniewscy")


def _post(client, family, **fields):
    data = {"kind_id": str(kind_id()), "title": "", "document_date": "", "target": "family"} | fields
    return client.post(f"/families/{family.id}/documents/new", data=data, content_type="multipart/form-data")


# --- the content decides the type ---------------------------------------------------------------------------------

def test_types_are_recognised_from_the_content_not_the_name():
    assert rules.sniff(PDF) == rules.PDF and rules.sniff(JPEG) == rules.JPEG
    assert rules.sniff(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20) == rules.PNG
    assert rules.sniff(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00") == rules.HEIC
    assert rules.sniff(_docx()) == rules.DOCX and rules.sniff(_odt()) == rules.ODT
    for bad in (EXE, b"\x7fELF\x02\x01", b"#!/bin/sh\nrm -rf /", b"<html><script>", b"PK\x03\x04broken",
                b"<svg onload=alert(1)>"):
        assert rules.sniff(bad) is None
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("a.exe", EXE)
    assert rules.sniff(plain_zip.getvalue()) is None


# --- a photo of a court order, attached from a phone, opened by who may see the family ---------------------------

def test_a_photo_is_attached_stored_privately_and_opens_for_the_family_only(app, client, people, family, files_dir):
    login(client, "agata")
    form = client.get(f"/families/{family.id}/documents/new").get_data(as_text=True)
    assert 'capture="environment"' in form and 'accept="image/*"' in form and "application/pdf" in form
    response = _post(client, family, photo=(io.BytesIO(JPEG), "IMG_2041.jpg"))
    assert response.status_code == 302, response.get_data(as_text=True)
    row = db.session.scalars(select(Attachment)).one()
    assert row.title == "Postanowienie sądu" and row.content_type == "image/jpeg" and row.size_bytes == len(JPEG)
    assert row.document_date == today_local() and row.family_id == family.id and row.member_id is None
    # stored outside the database, under a random name, readable by the app's user only
    names = stored(files_dir)
    assert names == [row.storage_name] and "IMG" not in row.storage_name and len(row.storage_name) >= 32
    path = files_dir / row.storage_name
    assert path.read_bytes() == JPEG and stat.S_IMODE(path.stat().st_mode) == 0o600
    # on the family's timeline, with a link that downloads it
    page = client.get(f"/families/{family.id}").get_data(as_text=True)
    assert "Postanowienie sądu" in page and f"/documents/{row.id}" in page
    got = client.get(f"/documents/{row.id}")
    assert got.status_code == 200 and got.data == JPEG
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Disposition"].startswith("attachment;") and ".jpg" in got.headers["Content-Disposition"]
    reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "attachment_downloaded")).all()
    assert [(r.object_type, r.object_id) for r in reads] == [("attachment", row.id)]
    # the family's social worker and the coordinator open it; another assistant and a ZI member get 404
    for who, status in (("socjalna", 200), ("kierownik", 200), ("bartosz", 404), ("zespol", 403)):
        other = app.test_client()
        login(other, who)
        assert other.get(f"/documents/{row.id}").status_code == status, who
    other = app.test_client()
    login(other, "bartosz")
    assert other.get(f"/families/{family.id}/documents/new").status_code == 404
    assert _post(other, family, document=(io.BytesIO(PDF), "x.pdf")).status_code == 404
    assert app.test_client().get(f"/documents/{row.id}").status_code == 302  # anonymous: to the login page


def test_a_document_of_a_member_or_record_and_office_files(client, people, family):
    login(client, "agata")
    child = family.members[1]
    response = _post(client, family, document=(io.BytesIO(_docx()), "opinia szkoły.docx"),
                     kind_id=str(kind_id("school_opinion")), title="Opinia wychowawczyni",
                     document_date="2025-03-04", target=f"member:{child.id}")
    assert response.status_code == 302
    row = db.session.scalars(select(Attachment)).one()
    assert (row.member_id, row.title, row.document_date, row.content_type) == (
        child.id, "Opinia wychowawczyni", date(2025, 3, 4), rules.DOCX)
    period = family.support_periods[0]
    assert _post(client, family, document=(io.BytesIO(_odt()), "zgoda.odt"), kind_id=str(kind_id("consent")),
                 target=f"period:{period.id}").status_code == 302
    assert db.session.scalar(select(Attachment.support_period_id).where(Attachment.content_type == rules.ODT)) \
        == period.id


def test_a_records_page_lists_its_documents_and_attaches_to_it(client, people, family, queries):
    """From a member's or a support period's page: the attach link chooses that record, the document then shows on
    the record's page (and not on another record's), in a fixed number of queries however many there are."""
    login(client, "kierownik")
    child, parent = family.members[1], family.members[0]
    page = client.get(f"/families/{family.id}/members/{child.id}/edit").get_data(as_text=True)
    assert "Do tego wpisu nie dołączono jeszcze dokumentów." in page
    link = f"/families/{family.id}/documents/new?to=member:{child.id}"
    assert link in page
    form = client.get(link).get_data(as_text=True)
    assert f'<option selected value="member:{child.id}">' in form or f'value="member:{child.id}" selected' in form
    for n in range(3):
        assert _post(client, family, document=(io.BytesIO(PDF), f"s{n}.pdf"), title=f"Świadectwo {n}",
                     target=f"member:{child.id}").status_code == 302
        with queries() as counted:
            page = client.get(f"/families/{family.id}/members/{child.id}/edit").get_data(as_text=True)
        if n == 0:
            first = len(counted)
        assert len(counted) == first
    assert all(f"Dokument: Świadectwo {n}" in page for n in range(3))
    assert "Świadectwo" not in client.get(f"/families/{family.id}/members/{parent.id}/edit").get_data(as_text=True)
    period = family.support_periods[0]
    assert f"documents/new?to=period:{period.id}" in client.get(
        f"/families/{family.id}/periods/{period.id}/edit").get_data(as_text=True)


@pytest.mark.parametrize("case", ["exe_as_pdf", "oversized", "no_file", "both", "future", "foreign_member",
                                  "letter_kind"])
def test_bad_input_is_refused_in_polish_and_nothing_is_stored(client, people, family, files_dir, make_family, case):  # noqa: F811
    login(client, "agata")
    fields = {"document": (io.BytesIO(PDF), "skan.pdf")}
    expected = None
    if case == "exe_as_pdf":
        fields, expected = {"document": (io.BytesIO(EXE), "postanowienie.pdf")}, "nie jest plikiem PDF"
    elif case == "oversized":
        db.session.add(AppSetting(key="attachment_max_mb", value=1))
        db.session.commit()
        big = b"%PDF-1.7\n" + b"0" * (1024 * 1024)
        fields, expected = {"document": (io.BytesIO(big), "duzy.pdf")}, "większy niż 1 MB"
    elif case == "no_file":
        fields, expected = {}, "Wybierz plik albo zrób zdjęcie"
    elif case == "both":
        fields |= {"photo": (io.BytesIO(JPEG), "a.jpg")}
        expected = "albo zdjęcie, albo plik"
    elif case == "future":
        fields |= {"document_date": "2999-01-01"}
        expected = "nie może być z przyszłości"
    elif case == "foreign_member":
        other = make_family(name="Obcy")
        fields |= {"target": f"member:{other.members[0].id}"}
        expected = "czego dotyczy dokument"
    elif case == "letter_kind":
        fields |= {"kind_id": str(kind_id("centre_letter"))}
        expected = "rodzaj dokumentu"
    response = _post(client, family, **fields)
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attachment.id))) == 0
    assert stored(files_dir) == []


def test_a_file_written_for_a_rolled_back_row_is_removed(people, family, files_dir):
    services.attach(family, {"kind_id": kind_id()}, Upload(PDF), actor=people["agata"])
    assert len(stored(files_dir)) == 1
    db.session.rollback()
    assert stored(files_dir) == []
    with pytest.raises(RuleError):
        services.attach(family, {"kind_id": kind_id()}, Upload(EXE, "x.pdf"), actor=people["agata"])
    assert stored(files_dir) == []


# --- retention, backup, the person's data ----------------------------------------------------------------------

def test_retention_removes_the_file_with_its_family(people, make_family, files_dir):  # noqa: F811
    old = make_family(assistant=people["agata"], name="Dawni", start=date(2012, 3, 1))
    old.support_periods[0].end_date = date(2014, 6, 30)
    kept = make_family(assistant=people["agata"], name="Obecni")
    visit = Visit(family_id=old.id, assistant_id=people["agata"].id, visit_date=date(2013, 2, 1),
                  duration_minutes=60)
    db.session.add(visit)
    db.session.flush()
    services.attach(old, {"kind_id": kind_id()}, Upload(PDF), actor=people["agata"], target=f"visit:{visit.id}",
                    today=date(2014, 1, 1))
    services.attach(old, {"kind_id": kind_id()}, Upload(JPEG, "a.jpg"), actor=people["agata"],
                    target=f"member:{old.members[0].id}", today=date(2014, 1, 1))
    mine = services.attach(kept, {"kind_id": kind_id()}, Upload(PDF), actor=people["agata"])
    db.session.commit()
    assert len(stored(files_dir)) == 3
    counts = retention.purge(date(2026, 11, 24), actor=None)
    assert len(stored(files_dir)) == 3  # not before the purge commits
    db.session.commit()
    assert counts["attachment"] == 2
    assert stored(files_dir) == [mine.storage_name]
    assert db.session.scalars(select(Attachment.id)).all() == [mine.id]


def test_a_failed_purge_keeps_every_file(people, make_family, files_dir):  # noqa: F811
    old = make_family(assistant=people["agata"], name="Dawni", start=date(2012, 3, 1))
    old.support_periods[0].end_date = date(2014, 6, 30)
    services.attach(old, {"kind_id": kind_id()}, Upload(PDF), actor=people["agata"], today=date(2014, 1, 1))
    db.session.commit()
    retention.purge(date(2026, 11, 24), actor=None)
    db.session.rollback()
    assert len(stored(files_dir)) == 1 and db.session.scalar(select(func.count(Attachment.id))) == 1


def test_backup_and_restore_keep_the_files_byte_for_byte(app, people, family, scratch_app, tmp_path, files_dir):
    first = services.attach(family, {"kind_id": kind_id()}, Upload(PDF), actor=people["agata"])
    second = services.attach(family, {"kind_id": kind_id()}, Upload(JPEG, "b.jpg"), actor=people["agata"])
    procedure = bluecard.start_procedure({"nka_date": date(2025, 1, 2), "sector": "police",
                                          "violence_forms": ["physical"]},
                                         PERSONS,
                                         actor=None, today=date(2025, 1, 3))
    third = services.attach_to_procedure(procedure, {"kind_id": kind_id()}, Upload(_docx(), "n.docx"),
                                         actor=people["zespol"])
    db.session.commit()
    originals = {r.storage_name: (files_dir / r.storage_name).read_bytes() for r in (first, second, third)}
    path = str(tmp_path / "backup.zip")
    backup(path)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["files"] == 3 and manifest["missing_files"] == 0
    other = scratch_app("restored_files")
    restored_dir = tmp_path / "restored-files"
    other.config["ATTACHMENTS_DIR"] = str(restored_dir)
    with other.app_context():
        restore(path)
        rows = {r.storage_name: r for r in db.session.scalars(select(Attachment))}
        rows |= {r.storage_name: r for r in db.session.scalars(select(BluecardAttachment))}
        assert set(rows) == set(originals)
        for name, data in originals.items():
            copy = (restored_dir / name).read_bytes()
            assert copy == data and hashlib.sha256(copy).hexdigest() == rows[name].sha256
            assert stat.S_IMODE((restored_dir / name).stat().st_mode) == 0o600
        db.session.remove()
    other.test_client_class = CaseworkClient
    client = other.test_client()
    login(client, "agata")
    assert client.get(f"/documents/{first.id}").data == PDF


def test_the_persons_export_lists_the_documents_that_concern_them(people, family, client):
    parent, child = family.members[0], family.members[1]
    services.attach(family, {"kind_id": kind_id("consent"), "title": "Zgoda rodziców"}, Upload(PDF),
                    actor=people["agata"])
    services.attach(family, {"kind_id": kind_id("medical_certificate"), "title": "Zaświadczenie dziecka"},
                    Upload(PDF), actor=people["agata"], target=f"member:{child.id}")
    db.session.commit()
    parent_data = json.dumps(export.collect(export.find_person(parent), people["kierownik"])["sections"],
                             ensure_ascii=False)
    child_data = json.dumps(export.collect(export.find_person(child), people["kierownik"])["sections"],
                            ensure_ascii=False)
    assert "Zgoda rodziców" in parent_data and "Zaświadczenie dziecka" not in parent_data
    assert "Zgoda rodziców" in child_data and "Zaświadczenie dziecka" in child_data


def test_the_persons_export_carries_the_files_themselves(people, family, client):
    parent, child = family.members[0], family.members[1]
    scan = JPEG
    services.attach(family, {"kind_id": kind_id("consent"), "title": "Zgoda rodziców"},
                    Upload(PDF, filename="../zgoda rodziców.pdf"), actor=people["agata"])
    services.attach(family, {"kind_id": kind_id("medical_certificate"), "title": "Zaświadczenie dziecka"},
                    Upload(scan, filename="IMG_0001.jpg"), actor=people["agata"],
                    target=f"member:{child.id}")
    db.session.commit()
    login(client, "kierownik")
    response = client.post(f"/privacy/members/{parent.id}/export", data={"reason": "Wniosek nr 12/2026"})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    files = [n for n in archive.namelist() if n.startswith("pliki/")]
    # the parent's own consent, byte for byte, under a safe name; the child's certificate is the child's
    assert len(files) == 1 and ".." not in files[0] and files[0].endswith("zgoda rodziców.pdf")
    assert archive.read(files[0]) == PDF
    document = json.loads(archive.read("dane-osoby.json"))
    entry = next(e for s in document["sections"] if s["code"] == "attachments" for e in s["entries"])
    assert entry["plik_w_archiwum"] == files[0] and "__file__" not in entry
    assert files[0] in archive.read("dane-osoby.html").decode()
    child_archive = zipfile.ZipFile(io.BytesIO(client.post(f"/privacy/members/{child.id}/export",
                                                           data={"reason": "Wniosek nr 13/2026"}).data))
    assert sorted(child_archive.read(n) for n in child_archive.namelist() if n.startswith("pliki/")) \
        == sorted([PDF, scan])


# --- Niebieska Karta: inside the compartment ------------------------------------------------------------------------

def test_a_procedures_documents_stay_inside_the_compartment(app, client, people, family, files_dir):
    procedure = bluecard.start_procedure({"nka_date": date(2025, 1, 2), "sector": "social_assistance",
                                          "violence_forms": ["psychological"], "family_id": family.id},
                                         PERSONS,
                                         actor=people["agata"], today=date(2025, 1, 3))
    db.session.commit()
    login(client, "zespol")
    form = client.get(f"/bluecard/{procedure.id}/documents/new")
    assert form.status_code == 200 and 'capture="environment"' in form.get_data(as_text=True)
    response = client.post(f"/bluecard/{procedure.id}/documents/new", content_type="multipart/form-data",
                           data={"kind_id": str(kind_id("other")), "title": "Notatka policji",
                                 "document": (io.BytesIO(PDF), "notatka.pdf")})
    assert response.status_code == 302
    row = db.session.scalars(select(BluecardAttachment)).one()
    assert client.get(f"/bluecard/documents/{row.id}").data == PDF
    assert db.session.scalar(select(func.count(Attachment.id))) == 0  # never among the family's documents
    for who in ("agata", "kierownik", "socjalna"):
        other = app.test_client()
        login(other, who)
        assert other.get(f"/bluecard/documents/{row.id}").status_code == 404, who
        assert other.get(f"/bluecard/{procedure.id}/documents/new").status_code == 404, who
        assert "Notatka policji" not in other.get(f"/families/{family.id}").get_data(as_text=True)


def test_retention_removes_a_closed_procedures_documents(people, files_dir):
    old = bluecard.start_procedure({"nka_date": date(2013, 1, 2), "sector": "police", "violence_forms": ["physical"]},
                                   PERSONS, actor=None, today=date(2013, 1, 3))
    services.attach_to_procedure(old, {"kind_id": kind_id("other")}, Upload(PDF), actor=people["zespol"],
                                 today=date(2013, 1, 3))
    bluecard.hand_to_chair(old, date(2013, 1, 3), actor=None, today=date(2013, 1, 4))
    bluecard.hand_to_group(old, date(2013, 1, 4), [{"name": "P", "sector": "social_assistance"},
                                                   {"name": "Q", "sector": "police"}], actor=None,
                           today=date(2013, 1, 5))
    bluecard.close(old, date(2014, 5, 5), "unfounded", None, actor=None, today=date(2014, 5, 6))
    db.session.commit()
    assert len(stored(files_dir)) == 1
    counts = retention.purge(date(2026, 11, 24), actor=None)
    db.session.commit()
    assert counts["bluecard_attachment"] == 1 and stored(files_dir) == []
