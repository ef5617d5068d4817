"""The data check before closing lists every defect of issue 15 already stored, each with the records to fix, and
changes nothing: blank assessments, visits saved twice, implausible PESEL, an assistant over the cap on some day of
the period, overlapping support periods."""
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select

import casework.models  # noqa: F401 - every model mapped first (families/rules.py configures mappers on import)
from casework.assessments.models import Assessment
from casework.core import periods
from casework.core.pesel import encode
from casework.core.settings import set_setting
from casework.extensions import db
from casework.families.models import FamilyMember, SupportPeriod
from casework.indicators import quality
from casework.visits.models import Visit
from tests.indicators.helpers import assign, child, d, family, period

YEAR = periods.year(2025)


def _plant(make_user):
    """Each defect once, written straight to the database as an old version of the app (or an import) could."""
    anna = make_user("assistant", full_name="Anna Asystentka")
    kowalscy = family("Kowalscy")
    sp = period(kowalscy, d("2025-01-10"), referral_date=d("2025-01-05"), assistant=anna)
    blank = Assessment(support_period_id=sp.id, family_id=kowalscy.id, assessment_date=d("2025-07-10"),
                       covers_from=d("2025-01-10"), covers_to=d("2025-07-10"), progress=" ", changes=None,
                       recommendation="continue", author_id=anna.id)
    fine = Assessment(support_period_id=sp.id, family_id=kowalscy.id, assessment_date=d("2025-12-10"),
                      covers_from=d("2025-07-11"), covers_to=d("2025-12-10"), progress="Rodzina spłaca czynsz.",
                      recommendation="continue", author_id=anna.id)
    saved = datetime(2025, 3, 3, 10, 0, tzinfo=timezone.utc)
    first = Visit(family_id=kowalscy.id, assistant_id=anna.id, visit_date=d("2025-03-03"), duration_minutes=60,
                  activities="Rozmowa", created_at=saved)
    again = Visit(family_id=kowalscy.id, assistant_id=anna.id, visit_date=d("2025-03-03"), duration_minutes=60,
                  activities="Rozmowa", created_at=saved + timedelta(minutes=2))
    db.session.add_all([blank, fine, first, again])
    old = child(kowalscy, None, "Ignacy", pesel=encode(date(1819, 5, 5), 1234))  # valid checksum, born 1819
    nowakowie = family("Nowakowie")
    one = period(nowakowie, d("2025-02-01"), d("2025-09-30"), "goals_achieved", referral_date=d("2025-01-20"))
    two = period(nowakowie, d("2025-06-01"), referral_date=d("2025-05-20"))
    assign(one, anna, d("2025-02-01"), d("2025-09-30"))  # with the cap at 1: two families from 1 February
    assign(two, anna, d("2025-06-01"))
    set_setting("caseload_cap", 1)
    db.session.commit()
    return {"anna": anna, "blank": blank, "fine": fine, "again": again, "first": first, "old": old,
            "kowalscy": kowalscy, "nowakowie": nowakowie, "one": one, "two": two}


def _found(period=YEAR):
    return {item["check"].code: item for item in quality.run(period)}


def test_each_defect_is_listed_with_its_records(make_user):
    p = _plant(make_user)
    found = _found()
    assert [r["id"] for r in found["Q_BLANK_ASSESSMENT"]["records"]] == [p["blank"].id]
    assert found["Q_BLANK_ASSESSMENT"]["records"][0]["family_id"] == p["kowalscy"].id
    assert [r["id"] for r in found["Q_DUPLICATE_VISIT"]["records"]] == [p["again"].id]
    assert f"#{p['first'].id}" in found["Q_DUPLICATE_VISIT"]["records"][0]["label"]
    (member,) = found["Q_IMPLAUSIBLE_PESEL"]["records"]
    assert member["id"] == p["old"].id and member["family_id"] == p["kowalscy"].id
    assert "Ignacy" in member["label"]
    over = found["Q_CASELOAD_OVER_CAP"]
    assert {r["id"] for r in over["records"]} == {p["anna"].id}
    assert "Anna Asystentka" in over["records"][0]["label"]
    assert over["records"][0]["link"] == ("families.index", {"assistant": p["anna"].id, "status": "active"})
    (pair,) = found["Q_OVERLAPPING_PERIODS"]["records"]
    assert pair["id"] == p["one"].id and pair["family_id"] == p["nowakowie"].id
    assert f"#{p['two'].id}" in pair["label"]


def test_nothing_is_changed_and_other_years_are_not_blamed(make_user):
    p = _plant(make_user)
    counts = lambda: [db.session.scalar(select(func.count()).select_from(m)) for m in  # noqa: E731
                      (Assessment, Visit, FamilyMember, SupportPeriod)]
    before = counts()
    _found()
    db.session.expire_all()
    assert counts() == before
    assert db.session.get(Assessment, p["blank"].id).progress == " "
    assert db.session.get(FamilyMember, p["old"].id).pesel == encode(date(1819, 5, 5), 1234)
    assert not set(_found(periods.year(2023))) & {"Q_BLANK_ASSESSMENT", "Q_DUPLICATE_VISIT", "Q_IMPLAUSIBLE_PESEL",
                                                   "Q_CASELOAD_OVER_CAP", "Q_OVERLAPPING_PERIODS"}


def test_the_close_page_and_the_cli_list_them(client, login_as, make_user, app):
    p = _plant(make_user)
    login_as("coordinator")
    html = client.get("/reports/indicators/close?year=2025").get_data(as_text=True)
    for text in ("Oceny okresowe, które nic nie mówią", "Wizyty zapisane dwukrotnie",
                 "nieprawdopodobnym numerem PESEL", "większą liczbą rodzin niż limit",
                 "nakładającymi się okresami wsparcia"):
        assert text in html, text
    assert f"assistant={p['anna'].id}" in html
    result = app.test_cli_runner().invoke(args=["casework", "report", "quality", "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert f"Q_DUPLICATE_VISIT (1): visit {p['again'].id}" in result.output
    assert f"Q_IMPLAUSIBLE_PESEL (1): family_member {p['old'].id}" in result.output
    assert "Ignacy" not in result.output  # ids only on the command line
