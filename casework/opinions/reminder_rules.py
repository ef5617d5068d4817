"""Reminder: a court opinion due and not sent yet (to the family's current assistant, else coordinators)."""
from datetime import date

from flask import url_for
from flask_babel import lazy_gettext as _l

from casework.core.reminders import deadline_reminders, reminder_rule
from casework.families.responsible import assistants_or_coordinators


def _link(record_type, record_id):
    return url_for("opinions.form", opinion_id=record_id)


@reminder_rule("court_opinion_due", _l("Opinion for the court due"), lead_setting="court_opinion_lead_days",
               default_lead_days=7, link=_link)
def court_opinion_due(today: date, lead_days: int):
    """The court-opinion deadline (casework.opinions.deadlines) minus its lead days, to the family's current
    assistants (the coordinators when it has none)."""
    return deadline_reminders("court_opinion", today, lead_days, assistants_or_coordinators)
