"""Periods close only after they end: the page, the service and the CLI refuse a period still running."""
from datetime import date, timedelta

import pytest

from casework.core import periods
from casework.core.errors import RuleError
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.indicators import services
from casework.indicators.models import ClosedPeriod


def test_service_refuses_a_period_that_has_not_ended(make_user):
    user = make_user("coordinator")
    with pytest.raises(RuleError) as exc:
        services.close_period(periods.year(2026), user, today=date(2026, 11, 30))
    assert "jeszcze się nie zakończył" in exc.value.messages[0]
    assert "2027-01-01" in exc.value.messages[0]
    # the last day itself is still part of the period
    with pytest.raises(RuleError):
        services.close_period(periods.year(2026), user, today=date(2026, 12, 31))
    assert db.session.query(ClosedPeriod).count() == 0
    services.close_period(periods.year(2026), user, today=date(2027, 1, 1))
    assert db.session.query(ClosedPeriod).count() == 1


def test_page_refuses_the_current_year_and_offers_no_button(client, login_as):
    login_as("coordinator")
    this_year = today_local().year
    r = client.get(f"/reports/indicators/close?year={this_year}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "jeszcze się nie zakończył" in html
    assert "Zamknij okres i zamroź wartości" not in html
    r = client.post("/reports/indicators/close", data={"date_from": f"{this_year}-01-01",
                                                       "date_to": f"{this_year}-12-31"})
    assert r.status_code == 400
    assert "jeszcze się nie zakończył" in r.get_data(as_text=True)
    assert db.session.query(ClosedPeriod).count() == 0
    # a range ending yesterday has ended
    yesterday = today_local() - timedelta(days=1)
    r = client.post("/reports/indicators/close", data={"date_from": (yesterday - timedelta(days=30)).isoformat(),
                                                       "date_to": yesterday.isoformat()})
    assert r.status_code == 302
    assert db.session.query(ClosedPeriod).count() == 1


def test_cli_refuses_the_current_year_and_closes_a_past_one(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["casework", "report", "close", "--year", str(today_local().year)])
    assert result.exit_code != 0
    assert "jeszcze się nie zakończył" in result.output or "has not ended" in result.output
    assert db.session.query(ClosedPeriod).count() == 0
    result = runner.invoke(args=["casework", "report", "close", "--year", str(today_local().year - 1)])
    assert result.exit_code == 0, result.output
    assert db.session.query(ClosedPeriod).count() == 1


def test_the_previous_year_column_says_when_its_values_were_computed(client, login_as, make_user):
    login_as("coordinator")
    html = client.get("/reports/indicators?year=2025").get_data(as_text=True)
    assert "Poprzedni rok: wyliczono z bieżących danych o" in html
    services.close_period(periods.year(2024), make_user("coordinator"))
    db.session.commit()
    html = client.get("/reports/indicators?year=2025").get_data(as_text=True)
    assert "Poprzedni rok: wartości zamrożone przy jego zamknięciu" in html
