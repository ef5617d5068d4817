"""Reminders on the plan of work: not drawn up in time, due for revision, actions past their deadline
(to the family's current assistant; to coordinators when the family has none).

Thin adapters over casework.plans.deadlines: a reminder is the deadline, minus its lead days, to its recipients."""
from datetime import date

from flask_babel import lazy_gettext as _l

from casework.core.reminders import deadline_reminders, reminder_rule
from casework.families.responsible import assistants_or_coordinators


def _candidates(kind: str, today: date, lead_days: int):
    return deadline_reminders(kind, today, lead_days, assistants_or_coordinators)


@reminder_rule("plan_missing", _l("Plan of work not drawn up yet"), lead_setting="plan_missing_lead_days")
def plan_missing(today: date, lead_days: int):
    """`plan_due_days` after the support period starts, the plan must exist; reminded `lead_days` before."""
    return _candidates("plan_missing", today, lead_days)


@reminder_rule("plan_revision_due", _l("Plan of work due for revision"), lead_setting="plan_revision_lead_days")
def plan_revision_due(today: date, lead_days: int):
    """The latest assessment recommends revising the plan and no new version has been drawn up since."""
    return _candidates("plan_revision", today, lead_days)


@reminder_rule("plan_action_overdue", _l("Plan action past its deadline"))
def plan_action_overdue(today: date, lead_days: int):
    """An action of the newest plan version still planned or in progress after its deadline."""
    return _candidates("plan_action", today, lead_days)
