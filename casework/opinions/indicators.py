"""AR_COURT_OPINIONS: court opinions sent in P."""
from sqlalchemy import literal, select

from casework.families.indicators import GROUP, UWR_ASSISTANT
from casework.families.models import Family
from casework.core.indicators import OTHER, indicator
from casework.core.sql import day
from casework.opinions.models import CourtOpinion

O = CourtOpinion.__table__  # noqa: E741
F = Family.__table__


@indicator("AR_COURT_OPINIONS", "Opinie sporządzone dla sądu", "Opinions for the court",
           legal_basis=UWR_ASSISTANT + " ust. 1 pkt 17", record_type=OTHER, group=GROUP, order=260,
           definition_pl="Opinie o rodzinie wysłane do sądu w okresie.", definition="Court opinions sent in P.")
def court_opinions(p):
    return (select(O.c.id.label("id"), (F.c.case_number + literal(" ") + O.c.court).label("label"),
                   O.c.family_id.label("family_id"))
            .select_from(O.join(F, F.c.id == O.c.family_id))
            .where(O.c.archived_at.is_(None), F.c.archived_at.is_(None), O.c.sent_on >= day(p.start),
                   O.c.sent_on <= day(p.end)))
