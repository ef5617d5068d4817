"""Moved: users by role are in casework.auth.roster, a family's assistants in casework.families.responsible,
catchup_days in casework.core.reminders.

Kept only as a re-export because H10's deadlines work (issue 16, same session) is being written against this path
right now; delete once that lands and `grep -r reminders.recipients casework tests` is empty.
"""
from casework.auth.roster import coordinator_ids, users_with_role  # noqa: F401
from casework.core.reminders import catchup_days  # noqa: F401
from casework.families.responsible import assistants_or_coordinators, current_assistants  # noqa: F401
