"""Synthetic visits for the demo: each assigned family is visited every few days (the tier's gap) by its assistant."""
from datetime import time, timedelta

from sqlalchemy import func, insert, select, text

from casework.core.dictionaries import entries
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.families.models import AssistantAssignment
from casework.visits.models import FORMS, PLACES, Visit, visit_area

ORDER = 20
ACTIVITIES = ["Rozmowa o organizacji dnia dzieci.", "Pomoc w przygotowaniu wniosku o świadczenie.",
              "Wspólne planowanie budżetu domowego.", "Konsultacja w sprawie nauki syna.",
              "Towarzyszenie w wizycie w poradni.", "Omówienie postępów planu pracy."]


def generate(users, families, rng, progress, options=None):
    today = today_local()
    low, high = (options or {}).get("visit_gap_days") or (4, 15)
    areas = [e.id for e in entries("area_of_work")]
    next_id = (db.session.scalar(select(func.max(Visit.id))) or 0) + 1
    assignments = db.session.execute(select(AssistantAssignment.family_id, AssistantAssignment.assistant_id,
                                            AssistantAssignment.start_date, AssistantAssignment.end_date)).all()
    rows, links, now = [], [], utcnow()

    def flush():
        if rows:
            db.session.execute(insert(Visit), rows)
            db.session.execute(insert(visit_area), links)
            rows.clear()
            links.clear()

    for family_id, assistant_id, start, end in assignments:
        last = min(end or today, today)
        day = start
        while day <= last:
            day += timedelta(days=rng.randrange(low, high))
            if day > last:
                break
            rows.append({"id": next_id, "family_id": family_id, "assistant_id": assistant_id, "visit_date": day,
                         "start_time": time(rng.randrange(8, 17), rng.choice((0, 15, 30, 45))),
                         "duration_minutes": rng.choice((30, 45, 60, 60, 90, 120)),
                         "place": rng.choice(PLACES[:2]) if rng.random() < 0.9 else rng.choice(PLACES),
                         "form": rng.choice(FORMS), "activities": rng.choice(ACTIVITIES), "agreed_next": None,
                         "version": 1, "created_at": now, "updated_at": now})
            for area in rng.sample(areas, k=min(len(areas), rng.randrange(1, 3))):
                links.append({"visit_id": next_id, "area_id": area})
            next_id += 1
            if len(rows) >= 5000:
                flush()
                progress("visits", next_id - 1)
    flush()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('visit', 'id'), "
                                "(SELECT COALESCE(MAX(id), 1) FROM visit))"))
    progress(f"  visits: {next_id - 1}")
