"""Reminder rules on families data: monitoring ending, caseload cap, support period without an assistant,
and the coordinators' calendar deadlines (half-yearly ministry report, annual council report)."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select

from casework.auth.roster import coordinator_ids
from casework.core.reminders import CALENDAR, Candidate, catchup_days, deadline_reminders, reminder_rule
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, SupportPeriod


def _active_assignment(today: date):
    return and_(AssistantAssignment.start_date <= today,
                or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= today))


def _coordinators(family_ids, today: date) -> dict:
    coordinators = coordinator_ids()
    return {family_id: coordinators for family_id in family_ids}


@reminder_rule("monitoring_ending", _l("Monitoring after the end of work ends"),
               lead_setting="monitoring_ending_lead_days", default_lead_days=14)
def monitoring_ending(today: date, lead_days: int):
    """The monitoring deadline (casework.families.deadlines) minus its lead days, to the period's last assistant
    (the coordinators if it had none)."""
    return deadline_reminders("monitoring", today, lead_days, _coordinators)


@reminder_rule("caseload_cap", _l("Family assistant at the caseload cap"))
def caseload_cap(today: date, lead_days: int):
    """To coordinators, while an assistant's active caseload is at the cap (art. 15 ust. 4 UWR: at most 15
    families at once); the deadline (casework.families.deadlines) is due from the start of the assistant's newest
    assignment, so each new family at the cap reminds once."""
    return deadline_reminders("caseload", today, lead_days, _coordinators)


@reminder_rule("period_without_assistant", _l("Support period without an assigned family assistant"))
def period_without_assistant(today: date, lead_days: int):
    """To coordinators: an open support period with no current assignment; due from the day it became so."""
    last_end = (select(func.max(AssistantAssignment.end_date))
                .where(AssistantAssignment.support_period_id == SupportPeriod.id)
                .correlate(SupportPeriod).scalar_subquery())
    rows = db.session.execute(
        select(SupportPeriod.id, SupportPeriod.start_date, last_end.label("last_end"), Family.case_number)
        .join(Family, Family.id == SupportPeriod.family_id)
        .where(SupportPeriod.start_date <= today,
               or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= today),
               Family.archived_at.is_(None),
               ~exists(select(AssistantAssignment.id).where(
                   AssistantAssignment.support_period_id == SupportPeriod.id, _active_assignment(today))))).all()
    if not rows:
        return []
    coordinators = coordinator_ids()
    result = []
    for r in rows:
        since = r.start_date
        if r.last_end is not None and r.last_end + timedelta(days=1) > since:
            since = r.last_end + timedelta(days=1)
        result.append(Candidate("support_period", r.id, min(since, today), coordinators, r.case_number))
    return result


def _calendar(today: date, lead_days: int, deadlines):
    """Deadlines [(due_date, subject)] whose reminder day has come and that are not older than the catch-up."""
    back = catchup_days()
    due = [(d, s) for d, s in deadlines if d - timedelta(days=lead_days) <= today <= d + timedelta(days=back)]
    if not due:
        return []
    coordinators = coordinator_ids()
    return [Candidate(CALENDAR, 0, d, coordinators, s) for d, s in due]


@reminder_rule("ministry_report", _l("Half-yearly report to the ministry"),
               lead_setting="ministry_report_lead_days", default_lead_days=14)
def ministry_report(today: date, lead_days: int):
    """Half-year cut-offs 30 June and 31 December; the report is due 31 July and 31 January."""
    deadlines = []
    for year in (today.year - 1, today.year, today.year + 1):
        deadlines.append((date(year, 7, 31), f"{year}-H1"))
        deadlines.append((date(year + 1, 1, 31), f"{year}-H2"))
    return _calendar(today, lead_days, deadlines)


@reminder_rule("council_report", _l("Annual report to the municipal council"),
               lead_setting="council_report_lead_days", default_lead_days=30)
def council_report(today: date, lead_days: int):
    """The annual report on family support for the previous year, due 31 March."""
    deadlines = [(date(year, 3, 31), str(year - 1)) for year in (today.year - 1, today.year, today.year + 1)]
    return _calendar(today, lead_days, deadlines)
