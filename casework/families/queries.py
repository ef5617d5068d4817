"""Queries of the family lists: status in SQL, filters, search, Polish order. One rule for visibility."""
from datetime import date

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import selectinload

from casework.auth.models import User, UserRole
from casework.families.access import assigned_family_ids, visible_families_clause
from casework.families.models import AssistantAssignment, Family, FamilyMember, SupportPeriod
from casework.families.rules import caseload_counts

# Conditions on Family are `Family.id IN (SELECT family_id …)`, not correlated EXISTS: SQLite would otherwise
# walk every family of a large centre and probe for each one (bench/RESULTS.md, the family list at the city tier).

def _with_period(*conditions):
    return Family.id.in_(select(SupportPeriod.family_id).where(*conditions))


def _open_on(day: date):
    return _with_period(SupportPeriod.start_date <= day,
                        or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= day))


def _monitored_on(day: date):
    return _with_period(SupportPeriod.end_date < day, SupportPeriod.monitoring_until >= day)


def status_clause(status: str, day: date):
    if status == "archived":
        return Family.archived_at.is_not(None)
    live = Family.archived_at.is_(None)
    if status == "active":
        return and_(live, _open_on(day))
    if status == "monitoring":
        return and_(live, not_(_open_on(day)), _monitored_on(day))
    if status == "closed":
        return and_(live, _with_period(), not_(_open_on(day)), not_(_monitored_on(day)))
    return live


def family_list_query(user, *, day: date, status: str = "", q: str = "", assistant_id: int | None = None,
                      area: str = "", basis: str = "", za_zyciem: bool = False):
    stmt = select(Family).where(visible_families_clause(user, today=day))
    stmt = stmt.where(status_clause(status, day))
    if q:
        like = f"%{q.lower()}%"
        member_match = exists(select(FamilyMember.id).where(
            FamilyMember.family_id == Family.id, FamilyMember.archived_at.is_(None),
            or_(func.lower(FamilyMember.last_name).like(like), func.lower(FamilyMember.first_name).like(like),
                FamilyMember.pesel == q)))
        stmt = stmt.where(or_(func.lower(Family.name).like(like), func.lower(Family.case_number).like(like),
                              member_match))
    if assistant_id:
        stmt = stmt.where(Family.id.in_(assigned_family_ids(assistant_id, day)))
    if area:
        stmt = stmt.where(Family.area == area)
    if basis:
        stmt = stmt.where(_with_period(SupportPeriod.basis == basis,
                                       or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= day)))
    if za_zyciem:
        stmt = stmt.where(_with_period(SupportPeriod.za_zyciem_request_date.is_not(None)))
    return stmt.options(
        selectinload(Family.support_periods).selectinload(SupportPeriod.assignments)
        .selectinload(AssistantAssignment.assistant),
    ).order_by(Family.name_sort, Family.id)


def my_families_query(user, day: date):
    """The assistant's families now: assigned today (the same rule as access)."""
    stmt = select(Family).where(Family.archived_at.is_(None), Family.id.in_(assigned_family_ids(user.id, day)))
    return stmt.options(selectinload(Family.support_periods).selectinload(SupportPeriod.assignments)
                        .selectinload(AssistantAssignment.assistant),
                        selectinload(Family.members)).order_by(Family.name_sort, Family.id)


def caseloads(day: date):
    """(assistant, active families) for every active assistant: the active caseload as casework.families.rules
    defines it (the same count the assignment refusal, the reminder and access use)."""
    count = caseload_counts(day).subquery()
    stmt = (select(User, func.coalesce(count.c.families, 0))
            .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == "assistant"))
            .outerjoin(count, count.c.assistant_id == User.id)
            .where(User.is_active_account.is_(True)).order_by(User.full_name))
    return stmt


def caseload_rows(day: date, *, limit: int | None = None, offset: int = 0, busiest_first: bool = False):
    """SELECT (id, full_name, families) of active assistants, the same count as `caseloads`, as plain rows (no user
    objects and their roles loaded): one page of the caseloads page, or the busiest assistants for the dashboard.
    A page is a bounded number of rows, so the page costs the same for 5 assistants or 200."""
    count = caseload_counts(day).subquery()
    families = func.coalesce(count.c.families, 0).label("families")
    stmt = (select(User.id, User.full_name, families)
            .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == "assistant"))
            .outerjoin(count, count.c.assistant_id == User.id)
            .where(User.is_active_account.is_(True)))
    stmt = stmt.order_by(families.desc(), User.full_name, User.id) if busiest_first \
        else stmt.order_by(User.full_name, User.id)
    return stmt.limit(limit).offset(offset) if limit is not None else stmt


def active_assistant_count():
    """SELECT the number of active assistants (the rows of the caseloads page)."""
    return (select(func.count(func.distinct(User.id)))
            .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == "assistant"))
            .where(User.is_active_account.is_(True)))
