"""The coordinator's dashboard at one tier: computed afresh on every view (the cache off) against the values shared
by every worker (the cache on), server time through the WSGI app, with the statements each view sends.

    .venv/bin/python -m bench.dashboard --tier small [--postgres-url postgresql://postgres@127.0.0.1:5432/bench_x]

SQLite goes to a temporary file; the PostgreSQL database is WIPED. Prints figures, asserts nothing."""
import argparse
import os
import sys
import tempfile
import time

from bench import harness

CACHE_SETTING = "indicator_cache_minutes"


def _login(app):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"login": "koordynator", "password": harness.PASSWORD,
                                "csrf_token": harness._csrf(html)})
    return client


def _time(app, client, repeat: int):
    from sqlalchemy import event

    from casework.extensions import db

    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *a, **k: statements.append(1)  # noqa: E731
    timings = []
    for i in range(repeat + 3):
        statements.clear()
        event.listen(engine, "before_cursor_execute", listener)
        started = time.perf_counter()
        response = client.get("/reports/dashboard")
        elapsed = time.perf_counter() - started
        event.remove(engine, "before_cursor_execute", listener)
        if response.status_code != 200:
            raise SystemExit(f"/reports/dashboard answered {response.status_code}")
        if i >= 3:
            timings.append(elapsed * 1000)
    return harness.percentiles(timings), len(statements)


def _set_cache_minutes(app, minutes: int):
    from casework.core.settings import set_setting
    from casework.extensions import db

    with app.app_context():
        set_setting(CACHE_SETTING, minutes)
        db.session.commit()


def run(url: str, tier: str, repeat: int):
    app, generated = harness.prepare(url, tier)
    client = _login(app)
    _set_cache_minutes(app, 0)
    (cold50, cold95), cold_q = _time(app, client, repeat)
    _set_cache_minutes(app, 10)
    (warm50, warm95), warm_q = _time(app, client, repeat)
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"{backend} {tier} (generated in {generated:.0f} s): dashboard computed every view "
          f"p50 {cold50:.1f} ms, p95 {cold95:.1f} ms, {cold_q} statements; "
          f"shared values p50 {warm50:.1f} ms, p95 {warm95:.1f} ms, {warm_q} statements")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tier", default="small")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--postgres-url")
    args = parser.parse_args(argv)
    os.environ.setdefault("CASEWORK_ENV", "development")
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/dashboard.db", args.tier, args.repeat)
    if args.postgres_url:
        run(args.postgres_url, args.tier, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
