"""This domain's part of the work-time sheet (contract: casework.core.worktime): the assistant's visits, per day
and family."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework.core.worktime import WorkRow, WorkSource
from casework.extensions import db
from casework.families.models import Family
from casework.visits.models import Visit


def _rows(user_id: int, first, last) -> list[WorkRow]:
    rows = db.session.execute(
        select(Visit.visit_date, Family.case_number, Family.name, func.count(Visit.id),
               func.sum(Visit.duration_minutes))
        .join(Family, Family.id == Visit.family_id)
        .where(Visit.assistant_id == user_id, Visit.archived_at.is_(None), Visit.visit_date >= first,
               Visit.visit_date <= last)
        .group_by(Visit.visit_date, Family.id, Family.case_number, Family.name)).all()
    return [WorkRow(day, "visits", f"{number} {name}", "", int(count), int(minutes))
            for day, number, name, count, minutes in rows]


WORK = [WorkSource((("visits", _l("Visits")),), 10, _rows)]
