"""Synthetic foster care: a few children of demo families and some entered only here, with placements (one change
of form, one return home) and a year of monthly bills, one of them billed differently."""
from datetime import date, timedelta

from sqlalchemy import select

from casework.assessments.services import add_months
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.models import FamilyMember
from casework.fostercare import services
from casework.fostercare.models import FORMS

ORDER = 40
STANDALONE = [("Oliwia", "Zawadzka"), ("Kacper", "Sobczak"), ("Maja", "Kołodziej")]


def generate(users, families, rng, progress, options=None):
    today = today_local()
    actor = users.get("koordynator")
    members = db.session.scalars(select(FamilyMember).where(FamilyMember.relation == "child")
                                 .order_by(FamilyMember.id).limit(min(max(families // 10, 2), 400))).all()
    children = [services.register_child(member=m, actor=actor) for m in members]
    for first, last in STANDALONE:
        children.append(services.register_child(first_name=first, last_name=last,
                                                birth_date=date(today.year - rng.randrange(3, 15), rng.randrange(1, 13),
                                                                rng.randrange(1, 28)), actor=actor))
    for n, child in enumerate(children):
        start = today - timedelta(days=rng.randrange(60, 1400))
        placement = services.add_placement(child, {"form": rng.choice(FORMS), "county": "Powiat Przykładowy",
                                                   "court": "Sąd Rejonowy w Przykładowie",
                                                   "court_signature": f"III Nsm {100 + n}/{start.year % 100}",
                                                   "court_decision_date": start - timedelta(days=3),
                                                   "start_date": start}, actor=actor)
        if n == 0 and (today - start).days > 200:
            placement = services.change_form(placement, "foster_family_professional", start + timedelta(days=180),
                                             actor=actor)
        if n == 1 and (today - start).days > 120:
            services.update_placement(placement, {"end_date": start + timedelta(days=100),
                                                  "end_reason": "return_home"}, actor=actor)
        month = date(today.year - 1, today.month, 1)
        while month < date(today.year, today.month, 1):
            if services.placement_on(child, month) is not None:
                total = 4000 + rng.randrange(0, 2500)
                billed = None if rng.random() > 0.05 else total * 0.5
                services.record_bill(child, month, total, billed, actor=actor)
            month = add_months(month, 1)
    progress(f"foster care: {len(children)} children")
