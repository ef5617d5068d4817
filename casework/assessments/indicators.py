"""AR_ASSESSMENTS and AR_ASSESSMENTS_OVERDUE; see INDICATORS.md."""
from sqlalchemy import cast, func, literal, not_, select

from casework.assessments.models import Assessment
from casework.assessments.services import interval_months
from casework.families.indicators import GROUP, UWR_ASSISTANT
from casework.families.models import Family, SupportPeriod
from casework.core.indicators import OTHER, indicator
from casework.core.sql import day, months_within, open_on

A = Assessment.__table__
F = Family.__table__
SP = SupportPeriod.__table__


@indicator("AR_ASSESSMENTS", "Okresowe oceny sytuacji rodziny", "Half-yearly assessments",
           legal_basis=UWR_ASSISTANT + " ust. 1 pkt 15", record_type=OTHER, group=GROUP, order=240,
           definition_pl="Oceny sytuacji rodziny z datą w okresie.", definition="Assessments dated in P.")
def assessments(p):
    label = F.c.case_number + literal(" ") + F.c.name + literal(" ") + cast(A.c.assessment_date, F.c.name.type)
    return (select(A.c.id.label("id"), label.label("label"), A.c.family_id.label("family_id"))
            .select_from(A.join(F, F.c.id == A.c.family_id))
            .where(A.c.archived_at.is_(None), F.c.archived_at.is_(None),
                   A.c.assessment_date >= day(p.start), A.c.assessment_date <= day(p.end)))


@indicator("AR_ASSESSMENTS_OVERDUE", "Rodziny z zaległą oceną sytuacji", "Families with an overdue assessment",
           legal_basis=UWR_ASSISTANT + " ust. 1 pkt 15", group=GROUP, order=250,
           definition_pl="Rodziny z okresem wsparcia otwartym w ostatnim dniu okresu, w których termin oceny "
                         "(6 miesięcy od początku wsparcia lub od poprzedniej oceny) minął przed tym dniem.",
           definition="Supported families with an assessment overdue on the last day of P.")
def assessments_overdue(p):
    last = (select(func.max(A.c.assessment_date)).where(A.c.support_period_id == SP.c.id,
                                                         A.c.archived_at.is_(None),
                                                         A.c.assessment_date <= day(p.end))
            .scalar_subquery())
    base = func.coalesce(last, SP.c.start_date)
    return (select(F.c.id.label("id"), (F.c.case_number + literal(" ") + F.c.name).label("label"),
                   F.c.id.label("family_id"))
            .select_from(SP.join(F, F.c.id == SP.c.family_id))
            .where(F.c.archived_at.is_(None), open_on(SP.c.start_date, SP.c.end_date, p.end),
                   not_(months_within(base, day(p.end), interval_months())))
            .distinct())
