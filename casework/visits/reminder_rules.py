"""Reminder: an active family has had no visit for `no_visit_warning_days` (to its current assistant)."""
from datetime import date

from flask import url_for
from flask_babel import lazy_gettext as _l

from casework.core.reminders import deadline_reminders, reminder_rule
from casework.families.responsible import assistants_or_coordinators


def _link(record_type, record_id):
    return url_for("families.detail", family_id=record_id)


@reminder_rule("no_visit", _l("No visit for too long"), lead_setting="no_visit_lead_days",
               link=_link)
def no_visit(today: date, lead_days: int):
    """The no-visit deadline (casework.visits.deadlines: `no_visit_warning_days` after the last visit of the
    current period, or after it started) minus its lead days, to the family's current assistants; a later visit
    moves the due date, so each lapse reminds once."""
    return deadline_reminders("no_visit", today, lead_days, assistants_or_coordinators)
