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
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

PASSWORD = "demo-casework-2026"

#: (label, endpoint, login, method) — the pages people use most; "saving a visit" is a POST of the visit form
PAGES = [
    ("healthz", "main.healthz", None, "GET"),
    ("start page", "main.home", "asystent1", "GET"),
    ("Moje rodziny", "families.mine", "asystent1", "GET"),
    ("family page", "families.detail", "asystent1", "GET"),
    ("saving a visit", "visits.new", "asystent1", "POST"),
    ("Mój dzień", "visits.day", "asystent1", "GET"),
    ("family list (coordinator)", "families.index", "koordynator", "GET"),
    ("coordinator's board", "deadlines.index", "koordynator", "GET"),
    ("report page", "indicators.index", "koordynator", "GET"),
    ("dashboard (coordinator)", "reports.dashboard_page", "koordynator", "GET"),
]


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


def measure_pages(app, repeat: int) -> dict:
    """{label: (p50 ms, p95 ms)} of server time through the WSGI app (no network), warm-up not counted."""
    from flask import url_for

    results, clients, tokens = {}, {}, {}
    for label, endpoint, login, method in PAGES:
        if login and login not in clients:
            client = app.test_client()
            client.post("/login", data={"login": login, "password": PASSWORD,
                                        "csrf_token": _csrf(client.get("/login").get_data(as_text=True))})
            clients[login] = client
        client = clients.get(login) or app.test_client()
        kwargs = {}
        family_id = _visible_family(app, login) if login else None
        if "family_id" in next(app.url_map.iter_rules(endpoint)).arguments:
            kwargs["family_id"] = family_id
        with app.test_request_context():
            url = url_for(endpoint, **kwargs)
        timings = []
        for i in range(repeat + 3):
            if method == "POST":
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
                raise SystemExit(f"{label}: {method} {url} answered {response.status_code}")
            if i >= 3:
                timings.append(elapsed * 1000)
        results[label] = percentiles(timings)
    return results


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
    from casework.indicators.registry import all_indicators

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
def gunicorn(url: str, workers: int = 4, threads: int = 4):
    """gunicorn serving wsgi:app on a free loopback port; yields (base url, master pid)."""
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=sqlalchemy_url(url), SECRET_KEY="bench-not-secret",
               CASEWORK_ENV="development")  # the demo data production refuses; plain HTTP on loopback
    process = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "--workers", str(workers), "--threads",
         str(threads), "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
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


def load_test(base: str, app, users: int, seconds: float, think=(0.5, 2.0)) -> dict:
    """`users` assistants at once, each in a loop of mixed traffic with a think time: their families, a family
    page, their day, saving a visit (marked so it can be counted afterwards), the start page. Returns latencies,
    errors and whether every saved visit is in the database."""
    from sqlalchemy import func, select

    from casework.extensions import db
    from casework.visits.models import Visit

    marker = f"load-{int(time.time())}"
    logins = [f"asystent{n}" for n in range(1, users + 1)]
    latencies, errors, saved = [], [], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    sessions = {}

    def families_of(user):
        status, html = user.get("/families/mine")
        return [int(x) for x in re.findall(r'href="/families/(\d+)"', html)] if status == 200 else []

    def run(login):
        rng = random.Random(login)
        user = sessions[login]
        family_ids = families_of(user)
        n = 0
        while time.monotonic() < deadline:
            action = rng.choices(["mine", "family", "day", "visit", "home"], [25, 25, 15, 25, 10])[0]
            started = time.perf_counter()
            if action == "mine":
                status, _ = user.get("/families/mine")
                ok = status == 200
            elif action == "family" and family_ids:
                status, _ = user.get(f"/families/{rng.choice(family_ids)}")
                ok = status == 200
            elif action == "visit" and family_ids:
                n += 1
                status, _ = user.post("/visits/new", {
                    "csrf_token": user.token, "family_id": rng.choice(family_ids),
                    "visit_date": date.today().isoformat(), "duration_minutes": 30,
                    "activities": f"{marker} {login} {n}"})
                ok = status == 302
                if ok:
                    with lock:
                        saved[0] += 1
            elif action == "day":
                status, _ = user.get("/visits/day")
                ok = status == 200
            else:
                status, _ = user.get("/")
                ok = status == 200
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(f"{action}: {status}")
            time.sleep(rng.uniform(*think))

    for login in logins:
        sessions[login] = User(base, login)
    threads = [threading.Thread(target=run, args=(login,)) for login in logins]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    duration = time.monotonic() - started
    with app.app_context():
        found = db.session.scalar(select(func.count(Visit.id)).where(Visit.activities.like(marker + " %")))
    p50, p95 = percentiles(latencies)
    return {"users": users, "seconds": duration, "requests": len(latencies), "errors": len(errors),
            "error_samples": errors[:5], "p50": p50, "p95": p95, "p99": p99(latencies), "saved": saved[0],
            "found": found}
