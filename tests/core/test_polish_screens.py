"""Polish on every screen: over the demo centre, each role's pages show labels, never raw codes or keys, numbers in
Polish format and no "key: value" dumps of stored data.

Each role logs in, opens its start page and follows the links its pages show (one URL per endpoint), and every HTML
page's visible text (tags, attributes, scripts and the "kody" toggles left out) is checked against:
- a snake_case key (`day_support`, `social_assistance`) or an upper-case code (`AR_FAMILIES_SUPPORTED`);
- a half-year key (`2026 H1`);
- a decimal with a dot (`103472.2`, `5.5 h`), dates (`30.11.2026`) and months (`11.2026`) excepted;
- a JSON object or a `key=value` list.
Plus the formatting filter, the period label and the Polish plural forms on their own."""
import re
from datetime import date
from decimal import Decimal
from html import unescape
from urllib.parse import urlsplit

import pytest

from casework.extensions import db

DEMO_LOGIN = {"admin": "admin", "coordinator": "koordynator", "assistant": "asystent1",
              "social_worker": "pracownik1", "zi_member": "zespol"}
#: not pages: downloads, feeds, the way out; and a user guide from docs/ (help.page), whose text is the guide's own:
#: it quotes setting keys and spreadsheet columns verbatim (`caseload_cap`, `rodzina_id`) and two guides are English
SKIP_ENDPOINTS = {"auth.logout", "static", "help.page"}
MAX_PAGES_PER_ROLE = 90  # the menu grew (issue 18: waiting list, supporting families, day support, team)
#: pages reached through a form rather than a link: the reports of a half-year and of a year
SEEDS = {"coordinator": ["/reports/indicators?year=2026&half=1", "/reports/r/ministry?year=2026&half=1",
                         "/reports/r/assistants?year=2025"]}
#: endpoints whose different URLs are different screens
PER_URL = {"reports.show"}

HREF = re.compile(r'href="([^"#]+)')
HIDDEN = [re.compile(p, re.S | re.I) for p in (
    r"<script\b.*?</script>", r"<datalist\b.*?</datalist>", r"<style\b.*?</style>", r"<head\b.*?</head>", r"<textarea\b.*?</textarea>",
    r"<details\b[^>]*>\s*<summary>\s*kody\s*</summary>.*?</details>")]
TAG = re.compile(r"<[^>]+>")
RAW_KEY = re.compile(r"(?<![\w/.@-])[a-z]+(?:_[a-z0-9]+)+(?![\w/.@-])")
RAW_CODE = re.compile(r"(?<![\w/.-])[A-Z]{2,}(?:_[A-Z0-9]+)+(?![\w/.-])")
HALF_KEY = re.compile(r"\b\d{4}[ -]H[12]\b")
DATE_LIKE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b|\b\d{2}\.\d{4}\b")
DOT_DECIMAL = re.compile(r"(?<![\d.,])\d+\.\d+(?![\d.])")
JSON_DUMP = re.compile(r'\{\s*"[^"]+"\s*:')
KEY_VALUE = re.compile(r"\b[a-z]+(?:_[a-z]+)*=[\w-]")
#: English words a screen shows when a message has no Polish translation (words no Polish sentence uses)
ENGLISH = re.compile(r"\b(?:the|and|of|with|from|for|Save|Cancel|Delete|Edit|Search|Back|Family|Families|Visits?|"
                     r"Date|Hours|Deadlines?|Overdue|none|Previous|Next|Filter|Page|Name|Reports?|Settings|"
                     r"Log in|Log out|Yes|days|since|running|failed|details|Choose|Add|Remove|Show|Download)\b")


def visible_text(html: str) -> str:
    for pattern in HIDDEN:
        html = pattern.sub(" ", html)
    return unescape(TAG.sub(" ", html))


def problems_in(text: str) -> list[str]:
    found = []
    found += [f"raw key {m!r}" for m in RAW_KEY.findall(text)]
    found += [f"raw code {m!r}" for m in RAW_CODE.findall(text)]
    found += [f"half-year key {m!r}" for m in HALF_KEY.findall(text)]
    found += [f"unformatted decimal {m!r}" for m in DOT_DECIMAL.findall(DATE_LIKE.sub(" ", text))]
    found += [f"JSON dump {m!r}" for m in JSON_DUMP.findall(text)]
    found += [f"key=value dump {m!r}" for m in KEY_VALUE.findall(text)]
    found += [f"English word {m!r}" for m in ENGLISH.findall(text)]
    return found


def _context(text: str, needle: str) -> str:
    i = text.find(needle.split("'")[1] if "'" in needle else needle)
    return " ".join(text[max(0, i - 60):i + 60].split())


def _crawl(app, client, role):
    seen_endpoints, queue, pages, problems, rendered = set(), SEEDS.get(role, []) + ["/"], 0, [], set()
    adapter = app.url_map.bind("localhost")
    while queue and pages < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        try:
            endpoint = adapter.match(urlsplit(url).path, method="GET")[0]
        except Exception:  # noqa: BLE001 - not one of ours (external link, another method)
            continue
        key = url if endpoint in PER_URL else endpoint
        if endpoint in SKIP_ENDPOINTS or key in seen_endpoints:
            continue
        seen_endpoints.add(key)
        response = client.get(url)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        pages += 1
        rendered.add(endpoint)
        html = response.get_data(as_text=True)
        text = visible_text(html)
        problems += [f"{role} {url}: {p} … {_context(text, p)}" for p in problems_in(text)]
        for href in HREF.findall(html):
            href = unescape(href)
            if href.startswith("/") and not href.startswith("/static/"):
                queue.append(href)
    return rendered, problems


def test_every_role_sees_polish_labels_and_numbers_over_the_demo_centre(app):
    from casework.demo import DEMO_PASSWORD, load_demo

    from sqlalchemy import select

    from casework.auth.models import User
    from casework.core.timeutil import utcnow
    from casework.reports import editions as report_editions
    from casework.reports import services as reports
    from casework.scheduler.models import JobRun

    load_demo(families=30)
    # what the demo does not make: a municipal programme, and the scheduler's last runs
    coordinator = db.session.scalar(select(User).where(User.login == DEMO_LOGIN["coordinator"]))
    reports.load_example(reports.examples()[0]["file"], actor=coordinator)
    report_editions.create_from_template(report_editions.templates()[0]["file"], 2025, actor=coordinator)
    db.session.add(JobRun(job_id="send_digests", started_at=utcnow(), finished_at=utcnow(), outcome="ok",
                          message="sent=0, failed=0, skipped=no MAIL_SERVER"))
    db.session.commit()
    all_problems, visited = [], {}
    for role, login_name in DEMO_LOGIN.items():
        client = app.test_client()
        response = client.post("/login", data={"login": login_name, "password": DEMO_PASSWORD})
        assert response.status_code == 302, f"{role}: the demo login failed"
        visited[role], problems = _crawl(app, client, role)
        all_problems += problems
        if role == "coordinator":  # the ministry report's header names the half-year in words
            text = visible_text(client.get("/reports/r/ministry?year=2026&half=1").get_data(as_text=True))
            assert "I półrocze 2026" in text and "2026 H1" not in text
    print({role: sorted(pages) for role, pages in visited.items()})
    # the screens of the issue's findings were really checked
    assert {"indicators.index", "fostercare.year", "reports.show", "reports.edition"} <= visited["coordinator"], \
        visited["coordinator"]
    assert {"admin.audit_log", "scheduler.status", "admin.settings", "admin.centre"} <= visited["admin"], \
        visited["admin"]
    by_page: dict = {}
    for p in sorted(set(all_problems)):
        by_page.setdefault(p.split(": ")[0], []).append(p)
    assert not by_page, "\n".join(line for lines in by_page.values() for line in lines[:3])


def test_the_checker_catches_what_the_issue_lists():
    """The crawler's checks fail on each finding of the issue (so a clean crawl means something)."""
    for bad in ("Środowisko: urban → day_support", "AR_FAMILIES_SUPPORTED", "Sprawozdanie 2026 H1", "103472.2",
                "5.5 h", '{"view": "families.detail"}', "created=3, sent=0", "Families without a visit",
                "Ostatnia kopia: none"):
        assert problems_in(bad), bad
    for good in ("12\u00a0833,30\u00a0zł", "5,5\u00a0h", "30.11.2026", "03.2025", "I półrocze 2026",
                 "rodzina AR/2024/12", "asystent1@example.org", "127.0.0.1"):
        assert not problems_in(good), (good, problems_in(good))
    html = '<p>Wskaźnik</p><details class="ind-code"><summary>kody</summary><code>AR_X_Y</code></details>'
    assert not problems_in(visible_text(html))


def test_numbers_money_hours_and_dates_in_polish(app):
    from casework.core import formatting

    with app.test_request_context(headers={"Accept-Language": "pl"}):
        assert formatting.money(Decimal("12833.3")) == "12\u00a0833,30\u00a0zł"
        assert formatting.num(103472.2) == "103\u00a0472,2"
        assert formatting.hours(5.5) == "5,5\u00a0h"
        assert formatting.minutes_as_hours(330) == "5,5\u00a0h"
        assert formatting.day(date(2026, 3, 7)) == "07.03.2026"
        assert formatting.num(None) == "—"


@pytest.mark.parametrize("half, expected", [(1, "I półrocze 2026"), (2, "II półrocze 2026")])
def test_a_half_year_is_named_in_polish_and_keeps_its_key(app, half, expected):
    from casework.core import periods

    with app.test_request_context():
        p = periods.half(2026, half)
        assert p.title == expected
        assert p.label == f"2026 H{half}"  # the stable key (file names, reminder subjects) is unchanged
        assert periods.year(2025).title == "2025"


@pytest.mark.parametrize("families, words", [(1, "korzystała łącznie 1 rodzina"), (52, "korzystały łącznie 52 rodziny"),
                                             (15, "korzystało łącznie 15 rodzin"), (22, "korzystały łącznie 22 rodziny"),
                                             (12, "korzystało łącznie 12 rodzin")])
def test_the_assistants_summary_agrees_with_the_number(app, families, words):
    from casework.core import periods
    from casework.indicators import reports

    with app.test_request_context():
        text = reports.assistants_summary(periods.year(2025), {"AR_FAMILIES_SUPPORTED": families,
                                                                "AR_CHILDREN_IN_SUPPORTED_FAMILIES": 1})
    assert words in text and text.endswith("objęto 1 dziecko.")


def test_every_recorded_audit_action_has_a_polish_label(app):
    """Every action code the code records (audit.record / audit.read) has a label in the audit log."""
    import pathlib

    from casework.core.audit_labels import ACTION_LABELS

    root = pathlib.Path(__file__).resolve().parents[2] / "casework"
    codes = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'(?:audit\.record|audit\.read|\bread|\brecord)\(\s*"([a-z_]+)"', text))
        codes |= set(re.findall(r'action="([a-z_]+)"', text))
    missing = sorted(c for c in codes if c not in ACTION_LABELS)
    assert not missing, missing
    assert db is not None


def test_the_conflict_box_shows_labels_and_names_not_codes_and_ids(app, make_user):
    """The version saved by someone else reads as the form does: the area's label, the social worker's name."""
    from tests.conftest import login

    make_user("coordinator", login="k1")
    make_user("coordinator", login="k2")
    worker = make_user("social_worker", login="pracownica", full_name="Ewa Socjalna")
    from casework.families import services

    family = services.register_family({"case_number": "T/1", "name": "Kowalscy", "area": "urban"}, actor=None)
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    login(first, "k1")
    login(second, "k2")
    version = re.compile(r'name="version"[^>]*value="(\d+)"')
    v1 = version.search(first.get(f"/families/{family.id}/edit").get_data(as_text=True)).group(1)
    v2 = version.search(second.get(f"/families/{family.id}/edit").get_data(as_text=True)).group(1)
    base = {"case_number": family.case_number, "name": "Kowalscy"}
    assert first.post(f"/families/{family.id}/edit", data=base | {
        "version": v1, "area": "rural", "social_worker_id": str(worker.id)}).status_code == 302
    response = second.post(f"/families/{family.id}/edit", data=base | {"version": v2, "area": "urban",
                                                                      "social_worker_id": ""})
    assert response.status_code == 409
    box = re.search(r'<section class="panel conflict".*?</section>', response.get_data(as_text=True), re.S).group(0)
    text = " ".join(visible_text(box).split())
    assert "Ewa Socjalna" in text and "wiejskie" in text, text
    assert "rural" not in text and f": {worker.id} " not in text + " "


def test_the_audit_log_reads_in_polish_with_the_case_number_and_field_labels(client, login_as):
    from casework.families import services

    login_as("admin", login="ada")
    family = services.register_family({"case_number": "AR/2024/12", "name": "Kowalscy", "area": "urban"},
                                      actor=None)
    services.update_family(family, {"area": "rural", "city": "Gniezno"}, actor=None)
    db.session.commit()
    html = client.get("/admin/audit", query_string={"family": "AR/2024/12"}).get_data(as_text=True)
    text = " ".join(visible_text(html).split())
    assert "Rejestracja rodziny" in text and "rodzina AR/2024/12" in text
    assert "Kowalscy" not in text  # the record by its case number, never a name
    assert "Numer sprawy" in text  # the fields by their labels
    assert "miejskie → wiejskie" in text and "Zmiana danych rodziny" in text  # a change: the options' labels
    assert not problems_in(text), problems_in(text)
    other = client.get("/admin/audit", query_string={"family": "XX/1"}).get_data(as_text=True)
    assert "rodzina AR/2024/12" not in other


def test_the_scheduler_page_names_jobs_and_their_outcome(client, login_as):
    from casework.core.timeutil import utcnow
    from casework.scheduler.models import JobRun

    login_as("admin")
    db.session.add(JobRun(job_id="create_reminders", started_at=utcnow(), finished_at=utcnow(), outcome="ok",
                          message="created=2"))
    db.session.add(JobRun(job_id="backup", started_at=utcnow(), finished_at=utcnow(), outcome="ok",
                          message="skipped=fresh"))
    db.session.commit()
    text = " ".join(visible_text(client.get("/admin/scheduler/").get_data(as_text=True)).split())
    assert "Tworzenie przypomnień o terminach" in text and "utworzone przypomnienia: 2" in text
    assert "pominięto: jest świeża kopia" in text
    assert not problems_in(text), problems_in(text)
