"""The one rule that decides who may see a family, and the loader every family-scoped view uses.

- administrators and coordinators: every family;
- an assistant: the families in their active caseload today (casework.families.rules.caseload_select: assigned
  today, in a support period open today, the family not archived);
- a social worker: families they are responsible for, or whose support period they referred;
- anyone else (including a ZI member by that role alone): none. Blue-card content has its own compartment.
A family someone may not see answers 404, the same as a family that does not exist.
"""
from flask import abort
from flask_login import current_user
from sqlalchemy import false, or_, select, true

from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR, SOCIAL_WORKER
from casework.core import audit
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.models import Family, SupportPeriod
from casework.families.rules import assigned_family_ids  # noqa: F401 - the one definition of the active caseload


def sees_all_families(user) -> bool:
    return user.is_authenticated and user.has_role(ADMIN, COORDINATOR)


def visible_families_clause(user, *, today=None):
    """A SQL condition on Family for the families `user` may see (use it in every list and search)."""
    if not user.is_authenticated:
        return false()
    if sees_all_families(user):
        return true()
    today = today or today_local()
    conditions = []
    # IN (subquery), not a correlated EXISTS: SQLite would walk every family and probe for each one; this way
    # the database starts from the user's few assignments (bench/RESULTS.md, "Moje rodziny" at the city tier)
    if user.has_role(ASSISTANT):
        conditions.append(Family.id.in_(assigned_family_ids(user.id, today)))
    if user.has_role(SOCIAL_WORKER):
        conditions.append(Family.social_worker_id == user.id)
        conditions.append(Family.id.in_(select(SupportPeriod.family_id).where(SupportPeriod.referred_by_id == user.id)))
    return or_(*conditions) if conditions else false()


def can_view_family(user, family: Family, *, today=None) -> bool:
    if family is None or not user.is_authenticated:
        return False
    if family.is_archived and not sees_all_families(user):
        return False
    if sees_all_families(user):
        return True
    stmt = select(Family.id).where(Family.id == family.id, visible_families_clause(user, today=today))
    return db.session.scalar(stmt) is not None


def load_family_or_404(family_id: int, *, user=None, action: str = "family_viewed") -> Family:
    """Load a family the current user may see, and audit the access; 404 otherwise."""
    user = user or current_user
    family = db.session.get(Family, family_id)
    if family is None or not can_view_family(user, family):
        abort(404)
    if action:
        audit.read(action, family, user=user)  # committed once, after the request
    return family
