"""The person data sources of each domain (see export.py). Each returns plain dicts; nothing is left out but what the
blue-card rule removes. Coded values are given as the words the app shows (a person reads this document)."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.extensions import db
from casework.privacy.export import person_source


def _label(labels: dict, code):
    """The app's word for a stored code (the code itself when it has none)."""
    return str(labels[code]) if code in labels else code


@person_source("members", "Dane osobowe w rodzinach")
def members(person, _user):
    from casework.families.forms import RELATION_LABELS

    out = []
    for m in person.members:
        f = m.family
        out.append({"rodzina": f.case_number, "imie": m.first_name, "nazwisko": m.last_name,
                    "data_urodzenia": m.birth_date, "pesel": m.pesel, "relacja": _label(RELATION_LABELS, m.relation),
                    "w_gospodarstwie": m.in_household, "adres_rodziny": " ".join(
                        x for x in (f.street, f.postal_code, f.city) if x), "telefon_rodziny": f.phone})
    return out


@person_source("support_periods", "Okresy wsparcia asystenta rodziny")
def support_periods(person, _user):
    from casework.families.forms import BASIS_LABELS
    from casework.families.models import Family, SupportPeriod

    rows = db.session.execute(select(SupportPeriod, Family.case_number).join(Family).where(
        SupportPeriod.family_id.in_(person.family_ids)).order_by(SupportPeriod.start_date)).all()
    return [{"rodzina": case, "podstawa": _label(BASIS_LABELS, p.basis), "data_rozpoczecia": p.start_date, "data_zakonczenia": p.end_date,
             "powod_zakonczenia": p.end_reason.label if p.end_reason else None, "monitoring_do": p.monitoring_until,
             "sad": p.court_name, "sygnatura": p.court_case_signature} for p, case in rows]


@person_source("visits", "Wizyty asystenta w rodzinie")
def visits(person, _user):
    from casework.visits.forms import FORM_LABELS
    from casework.visits.models import Visit

    rows = db.session.scalars(select(Visit).where(Visit.family_id.in_(person.family_ids),
                                                  Visit.archived_at.is_(None)).order_by(Visit.visit_date))
    return [{"data": v.visit_date, "czas_min": v.duration_minutes, "forma": _label(FORM_LABELS, v.form), "co_zrobiono": v.activities,
             "ustalenia": v.agreed_next} for v in rows]


@person_source("plans", "Plany pracy z rodziną")
def plans(person, _user):
    from casework.plans.models import PlanGoal, WorkPlan

    out = []
    for plan in db.session.scalars(select(WorkPlan).where(WorkPlan.family_id.in_(person.family_ids))
                                   .options(selectinload(WorkPlan.goals).selectinload(PlanGoal.actions))
                                   .order_by(WorkPlan.drawn_up_on)):
        for goal in plan.goals:
            out.append({"wersja": plan.revision, "sporzadzony": plan.drawn_up_on, "cel": goal.description,
                        "dzialania": "; ".join(a.what for a in goal.actions)})
    return out


@person_source("assessments", "Okresowe oceny sytuacji rodziny")
def assessments(person, _user):
    from casework.assessments.forms import RECOMMENDATION_LABELS
    from casework.assessments.models import Assessment

    rows = db.session.scalars(select(Assessment).where(Assessment.family_id.in_(person.family_ids),
                                                       Assessment.archived_at.is_(None))
                              .order_by(Assessment.assessment_date))
    return [{"data": a.assessment_date, "postepy": a.progress, "zmiany": a.changes, "mocne_strony": a.strengths,
             "zagrozenia": a.risks, "rekomendacja": _label(RECOMMENDATION_LABELS, a.recommendation)} for a in rows]


@person_source("contacts", "Kontakty z instytucjami i posiedzenia zespołu")
def contacts(person, _user):
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
def opinions(person, _user):
    from casework.opinions.models import CourtOpinion

    rows = db.session.scalars(select(CourtOpinion).where(CourtOpinion.family_id.in_(person.family_ids),
                                                         CourtOpinion.archived_at.is_(None)))
    return [{"sad": o.court, "sygnatura": o.case_signature, "wplynelo": o.received_on, "wyslano": o.sent_on}
            for o in rows]


@person_source("foster_care", "Piecza zastępcza")
def foster_care(person, _user):
    from casework.fostercare.models import FosterChild
    from casework.fostercare.views import END_LABELS, FORM_LABELS

    out = []
    for child in db.session.scalars(select(FosterChild).where(FosterChild.member_id.in_(person.member_ids))
                                    .options(selectinload(FosterChild.placements))):
        for p in child.placements:
            out.append({"forma": _label(FORM_LABELS, p.form), "od": p.start_date, "do": p.end_date,
                        "powod_zakonczenia": _label(END_LABELS, p.end_reason),
                        "powiat": p.county, "sad": p.court})
    return out


@person_source("blue_card", "Procedura „Niebieskie Karty”")
def blue_card(person, user):
    """Only the procedures `user` may read, each read audited; None (no section at all) when there is none, so the
    document says nothing about whether a procedure exists."""
    from casework.bluecard import access, services
    from casework.bluecard.models import Procedure, ProcedurePerson
    from casework.bluecard.views import ROLE_LABELS

    # by member records only: matching by name could hand someone else's procedure to a namesake
    procedures = db.session.scalars(select(Procedure).where(Procedure.id.in_(
        select(ProcedurePerson.procedure_id).where(ProcedurePerson.member_id.in_(person.member_ids))))
        .options(selectinload(Procedure.group)).order_by(Procedure.id)).all()
    readable = {p.number: p for p in procedures if access.can_read(user, p)}
    if not readable:
        return None
    for procedure in readable.values():
        access.audit_read(procedure, user, via="person_data_export")
    # the whereabouts rule looks at every procedure of the person, readable or not
    return [{"procedura": entry["procedure"], "rola": _label(ROLE_LABELS, entry["role"]), "nka": entry["nka_date"],
             "zakonczona": entry["closed_on"], "dane": entry["own_data"],
             "posiedzenia": entry.get("meetings"), "plan_pomocy": entry.get("help_plan")}
            for entry in services.subject_access(member_ids=person.member_ids) if entry["procedure"] in readable]
