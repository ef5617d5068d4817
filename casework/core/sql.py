"""Dialect-neutral date expressions for indicator, check and deadline queries (SQLite and PostgreSQL)."""
from sqlalchemy import Date, Float, Integer, and_, case, cast, extract, literal, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class add_days(FunctionElement):
    """date + n days."""

    type = Date()
    inherit_cache = True
    name = "add_days"


@compiles(add_days)
def _add_days_default(element, compiler, **kw):
    expr, days = list(element.clauses)
    return "(%s + %s)" % (compiler.process(expr, **kw), compiler.process(days, **kw))


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    expr, days = list(element.clauses)
    return "date(%s, (%s || ' days'))" % (compiler.process(expr, **kw), compiler.process(days, **kw))


def day(value):
    """A date as a typed SQL literal."""
    return literal(value, Date)


def ymd(expr):
    """A date as the integer YYYYMMDD: differences of two such numbers // 10000 give full years of age."""
    return (cast(extract("year", expr), Integer) * 10000 + cast(extract("month", expr), Integer) * 100
            + cast(extract("day", expr), Integer))


def least(a, b):
    """The earlier of two dates; a may be NULL (an open end), then b."""
    return case((and_(a.is_not(None), a < b), a), else_=b)


def greatest(a, b):
    return case((a > b, a), else_=b)


def overlaps(start_col, end_col, period):
    """[start, end or open] overlaps the period."""
    return and_(start_col <= day(period.end), or_(end_col.is_(None), end_col >= day(period.start)))


def open_on(start_col, end_col, when):
    return and_(start_col <= day(when), or_(end_col.is_(None), end_col >= day(when)))


def under_18_some_day(birth_col, first_day, last_day):
    """Born by last_day and still under 18 on first_day (so under 18 on some day of [first_day, last_day])."""
    return and_(birth_col.is_not(None), birth_col <= last_day, ymd(first_day) - ymd(birth_col) < 180000)


def months_within(start, end, months: int):
    """end <= start + `months` calendar months (day clamped to the month's end, as in law)."""
    diff = ((cast(extract("year", end), Integer) - cast(extract("year", start), Integer)) * 12
            + cast(extract("month", end), Integer) - cast(extract("month", start), Integer))
    return or_(diff < months, and_(diff == months,
                                   cast(extract("day", end), Integer) <= cast(extract("day", start), Integer)))


class seconds_between(FunctionElement):
    """later - earlier, in seconds, for two timestamp columns (SQLite and PostgreSQL)."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds_between_default(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return "EXTRACT(EPOCH FROM (%s - %s))" % (compiler.process(later, **kw), compiler.process(earlier, **kw))


@compiles(seconds_between, "sqlite")
def _seconds_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return "((julianday(%s) - julianday(%s)) * 86400.0)" % (compiler.process(later, **kw),
                                                          compiler.process(earlier, **kw))
