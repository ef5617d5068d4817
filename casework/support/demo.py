"""Synthetic supporting families, day-support facilities and attendance, the interdisciplinary team's members and
"Za życiem" requests recorded on their own, for the demo centre. Runs after the other domains (ORDER) and adds no
support period or assignment, so the other domains' demo data (and the outputs pinned over it) stay as they are."""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from casework.auth.models import User
from casework.contacts.models import Institution
from casework.core.dictionaries import by_code, entries
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.families.models import RELATION_CHILD, AssistantAssignment, FamilyMember, SupportPeriod
from casework.support.models import (DaySupportAttendance, DaySupportFacility, SupportingFamily,
                                     SupportingFamilyCost, SupportingFamilyHelp, TeamMembership, ZaZyciemRequest)

ORDER = 90
SURNAMES = ["Nowakowie", "Wiśniewscy", "Dąbrowscy", "Lewandowscy", "Kamińscy", "Zielińscy", "Szymańscy", "Woźniakowie"]
TEAM = [("social_assistance", "Ośrodek Pomocy Społecznej", "Maria Kierownik", True),
        ("social_assistance", "Ośrodek Pomocy Społecznej", "Tomasz Socjalny", False),
        ("alcohol_commission", "Gminna Komisja Rozwiązywania Problemów Alkoholowych", "Halina Trzeźwa", False),
        ("police", "Komenda Powiatowa Policji", "asp. Piotr Dzielnicowy", False),
        ("education", "Szkoła Podstawowa nr 1", "Ewa Pedagog", False),
        ("health_care", "Przychodnia Rodzinna „Zdrowie”", "Agnieszka Pielęgniarka", False),
        ("ngo", "Stowarzyszenie „Razem dla Rodziny”", "Krzysztof Społecznik", False),
        ("probation", "Zespół Kuratorskiej Służby Sądowej", "Barbara Kurator", False)]


def _open_assignments(today):
    return db.session.execute(
        select(AssistantAssignment.family_id, AssistantAssignment.assistant_id, AssistantAssignment.start_date,
               SupportPeriod.id, SupportPeriod.start_date)
        .join(SupportPeriod, SupportPeriod.id == AssistantAssignment.support_period_id)
        .where(AssistantAssignment.end_date.is_(None), SupportPeriod.end_date.is_(None),
               AssistantAssignment.start_date <= today - timedelta(days=60))
        .order_by(AssistantAssignment.family_id)).all()


def generate(users, families, rng, progress, options=None):
    if families <= 0:
        return
    today, now = today_local(), utcnow()
    active = _open_assignments(today)
    if not active:
        return
    # supporting families, each helping one supported family, with a few months of reimbursed costs
    helps = 0
    for n in range(max(2, min(families // 40, 200))):
        family_id, _assistant, assigned, _period_id, _start = active[rng.randrange(len(active))]
        start = assigned + timedelta(days=rng.randrange(10, 50))
        sf = SupportingFamily(name=f"{rng.choice(['Anna i Piotr', 'Maria i Jan', 'Ewa i Marek', 'Zofia'])} "
                                   f"{SURNAMES[n % len(SURNAMES)]}",
                              address=f"ul. Sąsiedzka {rng.randrange(1, 60)}, Gniezno",
                              start_date=start - timedelta(days=rng.randrange(0, 30)))
        db.session.add(sf)
        db.session.flush()
        help_ = SupportingFamilyHelp(supporting_family_id=sf.id, family_id=family_id, start_date=start,
                                     consent_date=start - timedelta(days=3),
                                     notes="Pomoc w opiece nad dziećmi po szkole i w zakupach.")
        db.session.add(help_)
        db.session.flush()
        month = start.replace(day=1)
        while month <= today.replace(day=1) and len(help_.costs) < 6:
            db.session.add(SupportingFamilyCost(help_id=help_.id, month=month,
                                                amount=Decimal(rng.choice(["250.00", "300.00", "350.50"]))))
            db.session.flush()
            db.session.refresh(help_, ["costs"])
            month = (month + timedelta(days=32)).replace(day=1)
        helps += 1
    # day-support facilities of the directory: their form and places, and one more facility doing street work
    day_support = by_code("institution_type", "day_support")
    if day_support is not None:
        street = Institution(name="Placówka wsparcia dziennego „Tęcza”", type_id=day_support.id, city="Gniezno")
        db.session.add(street)
        db.session.flush()
    facilities = list(db.session.scalars(select(Institution).where(
        Institution.type_id == (day_support.id if day_support else -1), Institution.archived_at.is_(None))
        .order_by(Institution.id)))
    for n, inst in enumerate(facilities):
        if db.session.get(DaySupportFacility, inst.id) is None:
            db.session.add(DaySupportFacility(institution_id=inst.id, form="care" if n % 2 == 0 else "street_work",
                                              places=rng.choice([20, 25, 30, 40])))
    # children of about one supported family in ten attend one of them
    attendance = []
    if facilities:
        picked = {row[0]: row for row in active if rng.random() < 0.1} or {active[0][0]: active[0]}
        children = db.session.execute(select(FamilyMember.id, FamilyMember.family_id, FamilyMember.birth_date).where(
            FamilyMember.family_id.in_(list(picked)), FamilyMember.relation == RELATION_CHILD,
            FamilyMember.archived_at.is_(None)).order_by(FamilyMember.id)).all()
        for member_id, family_id, born in children:
            if born is None or not (today - timedelta(days=18 * 365) < born < today - timedelta(days=6 * 365)):
                continue
            start = picked[family_id][2] + timedelta(days=rng.randrange(14, 60))
            attendance.append({"family_id": family_id, "member_id": member_id,
                               "institution_id": rng.choice(facilities).id, "start_date": min(start, today),
                               "end_date": None, "version": 1, "created_at": now, "updated_at": now})
            if len(attendance) >= 2000:
                break
    if attendance:
        db.session.execute(insert(DaySupportAttendance), attendance)
    # the interdisciplinary team: eight members appointed two years ago, one who left last year
    appointed = today.replace(month=1, day=1) - timedelta(days=365)
    zespol = db.session.scalar(select(User).where(User.login == "zespol"))
    for n, (sector, institution, name, chair) in enumerate(TEAM):
        db.session.add(TeamMembership(full_name=zespol.full_name if n == 1 and zespol else name,
                                      user_id=zespol.id if n == 1 and zespol else None, sector=sector,
                                      institution_name=institution, appointed_on=appointed, is_chair=chair))
    db.session.add(TeamMembership(full_name="Jerzy Emeryt", sector="health_care", institution_name="Szpital Powiatowy",
                                  appointed_on=appointed, ended_on=appointed + timedelta(days=200)))
    # "Za życiem" requests recorded on their own: one coordinated before the support period began, one within it,
    # one filed in the last weeks (so this half-year's report counts a request)
    categories = [e.id for e in entries("za_zyciem_category")]
    requests = 0
    for family_id, assistant_id, assigned, period_id, period_start in active[:3]:
        if requests == 2:
            filed = max(assigned, today - timedelta(days=25))
            db.session.add(ZaZyciemRequest(family_id=family_id, request_date=filed,
                                           category_id=categories[0] if categories else None,
                                           support_period_id=period_id, assistant_id=assistant_id,
                                           coordination_start=min(filed + timedelta(days=3), today)))
        elif requests == 0:
            db.session.add(ZaZyciemRequest(family_id=family_id, request_date=period_start - timedelta(days=40),
                                           category_id=categories[0] if categories else None,
                                           assistant_id=assistant_id,
                                           coordination_start=period_start - timedelta(days=35),
                                           coordination_end=period_start - timedelta(days=1),
                                           notes="Koordynacja wsparcia w ciąży, przed okresem wsparcia."))
        else:
            db.session.add(ZaZyciemRequest(family_id=family_id, request_date=assigned + timedelta(days=20),
                                           category_id=categories[-1] if categories else None,
                                           support_period_id=period_id, assistant_id=assistant_id,
                                           coordination_start=assigned + timedelta(days=25)))
        requests += 1
    db.session.flush()
    progress(f"  {helps} supporting families, {len(facilities)} day-support facilities, {len(attendance)} children "
             f"in day support, {len(TEAM) + 1} team members, {requests} \u201eZa \u017cyciem\u201d requests")
