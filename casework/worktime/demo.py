"""Synthetic other work for the demo's work-time sheets: in each of the last three months, travel to the families,
office work on the documentation and now and then a court hearing in a family's case. It runs last and draws from
its own random generator, so the other domains' demo data stay as they were."""
import random
from datetime import timedelta

from sqlalchemy import insert, select

from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.families.models import AssistantAssignment
from casework.worktime.models import WorkEntry

ORDER = 99  # after every other domain (it reads their assignments)
NOTES = {"travel": "Dojazd do rodzin w terenie", "office": "Dokumentacja pracy z rodziną",
         "court_hearing": "Rozprawa w sądzie rejonowym"}


def generate(users, families, rng, progress, options=None):
    if families <= 0:
        return
    own = random.Random(len(users) * 7919 + families)
    today, now = today_local(), utcnow()
    assistants = [u for login, u in sorted(users.items()) if login.startswith("asystent")]
    assigned = {}
    for assistant_id, family_id in db.session.execute(select(AssistantAssignment.assistant_id,
                                                             AssistantAssignment.family_id)
                                                      .where(AssistantAssignment.end_date.is_(None))
                                                      .order_by(AssistantAssignment.id)):
        assigned.setdefault(assistant_id, []).append(family_id)
    rows = []
    for user in assistants:
        for back in range(0, 90, 7):  # about once a week
            day = today - timedelta(days=back + own.randint(0, 4))
            if day.weekday() >= 5 or day > today:
                continue
            for kind, minutes in (("travel", own.choice([30, 45, 60, 90])), ("office", own.choice([60, 90, 120]))):
                rows.append({"user_id": user.id, "work_date": day, "kind": kind, "minutes": minutes,
                             "note": NOTES[kind], "family_id": None})
            if assigned.get(user.id) and own.random() < 0.15:
                rows.append({"user_id": user.id, "work_date": day, "kind": "court_hearing", "minutes": 120,
                             "note": NOTES["court_hearing"], "family_id": own.choice(assigned[user.id])})
    if rows:
        db.session.execute(insert(WorkEntry), [r | {"version": 1, "created_at": now, "updated_at": now}
                                               for r in rows])
