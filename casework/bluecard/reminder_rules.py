"""Blue-card deadlines for the interdisciplinary team (sensitive: e-mails say only that something is due)."""
from datetime import date, timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.auth.roles import ZI_MEMBER
from casework.bluecard import services
from casework.bluecard.models import Procedure
from casework.extensions import db
from casework.auth.roster import users_with_role
from casework.core.reminders import Candidate, catchup_days, reminder_rule


def _link(record_type, record_id):
    return url_for("bluecard.detail", procedure_id=record_id)


@reminder_rule("bluecard_deadline", _l("Niebieska Karta: a step of the procedure is due"),
               lead_setting="bluecard_lead_days", sensitive=True, link=_link)
def bluecard_deadline(today: date, lead_days: int):
    """NK-A to the chair, the chair to a group, the group's first meeting: to the team members and the group's
    users, `lead_days` before the working-day deadline (and catching up after downtime)."""
    procedures = db.session.scalars(select(Procedure).where(Procedure.closed_on.is_(None))
                                    .options(selectinload(Procedure.group), selectinload(Procedure.meetings))).all()
    team = users_with_role(ZI_MEMBER)
    out, days = [], services.deadline_days()
    for procedure in procedures:
        for step in services.deadlines(procedure, days):
            if step["done"] is None and today - timedelta(days=catchup_days()) <= step["due"] \
                    <= today + timedelta(days=lead_days):
                recipients = tuple(sorted(set(team) | {m.user_id for m in procedure.group if m.user_id}))
                out.append(Candidate("bluecard_procedure", procedure.id, step["due"], recipients, procedure.number))
    return out
