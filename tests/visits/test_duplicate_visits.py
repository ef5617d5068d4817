"""A visit saved twice (back + "Zapisz", a double tap, the same visit typed on a second device) is refused with a
link to the saved one; visits saved twice before this rule are listed for the data-quality check."""
import re
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select, update

from casework.core.timeutil import utcnow
from casework.extensions import db
from casework.visits import rules, services
from casework.visits.models import Visit
from casework.visits.services import VisitRuleError
from tests.conftest import login
from tests.families.conftest import make_family  # noqa: F401 - fixture

TWICE = "została już zapisana"


@pytest.fixture
def agata(make_user):
    return make_user("assistant", login="agata", full_name="Agata Asystentka")


@pytest.fixture
def family(make_family, agata):  # noqa: F811
    return make_family(assistant=agata, name="Kowalscy")


def _log(family, user, **values):
    base = {"visit_date": date(2025, 3, 3), "duration_minutes": 60, "form": "home_visit",
            "activities": "Rozmowa o szkole"}
    return services.log_visit(family, base | values, [], actor=user, today=date(2025, 3, 10))


def _count():
    return db.session.scalar(select(func.count(Visit.id)))


def _age(visit, minutes):
    db.session.execute(update(Visit).where(Visit.id == visit.id)
                       .values(created_at=utcnow() - timedelta(minutes=minutes)))
    db.session.commit()


def test_the_same_visit_saved_twice_through_two_forms_is_refused_with_a_link(client, family, agata):
    """Two separately opened forms (a second device, or a page reloaded before "Zapisz"): the one-time form token
    cannot tell them apart, the domain rule does."""
    login(client, "agata")
    today = date.today()
    data = {"family_id": family.id, "visit_date": today.isoformat(), "duration_minutes": "45", "place": "home",
            "form": "home_visit", "activities": "Rozmowa o szkole", "agreed_next": ""}
    for _ in range(2):
        form_page = client.get("/visits/new").get_data(as_text=True)
        token = re.search(r'name="once_token"[^>]*value="([^"]+)"', form_page)
        response = client.post("/visits/new", data=data | ({"once_token": token.group(1)} if token else {}))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    saved = db.session.scalar(select(Visit))
    assert TWICE in html and f'href="/visits/{saved.id}/edit"' in html and "Otwórz zapisaną wizytę" in html
    assert _count() == 1


def test_with_a_start_time_the_answer_is_saved_twice_not_an_overlap(family, agata):
    _log(family, agata, start_time=time(10, 0))
    with pytest.raises(VisitRuleError) as refused:
        _log(family, agata, start_time=time(10, 0))
    assert len(refused.value.messages) == 1 and TWICE in refused.value.messages[0]


@pytest.mark.parametrize("change", [
    {"start_time": time(15, 0)},  # the refusal's advice: another visit that day gets its start time
    {"duration_minutes": 30},
    {"activities": "Wspólne planowanie budżetu"},
    {"form": "phone_call"},
    {"visit_date": date(2025, 3, 4)},
])
def test_a_visit_that_differs_in_anything_typed_is_another_visit(family, agata, change):
    _log(family, agata)
    _log(family, agata, **change)
    assert _count() == 2


def test_only_within_the_window_and_not_against_an_archived_visit(make_user, family, agata):
    first = _log(family, agata)
    db.session.commit()
    _age(first, rules.DUPLICATE_WINDOW.total_seconds() / 60 + 1)
    second = _log(family, agata)  # the same again much later: a second, real visit (e.g. typed from notes)
    db.session.commit()
    services.archive_visit(second, "Wpisana omyłkowo", actor=make_user("coordinator"))
    db.session.commit()
    _log(family, agata)
    assert _count() == 3


def test_another_assistant_or_family_is_another_visit(make_user, make_family, family, agata):  # noqa: F811
    _log(family, agata)
    other_family = make_family(assistant=agata, name="Nowakowie")
    _log(other_family, agata)
    coordinator = make_user("coordinator")
    _log(family, coordinator)
    assert _count() == 3


def test_visits_saved_twice_already_in_the_database_are_listed(family, agata):
    """Rows written before the rule existed (or by a bulk import): the later copy of each pair is listed."""
    first = _log(family, agata)
    db.session.commit()
    base = {c: getattr(first, c) for c in rules.SAME_VISIT_FIELDS}
    now = utcnow()
    copy = Visit(**base, created_at=first.created_at + timedelta(seconds=5))
    late = Visit(**(base | {"visit_date": date(2025, 3, 5)}), created_at=now)
    late_again = Visit(**(base | {"visit_date": date(2025, 3, 5)}), created_at=now + timedelta(hours=2))
    archived = Visit(**(base | {"visit_date": date(2025, 3, 6)}), created_at=now)
    archived_copy = Visit(**(base | {"visit_date": date(2025, 3, 6)}), created_at=now, archived_at=now)
    db.session.add_all([copy, late, late_again, archived, archived_copy])
    db.session.commit()
    rows = db.session.execute(rules.duplicate_visits(date(2025, 3, 1), date(2025, 3, 31))).all()
    assert [r.id for r in rows] == [copy.id]
    assert rows[0].family_id == family.id and rows[0].label.endswith(f"2025-03-03 = #{first.id}")
    assert db.session.execute(rules.duplicate_visits(date(2025, 4, 1), date(2025, 4, 30))).all() == []
    # the rule the form uses agrees: within the window the first is found
    assert rules.recent_duplicate(base, now=first.created_at + timedelta(minutes=1)).id in {first.id, copy.id}


def test_the_import_refuses_a_visit_saved_minutes_ago_under_another_id(agata):
    """The same rule on the import path: a second file (or a second person's sheet) repeating a visit just
    imported under a new id is refused on its row, and nothing of that file is written."""
    from tests.importer.test_import import SHEETS, run, workbook

    assert run(workbook()).ok
    before = _count()

    def repeat_w2(book):
        book["wizyty"].append(["W9", "F2", "agata", "2020-03-10", "", "45", "", "telefon", "", ""])
    report = run(workbook(change=repeat_w2))
    assert not report.ok
    assert any(p.sheet == "wizyty" and p.row == len(SHEETS["wizyty"]) + 1 and TWICE in p.message
               for p in report.problems), [(p.sheet, p.row, p.column, p.message) for p in report.problems]
    assert _count() == before
