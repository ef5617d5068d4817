"""The work-time sheet contract (karta czasu pracy asystenta rodziny, issue 21): an assistant on task-based working
time accounts for the whole job — visits, contacts with institutions, team meetings, trainings, court hearings,
travel and office work. Each domain contributes its kind of work in ``casework/<domain>/worktime.py``::

    WORK = [WorkSource(kinds=(("visits", _l("Visits")),), order=10, rows=_rows)]

where ``rows(user_id, first, last)`` returns the user's rows of the month as ``WorkRow`` of the source's kinds (one
query per source, so the sheet is a fixed number of queries however long the month). The sheet (``sheet``) adds them up per day, per
kind and per family; the page and its XLSX/DOCX exports read only the sheet.

The rule for how long one piece of work can be is here, once (``duration_problem``): visits, contacts, meetings
and the other work entries all call it."""
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from flask_babel import gettext as _

from casework.core.modules import domain_modules

#: the longest piece of work one entry may record: a working day with overtime (Kodeks pracy art. 129 § 1 sets
#: 8 hours a day on average; an assistant's visit or a court hearing with travel may run longer, never past 12)
MAX_MINUTES = 12 * 60


def duration_problem(minutes, *, required: bool) -> str | None:
    """The Polish message when `minutes` cannot be a piece of work's duration; None when it can."""
    if minutes is None:
        return _("Enter how long it took (in minutes).") if required else None
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        return _("The duration must be between 1 minute and 12 hours.")
    return None


@dataclass(frozen=True)
class WorkRow:
    day: date
    kind: str
    #: the family the work was for ("" when none): case number and name
    family: str = ""
    #: what it was (an institution, a training's title, a note) — never a person's data beyond the family's name
    detail: str = ""
    count: int = 1
    #: None: the time was not given (a contact logged without its duration)
    minutes: int | None = None
    #: the id of the entry this row is, when the sheet's page may remove it (work entered on the sheet)
    ref: int | None = None


@dataclass(frozen=True)
class WorkSource:
    #: ((code, label), …) of the kinds of work its rows carry, in the sheet's order
    kinds: tuple
    order: int
    rows: Callable


@dataclass
class Sheet:
    first: date
    last: date
    rows: list = field(default_factory=list)
    kinds: list = field(default_factory=list)

    @property
    def total_minutes(self) -> int:
        return sum(r.minutes or 0 for r in self.rows)

    @property
    def by_day(self) -> dict:
        out: dict = {}
        for r in self.rows:
            out[r.day] = out.get(r.day, 0) + (r.minutes or 0)
        return out

    @property
    def by_kind(self) -> list[tuple]:
        """[(label, number of entries, minutes)] of the kinds of work that have rows, in the sources' order."""
        out = []
        for code, label in self.kinds:
            rows = [r for r in self.rows if r.kind == code]
            if rows:
                out.append((label, sum(r.count for r in rows), sum(r.minutes or 0 for r in rows)))
        return out

    @property
    def by_family(self) -> list[tuple]:
        out: dict = {}
        for r in self.rows:
            if r.family:
                out[r.family] = out.get(r.family, 0) + (r.minutes or 0)
        return sorted(out.items())

    def label(self, code: str):
        return dict(self.kinds).get(code, code)


_sources: list | None = None


def sources() -> list[WorkSource]:
    global _sources
    if _sources is None:
        found = [s for m in domain_modules("worktime") for s in getattr(m, "WORK", ())]
        _sources = sorted(found, key=lambda s: (s.order, s.kinds[0][0]))
    return _sources


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def sheet(user_id: int, year: int, month: int) -> Sheet:
    """The user's work of the month from every source, by day (the sources' order within a day)."""
    first, last = month_bounds(year, month)
    kinds = [kind for s in sources() for kind in s.kinds]
    rows = [row for s in sources() for row in s.rows(user_id, first, last)]
    order = {code: n for n, (code, _label) in enumerate(kinds)}
    rows.sort(key=lambda r: (r.day, order.get(r.kind, 99), r.family, r.detail))
    return Sheet(first, last, rows, kinds)
