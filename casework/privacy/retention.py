"""Retention: case files past their retention period are listed for an administrator, who purges them after
confirming. Statistics survive: frozen indicator values and prepared snapshots hold numbers and ids, not the files.

Classes (settings, in years):
- `retention_family_years` (default 10): a family's case file — the family, its members, support periods and
  everything recorded about it — counted from 1 January after its last support period (and monitoring) ended;
  a family with an open period is never listed.
- `retention_bluecard_years` (default 10): a closed Niebieska Karta procedure, from 1 January after it closed (and
  its monitoring ended).

The purge follows the foreign keys: rows that must have a parent are deleted with it (recursively), rows where the
link is optional keep living without it (an institution contact, a foster-care child, a procedure of another
class). The audit log is append-only and is not purged; the purge is audited with counts and ids only."""
from datetime import date, timedelta

from sqlalchemy import delete, func, not_, select, update

from casework.bluecard.models import Procedure
from casework.core import audit
from casework.core.settings import get_setting
from casework.extensions import db
from casework.families.models import Family, SupportPeriod

#: tables never purged through the FK graph (the audit trail; frozen statistics have no FKs to case data)
KEEP = {"audit_event"}


def _years(key: str) -> int:
    try:
        return max(int(get_setting(key)), 1)
    except (TypeError, ValueError):
        return 10


def cutoff(today: date, years: int) -> date:
    """Files closed on or before this day are past retention (counted from 1 January after closing)."""
    return date(today.year - years, 1, 1) - timedelta(days=1)


def families_past_retention(today: date) -> list:
    last_day = cutoff(today, _years("retention_family_years"))
    closed_end = func.max(func.coalesce(SupportPeriod.monitoring_until, SupportPeriod.end_date))
    open_periods = select(SupportPeriod.family_id).where(SupportPeriod.end_date.is_(None))
    stmt = (select(Family.id, Family.case_number, closed_end.label("closed"))
            .join(SupportPeriod, SupportPeriod.family_id == Family.id)
            .where(not_(Family.id.in_(open_periods)))
            .group_by(Family.id, Family.case_number)
            .having(closed_end <= last_day).order_by(Family.case_number))
    return db.session.execute(stmt).all()


def procedures_past_retention(today: date) -> list:
    last_day = cutoff(today, _years("retention_bluecard_years"))
    closed = func.coalesce(Procedure.monitoring_until, Procedure.closed_on)
    return db.session.execute(select(Procedure.id, Procedure.number, closed.label("closed")).where(
        Procedure.closed_on.is_not(None), closed <= last_day).order_by(Procedure.number)).all()


def _children(table):
    """(child table, fk column, referenced column, nullable) for every FK pointing at `table`."""
    out = []
    for child in db.Model.metadata.sorted_tables:
        if child.name in KEEP:
            continue
        for fk in child.foreign_keys:
            if fk.column.table is table:
                out.append((child, fk.parent, fk.column, fk.parent.nullable))
    return out


def _purge(table, ids: list, counts: dict) -> None:
    """Delete rows `ids` of `table` and what cannot live without them; unlink what can."""
    if not ids:
        return
    for child, column, referenced, nullable in _children(table):
        if child is table:
            continue
        key = [c for c in child.primary_key.columns]
        if nullable:
            db.session.execute(update(child).where(column.in_(ids)).values({column.name: None}))
            continue
        if len(key) == 1:
            child_ids = list(db.session.scalars(select(key[0]).where(column.in_(ids))))
            _purge(child, child_ids, counts)
        else:  # an association table: its rows go with the parent
            result = db.session.execute(delete(child).where(column.in_(ids)))
            counts[child.name] = counts.get(child.name, 0) + (result.rowcount or 0)
    pk = list(table.primary_key.columns)[0]
    for start in range(0, len(ids), 500):
        result = db.session.execute(delete(table).where(pk.in_(ids[start:start + 500])))
        counts[table.name] = counts.get(table.name, 0) + (result.rowcount or 0)


def purge(today: date, *, actor) -> dict:
    """Purge every file past retention today; returns {table: rows deleted}. The caller commits."""
    counts: dict = {}
    families = [row.id for row in families_past_retention(today)]
    procedures = [row.id for row in procedures_past_retention(today)]
    _purge(Procedure.__table__, procedures, counts)
    _purge(Family.__table__, families, counts)
    db.session.flush()
    audit.record("retention_purge", object_type="retention", user=actor,
                 details={"families": families, "procedures": procedures, "rows": counts})
    return counts

