"""On 1 July / 1 January the statistics of the period just ended are prepared once and coordinators are told."""
from datetime import date

from sqlalchemy import select

from casework.extensions import db
from casework.families import services as families
from casework.indicators.models import IndicatorSnapshot
from casework.reminders.models import Reminder
from casework.scheduler.jobs import prepare_statistics, run_job
from tests.conftest import login
from tests.reminders.helpers import at


def _family(start, *, with_child_birth=True):
    family = families.register_family({"case_number": f"AR/{start.isoformat()}", "name": "Testowi",
                                       "area": "urban"}, actor=None)
    families.start_support_period(family, {"basis": "referral", "referral_date": start, "start_date": start},
                                  actor=None)
    return family


def _snapshots():
    return [(s.date_from, s.date_to, s.kind) for s in
            db.session.scalars(select(IndicatorSnapshot).order_by(IndicatorSnapshot.date_from,
                                                                  IndicatorSnapshot.date_to))]


def test_first_half_prepared_on_1_july_once_with_a_reminder(make_user, client):
    coordinator = make_user("coordinator", login="kierownik")
    _family(date(2026, 2, 1))
    _family(date(2026, 8, 1))  # starts in the second half-year: not in H1
    db.session.commit()
    assert prepare_statistics(at(date(2026, 6, 30), 23)) == {"prepared": 0}
    assert prepare_statistics(at(date(2026, 7, 1), 0)) == {"prepared": 1}
    assert prepare_statistics(at(date(2026, 7, 1), 1)) == {"prepared": 0}
    [snapshot] = db.session.scalars(select(IndicatorSnapshot)).all()
    assert (snapshot.date_from, snapshot.date_to) == (date(2026, 1, 1), date(2026, 6, 30))
    assert snapshot.values["AR_FAMILIES_SUPPORTED"] == 1
    [reminder] = db.session.scalars(select(Reminder).where(Reminder.rule == "statistics_ready")).all()
    assert reminder.recipient_id == coordinator.id and reminder.subject.startswith("2026 H1")
    login(client, "kierownik")
    listing = client.get("/reminders/").get_data(as_text=True)
    assert f"/reports/indicators/prepared/{snapshot.id}" in listing
    response = client.get(f"/reports/indicators/prepared/{snapshot.id}")
    assert response.status_code == 302 and "year=2026" in response.headers["Location"]
    assert "half=1" in response.headers["Location"]


def test_year_end_caught_up_after_downtime(make_user):
    make_user("coordinator")
    _family(date(2026, 3, 1))
    db.session.commit()
    run_job("prepare_statistics", at(date(2027, 1, 4), 9))  # the machine was off over New Year
    assert _snapshots() == [(date(2026, 1, 1), date(2026, 12, 31), "year"),
                            (date(2026, 7, 1), date(2026, 12, 31), "half")]
