"""Report pages, drill-down, exports, closing/re-opening periods, and the CLI's JSON output."""
import csv
import io
import json

from sqlalchemy import select

from casework.core import periods
from casework.extensions import db
from casework.indicators import engine, services
from casework.indicators.models import ClosedPeriod
from casework.core.indicators import all_indicators
from tests.indicators.helpers import child, d, family, period


def _data():
    fam = family("Kowalscy")
    child(fam, d("2015-05-05"), "Ala")
    period(fam, d("2025-02-01"), d("2025-10-31"), "goals_achieved", referral_date=d("2025-01-20"))
    other = family("Nowakowie")
    child(other, None, "Bez daty")
    period(other, d("2024-03-01"), referral_date=d("2024-02-20"))
    db.session.commit()
    return fam, other


def test_report_page_for_coordinator_with_previous_year(client, login_as):
    _data()
    login_as("coordinator")
    r = client.get("/reports/indicators?year=2025")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Rodziny objęte wsparciem asystenta" in html
    assert "AR_FAMILIES_SUPPORTED" in html
    assert "/reports/indicators/code/AR_FAMILIES_SUPPORTED?year=2025" in html
    assert "Poprzedni rok" in html


def test_report_forbidden_for_assistant(client, login_as):
    login_as("assistant")
    assert client.get("/reports/indicators?year=2025").status_code == 403


def test_bad_period_is_400(client, login_as):
    login_as("coordinator")
    assert client.get("/reports/indicators?from=2025-05-01&to=2025-01-01").status_code == 400
    assert client.get("/reports/indicators?year=abc").status_code == 400


def test_drilldown_lists_counted_families_with_links(client, login_as):
    fam, other = _data()
    login_as("coordinator")
    r = client.get("/reports/indicators/code/AR_FAMILIES_SUPPORTED?year=2025")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert f'href="/families/{fam.id}"' in html and f'href="/families/{other.id}"' in html
    r = client.get("/reports/indicators/code/AR_FAMILIES_ENDED?year=2025")
    assert "Kowalscy" in r.get_data(as_text=True) and "Nowakowie" not in r.get_data(as_text=True)
    assert client.get("/reports/indicators/code/NO_SUCH_CODE?year=2025").status_code == 404


def test_exports_json_and_csv(client, login_as):
    _data()
    login_as("coordinator")
    r = client.get("/reports/indicators/export.json?year=2025")
    data = json.loads(r.get_data(as_text=True))
    assert data["period"] == {"from": "2025-01-01", "to": "2025-12-31"}
    assert data["indicators"]["AR_FAMILIES_SUPPORTED"] == 2
    r = client.get("/reports/indicators/export.csv?year=2025")
    rows = list(csv.reader(io.StringIO(r.get_data().decode("utf-8-sig")), delimiter=";"))
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["AR_FAMILIES_ENDED"][2] == "1" and by_code["AR_FAMILIES_ENDED"][3] == "0"
    r = client.get("/reports/indicators/export.xlsx?year=2025")
    assert r.status_code == 200 and r.data[:2] == b"PK"


def test_close_shows_quality_issues_then_freezes_values(client, login_as):
    fam, other = _data()
    user = login_as("coordinator")
    r = client.get("/reports/indicators/close?year=2025")
    html = r.get_data(as_text=True)
    assert "Dzieci bez daty urodzenia" in html
    assert "Okresy wsparcia bez przydzielonego asystenta" in html
    assert f'href="/families/{other.id}"' in html
    r = client.post("/reports/indicators/close", data={"date_from": "2025-01-01", "date_to": "2025-12-31"})
    assert r.status_code == 302
    closed = db.session.query(ClosedPeriod).one()
    assert closed.closed_by_id == user.id
    assert services.frozen_values(closed)["AR_FAMILIES_SUPPORTED"] == 2

    # the data changes after closing: a new family in 2025, and the ended one loses its end
    period(family("Późniejsi"), d("2025-12-01"))
    db.session.commit()
    html = client.get("/reports/indicators?year=2025").get_data(as_text=True)
    assert "Zamknięty" in html
    assert 'id="AR_FAMILIES_SUPPORTED" class="differs"' in html
    live = engine.compute(periods.year(2025))
    assert live["AR_FAMILIES_SUPPORTED"] == 3
    data = json.loads(client.get("/reports/indicators/export.json?year=2025").get_data(as_text=True))
    assert data["indicators"]["AR_FAMILIES_SUPPORTED"] == 2  # the report as filed
    html = client.get("/reports/indicators/code/AR_FAMILIES_SUPPORTED?year=2025").get_data(as_text=True)
    assert "Zmiany od zamknięcia okresu" in html

    # closing twice is refused; re-opening needs a reason
    r = client.post("/reports/indicators/close", data={"date_from": "2025-01-01", "date_to": "2025-12-31"})
    assert db.session.query(ClosedPeriod).count() == 1
    r = client.post(f"/reports/indicators/closed/{closed.id}/reopen", data={"reason": ""},
                    follow_redirects=True)
    assert "Podaj powód ponownego otwarcia okresu." in r.get_data(as_text=True)
    r = client.post(f"/reports/indicators/closed/{closed.id}/reopen", data={"reason": "korekta danych"})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(ClosedPeriod, closed.id).reopened_at is not None
    data = json.loads(client.get("/reports/indicators/export.json?year=2025").get_data(as_text=True))
    assert data["indicators"]["AR_FAMILIES_SUPPORTED"] == 3


def test_freezing_keeps_values_and_ids_after_data_changes(make_user):
    fam, other = _data()
    user = make_user("coordinator")
    p = periods.year(2025)
    closed = services.close_period(p, user)
    db.session.commit()
    ended_before = services.frozen_ids(closed, "AR_FAMILIES_ENDED")
    assert ended_before == [fam.id]
    fam.support_periods[0].end_date = None
    db.session.commit()
    frozen = services.frozen_values(closed)
    live = engine.compute(p)
    assert frozen["AR_FAMILIES_ENDED"] == 1 and live["AR_FAMILIES_ENDED"] == 0
    assert services.differences(frozen, live)["AR_FAMILIES_ENDED"] == 0
    assert services.compare_ids(ended_before, engine.record_ids("AR_FAMILIES_ENDED", p)) == \
        {"added": [], "removed": [fam.id]}


def test_cli_json_output_shape(app):
    _data()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["casework", "report", "indicators", "--from", "2025-01-01", "--to", "2025-12-31",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"period", "indicators"}
    assert data["period"] == {"from": "2025-01-01", "to": "2025-12-31"}
    assert set(data["indicators"]) == {i.code for i in all_indicators()}
    from casework.core.indicators import COUNT, get

    assert all(isinstance(v, int) for k, v in data["indicators"].items() if get(k).kind == COUNT)
    assert all(isinstance(v, float) for k, v in data["indicators"].items() if get(k).kind == "decimal")
    assert data["indicators"]["AR_FAMILIES_SUPPORTED"] == 2
    half = json.loads(runner.invoke(args=["casework", "report", "indicators", "--year", "2025", "--half", "2"]).output)
    assert half["period"] == {"from": "2025-07-01", "to": "2025-12-31"}
    assert half["indicators"]["AR_FAMILIES_ENDED"] == 1
    bad = runner.invoke(args=["casework", "report", "indicators", "--half", "2"])
    assert bad.exit_code != 0


def test_registered_codes():
    """The codes of INDICATORS.md registered on this branch (other domains add theirs)."""
    codes = {i.code for i in all_indicators()}
    assert codes >= {
        "AR_ASSISTANTS", "AR_FAMILIES_SUPPORTED", "AR_CHILDREN_IN_SUPPORTED_FAMILIES", "AR_FAMILIES_STARTED",
        "AR_FAMILIES_ENDED", "AR_ENDED_GOALS_ACHIEVED", "AR_ENDED_NO_COOPERATION", "AR_ENDED_NO_EFFECTS",
        "AR_ENDED_MOVED_AWAY", "AR_ENDED_OTHER", "AR_FAMILIES_ACTIVE_AT_END", "AR_ACTIVE_AT_END_COURT_ORDERED",
        "AR_ACTIVE_AT_END_VOLUNTARY", "AR_FAMILIES_COURT_ORDERED", "AR_DURATION_UP_TO_3M", "AR_DURATION_3_TO_12M",
        "AR_DURATION_OVER_12M", "AR_ZA_ZYCIEM_REQUESTS", "AR_ZA_ZYCIEM_FAMILIES", "AR_FAMILIES_MONITORED",
        "AR_CHILDREN_IN_MONITORED_FAMILIES"}


def test_drilldown_page_query_count_constant(client, login_as, queries):
    login_as("coordinator")

    def build(n):
        for i in range(n):
            period(family(f"P{n}-{i}"), d("2025-01-01"))
        db.session.commit()

    build(5)
    with queries() as small:
        assert client.get("/reports/indicators/code/AR_FAMILIES_SUPPORTED?year=2025").status_code == 200
    build(30)
    with queries() as large:
        assert client.get("/reports/indicators/code/AR_FAMILIES_SUPPORTED?year=2025").status_code == 200
    assert len(small) == len(large)


def test_previous_year_column_uses_the_report_as_filed(client, login_as, make_user):
    fam = family("Zeszłoroczni")
    period(fam, d("2024-03-01"), d("2024-12-31"), "goals_achieved")
    db.session.commit()
    services.close_period(periods.year(2024), make_user("coordinator"))
    db.session.commit()
    period(family("Dopisani"), d("2024-05-01"), d("2024-06-01"), "goals_achieved")  # entered after filing
    db.session.commit()
    login_as("coordinator")
    rows = list(csv.reader(io.StringIO(client.get("/reports/indicators/export.csv?year=2025").get_data()
                                       .decode("utf-8-sig")), delimiter=";"))
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["AR_FAMILIES_ENDED"][3] == "1"  # as filed for 2024, not today's 2


def test_drilldown_view_is_audited(client, login_as):
    from casework.core.audit import AuditEvent

    login_as("coordinator")
    client.get("/reports/indicators/code/AR_FAMILIES_SUPPORTED?year=2025")
    event = db.session.query(AuditEvent).filter_by(action="indicator_records_viewed").one()
    assert event.details["code"] == "AR_FAMILIES_SUPPORTED"


def test_cli_csv_and_files(app, tmp_path):
    _data()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["casework", "report", "indicators", "--year", "2025", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output), delimiter=";"))
    assert rows[0] == ["kod", "wskaźnik", "2025", "2024"]
    assert ["AR_FAMILIES_SUPPORTED", "Rodziny objęte wsparciem asystenta", "2", "1"] in rows
    for fmt in ("xlsx", "docx"):
        out = tmp_path / f"r.{fmt}"
        result = runner.invoke(args=["casework", "report", "indicators", "--year", "2025", "--format", fmt,
                                     "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_bytes()[:2] == b"PK"


def test_report_page_query_count_constant(client, login_as, queries):
    from casework.core.settings import set_setting

    login_as("coordinator")
    set_setting("indicator_cache_minutes", 0)  # both requests compute (the cached page is cheaper still)
    db.session.commit()

    def build(n):
        for i in range(n):
            fam = family(f"I{n}-{i}")
            child(fam, d("2016-01-01"))
            period(fam, d("2024-06-01"), d("2025-03-03") if i % 2 else None, "goals_achieved" if i % 2 else None)
        db.session.commit()

    build(5)
    with queries() as small:
        assert client.get("/reports/indicators?year=2025").status_code == 200
    build(30)
    with queries() as large:
        assert client.get("/reports/indicators?year=2025").status_code == 200
    assert len(small) == len(large)


def test_report_in_english(client, login_as):
    user = login_as("coordinator")
    user.locale = "en"
    db.session.commit()
    html = client.get("/reports/indicators/code/AR_FAMILIES_SUPPORTED?year=2025").get_data(as_text=True)
    assert "Families supported by an assistant" in html
    assert "Families with a support period overlapping the period" in html


def _supported_cell(html):
    import re

    row = re.search(r"AR_FAMILIES_SUPPORTED.*?</tr>", html, re.S).group(0)
    return re.findall(r">\s*(\d+)\s*<", row)


def test_report_page_values_are_shared_until_they_age_or_a_coordinator_recomputes(client, login_as):
    from casework.core.settings import set_setting
    from casework.indicators.models import IndicatorCache

    _data()
    login_as("coordinator")
    first = client.get("/reports/indicators?year=2025").get_data(as_text=True)
    assert "Wartości z bieżących danych policzono" in first
    assert db.session.query(IndicatorCache).count() == 2  # 2025 and the previous year, for every worker
    before = _supported_cell(first)
    late = family("Późniccy")
    period(late, d("2025-06-01"), referral_date=d("2025-05-20"))
    db.session.commit()
    # within the cache's age the page shows the values as computed (and says when)
    assert _supported_cell(client.get("/reports/indicators?year=2025").get_data(as_text=True)) == before
    r = client.post("/reports/indicators/refresh?year=2025")
    assert r.status_code == 302
    after = _supported_cell(client.get(r.headers["Location"]).get_data(as_text=True))
    assert after != before
    assert engine.compute(periods.year(2025))["AR_FAMILIES_SUPPORTED"] == 3
    # with the setting at 0 every page computes afresh
    set_setting("indicator_cache_minutes", 0)
    db.session.commit()
    period(family("Najpóźniejsi"), d("2025-07-01"), referral_date=d("2025-06-20"))
    db.session.commit()
    assert _supported_cell(client.get("/reports/indicators?year=2025").get_data(as_text=True)) != after


def test_the_two_years_computed_side_by_side_are_each_years_own_values(client, login_as):
    """With neither year cached the page computes the year and the year before at once (the second on its own
    connection): what it shows and stores for each is what that year alone computes to."""
    from casework.indicators.models import IndicatorCache

    _data()
    login_as("coordinator")
    html = client.get("/reports/indicators?year=2025").get_data(as_text=True)
    stored = {r.date_from.year: r.values for r in db.session.scalars(select(IndicatorCache))}
    assert stored == {2025: engine.compute(periods.year(2025)), 2024: engine.compute(periods.year(2024))}
    assert stored[2025]["AR_FAMILIES_SUPPORTED"] == 2 and stored[2024]["AR_FAMILIES_SUPPORTED"] == 1
    assert _supported_cell(html) == ["2", "1"]  # this year, and the year before beside it
    # the same through the service, recomputing both
    both = services.live_values_of([periods.year(2025), periods.year(2024)], refresh=True)
    assert {p.start.year: v for p, (v, _at) in both.items()} == stored


def test_a_session_that_wrote_and_did_not_commit_counts_its_own_data_in_both_years(app):
    """Computed side by side, the second year would be read on another connection, which cannot see what this
    session wrote and has not committed: such a session computes both years itself."""
    period(family("Niezapisani"), d("2024-06-01"), referral_date=d("2024-05-20"))
    db.session.flush()
    both = services.live_values_of([periods.year(2025), periods.year(2024)])
    assert both[periods.year(2025)][0]["AR_FAMILIES_SUPPORTED"] == 1
    assert both[periods.year(2024)][0]["AR_FAMILIES_SUPPORTED"] == 1
