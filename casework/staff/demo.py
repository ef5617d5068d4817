"""Synthetic staff register for the demo: an employment spell per assistant from the month of their first family
(most on an employment contract in task-based working time, as 86 % of Poland's assistants), a qualification basis
(one left unrecorded, so the warning shows), a few trainings a year (organisers as in seed 004) and the cost of
employment per half-year from the municipal budget and the state programme "Asystent rodziny"."""
from datetime import date
from decimal import Decimal

from sqlalchemy import func, insert, select

from casework.core.dictionaries import by_code
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.families.models import AssistantAssignment
from casework.staff.rules import month_end
from casework.staff.models import (EMPLOYMENT_FORMS, QUALIFICATION_BASES, EmploymentSpell, StaffCost,
                                   StaffProfile, StaffTraining)

ORDER = 95  # after every other domain: it draws from the shared generator, so running earlier would change their data
TRAININGS = [("Dofinansowanie ze środków PFRON z zakresu rehabilitacji społecznej", "PCPR w Kielcach", None),
             ("Wspomaganie więzi rodzinnych i dezinstytucjonalizacja pieczy zastępczej",
              "Urząd Marszałkowski Województwa Świętokrzyskiego", None),
             ("Teczka asystenta rodziny. Rola i zadania asystenta rodziny", "Fundacja Rozwoju Demokracji Lokalnej",
              Decimal("450.00")),
             ("Bezpieczeństwo informacji i cyberbezpieczeństwo", "Urząd Gminy", None),
             ("Praca z rodziną doświadczającą przemocy", "Regionalny Ośrodek Polityki Społecznej", Decimal("300.00"))]
FORM_WEIGHTS = [86, 6, 4, 2, 2]  # employment_task_based … contracted_entity


def _half_years(first: date, last: date):
    """(first day, last day) of each half-year from first's to last's, cut to [first's month, last's month]."""
    year, half = first.year, 1 if first.month <= 6 else 2
    while (year, half) <= (last.year, 1 if last.month <= 6 else 2):
        start = date(year, 1 if half == 1 else 7, 1)
        end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        yield max(start, first.replace(day=1)), end
        year, half = (year, 2) if half == 1 else (year + 1, 1)


def _month_count(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month + 1


def generate(users, families, rng, progress, options=None):
    if families <= 0:
        return
    today, now = today_local(), utcnow()
    assistants = [u for login, u in sorted(users.items()) if login.startswith("asystent")]
    if not assistants:
        return
    forms = {code: by_code("employment_form", code).id for code in EMPLOYMENT_FORMS}
    first_family = dict(db.session.execute(select(AssistantAssignment.assistant_id,
                                                  func.min(AssistantAssignment.start_date))
                                           .group_by(AssistantAssignment.assistant_id)).all())
    stamp = {"version": 1, "created_at": now, "updated_at": now}
    profiles, spells, trainings, costs = [], [], [], []
    for n, user in enumerate(assistants):
        start = first_family.get(user.id) or date(today.year - 1, today.month, 1)
        start = start.replace(day=1)
        code = EMPLOYMENT_FORMS[0] if n < 2 else (EMPLOYMENT_FORMS[2] if n == 2 else rng.choices(
            EMPLOYMENT_FORMS, FORM_WEIGHTS)[0])
        fte = Decimal("1.00") if code != "civil_contract" else Decimal("0.50")
        spells.append({"user_id": user.id, "form_id": forms[code], "fte": fte, "date_from": start,
                       "employer": "Stowarzyszenie „Razem dla Rodziny”" if code == "contracted_entity" else None,
                       **stamp})
        profiles.append({"user_id": user.id, "qualification_basis": None if n == 2 else rng.choice(
            QUALIFICATION_BASES), "qualification_note": None if n == 2 else "Dyplom i zaświadczenie w aktach osobowych.",
            **stamp})
        for year in range(start.year, today.year + 1):
            for title, organiser, cost in rng.sample(TRAININGS, k=rng.randint(2, 4)):
                when = date(year, rng.randint(1, 12), rng.randint(1, 28))
                if start <= when <= today:
                    trainings.append({"user_id": user.id, "training_date": when, "title": title,
                                      "organiser": organiser, "hours": Decimal(rng.choice([4, 6, 8, 16])),
                                      "cost": cost, **stamp})
        monthly = Decimal(rng.randint(6800, 8200))
        for first, last in _half_years(start, today):
            last_month = min(last, date(today.year, today.month, 1))
            months = _month_count(first, last_month)
            state = (monthly * months * Decimal("0.3")).quantize(Decimal("0.01"))
            own = (monthly * fte * months - state).quantize(Decimal("0.01"))
            end = month_end(last_month)
            costs.append({"user_id": user.id, "date_from": first, "date_to": end, "source": "own", "amount": own,
                          "note": None, **stamp})
            costs.append({"user_id": user.id, "date_from": first, "date_to": end, "source": "state_programme",
                          "amount": state, "note": "program „Asystent rodziny”", **stamp})
    db.session.execute(insert(StaffProfile), profiles)
    db.session.execute(insert(EmploymentSpell), spells)
    for batch in (trainings, costs):
        for i in range(0, len(batch), 5000):
            db.session.execute(insert(StaffTraining if batch is trainings else StaffCost), batch[i:i + 5000])
    progress(f"  staff register: {len(spells)} employment spells, {len(trainings)} trainings, {len(costs)} costs")

