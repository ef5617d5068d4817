"""Families' deadlines: monitoring after the end of work ends; an assistant at the caseload cap (whole centre
only). Also the shared helpers of every domain's deadlines: the open support periods and the case numbers."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from casework.core.deadlines import HORIZON_DAYS, Deadline
from casework.extensions import db
from casework.families.models import Family, SupportPeriod
from casework.families.queries import caseloads
from casework.families.rules import caseload_cap


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


def open_periods(family_ids, today: date):
    """(rows of the open periods, their ids as a SELECT, {family id: case number})."""
    stmt = open_periods_stmt(family_ids, today)
    periods = db.session.execute(stmt).all()
    numbers = dict(db.session.execute(select(Family.id, Family.case_number).where(
        Family.id.in_(stmt.with_only_columns(SupportPeriod.family_id)))).all()) if periods else {}
    return periods, stmt.with_only_columns(SupportPeriod.id), numbers


def deadlines(family_ids, today: date):
    horizon = today + timedelta(days=HORIZON_DAYS)
    monitoring = (select(SupportPeriod.family_id, SupportPeriod.monitoring_until, Family.case_number)
                  .join(Family, Family.id == SupportPeriod.family_id)
                  .where(Family.archived_at.is_(None), SupportPeriod.monitoring_until >= today,
                         SupportPeriod.monitoring_until <= horizon, SupportPeriod.end_date < today,
                         # a family that came back is worked with again, not monitored
                         SupportPeriod.family_id.not_in(open_periods_stmt(None, today)
                                                        .with_only_columns(SupportPeriod.family_id))))
    if family_ids is not None:
        monitoring = monitoring.where(SupportPeriod.family_id.in_(family_ids))
    for fid, until, number in db.session.execute(monitoring):
        yield Deadline("monitoring", until, _l("Monitoring ends"), fid, number, "families.detail",
                       (("family_id", fid),))
    if family_ids is None:
        cap = caseload_cap()
        for user, n in db.session.execute(caseloads(today)).all():
            if n >= cap:
                yield Deadline("caseload", today, _l("%(name)s works with %(n)d families (limit %(cap)d)",
                                                     name=user.full_name, n=n, cap=cap),
                               url_endpoint="families.index",
                               url_args=(("assistant", user.id), ("status", "active")))
