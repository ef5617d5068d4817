"""The foster-care year page: its totals agree with its own rows (no cached total beside a live sum) and say when
they were computed; a closed year says its reports use the values frozen at closing."""
from datetime import date

from casework.core import periods
from casework.extensions import db
from casework.fostercare import services
from casework.indicators import services as indicator_services


def _child_with_bills(name, months, total=4000):
    child = services.register_child(first_name=name, last_name="Testowa", birth_date=date(2015, 5, 5), actor=None)
    services.add_placement(child, {"form": "foster_family_unrelated", "start_date": date(2025, 1, 1)}, actor=None)
    for month in months:
        services.record_bill(child, date(2025, month, 1), total, actor=None)
    return child


def test_the_total_is_the_sum_of_the_rows_after_a_bill_is_added(client, login_as):
    child = _child_with_bills("Zosia", range(1, 4))  # 3 × 400,00 (10 % of 4 000)
    db.session.commit()
    login_as("coordinator")
    # the indicators page caches the year's values for other pages and workers
    assert client.get("/reports/indicators?year=2025").status_code == 200
    services.record_bill(child, date(2025, 4, 1), 4000, actor=None)  # one more month: 1 600,00 in all
    db.session.commit()
    html = client.get("/foster-care/year?year=2025").get_data(as_text=True)
    assert "1\u00a0600,00\u00a0zł" in html and "wydatki 1\u00a0600,00\u00a0zł" in html  # Polish money format
    assert "1\u00a0200,00\u00a0zł<" not in html  # the cached total before the fourth bill
    assert "Wyliczono z bieżących danych o" in html
    assert "zamknięty" not in html


def test_a_closed_year_says_its_reports_use_the_frozen_values(client, login_as, make_user):
    child = _child_with_bills("Ania", range(1, 3))
    db.session.commit()
    indicator_services.close_period(periods.year(2025), make_user("coordinator", login="zamykajacy"))
    db.session.commit()
    login_as("coordinator")
    html = client.get("/foster-care/year?year=2025").get_data(as_text=True)
    assert "Rok został zamknięty" in html and "Bieżące dane różnią się od nich" not in html
    services.record_bill(child, date(2025, 3, 1), 4000, actor=None)
    db.session.commit()
    html = client.get("/foster-care/year?year=2025").get_data(as_text=True)
    assert "Bieżące dane różnią się od nich" in html
    assert "1\u00a0200,00\u00a0zł" in html and "800,00\u00a0zł<" not in html  # today's total only, never the frozen one
