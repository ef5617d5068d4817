"""The deadline contract: one deadline concept for the boards, the iCal feed and the reminders.

Each domain contributes `casework/<domain>/deadlines.py` with

    def deadlines(family_ids, today) -> Iterable[Deadline]

yielding every deadline of its kind(s) for the families `family_ids` (None: the whole centre; a list or a SELECT
of family ids: only those) as of `today`, with no lower bound on the due date (an old lapse is still a lapse).
Consumers cut the window they need: the board and the feed up to `today + HORIZON_DAYS`
(`casework.deadlines.services.collect`), a reminder rule from `today - catchup_days()` to `today + lead_days`
(`reminder_window`), to the deadline's `owner_ids` (or the coordinators when it has none).
Deadlines that belong to no family (an assistant at the caseload cap) are yielded only for the whole centre.
Core imports no other casework package; the contributors are found by `domain_modules("deadlines")`.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Iterable

from casework.core.modules import domain_modules

#: how far ahead the boards and the feed look
HORIZON_DAYS = 30


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: date
    title: object  # a (lazy) translated string
    family_id: int | None = None
    case_number: str | None = None
    url_endpoint: str | None = None
    url_args: tuple = ()
    #: the record a reminder about this deadline belongs to (reminders' unique key), e.g. ("court_opinion", 7)
    record_type: str | None = field(default=None, compare=False)
    record_id: int | None = field(default=None, compare=False)
    #: the users responsible (e.g. the family's current assistant); empty: nobody in particular (coordinators)
    owner_ids: tuple = field(default=(), compare=False)

    @property
    def overdue_on(self):
        return self.due


_sources: list[Callable] | None = None


def sources() -> list[Callable]:
    """Every domain's `deadlines(family_ids, today)` function (discovered once)."""
    global _sources
    if _sources is None:
        _sources = [m.deadlines for m in domain_modules("deadlines") if hasattr(m, "deadlines")]
    return _sources


def all_deadlines(family_ids, today: date) -> list[Deadline]:
    out: list[Deadline] = []
    for source in sources():
        out.extend(source(family_ids, today))
    return out


def reminder_window(items: Iterable[Deadline], today: date, lead_days: int, catchup: int) -> list[Deadline]:
    """The deadlines whose reminder day (due - lead_days) has come and that are not older than the catch-up."""
    earliest, latest = today - timedelta(days=catchup), today + timedelta(days=lead_days)
    return [d for d in items if earliest <= d.due <= latest]
