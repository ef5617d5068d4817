"""Moved: the reminder-rule contract is casework.core.reminders.

Kept only as a re-export because H10's deadlines work (issue 16, same session) is being written against this path
right now; delete once that lands and `grep -r reminders.registry casework tests` is empty.
"""
from casework.core.reminders import RULES, Candidate, Rule, all_rules, reminder_rule  # noqa: F401
