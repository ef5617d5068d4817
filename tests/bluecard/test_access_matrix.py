"""Who sees what in the Niebieska Karta compartment: one test per cell of the matrix in docs/niebieska-karta.md
(seven kinds of user × the register, the board, the procedure's page, its documents, each step form, the family
page's entry, NK-A), and a test that opening any one rule of casework.bluecard.access to everyone fails a cell."""
import io
import os
from datetime import date

import pytest
from sqlalchemy import true

from casework.attachments import services as attachments
from casework.attachments.models import KIND_DICTIONARY
from casework.bluecard import access, services
from casework.bluecard.models import HelpPlanAction, Procedure
from casework.core.dictionaries import by_code
from casework.extensions import db
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture

TODAY = date(2026, 11, 20)
PDF = b"%PDF-1.7\n" + os.urandom(512) + b"\n%%EOF\n"
WHO = ("team", "group_this", "group_other", "assistant", "social_worker", "coordinator", "admin")
READERS = {"team", "group_this"}
IN_A_GROUP = READERS | {"group_other"}
STEPS = ("chair", "group", "nkb", "meeting", "record", "help", "done", "refer", "close")

#: the matrix of docs/niebieska-karta.md: cell -> who is granted it (everyone else is refused)
MATRIX = {
    "register": IN_A_GROUP,          # the register opens (404 otherwise)
    "register_row": READERS,         # and lists this procedure
    "board": IN_A_GROUP,
    "board_row": READERS,
    "page": READERS,
    "document_form": READERS,
    "document_download": READERS,
    **{f"form_{f}": READERS for f in ("NK-A", "NK-B", "NK-C", "NK-D")},  # the forms as DOCX
    **{f"step_{s}": ({"team"} if s in access.TEAM_STEPS else READERS) for s in STEPS},
    "family_entry": READERS,         # the family page says a procedure exists (the NK-A author too, tested below)
    "start_nka": {"team", "group_this", "group_other", "assistant", "social_worker", "coordinator"},
    "step_hand-over": {"team"},      # handing the procedure over to another municipality's team
    "receive": {"team"},             # receiving one from another team
}


class _Upload:
    filename = "nka-policja.pdf"

    def read(self, limit=-1):
        return PDF


def _procedure(first, last, group_user, family=None):
    procedure = services.start_procedure(
        {"nka_date": date(2026, 11, 2), "sector": "police", "violence_forms": ["psychological"],
         "family_id": family.id if family else None},
        [{"role": "affected", "first_name": first, "last_name": last, "address": "ul. Tajna 1"},
         {"role": "suspected", "first_name": "Sprawdzany", "last_name": last}], actor=None, today=TODAY)
    services.hand_to_chair(procedure, date(2026, 11, 3), actor=None, today=TODAY)
    services.hand_to_group(procedure, date(2026, 11, 4),
                           [{"user_id": group_user.id, "name": "Pracownik", "sector": "social_assistance"},
                            {"name": "Policjant", "sector": "police"}], actor=None, today=TODAY)
    return procedure


@pytest.fixture
def world(app, make_user, make_family, tmp_path):  # noqa: F811
    previous = app.config.get("ATTACHMENTS_DIR")
    app.config["ATTACHMENTS_DIR"] = str(tmp_path / "files")
    users = {"team": make_user("zi_member", login="m_team"), "group_this": make_user("social_worker", login="m_gr1"),
             "group_other": make_user("social_worker", login="m_gr2"),
             "assistant": make_user("assistant", login="m_asy"),
             "social_worker": make_user("social_worker", login="m_soc"),
             "coordinator": make_user("coordinator", login="m_koo"), "admin": make_user("admin", login="m_adm")}
    family = make_family(assistant=users["assistant"], start=date(2026, 1, 5))
    this = _procedure("Alicja", "Tajemnicza", users["group_this"], family)
    other = _procedure("Beata", "Inna", users["group_other"])
    anna = next(p for p in this.persons if p.role == "affected")
    action = HelpPlanAction(procedure_id=this.id, person_id=anna.id, action="Konsultacja")
    db.session.add(action)
    document = attachments.attach_to_procedure(
        this, {"kind_id": by_code(KIND_DICTIONARY, "other").id, "title": "NK-A z policji"}, _Upload(),
        actor=users["team"], today=TODAY)
    db.session.commit()
    yield {"users": users, "this": this, "other": other, "family": family, "action": action,
           "document": document}
    app.config["ATTACHMENTS_DIR"] = previous


def _client(app, user):
    client = app.test_client()
    assert login(client, user.login).status_code == 302
    return client


def granted(app, world, who: str, cell: str, client=None) -> bool:
    """What the user notices: True if the cell is open to them; asserts the refusal is the rule's (404 / 403)."""
    user, this = world["users"][who], world["this"]
    client = client or _client(app, user)
    reader = access.can_read(user, this)
    if cell in ("register", "register_row", "board", "board_row"):
        response = client.get("/blue-card/" if cell.startswith("register") else "/blue-card/board")
        body = response.get_data(as_text=True)
        assert response.status_code in (200, 404), (who, cell, response.status_code)
        if response.status_code == 404 or not cell.endswith("_row"):
            return response.status_code == 200
        assert world["other"].number not in body or access.can_read(user, world["other"]), (who, cell)
        return this.number in body
    if cell in ("page", "document_form", "document_download"):
        url = {"page": f"/blue-card/{this.id}", "document_form": f"/bluecard/{this.id}/documents/new",
               "document_download": f"/bluecard/documents/{world['document'].id}"}[cell]
        response = client.get(url)
        assert response.status_code in (200, 404), (who, cell, response.status_code)
        if response.status_code == 404:
            assert "Tajemnicza" not in response.get_data(as_text=True)
        return response.status_code == 200
    if cell.startswith("form_"):
        form = cell[len("form_"):]
        role = {"NK-C": "affected", "NK-D": "suspected"}.get(form)
        person = next((p for p in this.persons if p.role == role), None)
        url = f"/blue-card/{this.id}/forms/{form}" + (f"?person_id={person.id}" if person else "")
        response = client.get(url)
        assert response.status_code in (200, 404), (who, cell, response.status_code)
        if response.status_code == 404:
            assert b"Tajemnicza" not in response.data
        return response.status_code == 200 and response.data[:2] == b"PK"
    if cell.startswith("step_"):
        step = cell[len("step_"):]
        db.session.expire_all()
        version = db.session.get(Procedure, this.id).version
        data = {"version": version}
        if step == "done":
            data |= {"action_id": world["action"].id, "done": ""}
        response = client.post(f"/blue-card/{this.id}/{step}", data=data)
        if response.status_code in (403, 404):
            assert response.status_code == (403 if reader else 404), (who, cell, response.status_code)
            return False
        assert response.status_code in (200, 302, 400), (who, cell, response.status_code)
        return True
    if cell == "family_entry":
        response = client.get(f"/families/{world['family'].id}")
        if response.status_code == 200:
            return "Procedura „Niebieska Karta” dotyczy rodziny" in response.get_data(as_text=True)
        return access.sees_existence(user, this)
    if cell == "receive":
        response = client.get("/blue-card/receive")
        assert response.status_code in (200, 404), (who, cell, response.status_code)
        return response.status_code == 200
    if cell == "start_nka":
        response = client.get("/blue-card/new")
        assert response.status_code in (200, 403), (who, cell, response.status_code)
        return response.status_code == 200
    raise AssertionError(cell)


@pytest.mark.parametrize("cell", list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_cell(app, world, who, cell):
    assert granted(app, world, who, cell) == (who in MATRIX[cell]), (who, cell)


def test_the_author_of_nka_sees_only_that_the_procedure_exists(app, world):
    """The assistant who filled in NK-A (and knows it) sees the entry on the family page, with no link or content;
    the family's other readers do not."""
    users, family = world["users"], world["family"]
    procedure = services.start_procedure(
        {"nka_date": date(2026, 11, 10), "sector": "social_assistance", "violence_forms": ["economic"],
         "family_id": family.id},
        [{"role": "affected", "first_name": "Iza", "last_name": "Ukryta"},
         {"role": "suspected", "first_name": "Igor", "last_name": "Ukryty"}], actor=users["assistant"], today=TODAY)
    db.session.commit()
    page = _client(app, users["assistant"]).get(f"/families/{family.id}").get_data(as_text=True)
    assert "Procedura „Niebieska Karta” dotyczy rodziny" in page
    assert f"/blue-card/{procedure.id}" not in page and "Ukryt" not in page
    assert _client(app, users["assistant"]).get(f"/blue-card/{procedure.id}").status_code == 404


#: each rule of casework.bluecard.access, opened to everyone
OPENED = {
    "is_team_member": lambda *a, **k: True,
    "in_any_group": lambda *a, **k: True,
    "visible_clause": lambda *a, **k: true(),
    "can_read": lambda *a, **k: True,
    "require_register_access": lambda *a, **k: None,
    "load_procedure_or_404": lambda procedure_id, **k: db.session.get(Procedure, procedure_id),
    "may_take_step": lambda *a, **k: True,
    "sees_existence": lambda *a, **k: True,
    "may_start": lambda *a, **k: True,
}


def test_every_rule_of_the_access_module_is_covered():
    rules = {name for name, value in vars(access).items()
             if callable(value) and getattr(value, "__module__", "") == access.__name__ and not name.startswith("_")}
    assert rules - {"audit_read"} == set(OPENED)  # audit_read records, it decides nothing


@pytest.mark.parametrize("rule", list(OPENED))
def test_opening_any_one_rule_to_everyone_fails_a_cell(app, world, monkeypatch, rule):
    monkeypatch.setattr(access, rule, OPENED[rule])
    clients = {}
    for cell, allowed in MATRIX.items():
        for who in WHO:
            client = clients.setdefault(who, _client(app, world["users"][who]))
            try:
                if granted(app, world, who, cell, client) != (who in allowed):
                    return
            except AssertionError:
                return
    pytest.fail(f"access.{rule} opened to everyone and every cell still holds")
