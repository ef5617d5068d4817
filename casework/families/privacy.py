"""This domain's sections of the RODO person-data export (contract: casework.core.privacy)."""
from sqlalchemy import select

from casework.core.privacy import label, person_source
from casework.extensions import db
from casework.families.models import BASIS_LABELS, RELATION_LABELS, Family, SupportPeriod


@person_source("members", "Dane osobowe w rodzinach", order=10)
def members(person, _user):
    out = []
    for m in person.members:
        f = m.family
        out.append({"rodzina": f.case_number, "imie": m.first_name, "nazwisko": m.last_name,
                    "data_urodzenia": m.birth_date, "pesel": m.pesel, "relacja": label(RELATION_LABELS, m.relation),
                    "w_gospodarstwie": m.in_household, "adres_rodziny": " ".join(
                        x for x in (f.street, f.postal_code, f.city) if x), "telefon_rodziny": f.phone})
    return out


@person_source("support_periods", "Okresy wsparcia asystenta rodziny", order=20)
def support_periods(person, _user):
    rows = db.session.execute(select(SupportPeriod, Family.case_number).join(Family).where(
        SupportPeriod.family_id.in_(person.family_ids)).order_by(SupportPeriod.start_date)).all()
    return [{"rodzina": case, "podstawa": label(BASIS_LABELS, p.basis), "data_rozpoczecia": p.start_date, "data_zakonczenia": p.end_date,
             "powod_zakonczenia": p.end_reason.label if p.end_reason else None, "monitoring_do": p.monitoring_until,
             "sad": p.court_name, "sygnatura": p.court_case_signature} for p, case in rows]
