"""This domain's part of the work-time sheet (contract: casework.core.worktime): court hearings, travel, office work
and other work entered on the sheet's page (one query for all four kinds)."""
from sqlalchemy import select

from casework.core.worktime import WorkRow, WorkSource
from casework.extensions import db
from casework.families.models import Family
from casework.worktime.models import WorkEntry
from casework.worktime.services import KIND_LABELS


def _rows(user_id: int, first, last) -> list[WorkRow]:
    found = db.session.execute(
        select(WorkEntry.id, WorkEntry.work_date, WorkEntry.kind, Family.case_number, Family.name, WorkEntry.note,
               WorkEntry.minutes)
        .outerjoin(Family, Family.id == WorkEntry.family_id)
        .where(WorkEntry.user_id == user_id, WorkEntry.archived_at.is_(None),
               WorkEntry.work_date >= first, WorkEntry.work_date <= last)).all()
    return [WorkRow(day, kind, f"{number} {name}" if number else "", note or "", 1, minutes, ref=entry_id)
            for entry_id, day, kind, number, name, note, minutes in found]


WORK = [WorkSource(tuple(KIND_LABELS.items()), 50, _rows)]
