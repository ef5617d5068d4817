"""Time the full indicator set over synthetic city-scale data.

    rm -f /tmp/bench.db; CASEWORK_ENV=development DATABASE_URL=sqlite:////tmp/bench.db .venv/bin/flask --app wsgi db upgrade
    DATABASE_URL=sqlite:////tmp/bench.db .venv/bin/python bench/indicators.py --families 20000

Fills an EMPTY database (refuses otherwise) with families, children, support periods and assignments, then
computes every indicator for a year, a half-year and the previous year, printing the time and query count.
"""
import argparse
import os
import random
import sys
import time
from datetime import date, timedelta

from sqlalchemy import event, func, insert, select

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from casework import create_app
    from casework.auth.models import User
    from casework.core import periods
    from casework.core.dictionaries import DictionaryEntry
    from casework.extensions import db
    from casework.families.models import AssistantAssignment, Family, FamilyMember, SupportPeriod
    from casework.indicators import engine

    app = create_app("development")
    rng = random.Random(args.seed)
    with app.app_context():
        if db.session.scalar(select(func.count()).select_from(Family)):
            sys.exit("the database already has families; use an empty one")
        reasons = list(db.session.scalars(select(DictionaryEntry.id).where(DictionaryEntry.kind == "end_reason")))
        users = [{"login": f"bench{i}", "full_name": f"Asystent {i}", "password_hash": "x",
                  "is_active_account": True} for i in range(args.families // 12 + 1)]
        db.session.execute(insert(User), users)
        user_ids = list(db.session.scalars(select(User.id).where(User.login.like("bench%"))))
        t0 = time.perf_counter()
        families, members, sps, assigns = [], [], [], []
        sp_id = 0
        for f in range(1, args.families + 1):
            families.append({"id": f, "case_number": f"B/{f}", "name": f"Rodzina {f}", "area": "urban",
                             "version": 1})
            for k in range(rng.randint(0, 4)):
                members.append({"family_id": f, "first_name": f"D{k}", "last_name": f"R{f}", "relation": "child",
                                "in_household": True, "version": 1,
                                "birth_date": date(2004, 1, 1) + timedelta(days=rng.randint(0, 7000))})
            start = date(2018, 1, 1) + timedelta(days=rng.randint(0, 2900))
            for _ in range(rng.choice((1, 1, 1, 2))):
                sp_id += 1
                end = start + timedelta(days=rng.randint(30, 900)) if rng.random() < 0.7 else None
                sps.append({"id": sp_id, "family_id": f, "basis": rng.choice(("referral", "court_order")),
                            "start_date": start, "end_date": end, "version": 1,
                            "end_reason_id": rng.choice(reasons) if end else None,
                            "monitoring_until": end + timedelta(days=180) if end and rng.random() < 0.3 else None,
                            "za_zyciem_request_date": start if rng.random() < 0.05 else None})
                assigns.append({"support_period_id": sp_id, "family_id": f, "assistant_id": rng.choice(user_ids),
                                "start_date": start, "end_date": end})
                if end is None:
                    break
                start = end + timedelta(days=rng.randint(30, 400))
        db.session.execute(insert(Family), families)
        db.session.execute(insert(FamilyMember), members)
        db.session.execute(insert(SupportPeriod), sps)
        db.session.execute(insert(AssistantAssignment), assigns)
        db.session.commit()
        print(f"data: {len(families)} families, {len(members)} children, {len(sps)} support periods "
              f"({time.perf_counter() - t0:.1f} s to insert)")

        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        for p in (periods.year(2024), periods.half(2024, 2), periods.year(2023)):
            statements.clear()
            t = time.perf_counter()
            values = engine.compute(p)
            print(f"{p.label:>8}: {len(values)} indicators in {time.perf_counter() - t:.3f} s, "
                  f"{len(statements)} queries; supported={values['AR_FAMILIES_SUPPORTED']}")


if __name__ == "__main__":
    main()
