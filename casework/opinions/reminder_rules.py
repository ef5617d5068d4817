"""Reminder: a court opinion due and not sent yet (to the family's current assistant, else coordinators)."""
from datetime import date

from flask import url_for
from flask_babel import lazy_gettext as _l

from casework.core.deadlines import reminder_window
from casework.core.reminders import Candidate, catchup_days, reminder_rule
from casework.families.responsible import assistants_or_coordinators
from casework.opinions.deadlines import deadlines as opinion_deadlines


def _link(record_type, record_id):
    return url_for("opinions.form", opinion_id=record_id)


@reminder_rule("court_opinion_due", _l("Opinion for the court due"), lead_setting="court_opinion_lead_days",
               default_lead_days=7, link=_link)
def court_opinion_due(today: date, lead_days: int):
    """A thin adapter over casework.opinions.deadlines: the deadline minus its lead days, to the family's current
    assistants (the coordinators when it has none)."""
    due = reminder_window(opinion_deadlines(None, today), today, lead_days, catchup_days())
    if not due:
        return []
    to = assistants_or_coordinators([d.family_id for d in due], today)
    return [Candidate(d.record_type, d.record_id, d.due, to[d.family_id], d.case_number) for d in due]
