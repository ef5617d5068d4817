"""The deadline contract: one deadline concept for the boards, the iCal feed and the reminders.

Each domain contributes `casework/<domain>/deadlines.py` with a list `DEADLINES` of `DeadlineKind`s:

    DEADLINES = [DeadlineKind("court_opinion", _l("Opinion for the court due"), order=50, rows=_rows, render=_render)]

    def _rows(family_ids, today):      # SQL: one row per deadline, due date computed in the database
        stmt = select(*deadline_row(CourtOpinion.family_id, CourtOpinion.due_on, ref_id=CourtOpinion.id))...
        return stmt.where(CourtOpinion.family_id.in_(family_ids)) if family_ids is not None else stmt

    def _render(rows, today):          # the rows shown -> Deadline objects, one per row, in order, few queries
        ...

`rows(family_ids, today)` is a SELECT of the columns `deadline_row(...)` makes (family_id, due, user_id, ref_id)
of every deadline of the kind for the families `family_ids` (None: the whole centre; a list or a SELECT of ids),
as of `today`, with no window on the due date. Consumers UNION the kinds, cut the window in SQL, order by the due
date and LIMIT/OFFSET in the database, and render only the rows they show:
  - the boards and the feed (`board`): up to `today + HORIZON_DAYS`, as the kind's `shown` says
    (AHEAD: anything up to the horizon, an old lapse included; UPCOMING: from today on — an event, e.g. monitoring
    ends; LAPSED: once the day has come — e.g. no visit for too long; ONGOING: a state, dated today on the board,
    its own due date being when it began — e.g. an assistant at the caseload cap);
  - a reminder (`window`): a deadline, minus its lead days, to its recipients — due between
    `today - catchup_days()` and `today + lead_days` (casework.core.reminders).
`centre_only` kinds (no family) are shown only for the whole centre. Core imports no other casework package; the
contributors are found by `domain_modules("deadlines")`.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from sqlalchemy import Date, Integer, String, cast, func, literal_column, select, type_coerce, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from casework.core.modules import domain_modules
from casework.core.sql import day
from casework.extensions import db

#: how far ahead the boards and the feed look
HORIZON_DAYS = 30

AHEAD, UPCOMING, LAPSED, ONGOING = "ahead", "upcoming", "lapsed", "ongoing"


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
    #: the users responsible when the domain knows them (e.g. the period's last assistant); empty: the reminder
    #: rule decides (the family's current assistants, or the coordinators)
    owner_ids: tuple = field(default=(), compare=False)
    #: what a reminder shows next to its label (default: the case number)
    subject: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class DeadlineKind:
    code: str
    #: the kind's name in the board's filter and the feed's summaries
    label: object
    #: rows(family_ids, today) -> SELECT of deadline_row(...) columns
    rows: Callable
    #: render(rows, today) -> [Deadline], one per row, in the same order (a constant number of queries)
    render: Callable
    order: int = 50
    shown: str = AHEAD
    centre_only: bool = False

    def __post_init__(self):
        if not self.code.replace("_", "").isalnum():
            raise ValueError(f"a deadline kind's code is a plain word: {self.code!r}")


def deadline_row(family_id, due, user_id=None, ref_id=None) -> list:
    """The columns of a kind's SELECT: family, due date, responsible user, the id of the record (NULL typed, so
    the kinds UNION on PostgreSQL too)."""
    def typed(value):
        return cast(None, Integer) if value is None else value
    return [typed(family_id).label("family_id"), type_coerce(due, Date).label("due"),
            typed(user_id).label("user_id"), typed(ref_id).label("ref_id")]


class add_months(FunctionElement):
    """date + n calendar months, the day clamped to the month's end (31 Aug + 6 months = 28/29 Feb), as
    casework.assessments.services.add_months in Python. `months` is a Python int."""

    type = Date()
    inherit_cache = True
    name = "add_months"

    def __init__(self, expr, months: int):
        super().__init__(expr, literal_column(str(int(months))))


@compiles(add_months)
def _add_months_default(element, compiler, **kw):
    expr, months = list(element.clauses)
    return "CAST(%s + %s * INTERVAL '1 month' AS DATE)" % (compiler.process(expr, **kw),
                                                         compiler.process(months, **kw))


@compiles(add_months, "sqlite")
def _add_months_sqlite(element, compiler, **kw):
    expr, months = list(element.clauses)
    x, n = compiler.process(expr, **kw), int(str(compiler.process(months, **kw)))
    return ("min(date(%s, 'start of month', '+%d months', '+' || (CAST(strftime('%%d', %s) AS INTEGER) - 1) "
            "|| ' days'), date(%s, 'start of month', '+%d months', '-1 day'))" % (x, n, x, x, n + 1))


_kinds: dict[str, DeadlineKind] | None = None


def kinds() -> dict[str, DeadlineKind]:
    """Every domain's deadline kinds by code, in their order (discovered once)."""
    global _kinds
    if _kinds is None:
        found = [k for m in domain_modules("deadlines") for k in getattr(m, "DEADLINES", ())]
        _kinds = {k.code: k for k in sorted(found, key=lambda k: (k.order, k.code))}
    return _kinds


def _select(kind: DeadlineKind, family_ids, today: date, *, board: bool, earliest=None, latest=None):
    sub = kind.rows(family_ids, today).subquery()
    due = day(today) if board and kind.shown == ONGOING else sub.c.due
    stmt = select(literal_column(f"'{kind.code}'", String).label("kind"), sub.c.family_id, type_coerce(due, Date).label("due"),
                  sub.c.user_id, sub.c.ref_id)
    if board:
        horizon = day(today + timedelta(days=HORIZON_DAYS))
        if kind.shown == AHEAD:
            stmt = stmt.where(sub.c.due <= horizon)
        elif kind.shown == UPCOMING:
            stmt = stmt.where(sub.c.due >= day(today), sub.c.due <= horizon)
        elif kind.shown == LAPSED:
            stmt = stmt.where(sub.c.due <= day(today))
    if earliest is not None:
        stmt = stmt.where(sub.c.due >= day(earliest))
    if latest is not None:
        stmt = stmt.where(sub.c.due <= day(latest))
    return stmt


def _union(selects):
    return (selects[0] if len(selects) == 1 else union_all(*selects)).subquery()


def render(rows, today: date) -> list[Deadline]:
    """The Deadline objects of `rows` (kind, family_id, due, user_id, ref_id), in the same order: each kind
    renders its rows at once."""
    by_kind: dict[str, list] = {}
    for n, row in enumerate(rows):
        by_kind.setdefault(row.kind, []).append((n, row))
    out: list = [None] * len(rows)
    for code, numbered in by_kind.items():
        for (n, _row), deadline in zip(numbered, kinds()[code].render([r for _n, r in numbered], today)):
            out[n] = deadline
    return out


def board(family_ids, today: date, *, include_centre: bool, kind: str | None = None, offset: int = 0,
          limit: int | None = None) -> tuple[list[Deadline], int]:
    """(the deadlines shown, how many there are) for the boards and the feed: filtered, ordered by due date and
    paginated in the database; only the rows shown are rendered."""
    chosen = [k for k in kinds().values() if (kind is None or k.code == kind)
              and (include_centre or not k.centre_only) and not (k.centre_only and family_ids is not None)]
    if not chosen:
        return [], 0
    return _page(_union([_select(k, family_ids, today, board=True) for k in chosen]), today, offset, limit)


def due_between(today: date, earliest: date, latest: date, *, family_ids=None,
                limit: int | None = None) -> tuple[list[Deadline], int]:
    """(the deadlines of every kind due between `earliest` and `latest` — a state while it lasts — ordered by due
    date, how many there are): one query, only the first `limit` rendered (the coordinator's week)."""
    chosen = [k for k in kinds().values() if not (k.centre_only and family_ids is not None)]
    if not chosen:
        return [], 0
    return _page(_union([_select(k, family_ids, today, board=False, latest=latest,
                                 earliest=None if k.shown == ONGOING else earliest) for k in chosen]),
                 today, 0, limit)


def _page(union, today: date, offset: int, limit: int | None) -> tuple[list[Deadline], int]:
    order = (union.c.due, union.c.kind, union.c.family_id, union.c.ref_id)
    if limit is None:
        rows = db.session.execute(select(union).order_by(*order)).all()
        return render(rows, today), len(rows)
    # the page and the number of rows in one pass over the union (a window count); a page past the end asks again
    rows = db.session.execute(select(union, func.count().over().label("total")).order_by(*order)
                              .limit(limit).offset(offset)).all()
    total = rows[0].total if rows else db.session.scalar(select(func.count()).select_from(union))
    return render(rows, today), total


def window(code: str, today: date, earliest: date, latest: date, family_ids=None) -> list[Deadline]:
    """The deadlines of one kind due between `earliest` and `latest` (a reminder rule's window)."""
    kind = kinds()[code]
    # a state (ONGOING) reminds while it lasts, however long ago it began (the reminder's key makes it once)
    earliest = None if kind.shown == ONGOING else earliest
    union = _union([_select(kind, family_ids, today, board=False, earliest=earliest, latest=latest)])
    rows = db.session.execute(select(union).order_by(union.c.due, union.c.family_id, union.c.ref_id)).all()
    return render(rows, today)

