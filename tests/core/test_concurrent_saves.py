"""Optimistic locking under a real race: two saves that loaded the same version at the same moment.

The form's hidden version is compared with the row's (core.db.check_version); that alone cannot see a save that
commits between this request's load and its UPDATE. `version_id_col` makes every UPDATE carry `WHERE version = n`,
so exactly one of two racing saves wins and the other gets the Polish conflict page (409); nothing is lost.

The race needs two database connections working at once. It is run on PostgreSQL (the production database, where
the losing UPDATE waits for the winner's row lock and then matches no row) and also on SQLite, where the second
writer waits for the first (busy timeout) and then matches no row either.
"""
import re
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from casework.extensions import db
from casework.families.models import Family
from casework.visits import services as visits
from casework.visits.models import Visit
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture

CONFLICT = "Ktoś inny zapisał ten rekord"


def _version(html):
    return re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)


def test_every_model_with_a_version_column_is_guarded_by_version_id_col():
    from casework.core.db import VersionedMixin

    versioned = [m for m in db.Model.registry.mappers if issubclass(m.class_, VersionedMixin)]
    assert len(versioned) >= 15
    for mapper in versioned:
        assert mapper.version_id_col is mapper.local_table.c.version, mapper.class_.__name__


def test_two_sessions_saving_the_same_version_at_once_one_wins(app, make_family):  # noqa: F811
    family_id = make_family(name="Kowalscy").id
    db.session.remove()
    barrier = threading.Barrier(2, timeout=20)
    outcome: dict[str, str] = {}

    def save(name):
        with app.app_context(), Session(db.engine) as session:
            family = session.get(Family, family_id)
            assert family.version == 1
            barrier.wait()  # both have loaded version 1
            family.name = name
            try:
                session.commit()
                outcome[name] = "saved"
            except StaleDataError:
                session.rollback()
                outcome[name] = "conflict"

    threads = [threading.Thread(target=save, args=(n,)) for n in ("Kowalscy-Nowak", "Kowalscy-Lis")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcome.values()) == ["conflict", "saved"]
    winner = next(n for n, o in outcome.items() if o == "saved")
    saved = db.session.get(Family, family_id)
    assert saved.name == winner and saved.version == 2


@pytest.fixture
def visit_and_two_clients(app, make_user, make_family):  # noqa: F811
    agata = make_user("assistant", login="agata")
    make_user("coordinator", login="koordynator")
    family = make_family(assistant=agata)
    visit = visits.log_visit(family, {"visit_date": date.today() - timedelta(days=1), "duration_minutes": 60,
                                      "place": "home", "form": "home_visit", "activities": "Rozmowa"}, [],
                              actor=agata)
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    login(first, "agata")
    login(second, "koordynator")
    return visit.id, family.id, first, second


def _form(visit_id, family_id, version, activities):
    return {"version": version, "family_id": family_id, "visit_date": (date.today() - timedelta(days=1)).isoformat(),
            "duration_minutes": "60", "place": "home", "form": "home_visit", "activities": activities}


def test_two_form_saves_racing_on_one_version_one_wins_the_other_sees_the_conflict_page(visit_and_two_clients):
    visit_id, family_id, first, second = visit_and_two_clients
    url = f"/visits/{visit_id}/edit"
    v1 = _version(first.get(url).get_data(as_text=True))
    v2 = _version(second.get(url).get_data(as_text=True))
    assert v1 == v2 == "1"
    db.session.remove()

    # hold each request at its first flush of the visit (after it loaded version 1 and passed the form-version
    # check) until the other has got there too: both then write "version 1 → 2" at the same moment
    barrier = threading.Barrier(2, timeout=20)
    waited = set()

    def hold(session, flush_context, instances):
        me = threading.get_ident()
        if me in holders and me not in waited and any(isinstance(o, Visit) for o in session.dirty):
            waited.add(me)
            barrier.wait()

    holders: set[int] = set()
    answers = {}

    def post(name, client, version):
        holders.add(threading.get_ident())
        answers[name] = client.post(url, data=_form(visit_id, family_id, version, f"Notatka {name}"))

    event.listen(Session, "before_flush", hold)
    try:
        threads = [threading.Thread(target=post, args=("agata", first, v1)),
                   threading.Thread(target=post, args=("koordynator", second, v2))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        event.remove(Session, "before_flush", hold)
    assert len(waited) == 2, "both saves must have reached the database together"
    codes = sorted(r.status_code for r in answers.values())
    assert codes == [302, 409]
    loser = next(n for n, r in answers.items() if r.status_code == 409)
    winner = next(n for n, r in answers.items() if r.status_code == 302)
    assert CONFLICT in answers[loser].get_data(as_text=True)
    saved = db.session.scalar(select(Visit).where(Visit.id == visit_id))
    assert saved.activities == f"Notatka {winner}" and saved.version == 2


def test_the_second_of_two_saves_from_the_same_version_sees_the_conflict_and_the_first_is_kept(
        visit_and_two_clients):
    visit_id, family_id, first, second = visit_and_two_clients
    url = f"/visits/{visit_id}/edit"
    v1 = _version(first.get(url).get_data(as_text=True))
    v2 = _version(second.get(url).get_data(as_text=True))
    assert first.post(url, data=_form(visit_id, family_id, v1, "Pierwsza wersja")).status_code == 302
    response = second.post(url, data=_form(visit_id, family_id, v2, "Druga wersja"))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert CONFLICT in html and "Pierwsza wersja" in html and "Druga wersja" in html
    db.session.expire_all()
    assert db.session.get(Visit, visit_id).activities == "Pierwsza wersja"


def test_a_save_that_changes_only_the_areas_is_a_new_version_too(visit_and_two_clients):
    """The visit row itself is unchanged (only its areas), yet the other open form must see a conflict."""
    from casework.core.dictionaries import entries

    visit_id, family_id, first, second = visit_and_two_clients
    url = f"/visits/{visit_id}/edit"
    v1 = _version(first.get(url).get_data(as_text=True))
    v2 = _version(second.get(url).get_data(as_text=True))
    area = entries("area_of_work")[0].id
    assert first.post(url, data=_form(visit_id, family_id, v1, "Rozmowa") | {"areas": [area]}).status_code == 302
    assert second.post(url, data=_form(visit_id, family_id, v2, "Rozmowa")).status_code == 409
    db.session.expire_all()
    saved = db.session.get(Visit, visit_id)
    assert [a.id for a in saved.areas] == [area] and saved.version == 2


def test_a_lost_race_on_any_other_path_answers_the_polish_conflict_page(app):
    with app.test_request_context("/"):
        response = app.make_response(app.handle_user_exception(StaleDataError("UPDATE matched 0 rows")))
    assert response.status_code == 409
    assert CONFLICT in response.get_data(as_text=True)
