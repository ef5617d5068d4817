"""Reporting periods: a calendar year, a half-year or any range of days (dates in Europe/Warsaw)."""
from dataclasses import dataclass
from datetime import date, timedelta

from casework.core.formatting import day
from casework.core.timeutil import today_local

YEAR = "year"
HALF = "half"
RANGE = "range"


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str = RANGE

    def __post_init__(self):
        if self.end < self.start:
            raise PeriodError("the end of the period is before its start")

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return str(self.start.year)
        if self.kind == HALF:
            return f"{self.start.year} H{1 if self.start.month == 1 else 2}"
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    @property
    def title(self) -> str:
        """The period as a person reads it: "2026", "I półrocze 2026", "01.03.2026 – 31.05.2026".

        `label` stays the stable key (file names, reminder subjects); every screen and report header shows this."""
        try:
            from flask_babel import gettext as _  # local import: with a fallback when Babel is absent
        except ImportError:  # pragma: no cover
            def _(text, **kw):
                return text % kw
        if self.kind == YEAR:
            return str(self.start.year)
        if self.kind == HALF:
            if self.start.month == 1:
                return _("first half of %(year)d", year=self.start.year)
            return _("second half of %(year)d", year=self.start.year)
        return f"{day(self.start)} – {day(self.end)}"

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    def previous_year(self) -> "Period":
        """The same span one year earlier (29 February becomes 28 February)."""
        return Period(_shift_year(self.start, -1), _shift_year(self.end, -1), self.kind)


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), YEAR)


def half(y: int, h: int) -> Period:
    if h not in (1, 2):
        raise PeriodError("the half-year is 1 or 2")
    return Period(date(y, 1, 1), date(y, 6, 30), HALF) if h == 1 else Period(date(y, 7, 1), date(y, 12, 31), HALF)


def half_number(day: date) -> int:
    """1 for January–June, 2 for July–December."""
    return 1 if day.month <= 6 else 2


def half_containing(day: date) -> Period:
    """The half-year `day` falls in."""
    return half(day.year, half_number(day))


def halves_in(period: Period) -> list[Period]:
    """The half-years `period` covers (at least in part), in order."""
    found, current = [], half_containing(period.start)
    while current.start <= period.end:
        found.append(current)
        current = half_containing(current.end + timedelta(days=1))
    return found


def date_range(start: date, end: date) -> Period:
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return year(start.year)
    if start.year == end.year and (start.month, start.day, end.month, end.day) in ((1, 1, 6, 30), (7, 1, 12, 31)):
        return half(start.year, 1 if start.month == 1 else 2)
    return Period(start, end, RANGE)


def current_year() -> Period:
    return year(today_local().year)


def from_args(args) -> Period:
    """A period from request/CLI arguments: from+to, or year (+ half); default: the current year."""
    try:
        if args.get("from") or args.get("to"):
            if not (args.get("from") and args.get("to")):
                raise PeriodError("give both the start and the end of the period")
            return date_range(date.fromisoformat(str(args["from"])), date.fromisoformat(str(args["to"])))
        if args.get("year"):
            y = int(args["year"])
            if not 1990 <= y <= 2200:
                raise PeriodError("year out of range")
            if args.get("half"):
                return half(y, int(args["half"]))
            return year(y)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(str(exc)) from exc
    return current_year()
