"""The waiting list (issue 18, item 3), derived from the case register — no table of its own.

A support period is recorded when the referral (the social worker's request, wniosek o przydzielenie asystenta) or
the court order (art. 109 § 2 pkt 1 KRO) arrives; the head of centre then assigns an assistant (art. 17 UWR). The
family waits from the period's referral day until the start of the period's first assignment:
  - the referral day is the date of the request (basis referral) or of the court order (basis court order), and
    the period's start date where that date was not recorded;
  - the wait ends on the first assignment's start date, or — when no assistant was ever assigned — on the period's
    end (the referral withdrawn, the family moved away).
The page of waiting families, the family page's "needs attention" note and the indicators
AR_FAMILIES_WAITING_AT_END and AR_WAITING_DAYS_MEDIAN all read these expressions."""
from datetime import date

from sqlalchemy import Integer, and_, case, exists, func, literal, not_, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from casework.core.sql import day
from casework.families.models import BASIS_COURT_ORDER, AssistantAssignment, Family, SupportPeriod

F = Family.__table__
SP = SupportPeriod.__table__
AA = AssistantAssignment.__table__


class days_between(FunctionElement):
    """later - earlier in whole days, for two DATE expressions (SQLite and PostgreSQL)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return "(%s - %s)" % (compiler.process(later, **kw), compiler.process(earlier, **kw))


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return "CAST(julianday(%s) - julianday(%s) AS INTEGER)" % (compiler.process(later, **kw),
                                                               compiler.process(earlier, **kw))


def referral_day(sp=SP):
    """The day the family was referred for an assistant (see the module's docstring)."""
    recorded = case((sp.c.basis == BASIS_COURT_ORDER, func.coalesce(sp.c.court_order_date, sp.c.referral_date)),
                    else_=sp.c.referral_date)
    return func.coalesce(case((recorded <= sp.c.start_date, recorded), else_=None), sp.c.start_date)


def first_assignment_day(sp=SP):
    """The start of the period's first assignment (NULL: none yet)."""
    return (select(func.min(AA.c.start_date)).where(AA.c.support_period_id == sp.c.id)
            .correlate(sp).scalar_subquery())


def waiting_on(when: date, sp=SP):
    """The support period waits for an assistant on `when`."""
    return and_(referral_day(sp) <= day(when),
                or_(sp.c.end_date.is_(None), sp.c.end_date >= day(when)),
                not_(exists(select(AA.c.id).where(AA.c.support_period_id == sp.c.id,
                                                  AA.c.start_date <= day(when)))))


def waiting_periods(when: date):
    """Periods of families (not archived) waiting on `when`: id, family, referral day, days waited."""
    ref = referral_day()
    return (select(SP.c.id.label("id"), SP.c.family_id.label("family_id"), SP.c.basis.label("basis"),
                   ref.label("referral_day"), days_between(day(when), ref).label("days"),
                   F.c.case_number.label("case_number"), F.c.name.label("name"))
            .select_from(SP.join(F, F.c.id == SP.c.family_id))
            .where(F.c.archived_at.is_(None), waiting_on(when)))


def first_assignments(first: date, last: date):
    """Per support period whose first assignment started within [first, last]: the days from its referral.
    Columns: id (the period), family_id, days, case_number, name."""
    start = func.min(AA.c.start_date).label("assigned")
    firsts = select(AA.c.support_period_id.label("period_id"), start).group_by(AA.c.support_period_id).subquery()
    return (select(SP.c.id.label("id"), SP.c.family_id.label("family_id"),
                   days_between(firsts.c.assigned, referral_day()).label("days"),
                   F.c.case_number.label("case_number"), F.c.name.label("name"))
            .select_from(SP.join(firsts, firsts.c.period_id == SP.c.id).join(F, F.c.id == SP.c.family_id))
            .where(F.c.archived_at.is_(None), firsts.c.assigned >= day(first), firsts.c.assigned <= day(last)))


def median_rows(first: date, last: date):
    """The rows of first_assignments with `amount`: the median's share. With n rows ordered by days, the middle row
    (n odd) carries its days, the two middle rows (n even) half their days each; the others 0 — so the sum of
    `amount` is the median, and the drill-down lists every assignment behind it with its days in the label."""
    base = first_assignments(first, last).subquery()
    rn = func.row_number().over(order_by=(base.c.days, base.c.id))
    n = func.count().over()
    ranked = select(base, rn.label("rn"), n.label("n")).subquery()
    lower = (ranked.c.n + 1) // 2
    upper = (ranked.c.n + 2) // 2
    share = case((and_(ranked.c.rn == lower, ranked.c.rn == upper), ranked.c.days * literal(1.0)),
                 (or_(ranked.c.rn == lower, ranked.c.rn == upper), ranked.c.days / literal(2.0)),
                 else_=literal(0.0))
    return ranked, share


