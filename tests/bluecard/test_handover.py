"""A procedure that moves with the family (issue 23): handed over by this team — closed on that ground, its package
downloaded — and received by the team of the new municipality (another centre: its own database and file store)
with its history, deadlines and documents; only the team does either; a damaged package is refused in Polish and
nothing is stored."""
import io
import json
import os
import zipfile
from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from casework.attachments import services as attachments
from casework.attachments.models import BluecardAttachment
from casework.bluecard import services
from casework.bluecard.models import Procedure
from casework.core.dictionaries import by_code
from casework.extensions import db
from tests.bluecard.test_bluecard import TODAY, _person, _start, _to_group
from tests.conftest import CaseworkClient, PASSWORD, login

PDF = b"%PDF-1.7\n" + os.urandom(2048) + b"\n%%EOF\n"


class _Upload:
    def __init__(self, data, filename):
        self.data, self.filename = data, filename

    def read(self, limit=-1):
        return self.data if limit < 0 else self.data[:limit]


@pytest.fixture
def files_dir(app, tmp_path):
    previous = app.config.get("ATTACHMENTS_DIR")
    app.config["ATTACHMENTS_DIR"] = str(tmp_path / "here")
    yield tmp_path
    app.config["ATTACHMENTS_DIR"] = previous


def _procedure_with_history(make_user):
    team = make_user("zi_member", login="zespol")
    procedure = _start()
    _to_group(procedure, make_user("social_worker"))
    anna, marek = _person(procedure, "Anna"), _person(procedure, "Marek")
    services.add_meeting(procedure, {"meeting_date": date(2026, 5, 8)}, [{"form": "NK-C", "person_id": anna.id}],
                         actor=None, today=TODAY)
    services.add_step(procedure, "summons", date(2026, 5, 9), {"person_id": str(marek.id), "attended": "yes"},
                      actor=team, today=TODAY)
    services.add_step(procedure, "notification", date(2026, 5, 10),
                      {"authority": "prosecutor", "file_number": "PR 1 Ds. 123.2026"}, actor=team, today=TODAY)
    services.add_help_action(procedure, anna.id, {"action": "Konsultacje psychologiczne"}, actor=team)
    attachments.attach_to_procedure(procedure, {"kind_id": by_code("attachment_kind", "other").id,
                                                "title": "Notatka policji", "document_date": date(2026, 5, 2)},
                                    _Upload(PDF, "notatka.pdf"), actor=team, today=TODAY)
    db.session.commit()
    return procedure, team


def test_a_procedure_handed_over_is_received_by_another_centre_with_its_history(app, client, make_user, files_dir,
                                                                                 scratch_app):
    procedure, _team = _procedure_with_history(make_user)
    deadlines_before = [(d["kind"], d["due"], d["done"]) for d in services.deadlines(procedure)]
    login(client, "zespol")
    page = client.get(f"/blue-card/{procedure.id}").get_data(as_text=True)
    assert "Przekaż zespołowi innej gminy" in page
    response = client.post(f"/blue-card/{procedure.id}/hand-over",
                           data={"to_team": "Zespół Interdyscyplinarny w Nowej Gminie", "day": "2026-05-20",
                                 "version": str(procedure.version)})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    package = response.data
    db.session.expire_all()
    handed = db.session.get(Procedure, procedure.id)
    assert (handed.closed_on, handed.closing_ground) == (date(2026, 5, 20), "handed_over")
    page = client.get(f"/blue-card/{procedure.id}").get_data(as_text=True)
    assert "przekazana zespołowi innej gminy" in page and "Zespół Interdyscyplinarny w Nowej Gminie" in page
    assert client.get(f"/blue-card/{procedure.id}/package").status_code == 200

    other = scratch_app("new_municipality")
    other.config["ATTACHMENTS_DIR"] = str(files_dir / "there")
    with other.app_context():
        upgrade()
        from casework.auth.models import User
        from casework.auth.passwords import hash_password

        user = User(login="zespol2", full_name="Zespół Nowej Gminy", password_hash=hash_password(PASSWORD),
                    is_active_account=True)
        user.set_roles(("zi_member",))
        db.session.add(user)
        db.session.commit()
        db.session.remove()
    other.test_client_class = CaseworkClient
    there = other.test_client()
    login(there, "zespol2")
    received = there.post("/blue-card/receive", data={"package": (io.BytesIO(package), "nk.zip")},
                          content_type="multipart/form-data")
    assert received.status_code == 302, received.get_data(as_text=True)[:2000]
    with other.app_context():
        copy = db.session.scalars(select(Procedure)).one()
        assert copy.nka_date == procedure.nka_date and copy.closed_on is None
        assert [(d["kind"], d["due"], d["done"]) for d in services.deadlines(copy)] == deadlines_before
        assert [(m.meeting_date, [f["form"] for f in m.forms]) for m in copy.meetings] == [(date(2026, 5, 8),
                                                                                            ["NK-C"])]
        anna = next(p for p in copy.persons if p.first_name == "Anna")
        assert copy.meetings[0].forms[0]["person_id"] == anna.id and anna.address == "ul. Schronienia 1"
        kinds = [s.kind for s in copy.steps]
        assert kinds[:2] == ["summons", "notification"] and "received" in kinds
        summons = copy.steps[0]
        assert summons.details["person_id"] == next(p.id for p in copy.persons if p.first_name == "Marek")
        received_step = next(s for s in copy.steps if s.kind == "received")
        assert received_step.details["number"] == procedure.number
        assert [a.action for a in services.help_actions(copy)] == ["Konsultacje psychologiczne"]
        doc = db.session.scalars(select(BluecardAttachment)).one()
        assert doc.title == "Notatka policji"
        copy_id, doc_id = copy.id, doc.id
        db.session.remove()
    page = there.get(f"/blue-card/{copy_id}").get_data(as_text=True)
    assert f"numer pierwotny {procedure.number}" in page and "PR 1 Ds. 123.2026" in page
    assert there.get(f"/bluecard/documents/{doc_id}").data == PDF


def test_only_the_team_hands_over_or_receives(client, make_user, files_dir):
    procedure, _team = _procedure_with_history(make_user)
    make_user("coordinator", login="kierownik")
    login(client, "kierownik")
    assert client.post(f"/blue-card/{procedure.id}/hand-over",
                       data={"to_team": "X", "day": "2026-05-20", "version": str(procedure.version)}).status_code \
        in (403, 404)
    assert client.get("/blue-card/receive").status_code == 404
    db.session.expire_all()
    assert db.session.get(Procedure, procedure.id).closed_on is None


@pytest.mark.parametrize("case", ["not_a_zip", "no_json", "no_affected", "missing_document", "no_team_name"])
def test_a_bad_package_or_handover_is_refused_and_nothing_is_stored(client, make_user, files_dir, case):
    procedure, _team = _procedure_with_history(make_user)
    login(client, "zespol")
    if case == "no_team_name":
        response = client.post(f"/blue-card/{procedure.id}/hand-over",
                               data={"to_team": " ", "day": "2026-05-20", "version": str(procedure.version)})
        assert response.status_code == 400 and "Podaj zespół" in response.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(Procedure, procedure.id).closed_on is None
        return
    from casework.bluecard import handover

    good = handover.package(procedure)
    data = json.loads(zipfile.ZipFile(io.BytesIO(good)).read("procedura.json"))
    if case == "not_a_zip":
        content = b"MZ\x90\x00 not a zip"
    else:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            if case == "no_affected":
                data["persons"] = [p for p in data["persons"] if p["role"] != "affected"]
            if case != "no_json":
                archive.writestr("procedura.json", json.dumps(data))
            if case not in ("missing_document",):
                for doc in data["documents"]:
                    archive.writestr(doc["file"], PDF)
        content = out.getvalue()
    before = (db.session.scalar(select(func.count()).select_from(Procedure)),
              db.session.scalar(select(func.count()).select_from(BluecardAttachment)))
    response = client.post("/blue-card/receive", data={"package": (io.BytesIO(content), "nk.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert {"not_a_zip": "To nie jest paczka", "no_json": "To nie jest paczka",
            "no_affected": "co najmniej jedną osobę doznającą", "missing_document": "nie zawiera"}[case] in body
    assert (db.session.scalar(select(func.count()).select_from(Procedure)),
            db.session.scalar(select(func.count()).select_from(BluecardAttachment))) == before
