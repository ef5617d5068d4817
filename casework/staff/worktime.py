"""This domain's part of the work-time sheet (contract: casework.core.worktime): the trainings the assistant
attended (the staff register's hours)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.core.worktime import WorkRow, WorkSource
from casework.extensions import db
from casework.staff.models import StaffTraining


def _rows(user_id: int, first, last) -> list[WorkRow]:
    rows = db.session.execute(
        select(StaffTraining.training_date, StaffTraining.title, StaffTraining.hours)
        .where(StaffTraining.user_id == user_id, StaffTraining.archived_at.is_(None),
               StaffTraining.training_date >= first, StaffTraining.training_date <= last)).all()
    return [WorkRow(day, "trainings", "", title, 1, int(round(float(hours) * 60))) for day, title, hours in rows]


WORK = [WorkSource((("trainings", _l("Trainings")),), 40, _rows)]
