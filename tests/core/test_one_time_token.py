"""A create form posted twice (the browser's back button and "Zapisz", a double tap) creates one record; the second
answer lands the user on the record saved the first time."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casework.contacts import services as contact_services
from casework.contacts.models import InstitutionContact
from casework.core import dictionaries
from casework.core.forms import TOKEN_LIFETIME, FormSubmission, purge_expired
from casework.core.timeutil import utcnow
from casework.extensions import db
from casework.families.models import Family, FamilyMember
from casework.visits.models import Visit
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture

ALREADY_SAVED = "Ten formularz został już zapisany wcześniej"


def _token(client, path) -> str:
    """The one-time token the form page carries (as the browser would post it back)."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="once_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="once_token"', html)
    assert match, f"{path} has no one-time token"
    return match.group(1)


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)).where(*where))


def _post_twice(client, path, data):
    data = dict(data, once_token=_token(client, path))
    first = client.post(path, data=data)
    assert first.status_code == 302, first.get_data(as_text=True)
    second = client.post(path, data=data)
    return first, second


def test_a_family_registered_twice_with_one_token_is_registered_once(client, login_as):
    login_as("coordinator")
    first, second = _post_twice(client, "/families/new", {"case_number": "AR/2026/7", "name": "Zielińscy",
                                                          "area": "urban", "social_worker_id": ""})
    assert _count(Family) == 1
    assert second.status_code == 302 and second.headers["Location"] == first.headers["Location"]
    family_id = db.session.scalar(select(Family.id))
    assert second.headers["Location"].endswith(f"/families/{family_id}")
    assert ALREADY_SAVED in client.get(second.headers["Location"]).get_data(as_text=True)


def test_a_visit_saved_twice_with_one_token_is_saved_once(client, make_user, make_family):  # noqa: F811
    agata = make_user("assistant", login="agata")
    family = make_family(assistant=agata)
    login(client, "agata")
    area = dictionaries.by_code("area_of_work", "parenting")
    first, second = _post_twice(client, f"/visits/new?family_id={family.id}", {
        "family_id": family.id, "visit_date": date.today().isoformat(), "duration_minutes": "45",
        "place": "home", "form": "home_visit", "areas": [str(area.id)], "activities": "Rozmowa"})
    assert _count(Visit) == 1
    assert second.status_code == 302 and second.headers["Location"] == first.headers["Location"]
    assert ALREADY_SAVED in client.get(second.headers["Location"]).get_data(as_text=True)


def test_a_contact_saved_twice_with_one_token_is_saved_once(client, make_user, make_family):  # noqa: F811
    agata = make_user("assistant", login="agata")
    family = make_family(assistant=agata)
    school = contact_services.add_institution({"name": "Szkoła Podstawowa nr 1", "city": "Gniezno",
                                               "type_id": dictionaries.by_code("institution_type", "school").id},
                                              actor=None)
    db.session.commit()
    login(client, "agata")
    first, second = _post_twice(client, f"/contacts/new?family_id={family.id}", {
        "contact_date": date.today().isoformat(), "institution_id": school.id, "family_id": family.id,
        "form": "phone", "subject": "Frekwencja"})
    assert _count(InstitutionContact) == 1
    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert second.headers["Location"].endswith(f"/families/{family.id}")


def test_a_member_added_twice_with_one_token_is_added_once(client, login_as, make_family):  # noqa: F811
    login_as("coordinator")
    family = make_family(children=0)
    members = _count(FamilyMember)
    _first, second = _post_twice(client, f"/families/{family.id}/members/new", {
        "first_name": "Ola", "last_name": "Kowalska", "relation": "child", "birth_date": "2016-04-04"})
    assert _count(FamilyMember) == members + 1
    assert second.headers["Location"].endswith(f"/families/{family.id}")


def test_new_tokens_save_again_and_a_refused_form_keeps_its_token_unused(client, login_as):
    login_as("coordinator")
    data = {"case_number": "AR/2026/8", "name": "Nowakowie", "area": "urban", "social_worker_id": ""}
    token = _token(client, "/families/new")
    refused = client.post("/families/new", data=dict(data, name="", once_token=token))
    assert refused.status_code == 400 and _count(Family) == 0
    assert client.post("/families/new", data=dict(data, once_token=token)).status_code == 302
    other = client.post("/families/new", data=dict(data, case_number="AR/2026/9",
                                                   once_token=_token(client, "/families/new")))
    assert other.status_code == 302 and _count(Family) == 2


def test_another_users_token_does_not_open_their_record(app, client, login_as, make_user):
    login_as("coordinator")
    data = {"case_number": "AR/2026/10", "name": "Wiśniewscy", "area": "urban", "social_worker_id": ""}
    token = _token(client, "/families/new")
    client.post("/families/new", data=dict(data, once_token=token))
    other = app.test_client()
    login(other, make_user("coordinator", login="druga"))
    response = other.post("/families/new", data=dict(data, case_number="AR/2026/11", once_token=token))
    assert response.status_code == 302
    first, second = db.session.scalars(select(Family.id).order_by(Family.id)).all()
    assert response.headers["Location"].endswith(f"/families/{second}")  # saved as new, never sent to the first


def test_expired_tokens_are_purged(make_user):
    user = make_user("coordinator")
    db.session.add_all([FormSubmission(token="a" * 32, user_id=user.id, target="/families/1",
                                       created_at=utcnow() - TOKEN_LIFETIME - timedelta(minutes=1)),
                        FormSubmission(token="b" * 32, user_id=user.id, target="/families/2")])
    db.session.commit()
    from casework.scheduler.jobs import run_job

    assert run_job("purge_login_records", utcnow())["form_tokens"] == 1  # the daily job purges them
    db.session.remove()
    assert db.session.scalars(select(FormSubmission.token)).all() == ["b" * 32]
    assert purge_expired(utcnow() + TOKEN_LIFETIME + timedelta(minutes=1)) == 1


@pytest.mark.parametrize("path", ["/families/new", "/contacts/new", "/institutions/new", "/reports/programmes",
                                  "/reports/ministry-rows", "/admin/users/new"])
def test_create_forms_carry_a_token(client, login_as, path):
    login_as("admin", "coordinator", "assistant")
    assert _token(client, path)


def test_a_double_tap_saves_once_even_when_both_posts_arrive_together(app, make_user, make_family,  # noqa: F811
                                                                      monkeypatch):
    """Both posts pass the "already used?" check before either has committed: the unique token decides, the
    slower post is rolled back and lands on the record the faster one saved."""
    import threading

    from casework.core import forms as once

    agata = make_user("assistant", login="agata")
    family = make_family(assistant=agata)
    school = contact_services.add_institution({"name": "Poradnia", "city": "Gniezno",
                                               "type_id": dictionaries.by_code("institution_type", "school").id},
                                              actor=None)
    db.session.commit()
    barrier, checked = threading.Barrier(2, timeout=30), threading.local()
    real_check = once.check_unused

    def check_then_wait(token, user_id):
        result = real_check(token, user_id)
        if not getattr(checked, "done", False):  # the first check of each post: wait for the other one
            checked.done = True
            barrier.wait()
        return result

    monkeypatch.setattr(once, "check_unused", check_then_wait)
    clients = [app.test_client(), app.test_client()]
    for client in clients:
        login(client, "agata")
    data = {"contact_date": date.today().isoformat(), "institution_id": school.id, "family_id": family.id,
            "form": "phone", "subject": "Dwa razy", "once_token": "t" * 32}
    responses = [None, None]

    def post(n):
        responses[n] = clients[n].post("/contacts/new", data=data)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [r.status_code for r in responses] == [302, 302]
    assert _count(InstitutionContact) == 1
    assert responses[0].headers["Location"] == responses[1].headers["Location"]


def test_revising_a_plan_twice_with_one_token_makes_one_new_version(client, make_user, make_family):  # noqa: F811
    from casework.families.services import current_period
    from casework.plans import services as plan_services
    from casework.plans.models import WorkPlan

    agata = make_user("assistant", login="agata")
    family = make_family(assistant=agata)
    plan = plan_services.create_plan(current_period(family), {"drawn_up_on": date(2025, 2, 1)}, actor=agata,
                                     today=date(2025, 2, 1))
    db.session.commit()
    login(client, "agata")
    token = _token(client, f"/plans/{plan.id}")  # the "new version" button carries it
    first = client.post(f"/plans/{plan.id}/revise", data={"once_token": token})
    second = client.post(f"/plans/{plan.id}/revise", data={"once_token": token})
    assert _count(WorkPlan) == 2
    assert second.headers["Location"] == first.headers["Location"] != f"/plans/{plan.id}"
