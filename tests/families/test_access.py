"""Need-to-know access: every route with a family in it, as every role that must not see the family."""
import re

import pytest

from casework.extensions import db
from tests.conftest import login

FAMILY_NAME = "Zielińscy-Tajni"


@pytest.fixture
def secret_family(make_user, make_family):
    owner = make_user("assistant", login="owner")
    worker = make_user("social_worker", login="worker")
    family = make_family(assistant=owner, social_worker=worker, name=FAMILY_NAME)
    return family


def _family_rules(app):
    return [r for r in app.url_map.iter_rules() if "family_id" in r.arguments]


def _path(rule, family):
    path = rule.rule.replace("<int:family_id>", str(family.id))
    ids = {"member_id": family.members[0].id, "period_id": family.support_periods[0].id}
    for arg, value in ids.items():
        path = path.replace(f"<int:{arg}>", str(value))
    # any other record of the route (an attendance, a document, ...): its id does not matter, the family comes first
    path = re.sub(r"<int:\w+>", "1", path)
    assert "<" not in path, f"add the id for {rule.rule} to this test"
    return path


def test_every_family_route_is_covered(app):
    assert len(_family_rules(app)) >= 10


@pytest.mark.parametrize("outsider", ["other_assistant", "other_social_worker", "zi_member", "anonymous"])
def test_outsiders_never_see_the_family(app, client, make_user, secret_family, outsider):
    if outsider != "anonymous":
        role = {"other_assistant": "assistant", "other_social_worker": "social_worker",
                "zi_member": "zi_member"}[outsider]
        login(client, make_user(role, login=outsider))
    for rule in _family_rules(app):
        path = _path(rule, secret_family)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.get(path) if method == "GET" else client.post(path, data={"reason": "x"})
            body = response.get_data(as_text=True)
            if outsider == "anonymous":
                assert response.status_code in (302, 400), f"{method} {path}"
                if response.status_code == 302:
                    assert "/login" in response.headers["Location"]
            else:
                assert response.status_code in (403, 404), f"{outsider}: {method} {path} → {response.status_code}"
            assert FAMILY_NAME not in body and secret_family.case_number not in body
    db.session.expire_all()
    assert secret_family.archived_at is None  # nothing changed


@pytest.mark.parametrize("outsider_role", ["assistant", "social_worker"])
def test_lists_and_search_never_leak_the_family(client, make_user, secret_family, outsider_role):
    login(client, make_user(outsider_role, login="outsider"))
    for path in ("/families/", "/families/?q=Zieli", f"/families/?q={secret_family.case_number}",
                 "/families/?status=closed", "/families/mine", "/"):
        body = client.get(path).get_data(as_text=True)
        assert FAMILY_NAME not in body, path


def test_the_assigned_assistant_and_the_social_worker_see_it(app, secret_family):
    for user_login in ("owner", "worker"):
        other = app.test_client()
        login(other, user_login)
        body = other.get(f"/families/{secret_family.id}").get_data(as_text=True)
        assert FAMILY_NAME in body
        assert FAMILY_NAME in other.get("/families/", query_string={"q": "Zieli"}).get_data(as_text=True)


def test_reading_a_family_is_audited(app, secret_family):
    from sqlalchemy import select

    from casework.core.audit import AuditEvent

    other = app.test_client()
    login(other, "owner")
    other.get(f"/families/{secret_family.id}")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "family_viewed")).one()
    assert event.object_id == secret_family.id and event.actor_login == "owner"


def test_after_reassignment_the_previous_assistant_loses_access(app, make_user, secret_family):
    from datetime import date

    from casework.families import services

    newcomer = make_user("assistant", login="newcomer")
    services.assign_assistant(secret_family.support_periods[0], newcomer, date(2025, 6, 1), actor=None)
    db.session.commit()
    old = app.test_client()
    login(old, "owner")
    assert old.get(f"/families/{secret_family.id}").status_code == 404
    new = app.test_client()
    login(new, "newcomer")
    assert new.get(f"/families/{secret_family.id}").status_code == 200
