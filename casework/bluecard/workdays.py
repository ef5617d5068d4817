"""Polish working days: Monday to Friday except public holidays (the `holidays` package's calendar of Poland,
which follows the statute on public holidays, ustawa o dniach wolnych od pracy, incl. 24 December from 2025)."""
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset:
    return frozenset(holidays.Poland(years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


@lru_cache(maxsize=8192)
def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (the deadline: "within N working days" of `start`)."""
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
