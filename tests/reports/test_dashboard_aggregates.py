"""The dashboard and the caseloads page stay as quick for a city centre as for a small one: the numbers of ended
months and years are computed once a day and shared, the running ones every few minutes, and the lists of
assistants are bounded (the caseload chart draws the busiest, the caseloads page is paged)."""
import re
from datetime import timedelta
from unittest import mock

from sqlalchemy import select, update

from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.reports import dashboard
from casework.reports.dashboard import DashboardCache
from tests.indicators.helpers import d, family, period


def _cell(html: str, chart: str, row: str) -> str:
    table = html.split(f'id="h-{chart}"', 1)[1].split("</table>", 1)[0]
    return re.search(rf'<th scope="row">{re.escape(row)}</th><td class="num">(\d+)</td>', table).group(1)


def _age_the_stored_numbers(minutes: int):
    """As if the numbers had been computed `minutes` ago (seen by every worker: committed)."""
    then = utcnow() - timedelta(minutes=minutes)
    with db.engine.begin() as conn:
        values = conn.execute(select(DashboardCache.values)).scalar_one()
        values["ended_periods_at"] = then.isoformat()
        conn.execute(update(DashboardCache).values(computed_at=then, values=values))


def _stored():
    with db.engine.connect() as conn:  # what another worker reads
        return conn.execute(select(DashboardCache.day, DashboardCache.values)).one()


def test_ended_years_are_kept_for_the_day_while_the_running_year_is_recounted(client, login_as):
    this_year, last_year = today_local().year, today_local().year - 1
    period(family("Zeszłoroczni"), d(f"{last_year}-03-01"), d(f"{last_year}-06-30"))
    period(family("Tegoroczni"), d(f"{this_year}-01-01"))
    db.session.commit()
    login_as("coordinator")
    html = client.get("/reports/dashboard").get_data(as_text=True)
    assert _cell(html, "families-per-year", str(last_year)) == "1"
    assert _cell(html, "families-per-year", str(this_year)) == "1"
    assert "Wartości zakończonych miesięcy i lat policzono" not in html  # all computed together just now

    # a late entry for last year and a new family this year; the stored numbers are older than the setting's
    # 10 minutes: the running year is counted again, last year (ended) keeps the number computed today
    period(family("Spóźnieni"), d(f"{last_year}-04-01"), d(f"{last_year}-05-31"))
    period(family("Nowi"), d(f"{this_year}-01-01"))
    db.session.commit()
    _age_the_stored_numbers(11)
    first_ended_at = _stored().values["ended_periods_at"]
    html = client.get("/reports/dashboard").get_data(as_text=True)
    assert _cell(html, "families-per-year", str(this_year)) == "2"
    assert _cell(html, "families-per-year", str(last_year)) == "1"
    assert "Wartości zakończonych miesięcy i lat policzono" in html  # the page says the ended ones are older
    assert _stored().values["ended_periods_at"] == first_ended_at

    # the next day (or "recompute") counts the ended years again
    with db.engine.begin() as conn:
        conn.execute(update(DashboardCache).values(day=today_local() - timedelta(days=1)))
    html = client.get("/reports/dashboard").get_data(as_text=True)
    assert _cell(html, "families-per-year", str(last_year)) == "2"
    day, values = _stored()
    assert day == today_local() and values["ended_periods_at"] != first_ended_at


def test_the_running_month_of_visits_is_recounted_and_the_ended_months_are_not(app):
    today = today_local()
    with mock.patch.object(dashboard.engine, "compute", wraps=dashboard.engine.compute) as compute:
        values, _at = dashboard.shared_aggregates(today)
        full = compute.call_count
        db.session.commit()
        _age_the_stored_numbers(11)
        compute.reset_mock()
        again, _at = dashboard.shared_aggregates(today)
    # 6 years + 12 months + the reasons for ending on a new day; then only this year, this month and the reasons
    assert full == 19
    assert compute.call_count == 3
    assert [m for m, _n in again["visits_per_month"]] == [m for m, _n in values["visits_per_month"]]


def test_the_caseload_chart_draws_the_busiest_assistants_and_points_to_the_caseloads_page(
        client, login_as, make_user, monkeypatch):
    monkeypatch.setattr(dashboard, "CASELOAD_BARS", 2)
    start = today_local() - timedelta(days=30)
    busy = [make_user("assistant", full_name=f"Asystent Zajęty {n}") for n in range(2)]
    make_user("assistant", full_name="Asystent Wolny")
    for n, user in enumerate(busy):
        for k in range(n + 1):
            period(family(f"Rodzina{n}{k}"), start, assistant=user)
    db.session.commit()
    login_as("coordinator")
    html = client.get("/reports/dashboard").get_data(as_text=True)
    chart = html.split('id="h-caseload"', 1)[1].split("</section>", 1)[0]
    assert "Asystent Zajęty 0" in chart and "Asystent Zajęty 1" in chart
    assert "Asystent Wolny" not in chart
    assert "pełna lista (3)" in chart and 'href="/families/caseload"' in chart


def test_the_caseloads_page_is_paged_with_the_same_counts(client, login_as, make_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    start = today_local() - timedelta(days=30)
    users = [make_user("assistant", full_name=f"Asystentka {c}") for c in "ABC"]
    period(family("Pierwsza"), start, assistant=users[2])
    period(family("Druga"), start, assistant=users[2])
    db.session.commit()
    login_as("coordinator")
    first = client.get("/families/caseload").get_data(as_text=True)
    assert "Asystentka A" in first and "Asystentka B" in first and "Asystentka C" not in first
    assert "Strona 1 z 2" in first
    second = client.get("/families/caseload?page=2").get_data(as_text=True)
    row = second.split("Asystentka C", 1)[1].split("</tr>", 1)[0]
    assert re.search(r'class="num">2<', row)  # two active families
    assert f"assistant={users[2].id}" in second
    assert client.get("/families/caseload?page=99").status_code == 200  # beyond the last page: the last page
