"""Who receives reminders: helpers for rules."""
from sqlalchemy import select

from casework.auth.models import User, UserRole
from casework.auth.roles import COORDINATOR
from casework.extensions import db


def users_with_role(role: str) -> tuple[int, ...]:
    return tuple(db.session.scalars(
        select(User.id).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == role, User.is_active_account.is_(True)).order_by(User.id)))


def coordinator_ids() -> tuple[int, ...]:
    return users_with_role(COORDINATOR)


def catchup_days() -> int:
    """How far back a rule still reminds about a deadline whose reminder day passed unnoticed (downtime)."""
    from casework.core.settings import get_setting

    try:
        return max(int(get_setting("reminder_catchup_days", 30)), 0)
    except (TypeError, ValueError):
        return 30
