"""The register and the deadline board of Niebieska Karta list, for a member of one diagnostic group who is not in the
interdisciplinary team, only that group's procedure (issue 17, finding 9: opening the list to everyone passed every
test, since the tests had one procedure only)."""
from datetime import date

import pytest

from casework.bluecard import services
from casework.extensions import db
from tests.conftest import login

TODAY = date(2026, 11, 20)


def _procedure(first: str, last: str, day: date, group_user=None):
    procedure = services.start_procedure(
        {"nka_date": day, "sector": "police", "violence_forms": ["psychological"]},
        [{"role": "affected", "first_name": first, "last_name": last, "address": f"ul. {last}owa 1"},
         {"role": "suspected", "first_name": "Sprawdzany", "last_name": last}], actor=None, today=TODAY)
    services.hand_to_chair(procedure, day, actor=None, today=TODAY)
    services.hand_to_group(procedure, day, [{"user_id": group_user.id if group_user else None, "name": "Pracownik",
                                             "sector": "social_assistance"}, {"name": "Policjant", "sector": "police"}],
                           actor=None, today=TODAY)
    return procedure


@pytest.fixture
def two_groups(make_user):
    """Two open procedures, each with its own diagnostic group (a social worker who is not in the team)."""
    first_worker = make_user("social_worker", login="grupa1")
    second_worker = make_user("social_worker", login="grupa2")
    team = make_user("zi_member", login="zespol")
    first = _procedure("Alicja", "Pierwsza", date(2026, 11, 2), first_worker)
    second = _procedure("Beata", "Druga", date(2026, 11, 3), second_worker)
    db.session.commit()
    return first, second, {"grupa1": first_worker, "grupa2": second_worker, "zespol": team}


def test_blue_card_list_rule_for_a_diagnostic_group_member_not_in_the_team(app, two_groups):
    first, second, _users = two_groups
    for who, own, other in (("grupa1", first, second), ("grupa2", second, first)):
        client = app.test_client()
        login(client, who)
        for url in ("/blue-card/", "/blue-card/board"):
            response = client.get(url)
            body = response.get_data(as_text=True)
            assert response.status_code == 200, (who, url)
            assert own.number in body, (who, url)
            assert other.number not in body and f"/blue-card/{other.id}\"" not in body, (who, url)
        assert client.get(f"/blue-card/{other.id}").status_code == 404
    team = app.test_client()
    login(team, "zespol")
    listing = team.get("/blue-card/").get_data(as_text=True)
    assert first.number in listing and second.number in listing


def test_blue_card_list_is_404_for_a_user_in_no_group_and_not_in_the_team(app, make_user, two_groups):
    make_user("social_worker", login="spoza")
    make_user("coordinator", login="koordynator")
    for who in ("spoza", "koordynator"):
        client = app.test_client()
        login(client, who)
        assert client.get("/blue-card/").status_code == 404
        assert client.get("/blue-card/board").status_code == 404
