"""Synthetic families for the demo and the benchmarks: fake names, valid PESELs, three years of support periods.

Bulk inserts with explicit ids, so tens of thousands of families take seconds, not minutes."""
import heapq
from datetime import timedelta

from sqlalchemy import func, insert, select, text

from casework.auth.models import User
from casework.core.collation import sort_key
from casework.core.dictionaries import entries
from casework.core.pesel import encode
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, FamilyMember, SupportPeriod

ORDER = 10
ACTIVE_PER_ASSISTANT = 12  # below the statutory cap of 15

SURNAMES = ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
            "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk",
            "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski", "Michalski", "Nowicki", "Adamczyk", "Dudek",
            "Zając", "Wieczorek", "Jabłoński", "Król", "Majewski", "Olszewski", "Jaworski", "Wróbel", "Malinowski",
            "Pawlak", "Witkowski", "Walczak", "Stępień", "Górski", "Rutkowski", "Michalak", "Sikora", "Ostrowski",
            "Baran", "Duda", "Szewczyk", "Tomaszewski", "Pietrzak", "Marciniak", "Wróblewski", "Zalewski",
            "Jakubowski", "Jasiński", "Zawadzki", "Sadowski", "Bąk", "Chmielewski", "Włodarczyk", "Borkowski",
            "Czarnecki", "Sawicki", "Sokołowski", "Urbański", "Kubiak", "Maciejewski", "Szczepański", "Kucharski",
            "Wilk", "Kalinowski", "Lis", "Mazurek", "Wysocki", "Adamski", "Kaźmierczak", "Wasilewski", "Sobczak",
            "Czerwiński", "Andrzejewski", "Cieślak", "Głowacki", "Zakrzewski", "Kołodziej", "Sikorski", "Krajewski",
            "Gajewski", "Szymczak", "Szulc", "Baranowski", "Laskowski", "Brzeziński", "Makowski", "Ziółkowski",
            "Przybylski", "Łukasiewicz", "Śliwiński", "Żak", "Ćwikliński", "Łuczak", "Źródłowski"]
FEMALE = ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Magdalena", "Joanna",
          "Aleksandra", "Monika", "Zofia", "Natalia", "Julia", "Zuzanna", "Hanna", "Lena", "Maja", "Oliwia", "Łucja"]
MALE = ["Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Jan", "Michał", "Marcin", "Jakub", "Adam", "Łukasz",
        "Mateusz", "Antoni", "Szymon", "Filip", "Kacper", "Wojciech", "Franciszek", "Stanisław", "Igor"]
STREETS = ["Polna", "Leśna", "Słoneczna", "Krótka", "Szkolna", "Ogrodowa", "Lipowa", "Łąkowa", "Brzozowa",
           "Kościuszki", "Mickiewicza", "Żeromskiego", "Sienkiewicza", "Kolejowa", "Źródlana"]
TOWNS = [("Gniezno", "62-200", "urban"), ("Trzemeszno", "62-240", "urban"), ("Mieleszyn", "62-270", "rural"),
         ("Łubowo", "62-260", "rural"), ("Kłecko", "62-270", "urban"), ("Czerniejewo", "62-250", "urban"),
         ("Niechanowo", "62-220", "rural"), ("Kiszkowo", "62-280", "rural")]
COURTS = ["Sąd Rejonowy w Gnieźnie, III Wydział Rodzinny i Nieletnich",
          "Sąd Rejonowy w Wągrowcu, III Wydział Rodzinny i Nieletnich"]


def _female(surname: str) -> str:
    return surname[:-1] + "a" if surname.endswith("ski") or surname.endswith("cki") or surname.endswith("dzki") \
        else surname


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _extra_assistants(users: dict, needed: int) -> list:
    """The demo's assistants, plus synthetic ones when the centre is large."""
    assistants = [u for login, u in sorted(users.items()) if login.startswith("asystent")]
    if len(assistants) >= needed:
        return assistants
    password_hash = assistants[0].password_hash
    existing = {u.login: u for u in db.session.scalars(select(User).where(User.login.like("asystent%")))}
    for n in range(len(assistants) + 1, needed + 1):
        login = f"asystent{n}"
        user = existing.get(login)
        if user is None:
            user = User(login=login, full_name=f"Asystent Demo {n}", password_hash=password_hash)
            user.set_roles(["assistant"])
            db.session.add(user)
        users[login] = user
        assistants.append(user)
    db.session.flush()
    return assistants


def generate(users, families, rng, progress, options=None):
    if families <= 0:
        return
    options = options or {}
    years = options.get("years") or 3
    today = today_local()
    reasons = [e.id for e in entries("end_reason")]
    reason_weights = [50, 25, 10, 10, 5][:len(reasons)]
    other_reason = reasons[-1] if reasons else None
    zz_categories = [e.id for e in entries("za_zyciem_category")]
    social_workers = [u for login, u in sorted(users.items()) if login.startswith("pracownik")]
    # support lasts 60–900 days: about families × 480 / (years × 365) are active on a day
    expected_active = max(1, int(families * 480 / (years * 365)))
    assistants = _extra_assistants(users, options.get("assistants")
                                   or -(-expected_active // ACTIVE_PER_ASSISTANT))
    # families in the order their support started, so each assistant's caseload is tracked with a heap of the
    # dates their assignments end: an assistant takes a family only below the cap on its start date
    starts = sorted(today - timedelta(days=rng.randrange(20, years * 365)) for _ in range(families))
    caseload = {a.id: 0 for a in assistants}
    ending: list = []  # (end date, assistant id)
    free = set(caseload)
    family_id, member_id = _next_id(Family), _next_id(FamilyMember)
    period_id, assignment_id = _next_id(SupportPeriod), _next_id(AssistantAssignment)
    year_counter: dict[int, int] = {}
    existing = set(db.session.scalars(select(Family.case_number)))
    rows = {"family": [], "member": [], "period": [], "assignment": []}
    now = utcnow()
    used_pesels = set(db.session.scalars(select(FamilyMember.pesel).where(FamilyMember.pesel.is_not(None))))

    def flush():
        for model, key in ((Family, "family"), (FamilyMember, "member"), (SupportPeriod, "period"),
                           (AssistantAssignment, "assignment")):
            if rows[key]:
                db.session.execute(insert(model), rows[key])
                rows[key] = []

    for i, start in enumerate(starts):
        surname = rng.choice(SURNAMES)
        town, postal, area = rng.choice(TOWNS)
        year = start.year
        year_counter[year] = year_counter.get(year, 0) + 1
        case_number = f"AR/{year}/{year_counter[year]}"
        while case_number in existing:
            year_counter[year] += 1
            case_number = f"AR/{year}/{year_counter[year]}"
        existing.add(case_number)
        rows["family"].append({
            "id": family_id, "case_number": case_number, "name": surname, "name_sort": sort_key(surname),
            "street": f"ul. {rng.choice(STREETS)} {rng.randrange(1, 120)}", "postal_code": postal, "city": town,
            "area": area, "phone": f"+48 {rng.randrange(500, 899)} {rng.randrange(100, 999)} {rng.randrange(100, 999)}",
            "social_worker_id": rng.choice(social_workers).id if social_workers else None,
            "version": 1, "created_at": now, "updated_at": now})
        parents = [("parent", rng.choice(FEMALE), _female(surname), rng.randrange(22, 45), "F")]
        if rng.random() < 0.6:
            parents.append(("parent", rng.choice(MALE), surname, rng.randrange(24, 50), "M"))
        children = [("child", rng.choice(FEMALE + MALE), surname, rng.randrange(0, 17), None)
                    for _ in range(rng.choice((1, 1, 2, 2, 3, 4)))]
        for relation, first, last, age, _sex in parents + children:
            born = today - timedelta(days=age * 365 + rng.randrange(0, 365))
            pesel = None
            if rng.random() < 0.7:
                pesel = encode(born, member_id % 10000)
                if pesel in used_pesels:
                    pesel = None
                used_pesels.add(pesel)
            rows["member"].append({"id": member_id, "family_id": family_id, "first_name": first,
                                   "last_name": last if relation == "parent" else surname, "birth_date": born,
                                   "pesel": pesel, "relation": relation, "in_household": True, "version": 1,
                                   "created_at": now, "updated_at": now})
            member_id += 1
        end = start + timedelta(days=rng.randrange(60, 900))
        if end >= today:
            end = None
        court = rng.random() < 0.15
        zz = rng.random() < 0.05 and zz_categories
        reason = rng.choices(reasons, reason_weights)[0] if end and reasons else None
        rows["period"].append({
            "id": period_id, "family_id": family_id, "basis": "court_order" if court else "referral",
            "referral_date": None if court else start - timedelta(days=rng.randrange(5, 40)),
            "referred_by_id": None if court or not social_workers else rng.choice(social_workers).id,
            "court_name": rng.choice(COURTS) if court else None,
            "court_case_signature": f"III Nsm {rng.randrange(10, 999)}/{start.year % 100}" if court else None,
            "court_order_date": start - timedelta(days=rng.randrange(10, 60)) if court else None,
            "consent_date": None if court else start - timedelta(days=rng.randrange(0, 5)),
            "start_date": start, "end_date": end, "end_reason_id": reason,
            "end_reason_text": "śmierć rodzica" if reason and reason == other_reason else None,
            "monitoring_until": end + timedelta(days=180) if end and rng.random() < 0.3 else None,
            "za_zyciem_request_date": start if zz else None,
            "za_zyciem_category_id": rng.choice(zz_categories) if zz else None,
            "version": 1, "created_at": now, "updated_at": now})
        # an assistant with room on the start date
        while ending and ending[0][0] < start:
            _end, released = heapq.heappop(ending)
            caseload[released] -= 1
            free.add(released)
        if free:
            assistant_id = rng.choice(tuple(free))  # a set of ints iterates the same way for the same seed
            caseload[assistant_id] += 1
            if caseload[assistant_id] >= ACTIVE_PER_ASSISTANT:
                free.discard(assistant_id)
            if end is not None:
                heapq.heappush(ending, (end, assistant_id))
            rows["assignment"].append({"id": assignment_id, "support_period_id": period_id,
                                       "family_id": family_id, "assistant_id": assistant_id,
                                       "start_date": start, "end_date": end, "created_at": now,
                                       "updated_at": now})
            assignment_id += 1
        family_id += 1
        period_id += 1
        if len(rows["family"]) >= 2000:
            flush()
            progress("families", i + 1, families)
    flush()
    if db.engine.dialect.name == "postgresql":
        for model in (Family, FamilyMember, SupportPeriod, AssistantAssignment):
            table = model.__tablename__
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
    progress(f"  {families} families with members and support periods")
