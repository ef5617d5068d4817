"""Families' deadlines: monitoring after the end of work ends; an assistant at the caseload cap (whole centre
only). Also the shared helpers of every domain's deadlines: the open support periods and the case numbers.
Contract: casework.core.deadlines."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from casework.auth.models import User
from casework.core.deadlines import ONGOING, UPCOMING, Deadline, DeadlineKind, deadline_row
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, SupportPeriod
from casework.families.rules import caseload_cap, caseload_counts


def open_periods_stmt(family_ids, today: date):
    """The support periods open on `today` of families not archived (id, family_id, start_date, end_date): the
    only periods a deadline may come from. A family that came back has a new period; its earlier periods'
    deadlines are gone."""
    stmt = (select(SupportPeriod.id, SupportPeriod.family_id, SupportPeriod.start_date, SupportPeriod.end_date)
            .join(Family, Family.id == SupportPeriod.family_id)
            .where(Family.archived_at.is_(None), SupportPeriod.start_date <= today,
                   or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= today)))
    if family_ids is not None:
        stmt = stmt.where(SupportPeriod.family_id.in_(family_ids))
    return stmt


def case_numbers(family_ids) -> dict[int, str]:
    """{family id: case number} for the families of the rows a board shows (one query)."""
    ids = sorted({f for f in family_ids if f is not None})
    if not ids:
        return {}
    return dict(db.session.execute(select(Family.id, Family.case_number).where(Family.id.in_(ids))).all())


def _monitoring_rows(family_ids, today: date):
    last_assistant = (select(AssistantAssignment.assistant_id)
                      .where(AssistantAssignment.support_period_id == SupportPeriod.id)
                      .order_by(AssistantAssignment.start_date.desc(), AssistantAssignment.id.desc())
                      .limit(1).correlate(SupportPeriod).scalar_subquery())
    stmt = (select(*deadline_row(SupportPeriod.family_id, SupportPeriod.monitoring_until, last_assistant,
                                 SupportPeriod.id))
            .join(Family, Family.id == SupportPeriod.family_id)
            .where(Family.archived_at.is_(None), SupportPeriod.monitoring_until.is_not(None),
                   SupportPeriod.end_date < today,
                   # a family that came back is worked with again, not monitored
                   SupportPeriod.family_id.not_in(open_periods_stmt(None, today)
                                                  .with_only_columns(SupportPeriod.family_id))))
    if family_ids is not None:
        stmt = stmt.where(SupportPeriod.family_id.in_(family_ids))
    return stmt


def _monitoring_render(rows, today: date):
    numbers = case_numbers(r.family_id for r in rows)
    return [Deadline("monitoring", r.due, _l("Monitoring ends"), r.family_id, numbers.get(r.family_id),
                     "families.detail", (("family_id", r.family_id),), record_type="support_period",
                     record_id=r.ref_id, owner_ids=(r.user_id,) if r.user_id else ())
            for r in rows]


def _caseload_rows(family_ids, today: date):
    """An assistant whose active caseload (casework.families.rules, the same count as the assignment refusal and
    the caseload page) reached the cap; due from the start of the newest assignment, so each new family at the
    cap reminds once."""
    count = caseload_counts(today).subquery()
    return (select(*deadline_row(None, count.c.newest, count.c.assistant_id, count.c.assistant_id))
            .select_from(count).join(User, User.id == count.c.assistant_id)
            .where(User.is_active_account.is_(True), count.c.families >= caseload_cap()))


def _caseload_render(rows, today: date):
    ids = [r.ref_id for r in rows]
    count = caseload_counts(today).subquery()
    found = {i: (name, n) for i, name, n in db.session.execute(
        select(User.id, User.full_name, count.c.families).join(count, count.c.assistant_id == User.id)
        .where(User.id.in_(ids)))} if ids else {}
    cap = caseload_cap()
    out = []
    for r in rows:
        name, n = found[r.ref_id]
        out.append(Deadline("caseload", r.due, _l("%(name)s works with %(n)d families (limit %(cap)d)",
                                                  name=name, n=n, cap=cap),
                            url_endpoint="families.index", url_args=(("assistant", r.ref_id), ("status", "active")),
                            record_type="user_account", record_id=r.ref_id, subject=f"{name} ({n})"))
    return out


DEADLINES = [
    DeadlineKind("monitoring", _l("Monitoring ends"), order=60, rows=_monitoring_rows, render=_monitoring_render,
                 shown=UPCOMING),
    DeadlineKind("caseload", _l("Assistant at the caseload cap"), order=80, rows=_caseload_rows,
                 render=_caseload_render, shown=ONGOING, centre_only=True),
]
