"""Queries of the family lists: status in SQL, filters, search, Polish order. One rule for visibility."""
from datetime import date

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import selectinload

from casework.families.access import visible_families_clause
from casework.families.models import AssistantAssignment, Family, FamilyMember, SupportPeriod


def _open_on(day: date):
    return exists(select(SupportPeriod.id).where(
        SupportPeriod.family_id == Family.id, SupportPeriod.start_date <= day,
        or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= day)))


def _monitored_on(day: date):
    return exists(select(SupportPeriod.id).where(
        SupportPeriod.family_id == Family.id, SupportPeriod.end_date < day,
        SupportPeriod.monitoring_until >= day))


def status_clause(status: str, day: date):
    if status == "archived":
        return Family.archived_at.is_not(None)
    live = Family.archived_at.is_(None)
    if status == "active":
        return and_(live, _open_on(day))
    if status == "monitoring":
        return and_(live, not_(_open_on(day)), _monitored_on(day))
    if status == "closed":
        has_period = exists(select(SupportPeriod.id).where(SupportPeriod.family_id == Family.id))
        return and_(live, has_period, not_(_open_on(day)), not_(_monitored_on(day)))
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
        stmt = stmt.where(exists(select(AssistantAssignment.id).where(
            AssistantAssignment.family_id == Family.id, AssistantAssignment.assistant_id == assistant_id,
            AssistantAssignment.start_date <= day,
            or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= day))))
    if area:
        stmt = stmt.where(Family.area == area)
    if basis:
        stmt = stmt.where(exists(select(SupportPeriod.id).where(
            SupportPeriod.family_id == Family.id, SupportPeriod.basis == basis,
            or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= day))))
    if za_zyciem:
        stmt = stmt.where(exists(select(SupportPeriod.id).where(
            SupportPeriod.family_id == Family.id, SupportPeriod.za_zyciem_request_date.is_not(None))))
    return stmt.options(
        selectinload(Family.support_periods).selectinload(SupportPeriod.assignments)
        .selectinload(AssistantAssignment.assistant),
    ).order_by(Family.name_sort, Family.id)


def my_families_query(user, day: date):
    """The assistant's families now: assigned today (the same rule as access)."""
    stmt = select(Family).where(Family.archived_at.is_(None), exists(select(AssistantAssignment.id).where(
        AssistantAssignment.family_id == Family.id, AssistantAssignment.assistant_id == user.id,
        AssistantAssignment.start_date <= day,
        or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= day))))
    return stmt.options(selectinload(Family.support_periods).selectinload(SupportPeriod.assignments)
                        .selectinload(AssistantAssignment.assistant),
                        selectinload(Family.members)).order_by(Family.name_sort, Family.id)


def caseloads(day: date):
    """(assistant, active families) for every active assistant."""
    from casework.auth.models import User, UserRole

    count = (select(AssistantAssignment.assistant_id, func.count(func.distinct(AssistantAssignment.family_id))
                    .label("n"))
             .join(SupportPeriod, SupportPeriod.id == AssistantAssignment.support_period_id)
             .where(AssistantAssignment.start_date <= day,
                    or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= day),
                    or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= day))
             .group_by(AssistantAssignment.assistant_id).subquery())
    stmt = (select(User, func.coalesce(count.c.n, 0))
            .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == "assistant"))
            .outerjoin(count, count.c.assistant_id == User.id)
            .where(User.is_active_account.is_(True)).order_by(User.full_name))
    return stmt
