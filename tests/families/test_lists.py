"""Family lists: Polish order, pagination and a number of queries that does not grow with the rows shown."""
import random

from casework.extensions import db


def test_polish_alphabetical_order(client, login_as, make_family):
    for name in ("Żak", "Zając", "Łukasik", "Lis", "Śliwa", "Sowa", "Ćwik", "Cieślak"):
        make_family(name=name)
    login_as("coordinator")
    html = client.get("/families/").get_data(as_text=True)
    positions = [html.index(f">{n}<") for n in ("Cieślak", "Ćwik", "Lis", "Łukasik", "Sowa", "Śliwa", "Zając", "Żak")]
    assert positions == sorted(positions)


def _bulk_families(n, users):
    from casework.families.demo import generate

    generate(users=users, families=n, rng=random.Random(5), progress=lambda *_: None)
    db.session.commit()


def test_query_count_does_not_grow_with_rows_shown(client, login_as, make_user, queries, app):
    coordinator = login_as("coordinator")
    users = {"asystent1": make_user("assistant", login="asystent1"),
             "pracownik1": make_user("social_worker", login="pracownik1")}

    def count(path):
        with queries() as q:
            assert client.get(path).status_code == 200
        return len(q)

    _bulk_families(5, users)
    few = count("/families/?status=")
    _bulk_families(45, users)
    many = count("/families/?status=")
    assert few == many
    assert coordinator


def test_pagination_on_a_few_thousand_families(client, login_as, make_user, queries):
    login_as("coordinator")
    users = {"asystent1": make_user("assistant", login="asystent1"),
             "pracownik1": make_user("social_worker", login="pracownik1")}
    _bulk_families(3000, users)
    with queries() as first_page:
        html = client.get("/families/?status=").get_data(as_text=True)
    assert "Strona 1 z 60" in html
    with queries() as last_page:
        html = client.get("/families/?status=&page=60").get_data(as_text=True)
    assert "Strona 60 z 60" in html
    assert len(first_page) == len(last_page)


def test_my_families_query_count_constant(app, make_user, queries):
    from tests.conftest import login

    assistant = make_user("assistant", login="asystent1")
    users = {"asystent1": assistant, "pracownik1": make_user("social_worker", login="pracownik1")}
    client = app.test_client()
    login(client, "asystent1")
    _bulk_families(3, users)
    with queries() as few:
        client.get("/families/mine")
    _bulk_families(20, users)
    with queries() as many:
        html = client.get("/families/mine").get_data(as_text=True)
    assert html.count('class="panel"') > 3
    assert len(few) == len(many)
