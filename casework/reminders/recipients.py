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
        return max(int(get_setting("reminder_catchup_days")), 0)
    except (TypeError, ValueError):
        return 30


def current_assistants(family_ids, today) -> dict[int, tuple[int, ...]]:
    """The assistants assigned to each family on `today` (a family may have none)."""
    from sqlalchemy import or_

    from casework.families.models import AssistantAssignment

    family_ids = list(set(family_ids))
    if not family_ids:
        return {}
    out: dict[int, set] = {}
    for family_id, assistant_id in db.session.execute(
            select(AssistantAssignment.family_id, AssistantAssignment.assistant_id)
            .where(AssistantAssignment.family_id.in_(family_ids), AssistantAssignment.start_date <= today,
                   or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= today))):
        out.setdefault(family_id, set()).add(assistant_id)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def assistants_or_coordinators(family_ids, today) -> dict[int, tuple[int, ...]]:
    """For each family: its current assistants, or the coordinators when it has none."""
    assistants = current_assistants(family_ids, today)
    coordinators = None
    out = {}
    for family_id in set(family_ids):
        if family_id in assistants:
            out[family_id] = assistants[family_id]
        else:
            coordinators = coordinator_ids() if coordinators is None else coordinators
            out[family_id] = coordinators
    return out
