"""Court opinions' deadline: an opinion requested by the court and not sent yet. Contract:
casework.core.deadlines."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.core.deadlines import Deadline, DeadlineKind, deadline_row
from casework.families.deadlines import case_numbers
from casework.opinions.models import CourtOpinion


def _rows(family_ids, today: date):
    stmt = (select(*deadline_row(CourtOpinion.family_id, CourtOpinion.due_on, None, CourtOpinion.id))
            .where(CourtOpinion.sent_on.is_(None), CourtOpinion.archived_at.is_(None)))
    if family_ids is not None:
        stmt = stmt.where(CourtOpinion.family_id.in_(family_ids))
    return stmt


def _render(rows, today: date):
    numbers = case_numbers(r.family_id for r in rows)
    return [Deadline("court_opinion", r.due, _l("Opinion for the court due"), r.family_id, numbers.get(r.family_id),
                     "opinions.form", (("opinion_id", r.ref_id),), record_type="court_opinion", record_id=r.ref_id)
            for r in rows]


DEADLINES = [DeadlineKind("court_opinion", _l("Opinion for the court due"), order=50, rows=_rows, render=_render)]
