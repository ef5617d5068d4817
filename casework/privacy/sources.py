"""The person data sources of each domain (see export.py). Each returns plain dicts; nothing is left out but what the
blue-card rule removes."""
from sqlalchemy import select

from casework.extensions import db
from casework.privacy.export import person_source


@person_source("members", "Dane osobowe w rodzinach")
def members(person):
    out = []
    for m in person.members:
        f = m.family
        out.append({"rodzina": f.case_number, "imie": m.first_name, "nazwisko": m.last_name,
                    "data_urodzenia": m.birth_date, "pesel": m.pesel, "relacja": m.relation,
                    "w_gospodarstwie": m.in_household, "adres_rodziny": " ".join(
                        x for x in (f.street, f.postal_code, f.city) if x), "telefon_rodziny": f.phone})
    return out


@person_source("support_periods", "Okresy wsparcia asystenta rodziny")
def support_periods(person):
    from casework.families.models import Family, SupportPeriod

    rows = db.session.execute(select(SupportPeriod, Family.case_number).join(Family).where(
        SupportPeriod.family_id.in_(person.family_ids)).order_by(SupportPeriod.start_date)).all()
    return [{"rodzina": case, "podstawa": p.basis, "data_rozpoczecia": p.start_date, "data_zakonczenia": p.end_date,
             "powod_zakonczenia": p.end_reason.label if p.end_reason else None, "monitoring_do": p.monitoring_until,
             "sad": p.court_name, "sygnatura": p.court_case_signature} for p, case in rows]


@person_source("visits", "Wizyty asystenta w rodzinie")
def visits(person):
    from casework.visits.models import Visit

    rows = db.session.scalars(select(Visit).where(Visit.family_id.in_(person.family_ids),
                                                  Visit.archived_at.is_(None)).order_by(Visit.visit_date))
    return [{"data": v.visit_date, "czas_min": v.duration_minutes, "forma": v.form, "co_zrobiono": v.activities,
             "ustalenia": v.agreed_next} for v in rows]


@person_source("plans", "Plany pracy z rodziną")
def plans(person):
    from casework.plans.models import WorkPlan

    out = []
    for plan in db.session.scalars(select(WorkPlan).where(WorkPlan.family_id.in_(person.family_ids))
                                   .order_by(WorkPlan.drawn_up_on)):
        for goal in plan.goals:
            out.append({"wersja": plan.revision, "sporzadzony": plan.drawn_up_on, "cel": goal.description,
                        "dzialania": "; ".join(a.what for a in goal.actions)})
    return out


@person_source("assessments", "Okresowe oceny sytuacji rodziny")
def assessments(person):
    from casework.assessments.models import Assessment

    rows = db.session.scalars(select(Assessment).where(Assessment.family_id.in_(person.family_ids),
                                                       Assessment.archived_at.is_(None))
                              .order_by(Assessment.assessment_date))
    return [{"data": a.assessment_date, "postepy": a.progress, "zmiany": a.changes, "mocne_strony": a.strengths,
             "zagrozenia": a.risks, "rekomendacja": a.recommendation} for a in rows]


@person_source("contacts", "Kontakty z instytucjami i posiedzenia zespołu")
def contacts(person):
    from casework.contacts.models import Institution, InstitutionContact, TeamMeeting

    out = [{"data": c.contact_date, "instytucja": name, "temat": c.subject} for c, name in db.session.execute(
        select(InstitutionContact, Institution.name).join(Institution).where(
            InstitutionContact.family_id.in_(person.family_ids), InstitutionContact.archived_at.is_(None))
        .order_by(InstitutionContact.contact_date))]
    out += [{"data": t.meeting_date, "posiedzenie_zespolu": t.participants, "ustalenia": t.decisions}
            for t in db.session.scalars(select(TeamMeeting).where(TeamMeeting.family_id.in_(person.family_ids),
                                                                  TeamMeeting.archived_at.is_(None)))]
    return out


@person_source("court_opinions", "Opinie dla sądu")
def opinions(person):
    from casework.opinions.models import CourtOpinion

    rows = db.session.scalars(select(CourtOpinion).where(CourtOpinion.family_id.in_(person.family_ids),
                                                         CourtOpinion.archived_at.is_(None)))
    return [{"sad": o.court, "sygnatura": o.case_signature, "wplynelo": o.received_on, "wyslano": o.sent_on}
            for o in rows]


@person_source("foster_care", "Piecza zastępcza")
def foster_care(person):
    from casework.fostercare.models import FosterChild

    out = []
    for child in db.session.scalars(select(FosterChild).where(FosterChild.member_id.in_(person.member_ids))):
        for p in child.placements:
            out.append({"forma": p.form, "od": p.start_date, "do": p.end_date, "powod_zakonczenia": p.end_reason,
                        "powiat": p.county, "sad": p.court})
    return out


@person_source("blue_card", "Procedura „Niebieskie Karty”")
def blue_card(person):
    from casework.bluecard import services

    out = []
    # by member records only: matching by name could hand someone else's procedure to a namesake
    for entry in services.subject_access(member_ids=person.member_ids):
        out.append({"procedura": entry["procedure"], "rola": entry["role"], "nka": entry["nka_date"],
                    "zakonczona": entry["closed_on"], "dane": entry["own_data"],
                    "posiedzenia": entry.get("meetings"), "plan_pomocy": entry.get("help_plan")})
    return out
