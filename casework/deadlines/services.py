"""Every deadline in the centre (or in one assistant's families), gathered from the domains' rules."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from casework.core import audit
from casework.core.timeutil import utcnow
from casework.deadlines.models import CalendarToken
from casework.extensions import db
from casework.families.models import AssistantAssignment, Family, SupportPeriod
from casework.visits.models import Visit

HORIZON_DAYS = 30
KINDS = ("assessment", "plan_missing", "plan_revision", "plan_action", "court_opinion", "monitoring", "no_visit", "caseload")


def kind_labels() -> dict:
    return {"assessment": _("Half-yearly assessment"), "plan_missing": _("Plan of work not drawn up yet"),
            "plan_revision": _("Plan of work due for revision"),
            "plan_action": _("Plan actions past the deadline"), "court_opinion": _("Opinion for the court due"),
            "monitoring": _("Monitoring ends"), "no_visit": _("No visit for too long"),
            "caseload": _("Assistant at the caseload cap")}


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: date
    title: str
    family_id: int | None = None
    case_number: str | None = None
    url_endpoint: str | None = None
    url_args: tuple = ()

    @property
    def overdue_on(self):
        return self.due


def _open_periods_stmt(family_ids, today):
    stmt = (select(SupportPeriod.id, SupportPeriod.family_id, SupportPeriod.start_date, SupportPeriod.end_date)
            .join(Family, Family.id == SupportPeriod.family_id)
            .where(Family.archived_at.is_(None), SupportPeriod.start_date <= today,
                   or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= today)))
    if family_ids is not None:
        stmt = stmt.where(SupportPeriod.family_id.in_(family_ids))
    return stmt


def current_period_ids(today: date, family_ids=None):
    """A SELECT of the ids of the support periods open on `today` (families not archived): the only periods a
    deadline may come from. A family that came back has a new period; its earlier periods' deadlines are gone."""
    return _open_periods_stmt(family_ids, today).with_only_columns(SupportPeriod.id)


def no_visit_due(period_start: date, last_visit: date | None, days: int) -> date:
    """"No visit for too long" falls due `days` after the last visit of the current support period, or after the
    period started when it has none yet; a visit from an earlier period of the family never counts."""
    since = last_visit if last_visit is not None and last_visit >= period_start else period_start
    return since + timedelta(days=days)


def last_visits_in_periods(period_ids) -> dict[int, date]:
    """{support period id: date of the family's last visit on or after the period's start}."""
    rows = db.session.execute(
        select(SupportPeriod.id, func.max(Visit.visit_date))
        .join(Visit, (Visit.family_id == SupportPeriod.family_id) & (Visit.visit_date >= SupportPeriod.start_date))
        .where(SupportPeriod.id.in_(period_ids), Visit.archived_at.is_(None))
        .group_by(SupportPeriod.id))
    return dict(rows.all())


def collect(family_ids, today: date, *, include_caseload: bool) -> list[Deadline]:
    """family_ids None: every family (coordinators); a list: only those (an assistant's own)."""
    from casework.assessments import services as assessments
    from casework.opinions.models import CourtOpinion
    from casework.plans import services as plans
    from casework.plans.models import PlanAction, PlanGoal, WorkPlan
    from casework.visits import services as visits

    horizon = today + timedelta(days=HORIZON_DAYS)
    # the open support periods as plain rows (a large centre has thousands); the queries below take their ids as
    # a SELECT rather than thousands of bound parameters
    open_stmt = _open_periods_stmt(family_ids, today)
    periods = db.session.execute(open_stmt).all()
    period_ids = open_stmt.with_only_columns(SupportPeriod.id)
    period_family_ids = open_stmt.with_only_columns(SupportPeriod.family_id)
    numbers = dict(db.session.execute(select(Family.id, Family.case_number).where(
        Family.id.in_(period_family_ids))).all()) if periods else {}
    out: list[Deadline] = []
    for row in assessments.deadlines(periods, today, period_ids):
        if row["due"] <= horizon:
            p = row["period"]
            out.append(Deadline("assessment", row["due"], _l("Half-yearly assessment"), p.family_id,
                                numbers.get(p.family_id), "assessments.new", (("family_id", p.family_id),)))
    with_plan = set(db.session.scalars(select(WorkPlan.support_period_id).where(
        WorkPlan.support_period_id.in_(period_ids)))) if periods else set()
    due_days = plans.plan_due_days()
    for p in periods:
        plan_due = plans.plan_due_date(p, due_days) if p.id not in with_plan else None
        if plan_due is not None and plan_due <= horizon:
            out.append(Deadline("plan_missing", plan_due, _l("Plan of work not drawn up yet"),
                                p.family_id, numbers.get(p.family_id), "plans.family_plan",
                                (("family_id", p.family_id),)))
    for row in plans.revisions_due(period_ids) if periods else ():
        if row["due"] <= horizon:
            target = (("plans.show", (("plan_id", row["plan_id"]),)) if row["plan_id"]
                      else ("plans.family_plan", (("family_id", row["family_id"]),)))
            out.append(Deadline("plan_revision", row["due"], _l("Plan of work due for revision"), row["family_id"],
                                numbers.get(row["family_id"]), *target))
    if periods:
        newest = (select(WorkPlan.support_period_id, WorkPlan.revision).where(
            WorkPlan.support_period_id.in_(period_ids)))
        latest = {}
        for period_id, revision in db.session.execute(newest):
            latest[period_id] = max(revision, latest.get(period_id, 0))
        rows = db.session.execute(
            select(PlanAction.id, PlanAction.what, PlanAction.deadline, WorkPlan.family_id, WorkPlan.id,
                   WorkPlan.support_period_id, WorkPlan.revision)
            .join(PlanGoal, PlanGoal.id == PlanAction.goal_id).join(WorkPlan, WorkPlan.id == PlanGoal.plan_id)
            .where(WorkPlan.support_period_id.in_(period_ids), PlanAction.deadline < today,
                   PlanAction.status.in_(("planned", "in_progress")))).all()
        for action_id, what, deadline, fid, plan_id, period_id, revision in rows:
            if latest.get(period_id) == revision:
                out.append(Deadline("plan_action", deadline, _l("Plan action past its deadline: %(action)s",
                                                               action=what[:80]), fid, numbers.get(fid),
                                    "plans.show", (("plan_id", plan_id),)))
    opinions = select(CourtOpinion).where(CourtOpinion.sent_on.is_(None), CourtOpinion.archived_at.is_(None),
                                          CourtOpinion.due_on <= horizon)
    if family_ids is not None:
        opinions = opinions.where(CourtOpinion.family_id.in_(family_ids))
    for o in db.session.scalars(opinions.options()):
        out.append(Deadline("court_opinion", o.due_on, _l("Opinion for the court due"), o.family_id,
                            numbers.get(o.family_id) or o.family.case_number, "opinions.form",
                            (("opinion_id", o.id),)))
    monitoring = (select(SupportPeriod.family_id, SupportPeriod.monitoring_until, Family.case_number)
                  .join(Family, Family.id == SupportPeriod.family_id)
                  .where(Family.archived_at.is_(None), SupportPeriod.monitoring_until >= today,
                         SupportPeriod.monitoring_until <= horizon, SupportPeriod.end_date < today,
                         # a family that came back is worked with again, not monitored
                         SupportPeriod.family_id.not_in(_open_periods_stmt(None, today)
                                                        .with_only_columns(SupportPeriod.family_id))))
    if family_ids is not None:
        monitoring = monitoring.where(SupportPeriod.family_id.in_(family_ids))
    for fid, until, number in db.session.execute(monitoring):
        out.append(Deadline("monitoring", until, _l("Monitoring ends"), fid, number, "families.detail",
                            (("family_id", fid),)))
    warning_days = visits.no_visit_warning_days()
    last_visit = last_visits_in_periods(period_ids) if periods else {}
    lapsed = {}
    for p in periods:
        due = no_visit_due(p.start_date, last_visit.get(p.id), warning_days)
        if due <= today and (p.family_id not in lapsed or due < lapsed[p.family_id]):
            lapsed[p.family_id] = due
    for fid, due in lapsed.items():
        out.append(Deadline("no_visit", due, _l("No visit for too long"), fid, numbers.get(fid), "visits.new",
                            (("family_id", fid),)))
    if include_caseload:
        from casework.families.queries import caseloads
        from casework.families.services import caseload_cap

        cap = caseload_cap()
        for user, n in db.session.execute(caseloads(today)).all():
            if n >= cap:
                out.append(Deadline("caseload", today, _l("%(name)s works with %(n)d families (limit %(cap)d)",
                                                         name=user.full_name, n=n, cap=cap),
                                    url_endpoint="families.index",
                                    url_args=(("assistant", user.id), ("status", "active"))))
    return sorted(out, key=lambda d: (d.due, d.kind))


def own_family_ids(user, today: date) -> list[int]:
    return list(db.session.scalars(select(AssistantAssignment.family_id).where(
        and_(AssistantAssignment.assistant_id == user.id, AssistantAssignment.start_date <= today,
             or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= today)))))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_calendar_token(user) -> str:
    """Revoke the user's earlier tokens and return a new one (shown once)."""
    for row in db.session.scalars(select(CalendarToken).where(CalendarToken.user_id == user.id,
                                                              CalendarToken.revoked_at.is_(None))):
        row.revoked_at = utcnow()
    token = secrets.token_urlsafe(24)
    db.session.add(CalendarToken(user_id=user.id, token_hash=_hash(token)))
    audit.record("calendar_token_created", user=user, object_type="user_account", object_id=user.id)
    db.session.flush()
    return token


def revoke_calendar_tokens(user) -> None:
    for row in db.session.scalars(select(CalendarToken).where(CalendarToken.user_id == user.id,
                                                              CalendarToken.revoked_at.is_(None))):
        row.revoked_at = utcnow()
    audit.record("calendar_token_revoked", user=user, object_type="user_account", object_id=user.id)
    db.session.flush()


def user_for_token(token: str):
    from casework.auth.models import User

    row = db.session.scalar(select(CalendarToken).where(CalendarToken.token_hash == _hash(token or ""),
                                                        CalendarToken.revoked_at.is_(None)))
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    return user if user is not None and user.is_active_account else None


def ical(deadlines, base_url: str) -> bytes:
    """An iCalendar of all-day events; summaries carry the kind and the case number only."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//casework//deadlines//PL")
    calendar.add("version", "2.0")
    labels = kind_labels()
    for d in deadlines:
        event = Event()
        event.add("uid", f"{d.kind}-{d.family_id or 0}-{d.due.isoformat()}@casework")
        event.add("dtstamp", utcnow())
        event.add("dtstart", d.due)
        event.add("dtend", d.due + timedelta(days=1))
        event.add("summary", f"{labels[d.kind]}" + (f" — {d.case_number}" if d.case_number else ""))
        event.add("url", base_url)
        calendar.add_component(event)
    return calendar.to_ical()
