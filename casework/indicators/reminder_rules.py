"""Reminder to coordinators: the statistics of the half-year / year just ended are prepared (1 January, 1 July)."""
from datetime import date, timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.core.periods import Period
from casework.extensions import db
from casework.indicators.models import IndicatorSnapshot
from casework.auth.roster import coordinator_ids
from casework.core.reminders import Candidate, catchup_days, reminder_rule


def _link(record_type, record_id):
    return url_for("indicators.snapshot", snapshot_id=record_id)


@reminder_rule("statistics_ready", _l("The statistics of the period are ready to review"), link=_link)
def statistics_ready(today: date, lead_days: int):
    """Due the day after the period ends; the subject says how many data-quality warnings to look at."""
    snapshots = db.session.scalars(select(IndicatorSnapshot).where(
        IndicatorSnapshot.date_to >= today - timedelta(days=catchup_days() + 1),
        IndicatorSnapshot.date_to < today)).all()
    if not snapshots:
        return []
    coordinators = coordinator_ids()
    out = []
    for s in snapshots:
        label = Period(s.date_from, s.date_to, s.kind).label
        warnings = sum(s.quality.values())
        subject = _("%(period)s: %(n)d data-quality warnings", period=label, n=warnings) if warnings else label
        out.append(Candidate("indicator_snapshot", s.id, s.date_to + timedelta(days=1), coordinators, subject))
    return out
