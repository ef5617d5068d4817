"""The pieces of the benchmarks: a database of a demo tier, page timings, the indicator set, a gunicorn server,
memory per worker and a load test. `bench/run.py` puts them together (`make bench`); each prints figures, none
asserts a time."""
import http.cookiejar
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

PASSWORD = "demo-casework-2026"

#: one demo login per role; every navigation entry a role sees is measured as that login (see `pages()`)
ROLE_LOGINS = {
    "assistant": "asystent1",
    "coordinator": "koordynator",
    "zi_member": "zespol",
    "admin": "admin",
    "social_worker": "pracownik1",
}
START = ("main.home", "asystent1")  # the reference page of the "≤ 10 × start page" target


@dataclass
class Page:
    label: str
    endpoint: str
    login: str | None
    method: str = "GET"
    kwargs: dict = field(default_factory=dict)  # url_for arguments; family_id is filled in per login
    query: dict = field(default_factory=dict)
    document: bool = False  # builds a file: measured apart from the page targets
    cold: bool = False  # the indicator cache is emptied before every request (not timed)
    #: the year before the page's year is closed (frozen) while the page is measured, as after a centre closes its
    #: year: the page then computes one set of indicators, not two
    previous_closed: bool = False

    @property
    def key(self):
        return (self.endpoint, self.login, self.method, tuple(sorted(self.kwargs.items())),
                tuple(sorted(self.query.items())), self.cold, self.previous_closed)


def nav_pages() -> list:
    """Every entry of the navigation menu of every role in ROLE_LOGINS, read from `casework.core.navigation.NAV`
    (filled from each domain's `views.NAV` when the app is created), so a page added to the menu is measured."""
    from casework.core.navigation import NAV

    out = []
    for role, login in ROLE_LOGINS.items():
        for entry in NAV:
            if not entry.roles or role in entry.roles:
                out.append(Page(f"{entry.endpoint} [{role}]", entry.endpoint, login))
    return out


#: what the search page is asked (a surname part every demo tier has)
SEARCH_QUERY = {"q": "Kow"}


def search_pages(app) -> list:
    """The search page (the case-file issue's: `search.index` at `/search/`, or `/szukaj`, or an endpoint ending in
    `.search`), as an assistant and a coordinator, once the app has one; measured whether or not it is in a menu."""
    out = []
    for rule in app.url_map.iter_rules():
        named = rule.endpoint == "search.index" or rule.endpoint.endswith(".search") \
            or rule.rule.rstrip("/") in ("/szukaj", "/search")
        if named and "GET" in rule.methods and not rule.arguments and rule.endpoint not in {p.endpoint for p in out}:
            out += [Page(f"search [{role}]", rule.endpoint, ROLE_LOGINS[role], query=dict(SEARCH_QUERY))
                    for role in ("assistant", "coordinator")]
    return out


def pages(app=None) -> list:
    """What `make bench` measures: healthz, the navigation of every role, then the pages and writes that are not in
    a menu, the report pages (the indicator page also with its cache emptied) and the documents (apart)."""
    year = date.today().year - 1
    half = {"year": date.today().year - (1 if date.today().month < 7 else 0),
            "half": 2 if date.today().month < 7 else 1}
    if app is None:
        app = build_app("sqlite://")  # registers the navigation
    out = [Page("healthz", "main.healthz", None)] + nav_pages() + search_pages(app)
    out += [
        Page("family page [assistant]", "families.detail", "asystent1", kwargs={"family_id": None}),
        Page("family page [coordinator]", "families.detail", "koordynator", kwargs={"family_id": None}),
        Page("saving a visit (POST) [assistant]", "visits.new", "asystent1", method="POST"),
        Page("annual report [coordinator]", "reports.show", "koordynator", kwargs={"name": "assistants"},
             query={"year": year}),
        Page("ministry half-year report [coordinator]", "reports.show", "koordynator", kwargs={"name": "ministry"},
             query=half),
        Page("indicators page, cache emptied [coordinator]", "indicators.index", "koordynator", cold=True),
        Page("indicators page, cache emptied, the year before closed [coordinator]", "indicators.index",
             "koordynator", cold=True, previous_closed=True),
    ]
    for fmt in ("docx", "xlsx"):
        out += [
            Page(f"annual report .{fmt}", "reports.export", "koordynator", kwargs={"name": "assistants", "fmt": fmt},
                 query={"year": year}, document=True),
            Page(f"ministry report .{fmt}", "reports.export", "koordynator", kwargs={"name": "ministry", "fmt": fmt},
                 query=half, document=True),
            Page(f"indicators .{fmt}", "indicators.export", "koordynator", kwargs={"fmt": fmt},
                 query={"year": year}, document=True),
        ]
    seen, unique = set(), []
    for page in out:
        if page.key not in seen:
            seen.add(page.key)
            unique.append(page)
    return unique


def sqlalchemy_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def build_app(url: str):
    from casework import create_app
    from config import DevelopmentConfig

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = sqlalchemy_url(url)

    return create_app(BenchConfig)


def prepare(url: str, tier_name: str):
    """A fresh database of the tier (PostgreSQL: every table dropped first). Returns the app and seconds taken."""
    from flask_migrate import upgrade
    from sqlalchemy import MetaData, text

    from casework.demo import TIERS, load_demo
    from casework.extensions import db

    app = build_app(url)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            meta = MetaData()
            meta.reflect(bind=db.engine)
            meta.drop_all(bind=db.engine)
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        started = time.perf_counter()
        load_demo(seed=2026, tier=TIERS[tier_name])
        generated = time.perf_counter() - started
        # load_demo ends with ANALYZE on both databases; PostgreSQL also gets its visibility map (index-only scans)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
    return app, generated


def _visible_family(app, login):
    from flask_login import login_user
    from sqlalchemy import select

    from casework.auth.models import User
    from casework.extensions import db
    from casework.families.access import visible_families_clause
    from casework.families.models import Family

    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.login == login))
        login_user(user)
        return db.session.scalar(select(Family.id).where(visible_families_clause(user)).order_by(Family.id)
                                 .limit(1))


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _clear_indicator_cache(app):
    from sqlalchemy import delete

    from casework.extensions import db
    from casework.indicators.models import IndicatorCache

    with app.app_context():
        db.session.execute(delete(IndicatorCache))
        db.session.commit()


@contextmanager
def _year_before_closed(app, enabled: bool):
    """The year before this one closed while the block runs (unless it already is), re-opened after."""
    from casework.core import periods
    from casework.extensions import db
    from casework.indicators import services

    if not enabled:
        yield
        return
    period = periods.year(date.today().year - 1)
    with app.app_context():
        closed = None if services.closed_for(period) else services.close_period(period, None, "bench", today=date.today())
        db.session.commit()
        closed_id = closed.id if closed else None
    try:
        yield
    finally:
        if closed_id:
            with app.app_context():
                from casework.indicators.models import ClosedPeriod
                services.reopen_period(db.session.get(ClosedPeriod, closed_id), None, "bench")
                db.session.commit()


def measure_pages(app, repeat: int, progress=None, warmup: int = 3) -> dict:
    """{page.key: (p50 ms, p95 ms)} of server time through the WSGI app (no network), warm-up not counted."""
    from flask import url_for

    results, clients, tokens = {}, {}, {}
    for page in pages(app):
        login = page.login
        if login and login not in clients:
            client = app.test_client()
            client.post("/login", data={"login": login, "password": PASSWORD,
                                        "csrf_token": _csrf(client.get("/login").get_data(as_text=True))})
            clients[login] = client
        client = clients.get(login) or app.test_client()
        kwargs = dict(page.kwargs)
        family_id = _visible_family(app, login) if login else None
        if "family_id" in kwargs:
            kwargs["family_id"] = family_id
        with app.test_request_context():
            url = url_for(page.endpoint, **kwargs, **page.query)
        timings = []
        with _year_before_closed(app, page.previous_closed):
            _time_page(app, client, page, url, login, family_id, repeat, warmup, tokens, timings)
        results[page.key] = percentiles(timings)
        if progress:
            progress(f"  {page.label}: p95 {results[page.key][1]:.1f} ms")
    return results


def _time_page(app, client, page, url, login, family_id, repeat, warmup, tokens, timings):
    for i in range(repeat + warmup):
        if page.cold:
            _clear_indicator_cache(app)
        if page.method == "POST":
            if login not in tokens:
                tokens[login] = _csrf(client.get(url).get_data(as_text=True))
            data = {"csrf_token": tokens[login], "family_id": family_id, "visit_date": date.today().isoformat(),
                    "duration_minutes": 45, "place": "home", "form": "home_visit",
                    "activities": f"bench {i}"}
            started = time.perf_counter()
            response = client.post(url, data=data)
            ok = response.status_code == 302
        else:
            started = time.perf_counter()
            response = client.get(url)
            ok = response.status_code == 200
        elapsed = time.perf_counter() - started
        if not ok:
            raise SystemExit(f"{page.label}: {page.method} {url} answered {response.status_code}")
        if i >= warmup:
            timings.append(elapsed * 1000)


def percentiles(values):
    values = sorted(values)
    if not values:
        return (0.0, 0.0)
    return (statistics.median(values), values[max(0, int(round(len(values) * 0.95)) - 1)])


def p99(values):
    values = sorted(values)
    return values[max(0, int(round(len(values) * 0.99)) - 1)] if values else 0.0


def measure_indicators(app, runs: int = 3) -> dict:
    """The full indicator set of last year (best of `runs`) against one plain count(*) over the visits table."""
    from sqlalchemy import text

    from casework.core import periods
    from casework.extensions import db
    from casework.indicators import engine
    from casework.core.indicators import all_indicators

    year = date.today().year - 1
    with app.app_context():
        count_times, set_times = [], []
        for _ in range(runs):
            db.session.rollback()
            started = time.perf_counter()
            visits = db.session.execute(text("SELECT count(*) FROM visit")).scalar()
            count_times.append(time.perf_counter() - started)
            db.session.rollback()
            started = time.perf_counter()
            values = engine.compute(periods.year(year))
            set_times.append(time.perf_counter() - started)
        return {"indicators": len(list(all_indicators())), "computed": len(values), "visits": visits,
                "set_s": min(set_times), "count_s": min(count_times)}


def counts(app) -> dict:
    from sqlalchemy import text

    from casework.extensions import db

    with app.app_context():
        out = {}
        for table in ("family", "support_period", "visit", "user_account", "bluecard_procedure",
                      "placement"):
            try:
                out[table] = db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            except Exception:  # noqa: BLE001 - a table named differently is left out of the summary
                db.session.rollback()
        out["active"] = db.session.execute(text(
            "SELECT count(*) FROM support_period WHERE end_date IS NULL")).scalar()
        return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(url: str, workers: int = 4, threads: int = 4, keep_alive: int = 5):
    """gunicorn serving wsgi:app on a free loopback port; yields (base url, master pid). `keep_alive` (seconds) must
    exceed the clients' idle time between requests, or gunicorn closes a connection a client is about to reuse."""
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=sqlalchemy_url(url), SECRET_KEY="bench-not-secret",
               CASEWORK_ENV="development")  # the demo data production refuses; plain HTTP on loopback
    process = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "--workers", str(workers), "--threads",
         str(threads), "--worker-class", "gthread", "--keep-alive", str(keep_alive), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "wsgi:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("gunicorn did not start")
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def worker_pids(master: int) -> list:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == master:
                        out.append(int(entry))
            except OSError:
                continue
    return out


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class User:
    """One logged-in browser-less user over HTTP with its own cookies."""

    def __init__(self, base: str, login: str):
        self.base, self.login = base, login
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect())
        html = self.get("/login")[1]
        status, _ = self.post("/login", {"login": login, "password": PASSWORD, "csrf_token": _csrf(html)})
        if status != 302:
            raise SystemExit(f"{login} could not log in ({status})")
        self.token = _csrf(self.get("/visits/new")[1])

    def get(self, path):
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def post(self, path, data):
        body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


class Browser:
    """One simulated user over HTTP: a requests.Session keeps its cookies and its keep-alive connection, as a
    browser does."""

    def __init__(self, base: str, login: str):
        import requests

        self.base, self.login, self.token = base, login, None
        self.session = requests.Session()

    def get(self, path):
        response = self.session.get(self.base + path, timeout=60, allow_redirects=False)
        return response.status_code, response.text

    def post(self, path, data):
        response = self.session.post(self.base + path, data=data, timeout=60, allow_redirects=False)
        return response.status_code, response.text

    def log_in(self) -> bool:
        status, html = self.get("/login")
        if status != 200:
            return False
        status, _ = self.post("/login", {"login": self.login, "password": PASSWORD, "csrf_token": _csrf(html)})
        if status != 302:
            return False
        status, html = self.get("/")
        self.token = _csrf(html) if status == 200 and "csrf_token" in html else self.token
        return status == 200

    def log_out(self) -> bool:
        status, _ = self.post("/logout", {"csrf_token": self.token})
        return status in (302, 200)


#: what a coordinator opens in the load test (weights)
COORDINATOR_MIX = {"/deadlines/": 30, "/reports/dashboard": 25, "/reports/r/assistants": 10,
                   "/reports/r/ministry": 10, "/reports/indicators": 10, "/families/": 10, "/families/caseload": 5}


def load_test(base: str, app, users: int, seconds: float, think=(0.5, 2.0), coordinators: int | None = None) -> dict:
    """`users` at once (one in ten a coordinator opening the board, the dashboard and the reports; the rest
    assistants: their families, a family page, their day, saving a visit marked so it can be counted afterwards,
    the start page), each with its own persistent connection and a think time. Logging in is part of the timed
    run (every user logs in at its start, and now and then logs out and in again). Returns latencies (all and per
    kind of user), errors and whether every saved visit is in the database."""
    from sqlalchemy import func, select

    from casework.auth.models import User as UserModel
    from casework.extensions import db
    from casework.visits.models import Visit

    with app.app_context():
        assistants = [u.login for u in db.session.scalars(select(UserModel).order_by(UserModel.id))
                      if u.has_role("assistant")]
    coordinators = max(1, users // 10) if coordinators is None else coordinators
    plan = [("coordinator", "koordynator")] * coordinators + \
        [("assistant", assistants[n % len(assistants)]) for n in range(users - coordinators)]
    marker = f"load-{int(time.time())}"
    latencies = {"assistant": [], "coordinator": [], "login": []}
    errors, saved = [], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def timed(kind, label, fn):
        started = time.perf_counter()
        try:
            ok, status = fn()
        except Exception as exc:  # noqa: BLE001 - a reset connection is an error to count, not to stop on
            ok, status = False, type(exc).__name__
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies[kind].append(elapsed)
            if not ok:
                errors.append(f"{label}: {status}")
        return ok

    def get_ok(browser, path):
        def fn():
            status, _ = browser.get(path)
            return status == 200, status
        return fn

    def log_in(browser):
        return timed("login", "login", lambda: (browser.log_in(), "failed"))

    def run(index, role, login):
        rng = random.Random(f"{login}-{index}")
        browser = Browser(base, login)
        time.sleep(rng.uniform(0, think[1]))  # users arrive spread over the first think time
        if not log_in(browser):
            return
        family_ids = []
        if role == "assistant":
            status, html = browser.get("/families/mine")
            family_ids = [int(x) for x in re.findall(r'href="/families/(\d+)"', html)] if status == 200 else []
        n = 0
        while time.monotonic() < deadline:
            if rng.random() < 0.02:  # the session ends and the user comes back
                timed(role, "logout", lambda: (browser.log_out(), "failed"))
                log_in(browser)
            elif role == "coordinator":
                path = rng.choices(list(COORDINATOR_MIX), list(COORDINATOR_MIX.values()))[0]
                timed(role, path, get_ok(browser, path))
            else:
                action = rng.choices(["mine", "family", "day", "visit", "home"], [25, 25, 15, 25, 10])[0]
                if action == "visit" and family_ids:
                    n += 1
                    data = {"csrf_token": browser.token, "family_id": rng.choice(family_ids),
                            "visit_date": date.today().isoformat(), "duration_minutes": 30,
                            "activities": f"{marker} {login}-{index} {n}"}

                    def save_visit():
                        status, _ = browser.post("/visits/new", data)
                        return status == 302, status
                    if timed(role, "visit", save_visit):
                        with lock:
                            saved[0] += 1
                elif action == "family" and family_ids:
                    timed(role, "family", get_ok(browser, f"/families/{rng.choice(family_ids)}"))
                else:
                    path = {"mine": "/families/mine", "day": "/visits/day"}.get(action, "/")
                    timed(role, path, get_ok(browser, path))
            time.sleep(rng.uniform(*think))
        browser.session.close()

    threads = [threading.Thread(target=run, args=(i, role, login)) for i, (role, login) in enumerate(plan)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    duration = time.monotonic() - started
    with app.app_context():
        found = db.session.scalar(select(func.count(Visit.id)).where(Visit.activities.like(marker + " %")))
    every = [x for values in latencies.values() for x in values]
    p50, p95 = percentiles(every)
    by_kind = {kind: (len(v), *percentiles(v), p99(v)) for kind, v in latencies.items()}
    return {"users": users, "coordinators": coordinators, "seconds": duration, "requests": len(every),
            "errors": len(errors), "error_samples": errors[:5], "p50": p50, "p95": p95, "p99": p99(every),
            "by_kind": by_kind, "saved": saved[0], "found": found}
