"""Active users by role (who receives what is addressed to a role: reminders, deadlines)."""
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
