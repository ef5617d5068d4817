"""Visit indicators (AR_VISITS, AR_VISIT_HOURS); see INDICATORS.md."""
from sqlalchemy import Numeric, cast, literal, select

from casework.families.indicators import GROUP, UWR_ASSISTANT
from casework.families.models import Family
from casework.core.indicators import DECIMAL, OTHER, indicator
from casework.core.sql import day
from casework.visits.models import Visit

V = Visit.__table__
F = Family.__table__


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
