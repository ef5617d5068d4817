"""Visit indicators (AR_VISITS, AR_VISIT_HOURS); see INDICATORS.md."""
from sqlalchemy import Numeric, cast, literal, select

from casework.families.indicators import GROUP, UWR_ASSISTANT
from casework.families.models import Family
from casework.core.dictionaries import DictionaryEntry, entries
from casework.core.indicators import BY_KEY, DECIMAL, OTHER, indicator
from casework.core.sql import day
from casework.visits.models import AREA_OF_WORK_KIND, Visit, visit_area

V = Visit.__table__
F = Family.__table__
VA = visit_area
D = DictionaryEntry.__table__


def _visits(p):
    label = F.c.case_number + literal(" ") + F.c.name + literal(" ") + cast(V.c.visit_date, F.c.name.type)
    return (select(V.c.id.label("id"), label.label("label"), V.c.family_id.label("family_id"),
                   (cast(V.c.duration_minutes, Numeric(12, 4)) / 60).label("amount"))
            .select_from(V.join(F, F.c.id == V.c.family_id))
            .where(V.c.archived_at.is_(None), F.c.archived_at.is_(None),
                   V.c.visit_date >= day(p.start), V.c.visit_date <= day(p.end)))


@indicator("AR_VISITS", "Wizyty i kontakty asystentów z rodzinami", "Assistants' visits and contacts with families",
           legal_basis=UWR_ASSISTANT, record_type=OTHER, group=GROUP, order=200,
           definition_pl="Wizyty (kontakty z rodziną) z datą w okresie.", definition="Visits dated in P.")
def visits(p):
    return _visits(p)


@indicator("AR_VISIT_HOURS", "Czas wizyt (godziny)", "Time of visits (hours)", legal_basis=UWR_ASSISTANT,
           kind=DECIMAL, record_type=OTHER, group=GROUP, order=210,
           definition_pl="Łączny czas wizyt z datą w okresie, w godzinach (dwa miejsca po przecinku).",
           definition="Total duration of visits dated in P, in hours (two decimals).")
def visit_hours(p):
    return _visits(p)


@indicator("AR_VISITS_BY_AREA", "Działania asystentów według obszarów pracy", "Assistants' activities by area of work",
           legal_basis=UWR_ASSISTANT, kind=BY_KEY, record_type=OTHER, group=GROUP, order=215,
           keys=lambda: [e.code for e in entries(AREA_OF_WORK_KIND, include_inactive=True)],
           key_labels=lambda: {e.code: e.label for e in entries(AREA_OF_WORK_KIND, include_inactive=True)},
           definition_pl="Wizyty z datą w okresie według obszaru pracy, nad którym pracowano (wizyta liczy się przy "
                         "każdym ze swoich obszarów).",
           definition="Visits in P by the area of work they worked on (a visit counts under each of its areas).")
def visits_by_area(p):
    label = F.c.case_number + literal(" ") + F.c.name + literal(" ") + cast(V.c.visit_date, F.c.name.type)
    return (select(V.c.id.label("id"), label.label("label"), V.c.family_id.label("family_id"), D.c.code.label("key"))
            .select_from(V.join(F, F.c.id == V.c.family_id).join(VA, VA.c.visit_id == V.c.id)
                         .join(D, D.c.id == VA.c.area_id))
            .where(V.c.archived_at.is_(None), F.c.archived_at.is_(None),
                   V.c.visit_date >= day(p.start), V.c.visit_date <= day(p.end)))
