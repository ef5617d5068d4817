"""The one search box (issue 20, item 3): any form of a surname, without Polish letters, across every status;
never more than the user may see, and nothing that tells an inaccessible family exists."""
import re
from datetime import date

import pytest
from sqlalchemy import insert, select

from casework.contacts.models import Institution
from casework.core.audit import AuditEvent
from casework.core.dictionaries import DictionaryEntry
from casework.core.search_keys import fold, search_key, stem, words
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families import services
from casework.families.models import Family, FamilyMember
from casework.fostercare.models import FosterChild
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - the fixture

VALID_PESEL = "90050512341"


def _results(html: str) -> str:
    """The page's results (the part after the search form), with the typed query removed."""
    html = html.split('class="hint"', 1)[1]
    html = re.sub(r'name="(next|csrf_token)" value="[^"]*"', "", html)  # the language form's return, its token
    return re.sub(r"\s+", " ", html)


def _search(client, q, **args):
    response = client.get("/search/", query_string={"q": q, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- the key ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("forms", [("Wiśniewska", "Wiśniewski", "Wiśniewscy", "wisniewska", "WIŚNIEWSCY"),
                                   ("Zawadzka", "Zawadzki", "Zawadzcy"), ("Nowicka", "Nowicki", "Nowiccy"),
                                   ("Nowakowa", "Nowakowie", "Nowakówna"), ("Kowalska", "Kowalscy")])
def test_every_form_of_a_surname_has_one_key(forms):
    assert len({search_key(f) for f in forms}) == 1


def test_the_key_folds_polish_letters_and_punctuation():
    assert fold("Łódź, ul. Żółkiewskiego 5/7") == "lodz ul zolkiewskiego 5 7"
    assert search_key("AR/2021/15") == " ar 2021 15"
    assert stem("anna") == "anna" and stem("maria") == "maria"
    assert stem("ska") == "ska"  # too short to have an ending cut
    assert words("Anna Anna") == ["anna"]


def test_the_key_is_kept_on_every_write(app):
    family = services.register_family({"case_number": "K/1", "name": "Wiśniewscy", "city": "Gniezno"}, actor=None)
    member = services.add_member(family, {"first_name": "Łucja", "last_name": "Wiśniewska", "relation": "parent"},
                                 actor=None)
    db.session.commit()
    assert family.search_key == " k 1 wisniew gniezno" and member.search_key == " wisniew lucja"
    services.update_family(family, {"name": "Żak", "city": "Łódź"}, actor=None)
    db.session.commit()
    assert db.session.scalar(select(Family.search_key).where(Family.id == family.id)) == " k 1 zak lodz"
    # a Core insert of many rows (the demo, the import) that does not give the key gets it from the row itself
    db.session.execute(insert(Family), [{"case_number": "K/2", "name": "Nowakowie", "name_sort": "", "area": "urban",
                                         "version": 1}])
    assert db.session.scalar(select(Family.search_key).where(Family.case_number == "K/2")) == " k 2 nowak"


# --- finding ----------------------------------------------------------------------------------------------

def _ended_years_ago(family, years=5):
    period = family.support_periods[-1]
    period.start_date = date(today_local().year - years - 1, 3, 1)
    period.end_date = date(today_local().year - years, 2, 1)
    period.end_reason_id = db.session.scalar(select(DictionaryEntry.id).where(DictionaryEntry.kind == "end_reason"))
    for assignment in period.assignments:
        assignment.start_date, assignment.end_date = period.start_date, period.end_date
    db.session.commit()


def test_a_family_ended_five_years_ago_is_found_by_a_surname_typed_without_polish_letters(client, login_as,
                                                                                          make_family):
    family = make_family(name="Wiśniewscy")
    _ended_years_ago(family)
    login_as("coordinator")
    html = _search(client, "wisniewska")
    assert f"/families/{family.id}" in html and "Wiśniewscy" in html
    assert "zakończona" in html.lower() or "closed" in html  # its status is shown


def test_search_by_case_number_first_name_pesel_address_institution_and_foster_child(client, login_as, make_family):
    family = make_family(name="Dąbrowscy")
    services.update_family(family, {"street": "ul. Źródlana 7"}, actor=None)
    member = family.members[0]
    member.pesel = VALID_PESEL
    institution_type = db.session.scalar(select(DictionaryEntry.id).where(DictionaryEntry.kind == "institution_type"))
    db.session.add(Institution(name="Szkoła Podstawowa nr 3 w Gnieźnie", city="Gniezno", type_id=institution_type))
    db.session.add(FosterChild(first_name="Jędrzej", last_name="Pawłowski", birth_date=date(2016, 1, 1)))
    db.session.commit()
    login_as("coordinator")
    assert "Dąbrowscy" in _search(client, family.case_number.lower())
    assert "Dąbrowscy" in _search(client, "zrodlana")
    assert "Dąbrowscy" in _search(client, "anna dabrowska")
    assert "Dąbrowscy" in _search(client, VALID_PESEL)
    assert "Szkoła Podstawowa nr 3" in _search(client, "szkola gnieznie")
    assert "Jędrzej Pawłowski" in _search(client, "jedrzej pawlowska")
    assert "Nic nie znaleziono" in _search(client, "Zzyzx")


def test_results_are_paginated_by_kind(app, client, login_as, make_family):
    for n in range(app.config["PAGE_SIZE"] + 3):
        services.register_family({"case_number": f"P/{n}", "name": "Lewandowscy"}, actor=None)
    db.session.commit()
    login_as("coordinator")
    first = _search(client, "lewandowska")
    assert "P/0" in first and "Pokaż wszystkie" in first
    second = _search(client, "lewandowska", kind="families", page=2)
    assert second.count("/families/") >= 3 and "Strona 2" in second


def test_the_audit_row_of_a_search_holds_no_query(client, login_as, make_family):
    family = make_family(name="Kamińscy")
    login_as("coordinator")
    _search(client, "kaminska")
    row = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "search_viewed")).one()
    assert "kamin" not in str(row.details).lower()
    assert row.details["family_ids"] == [family.id]


# --- never more than access allows ------------------------------------------------------------------------

def test_search_never_shows_a_family_outside_the_users_access_for_every_role(app, make_user, make_family):
    """Each role searches for a family it may see and one it may not: the first is found, the second answers
    exactly like a surname nobody has (same page, no count)."""
    own_assistant, other_assistant = make_user("assistant"), make_user("assistant")
    worker, other_worker = make_user("social_worker"), make_user("social_worker")
    mine = make_family(name="Zielińscy", assistant=own_assistant, social_worker=worker)
    theirs = make_family(name="Szymańscy", assistant=other_assistant, social_worker=other_worker)
    ended = make_family(name="Woźniakowie", assistant=own_assistant, social_worker=worker)
    _ended_years_ago(ended)  # the assistant's former family: out of the caseload, so out of sight
    theirs.members[0].pesel = VALID_PESEL
    db.session.commit()
    cases = {
        "admin": (make_user("admin"), ["zielinska", "szymanska", "wozniak", VALID_PESEL], []),
        "coordinator": (make_user("coordinator"), ["zielinska", "szymanska", "wozniak", VALID_PESEL], []),
        "assistant": (own_assistant, ["zielinska"], ["szymanska", "wozniak", VALID_PESEL, theirs.case_number]),
        "social_worker": (worker, ["zielinska", "wozniak"], ["szymanska", VALID_PESEL, "anna szymanska"]),
    }
    for role, (user, found, hidden) in cases.items():
        client = app.test_client()
        login(client, user)
        for q in found:
            assert "/families/" in _results(_search(client, q)), (role, q)
        nothing = _results(_search(client, "Qwxyzowska")).replace("Qwxyzowska", "")
        for q in hidden:
            page = _results(_search(client, q)).replace(q, "")
            assert page == nothing, (role, q)
    zi = app.test_client()
    login(zi, make_user("zi_member"))
    assert zi.get("/search/", query_string={"q": "szymanska"}).status_code == 403


def test_an_archived_family_is_found_only_by_those_who_see_every_family(app, make_user, make_family):
    worker = make_user("social_worker")
    family = make_family(name="Kaczmarkowie", social_worker=worker)
    services.archive(family, "wpis omyłkowy", actor=None)
    db.session.commit()
    coordinator = app.test_client()
    login(coordinator, make_user("coordinator"))
    assert "Kaczmarkowie" in _search(coordinator, "kaczmarkowa")  # "-owie" and "-owa" share the stem
    social = app.test_client()
    login(social, worker)
    assert "Kaczmarkowie" not in _search(social, "kaczmarkowa")


def test_a_core_update_with_the_names_as_parameters_keeps_the_key(app):
    """The import's batch UPDATE (one dict of fields per row, no ORM object) gets the key in the same statement."""
    from sqlalchemy import bindparam  # local import: only this test builds a Core UPDATE

    family = services.register_family({"case_number": "U/1", "name": "Nowak", "city": "Gniezno"}, actor=None)
    member = services.add_member(family, {"first_name": "Jan", "last_name": "Nowak", "relation": "parent"},
                                 actor=None)
    db.session.commit()
    table = Family.__table__
    fields = ("case_number", "name", "street", "postal_code", "city")
    db.session.execute(table.update().where(table.c.id == bindparam("_id")).values(
        **{f: bindparam(f) for f in fields}), [{"_id": family.id, "case_number": "U/1", "name": "Wiśniewscy",
                                                "street": None, "postal_code": None, "city": "Łódź"}])
    members = FamilyMember.__table__
    db.session.execute(members.update().where(members.c.id == bindparam("_id")).values(
        first_name=bindparam("first_name"), last_name=bindparam("last_name")),
        [{"_id": member.id, "first_name": "Łucja", "last_name": "Wiśniewska"}])
    assert db.session.scalar(select(Family.search_key).where(Family.id == family.id)) == " u 1 wisniew lodz"
    assert db.session.scalar(select(FamilyMember.search_key).where(FamilyMember.id == member.id)) == " wisniew lucja"
