"""The report pages keep the indicator values they computed, for the next request of any worker.

On PostgreSQL the values used to be written into a savepoint that was never committed, so every report page
recomputed the year (and the ministry report every half-year) on each request; SQLite's driver happened to commit."""
import pytest
from sqlalchemy import select

from casework.core import periods
from casework.extensions import db
from casework.indicators.models import IndicatorCache
from casework.reports import services
from tests.indicators.helpers import d, family, period


def _cached() -> dict:
    """{(from, to): computed_at} as another worker sees it: through a fresh connection, not this session."""
    with db.engine.connect() as conn:
        rows = conn.execute(select(IndicatorCache.date_from, IndicatorCache.date_to,
                                   IndicatorCache.computed_at)).all()
    return {(r.date_from, r.date_to): r.computed_at for r in rows}


@pytest.mark.parametrize("url, span", [
    ("/reports/r/assistants?year=2025", periods.year(2025)),
    ("/reports/r/ministry?year=2025&half=1", periods.half(2025, 1)),
    ("/reports/r/ministry/export.xlsx?year=2025&half=1", periods.half(2025, 1)),
    ("/reports/r/assistants/export.docx?year=2025", periods.year(2025)),
])
def test_a_report_page_stores_its_values_for_the_next_request(client, login_as, url, span):
    period(family("Raportowi"), d("2025-02-01"), referral_date=d("2025-01-20"))
    db.session.commit()
    login_as("coordinator")
    assert client.get(url).status_code == 200
    key = (span.start, span.end)
    assert key in _cached(), "the computed values were rolled back at the end of the request"
    first = _cached()[key]
    assert client.get(url).status_code == 200
    assert _cached()[key] == first  # the second request read the stored values instead of recomputing


def test_the_programme_pages_store_their_values(client, login_as):
    login_as("coordinator")
    programme = services.load_example(services.examples()[0]["file"], actor=None)
    db.session.commit()
    year = programme.year_from
    key = (periods.year(year).start, periods.year(year).end)
    assert client.get(f"/reports/programmes/{programme.id}/values/{year}").status_code == 200
    assert key in _cached()
    with db.engine.begin() as conn:
        conn.execute(IndicatorCache.__table__.delete())
    assert client.get(f"/reports/programmes/{programme.id}/report/{year}").status_code == 200
    assert key in _cached()


def _families_per_year_cell(html: str, year: int) -> str:
    import re

    table = html.split('id="h-families-per-year"', 1)[1].split("</table>", 1)[0]
    return re.search(rf'<th scope="row">{year}</th><td class="num">(\d+)</td>', table).group(1)


def test_the_dashboard_computes_its_years_and_months_once_for_every_worker(client, login_as):
    from casework.core.settings import set_setting
    from casework.core.timeutil import today_local
    from casework.reports.dashboard import DashboardCache

    this_year = today_local().year
    period(family("Pierwsi"), d(f"{this_year}-01-01"), referral_date=d(f"{this_year}-01-01"))
    db.session.commit()
    login_as("coordinator")
    first = client.get("/reports/dashboard").get_data(as_text=True)
    assert "Wartości z bieżących danych policzono" in first
    assert _families_per_year_cell(first, this_year) == "1"
    with db.engine.connect() as conn:  # stored for the other workers (committed, not left in a savepoint)
        [(stored_day, computed_at)] = conn.execute(select(DashboardCache.day, DashboardCache.computed_at)).all()
    assert stored_day == today_local()
    period(family("Drudzy"), d(f"{this_year}-01-01"), referral_date=d(f"{this_year}-01-01"))
    db.session.commit()
    # within `indicator_cache_minutes` the numbers are those computed (the page said when)
    assert _families_per_year_cell(client.get("/reports/dashboard").get_data(as_text=True), this_year) == "1"
    with db.engine.connect() as conn:
        assert conn.execute(select(DashboardCache.computed_at)).scalar_one() == computed_at
    set_setting("indicator_cache_minutes", 0)  # 0: every view computes afresh
    db.session.commit()
    assert _families_per_year_cell(client.get("/reports/dashboard").get_data(as_text=True), this_year) == "2"
