"""Niebieska Karta statistics (NK_) for the municipal violence-prevention programme (seed 002); see INDICATORS.md.
The records behind a number are procedures, labelled by their number only (no names)."""
from sqlalchemy import and_, exists, literal, or_, select

from casework.bluecard.models import SECTOR_LABELS, SECTORS, GroupMeeting, Procedure, ProcedurePerson, ProcedureStep
from casework.families.models import Family
from casework.core.indicators import BY_KEY, OTHER, indicator
from casework.core.sql import day, overlaps
from casework.visits.models import Visit

GROUP = "4 NK"
LAW = "ustawa o przeciwdziałaniu przemocy domowej"
NK = Procedure.__table__
PP = ProcedurePerson.__table__
GM = GroupMeeting.__table__
ST = ProcedureStep.__table__
V = Visit.__table__
F = Family.__table__


def _procedures(*conditions):
    return select(NK.c.id.label("id"), NK.c.number.label("label")).where(*conditions)


@indicator("NK_PROCEDURES_CONDUCTED", "Prowadzone procedury „Niebieskie Karty”", "Blue-card procedures conducted",
           legal_basis=LAW, record_type=OTHER, group=GROUP, order=10,
           definition_pl="Procedury otwarte w którymś dniu okresu.", definition="Procedures open on some day of P.")
def conducted(p):
    return _procedures(overlaps(NK.c.nka_date, NK.c.closed_on, p))


@indicator("NK_PROCEDURES_STARTED", "Wszczęte procedury (NK-A)", "Procedures started (NK-A)", legal_basis=LAW,
           record_type=OTHER, group=GROUP, order=20, definition_pl="Procedury wszczęte (NK-A) w okresie.",
           definition="Procedures started (NK-A) in P.")
def started(p):
    return _procedures(NK.c.nka_date >= day(p.start), NK.c.nka_date <= day(p.end))


@indicator("NK_STARTED_BY_SECTOR", "Wszczęte procedury według sektora", "Procedures started by sector",
           legal_basis=LAW, kind=BY_KEY, record_type=OTHER, group=GROUP, order=30, keys=lambda: list(SECTORS),
           key_labels=lambda: SECTOR_LABELS,
           definition_pl="NK_PROCEDURES_STARTED według sektora wypełniającego NK-A.",
           definition="NK_PROCEDURES_STARTED by the sector that filled in NK-A.")
def started_by_sector(p):
    return select(NK.c.id.label("id"), NK.c.number.label("label"), NK.c.sector.label("key")).where(
        NK.c.nka_date >= day(p.start), NK.c.nka_date <= day(p.end))


def _closed(ground):
    def rows(p):
        return _procedures(NK.c.closing_ground == ground, NK.c.closed_on >= day(p.start),
                           NK.c.closed_on <= day(p.end))
    return rows


indicator("NK_CLOSED_VIOLENCE_STOPPED", "Zakończone: ustanie przemocy i realizacja planu pomocy",
          "Closed: violence stopped, help plan carried out", legal_basis=LAW, record_type=OTHER, group=GROUP,
          order=40, definition_pl="Procedury zakończone w okresie z powodu ustania przemocy i zrealizowania planu "
                                  "pomocy.",
          definition="Procedures closed in P: violence stopped and the help plan carried out.")(
    _closed("violence_stopped"))
indicator("NK_CLOSED_UNFOUNDED", "Zakończone: brak zasadności", "Closed: unfounded", legal_basis=LAW,
          record_type=OTHER, group=GROUP, order=50,
          definition_pl="Procedury zakończone w okresie wobec braku zasadności podejmowania działań.",
          definition="Procedures closed in P as unfounded.")(_closed("unfounded"))


@indicator("NK_GROUP_MEETINGS", "Posiedzenia grup diagnostyczno-pomocowych", "Diagnostic-group meetings",
           legal_basis=LAW, record_type=OTHER, group=GROUP, order=60,
           definition_pl="Posiedzenia grup diagnostyczno-pomocowych w okresie.",
           definition="Diagnostic-group meetings in P.")
def group_meetings(p):
    return (select(GM.c.id.label("id"), (NK.c.number + literal(" ")).label("label"))
            .select_from(GM.join(NK, NK.c.id == GM.c.procedure_id))
            .where(GM.c.kind == "meeting", GM.c.meeting_date >= day(p.start), GM.c.meeting_date <= day(p.end)))


@indicator("NK_VISITS", "Wizyty w rodzinach objętych procedurą", "Visits in families under a procedure",
           legal_basis=LAW, record_type=OTHER, group=GROUP, order=70,
           definition_pl="Wizyty w okresie w rodzinach, w których tego dnia trwała procedura.",
           definition="Visits in P in families with a procedure open on the visit's day.")
def visits(p):
    open_that_day = exists(select(NK.c.id).where(
        NK.c.family_id == V.c.family_id, NK.c.nka_date <= V.c.visit_date,
        or_(NK.c.closed_on.is_(None), NK.c.closed_on >= V.c.visit_date)))
    return (select(V.c.id.label("id"), F.c.case_number.label("label"))
            .select_from(V.join(F, F.c.id == V.c.family_id))
            .where(V.c.archived_at.is_(None), F.c.archived_at.is_(None), V.c.visit_date >= day(p.start),
                   V.c.visit_date <= day(p.end), open_that_day))


@indicator("NK_REFERRED_TO_PROGRAMMES", "Osoby skierowane do programów korekcyjno-edukacyjnych lub terapii",
           "Persons referred to corrective or therapy programmes", legal_basis=LAW, record_type=OTHER, group=GROUP,
           order=80, definition_pl="Osoby stosujące przemoc skierowane w okresie do programu "
                                   "korekcyjno-edukacyjnego lub psychologiczno-terapeutycznego.",
           definition="Persons using violence referred to a corrective or therapy programme in P.")
def referred(p):
    return (select(PP.c.id.label("id"), NK.c.number.label("label"))
            .select_from(PP.join(NK, NK.c.id == PP.c.procedure_id))
            .where(and_(PP.c.role == "suspected", PP.c.referred_on >= day(p.start), PP.c.referred_on <= day(p.end))))


@indicator("NK_ART12A_INTERVENTIONS", "Interwencje w trybie art. 12a (zabezpieczenie dziecka)",
           "Art. 12a interventions (a child taken into safety)", legal_basis=LAW + ", art. 12a", record_type=OTHER,
           group=GROUP, order=85,
           definition_pl="Działania w trybie art. 12a ustawy (odebranie dziecka i umieszczenie w bezpiecznym miejscu) "
                         "zapisane w procedurach w okresie; seed 002 podaje ich liczbę.",
           definition="Art. 12a actions (a child taken into safety) recorded in the procedures in P; seed 002 "
                      "reports their number.")
def art12a(p):
    return (select(ST.c.id.label("id"), NK.c.number.label("label"))
            .select_from(ST.join(NK, NK.c.id == ST.c.procedure_id))
            .where(ST.c.kind == "art12a", ST.c.step_date >= day(p.start), ST.c.step_date <= day(p.end)))
