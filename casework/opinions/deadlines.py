"""Court opinions' deadline: an opinion requested by the court and not sent yet."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from casework.core.deadlines import Deadline
from casework.extensions import db
from casework.opinions.models import CourtOpinion


def deadlines(family_ids, today: date):
    opinions = select(CourtOpinion).where(CourtOpinion.sent_on.is_(None), CourtOpinion.archived_at.is_(None))
    if family_ids is not None:
        opinions = opinions.where(CourtOpinion.family_id.in_(family_ids))
    for o in db.session.scalars(opinions.options(joinedload(CourtOpinion.family))):
        yield Deadline("court_opinion", o.due_on, _l("Opinion for the court due"), o.family_id,
                       o.family.case_number, "opinions.form", (("opinion_id", o.id),),
                       record_type="court_opinion", record_id=o.id)
