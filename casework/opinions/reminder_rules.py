"""Reminder: a court opinion due and not sent yet (to the family's current assistant, else coordinators)."""
from datetime import date, timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from casework.extensions import db
from casework.families.models import AssistantAssignment, Family
from casework.opinions.models import CourtOpinion
from casework.auth.roster import coordinator_ids
from casework.core.reminders import Candidate, catchup_days, reminder_rule


def _link(record_type, record_id):
    return url_for("opinions.form", opinion_id=record_id)


@reminder_rule("court_opinion_due", _l("Opinion for the court due"), lead_setting="court_opinion_lead_days",
               default_lead_days=7, link=_link)
def court_opinion_due(today: date, lead_days: int):
    rows = db.session.execute(
        select(CourtOpinion.id, CourtOpinion.due_on, Family.case_number, AssistantAssignment.assistant_id)
        .join(Family, Family.id == CourtOpinion.family_id)
        .outerjoin(AssistantAssignment, (AssistantAssignment.family_id == Family.id)
                   & (AssistantAssignment.start_date <= today)
                   & or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= today))
        .where(CourtOpinion.sent_on.is_(None), CourtOpinion.archived_at.is_(None),
               CourtOpinion.due_on <= today + timedelta(days=lead_days),
               CourtOpinion.due_on >= today - timedelta(days=catchup_days()))).all()
    coordinators = coordinator_ids() if rows else ()
    return [Candidate("court_opinion", r.id, r.due_on, (r.assistant_id,) if r.assistant_id else tuple(coordinators),
                      r.case_number) for r in rows]
