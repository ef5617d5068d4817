"""Assessments' deadline: the next half-yearly assessment of each open support period."""
from datetime import date

from flask_babel import lazy_gettext as _l

from casework.assessments import services
from casework.core.deadlines import Deadline
from casework.families.deadlines import open_periods


def deadlines(family_ids, today: date):
    periods, period_ids, numbers = open_periods(family_ids, today)
    if not periods:
        return
    for row in services.deadlines(periods, today, period_ids):
        p = row["period"]
        yield Deadline("assessment", row["due"], _l("Half-yearly assessment"), p.family_id,
                       numbers.get(p.family_id), "assessments.new", (("family_id", p.family_id),),
                       record_type="support_period", record_id=p.id)
