"""Synthetic Niebieska Karta procedures in a few demo families: one at each stage, one closed."""
from datetime import timedelta

from sqlalchemy import select

from casework.bluecard import services
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.models import Family, FamilyMember

ORDER = 50


def generate(users, families, rng, progress, options=None):
    today = today_local()
    starter, team = users.get("asystent1"), users.get("zespol")
    worker = users.get("pracownik2")
    picked = db.session.scalars(select(Family).where(Family.archived_at.is_(None)).order_by(Family.id)
                                .limit(min(max(families // 12, 3), 600))).all()
    for n, family in enumerate(picked):
        members = db.session.scalars(select(FamilyMember).where(FamilyMember.family_id == family.id)
                                     .order_by(FamilyMember.id)).all()
        adults = [m for m in members if m.relation != "child"] or members
        children = [m for m in members if m.relation == "child"]
        if not adults:
            continue
        persons = [{"role": "suspected", "member_id": adults[0].id, "first_name": adults[0].first_name,
                    "last_name": adults[0].last_name}]
        for m in (adults[1:2] + children[:1]):
            persons.append({"role": "affected", "member_id": m.id, "first_name": m.first_name,
                            "last_name": m.last_name, "is_child": m.relation == "child",
                            "witness": m.relation == "child"})
        if len(persons) < 2:
            persons.append({"role": "affected", "first_name": "Ewa", "last_name": adults[0].last_name})
        start = today - timedelta(days=rng.randrange(3, 200))
        procedure = services.start_procedure(
            {"nka_date": start, "sector": rng.choice(["social_assistance", "police", "education"]),
             "violence_forms": ["psychological", rng.choice(["physical", "economic"])], "nkb_handed": True,
             "family_id": family.id}, persons, actor=starter, today=today)
        if n == 0:
            continue  # NK-A not yet with the chair: the deadline shows on the board
        services.hand_to_chair(procedure, min(start + timedelta(days=2), today), actor=team, today=today)
        if n == 1:
            continue
        services.hand_to_group(procedure, min(start + timedelta(days=4), today),
                               [{"user_id": worker.id, "name": worker.full_name, "sector": "social_assistance"},
                                {"name": "st. asp. Jan Policyjny", "sector": "police"},
                                {"user_id": team.id, "name": team.full_name, "sector": "other"}],
                               actor=team, today=today)
        meeting_day = min(start + timedelta(days=8), today)
        if meeting_day < procedure.to_group_on:
            continue
        affected = [p for p in procedure.persons if p.role == "affected"]
        services.add_meeting(procedure, {"meeting_date": meeting_day, "kind": "meeting"},
                             [{"form": "NK-C", "person_id": p.id} for p in affected], actor=team, today=today)
    progress(f"blue card: {len(picked)} procedures")
