"""Synthetic institutions, contacts and team meetings for the demo."""
from datetime import timedelta

from sqlalchemy import func, insert, select, text

from casework.contacts.models import CONTACT_FORMS, Institution, InstitutionContact, TeamMeeting
from casework.core.collation import sort_key
from casework.core.dictionaries import entries
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.families.models import AssistantAssignment

ORDER = 25
INSTITUTIONS = [("school", "Szkoła Podstawowa nr 1"), ("school", "Szkoła Podstawowa nr 3"),
                ("school", "Przedszkole Miejskie nr 5"), ("day_support", "Świetlica środowiskowa „Promyk”"),
                ("court", "Zespół Kuratorskiej Służby Sądowej"), ("psych_ped_clinic", "Poradnia Psychologiczno-Pedagogiczna"),
                ("addiction_treatment", "Poradnia Leczenia Uzależnień"), ("early_intervention", "Ośrodek Wczesnej Interwencji"),
                ("health_care", "Przychodnia Rodzinna „Zdrowie”"), ("pcpr", "Powiatowe Centrum Pomocy Rodzinie"),
                ("police", "Komenda Powiatowa Policji"), ("labour_office", "Powiatowy Urząd Pracy"),
                ("ngo", "Stowarzyszenie „Razem dla Rodziny”"), ("care_institution", "Placówka Opiekuńczo-Wychowawcza"),
                ("zi_group", "Zespół Interdyscyplinarny"), ("donor", "Bank Żywności")]


def generate(users, families, rng, progress, options=None):
    if families <= 0:
        return
    types = {e.code: e.id for e in entries("institution_type")}
    now, today = utcnow(), today_local()
    start_id = (db.session.scalar(select(func.max(Institution.id))) or 0) + 1
    rows = [{"id": start_id + n, "name": name, "name_sort": sort_key(name), "type_id": types[code],
             "city": "Gniezno", "phone": f"+48 61 {rng.randrange(100, 999)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
             "version": 1, "created_at": now, "updated_at": now}
            for n, (code, name) in enumerate(INSTITUTIONS) if code in types]
    db.session.execute(insert(Institution), rows)
    institution_ids = [r["id"] for r in rows]
    assignments = db.session.execute(select(AssistantAssignment.family_id, AssistantAssignment.assistant_id,
                                            AssistantAssignment.start_date, AssistantAssignment.end_date)).all()
    contacts, meetings = [], []
    made = {InstitutionContact: 0, TeamMeeting: 0}

    def flush():
        for model, batch in ((InstitutionContact, contacts), (TeamMeeting, meetings)):
            if batch:
                db.session.execute(insert(model), batch)
                made[model] += len(batch)
                batch.clear()

    for family_id, assistant_id, start, end in assignments:
        last = min(end or today, today)
        span = max((last - start).days, 1)
        meetings.append({"family_id": family_id, "meeting_date": start + timedelta(days=min(14, span)),
                         "participants": "asystent rodziny, pracownik socjalny, psycholog",
                         "decisions": "Ustalono obszary planu pracy.", "new_family": True,
                         "user_id": assistant_id, "version": 1, "created_at": now, "updated_at": now})
        for _ in range(max(1, span // 60)):
            contacts.append({"contact_date": start + timedelta(days=rng.randrange(0, span)),
                             "institution_id": rng.choice(institution_ids), "family_id": family_id,
                             "form": rng.choice(CONTACT_FORMS), "subject": "Konsultacja w sprawie dzieci.",
                             "user_id": assistant_id, "version": 1, "created_at": now, "updated_at": now})
        if len(contacts) >= 5000:
            flush()
    flush()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('institution', 'id'), "
                                "(SELECT COALESCE(MAX(id), 1) FROM institution))"))
    progress(f"  {len(rows)} institutions, {made[InstitutionContact]} contacts, {made[TeamMeeting]} team meetings")
