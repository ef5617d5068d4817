"""The visit log without a connection, over HTTP: the families the phone keeps (the minimum), and the endpoint that
receives a visit logged offline — exactly once per key, through the form's fields and the visit rules, with the
refusals said in Polish, the CSRF token in the X-CSRFToken header and the family's one access check."""
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casework.core.audit import AuditEvent
from casework.extensions import db
from casework.visits.models import Visit
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture


@pytest.fixture
def agata(make_user):
    return make_user("assistant", login="agata", full_name="Agata Asystentka")


@pytest.fixture
def family(make_family, agata):  # noqa: F811
    return make_family(assistant=agata, name="Wiśniewscy")


def _token(client) -> str:
    response = client.get("/visits/offline/data")
    assert response.status_code == 200
    return response.get_json()["csrf_token"]


def _send(client, payload, token=None):
    return client.post("/visits/offline/send", json=payload, headers={"X-CSRFToken": token or _token(client)})


def _visit(family, **changes):
    return {"key": str(uuid.uuid4()), "family_id": family.id, "visit_date": date.today().isoformat(),
            "start_time": "10:00", "duration_minutes": "45", "place": "home", "form": "home_visit",
            "areas": [], "activities": "Rozmowa o budżecie domowym.", "agreed_next": ""} | changes


def _count() -> int:
    return db.session.scalar(select(func.count(Visit.id)))


def test_the_phone_keeps_only_case_number_surname_and_address(client, family, agata, make_family):  # noqa: F811
    make_family(name="Obcy")  # another assistant's family: not on Agata's phone
    login(client, agata)
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    data = client.get("/visits/offline/data").get_json()
    assert data["user"] == agata.id and data["csrf_token"]
    assert data["families"] == [{"id": family.id, "case_number": family.case_number, "name": "Wiśniewscy",
                                 "address": family.address}]
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before + 1  # the read is audited


def test_a_visit_sent_twice_is_saved_once(client, family, agata):
    login(client, agata)
    token = _token(client)
    payload = _visit(family)
    first = _send(client, payload, token)
    assert first.status_code == 201, first.get_data(as_text=True)
    again = _send(client, payload, token)
    assert again.status_code == 200
    assert again.get_json() == {"status": "already_saved", "id": first.get_json()["id"]}
    assert _count() == 1
    visit = db.session.get(Visit, first.get_json()["id"])
    assert (visit.family_id, visit.assistant_id, visit.duration_minutes, visit.client_key) == (
        family.id, agata.id, 45, payload["key"])
    # on "Mój dzień" like any visit
    assert "Wiśniewscy" in client.get("/visits/day").get_data(as_text=True)


def test_refusals_come_back_in_polish_and_nothing_is_saved(client, family, agata):
    login(client, agata)
    token = _token(client)
    future = _send(client, _visit(family, visit_date=(date.today() + timedelta(days=2)).isoformat()), token)
    assert future.status_code == 400
    assert future.get_json()["errors"][0]["message"] == "Wizyta nie może mieć daty z przyszłości."
    missing = _send(client, _visit(family, duration_minutes=""), token)
    assert missing.status_code == 400
    assert "Wpisz, ile trwała wizyta." in [e["message"] for e in missing.get_json()["errors"]]
    assert _count() == 0


def test_the_same_visit_under_another_key_is_refused_as_saved_twice(client, family, agata):
    """The form's rule: an identical visit within 15 minutes is the same visit saved twice (e.g. typed on the
    phone and again at the desk); the phone shows the refusal with a link to the saved visit."""
    login(client, agata)
    token = _token(client)
    assert _send(client, _visit(family), token).status_code == 201
    twice = _send(client, _visit(family), token)
    assert twice.status_code == 400
    error = twice.get_json()["errors"][0]
    assert error["message"].startswith("Ta wizyta została już zapisana")
    assert error["url"].startswith("/visits/") and error["link_text"]
    assert _count() == 1


def test_another_assistants_family_is_404_and_a_key_is_not_a_way_in(client, family, agata, make_user,
                                                                     make_family):  # noqa: F811
    other = make_user("assistant", login="bogna")
    theirs = make_family(assistant=other, name="Obcy")
    login(client, agata)
    token = _token(client)
    assert _send(client, _visit(theirs), token).status_code == 404
    payload = _visit(family)
    assert _send(client, payload, token).status_code == 201
    client.post("/logout")
    login(client, other)
    stolen = _send(client, payload | {"family_id": theirs.id})
    assert stolen.status_code == 400  # the key is Agata's visit: refused, never "already saved" with her id
    assert "id" not in stolen.get_json()
    assert _count() == 1


def test_csrf_header_is_required_and_a_bad_key_is_refused(client, family, agata):
    login(client, agata)
    no_token = client.post("/visits/offline/send", json=_visit(family))
    assert no_token.status_code == 400 and _count() == 0
    bad_key = _send(client, _visit(family, key="1"))
    assert bad_key.status_code == 400 and bad_key.get_json()["status"] == "refused"
    assert _count() == 0


def test_anonymous_and_other_roles(client, family, make_user):
    assert client.get("/visits/offline/data").status_code == 302
    assert client.get("/visits/offline").status_code == 302
    worker = make_user("social_worker", login="pracownik")
    login(client, worker)
    assert client.get("/visits/offline/data").status_code == 403


def test_the_shell_holds_no_family_data_and_the_worker_serves_the_site(client, family, agata):
    login(client, agata)
    shell = client.get("/visits/offline").get_data(as_text=True)
    assert "Wiśniewscy" not in shell and family.case_number not in shell
    assert "— wybierz rodzinę —" in shell
    worker = client.get("/visits/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Service-Worker-Allowed"] == "/"
    assert "/visits/offline" in worker.get_data(as_text=True)
    manifest = client.get("/static/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.get_json()["start_url"] == "/"


@pytest.mark.parametrize("changes", [{"family_id": "abc"}, {"family_id": ""}, {"family_id": 999999},
                                     {"duration_minutes": "x"}, {"areas": ["x"]}, {"visit_date": "2026-13-45"}])
def test_bad_values_are_refused_not_a_server_error(client, family, agata, changes):
    login(client, agata)
    response = _send(client, _visit(family, **changes))
    assert response.status_code in (400, 404), response.status_code
    assert _count() == 0
