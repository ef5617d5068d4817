"""Who is responsible for a family on a day: its current assistants, or the coordinators when it has none
(the recipients of reminders and the owners of deadlines)."""
from sqlalchemy import or_, select

from casework.auth.roster import coordinator_ids
from casework.extensions import db
from casework.families.models import AssistantAssignment


def current_assistants(family_ids, today) -> dict[int, tuple[int, ...]]:
    """The assistants assigned to each family on `today` (a family may have none)."""
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
