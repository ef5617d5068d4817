"""Time the import of a large visits file (the issue asks for tens of thousands of visits in seconds).

    .venv/bin/python -m bench.importer [--visits 50000] [--families 1000] [--database-url URL]

A fresh database (a SQLite file in a temp dir unless a PostgreSQL URL is given — that database is wiped), one
assistant, the families imported first, then an XLSX workbook of `--visits` visits: prints the time to read the
file, to check every row (dry run), to write (first import), and to re-import the same file (no changes).
"""
import argparse
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def workbook(families: int, visits: int, seed: int = 1) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("rodziny")
    sheet.append(["id", "numer_sprawy", "nazwa", "obszar"])
    for n in range(families):
        sheet.append([f"F{n}", f"AR/B/{n}", f"Rodzina{n}", rng.choice(["miasto", "wieś"])])
    sheet = book.create_sheet("wizyty")
    sheet.append(["id", "rodzina_id", "asystent", "data", "czas_min", "forma", "co_zrobiono"])
    start = date(2016, 1, 1)
    for n in range(visits):
        sheet.append([f"W{n}", f"F{rng.randrange(families)}", "asystent", start + timedelta(days=rng.randrange(3000)),
                      rng.choice([30, 45, 60, 90]), "wizyta domowa", "Rozmowa o planie dnia"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=50000)
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    from flask_migrate import upgrade

    from bench.harness import build_app
    from casework.auth.models import User
    from casework.extensions import db
    from casework.importer import services

    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/import.db"
    app = build_app(url)
    with app.app_context():
        if url.startswith("postgresql"):
            db.session.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        user = User(login="asystent", full_name="Asystent Testowy", password_hash="x")
        user.set_roles(["assistant"])
        db.session.add(user)
        db.session.commit()
        data = workbook(args.families, args.visits)
        figures = []

        def timed(label, fn):
            t0 = time.perf_counter()
            result = fn()
            figures.append((label, time.perf_counter() - t0))
            return result

        sheets, _problems = timed("read the XLSX", lambda: services.read_workbook(io.BytesIO(data), "b.xlsx"))
        report = timed("check every row (dry run)", lambda: services.run(sheets, dry_run=True))
        db.session.rollback()
        assert report.ok, report.problems[:5]
        timed("first import (write)", lambda: (services.run(sheets, dry_run=False), db.session.commit()))
        again = timed("re-import (nothing changes)", lambda: (services.run(sheets, dry_run=False),
                                                              db.session.commit())[0])
        assert again.counts["wizyty"]["unchanged"] == args.visits
    print(f"\nImport of {args.visits:,} visits in {args.families:,} families ({url.split(':')[0]}):")
    for label, seconds in figures:
        print(f"  {label:<32} {seconds:7.2f} s")


if __name__ == "__main__":
    main()
