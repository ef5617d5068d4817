"""Server time of the pages people use most, at two sizes of centre, in one run (ratios, since machines are noisy).

    .venv/bin/python -m bench.pages [--small 75] [--city 3000] [--repeat 30] [--database-url URL]

For each tier: a fresh database (SQLite file in a temp dir, or the PostgreSQL URL given, which is wiped), the
synthetic demo of that size, then every page below requested `--repeat` times by a logged-in user of the role
that uses it. Prints p50/p95 per page and tier, city/small (target ≤ 1.5) and page/healthz at the city tier
(target ≤ 5). Pages whose endpoint does not exist yet are listed as skipped.
"""
import argparse
import os
import re
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: (label, endpoint, role login from the demo, url arguments: callables of the app → dict)
PAGES = [
    ("healthz", "main.healthz", None),
    ("start page", "main.home", "asystent1"),
    ("Moje rodziny", "families.mine", "asystent1"),
    ("family list (coordinator)", "families.index", "koordynator"),
    ("family page", "families.detail", "asystent1"),
    ("Mój dzień", "visits.day", "asystent1"),
    ("deadline board", "deadlines.index", "koordynator"),
    ("report page", "indicators.index", "koordynator"),
]


def build_app(url: str):
    from casework import create_app
    from config import DevelopmentConfig

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        ARGON2_PARAMS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}

    return create_app(BenchConfig)


def prepare(url: str, families: int):
    from flask_migrate import upgrade

    from casework.demo import load_demo
    from casework.extensions import db

    app = build_app(url)
    with app.app_context():
        if url.startswith("postgresql"):
            from sqlalchemy import MetaData

            meta = MetaData()
            meta.reflect(bind=db.engine)
            meta.drop_all(bind=db.engine)
        upgrade()
        started = time.perf_counter()
        load_demo(families=families, seed=2026)
        generated = time.perf_counter() - started
    return app, generated


def family_id_for(app, login):
    """A family the user may see (for the family page)."""
    from sqlalchemy import select

    from casework.auth.models import User
    from casework.extensions import db
    from casework.families.access import visible_families_clause
    from casework.families.models import Family

    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.login == login))
        from flask_login import login_user

        login_user(user)
        return db.session.scalar(select(Family.id).where(visible_families_clause(user)).limit(1))


def measure(app, repeat: int):
    from flask import url_for

    results = {}
    clients = {}
    for label, endpoint, login in PAGES:
        if endpoint not in app.view_functions:
            results[label] = None
            continue
        if login and login not in clients:
            client = app.test_client()
            html = client.get("/login").get_data(as_text=True)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
            client.post("/login", data={"login": login, "password": "demo-casework-2026", "csrf_token": token})
            clients[login] = client
        client = clients.get(login) or app.test_client()
        kwargs = {}
        rule = next(app.url_map.iter_rules(endpoint))
        if "family_id" in rule.arguments:
            kwargs["family_id"] = family_id_for(app, login)
        with app.test_request_context():
            url = url_for(endpoint, **kwargs)
        timings = []
        for i in range(repeat + 3):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{label}: {url} answered {response.status_code}")
            if i >= 3:  # warm-up requests are not counted
                timings.append(elapsed * 1000)
        timings.sort()
        results[label] = (statistics.median(timings), timings[int(len(timings) * 0.95) - 1])
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=75)
    parser.add_argument("--city", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL to use (wiped!); default SQLite")
    args = parser.parse_args(argv)
    tiers = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, families in (("small", args.small), ("city", args.city)):
            url = args.database_url or f"sqlite:///{os.path.join(tmp, name + '.db')}"
            app, generated = prepare(url, families)
            print(f"{name}: {families} families generated in {generated:.1f} s", flush=True)
            tiers[name] = measure(app, args.repeat)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"\nServer time per page ({backend}, ms, {args.repeat} requests each)")
    print(f"{'page':<28}{'small p50':>10}{'small p95':>10}{'city p50':>10}{'city p95':>10}"
          f"{'city/small':>11}{'/healthz':>10}")
    health = tiers["city"]["healthz"][0]
    for label, _endpoint, _login in PAGES:
        small, city = tiers["small"][label], tiers["city"][label]
        if small is None or city is None:
            print(f"{label:<28}{'(page not built yet)':>50}")
            continue
        ratio = city[0] / small[0]
        vs_health = city[0] / health
        flag = "" if ratio <= 1.5 and (label == "healthz" or vs_health <= 5) else "  ← misses a target"
        print(f"{label:<28}{small[0]:>10.2f}{small[1]:>10.2f}{city[0]:>10.2f}{city[1]:>10.2f}"
              f"{ratio:>11.2f}{vs_health:>10.2f}{flag}")
    print("targets: city/small ≤ 1.5 for each page; page/healthz ≤ 5 at the city tier")


if __name__ == "__main__":
    main()
