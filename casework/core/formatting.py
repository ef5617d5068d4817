"""Numbers, money, hours and dates for people: one place, in the user's locale (Polish by default).

`12 833,30 zł`, `5,5 h`, `103 472,2`, `30.11.2026`. Registered once as Jinja filters (`register(app)`):
`num`, `money`, `hours`, `minutes_as_hours`, `day`. Exports to spreadsheets keep raw numbers (sums must work);
only what a person reads goes through here.
"""
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal

DEFAULT_LOCALE = "pl"


def _locale() -> str:
    try:
        from flask_babel import get_locale  # local import: inside the try that covers "no app context"

        return str(get_locale() or DEFAULT_LOCALE)
    except (RuntimeError, AttributeError):  # no app or request context (CLI, tests)
        return DEFAULT_LOCALE


def _number(value):
    if value is None or value == "":
        return None
    if isinstance(value, (int, float, Decimal)):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def num(value, places: int = 2, empty: str = "—") -> str:
    """A number with up to `places` decimals, grouped: 103 472,2; 4; 0,75."""
    n = _number(value)
    if n is None:
        return empty if value in (None, "") else str(value)
    pattern = "#,##0" + ("." + "#" * places if places > 0 else "")
    return format_decimal(n, format=pattern, locale=_locale())


def money(value, currency: str = "PLN", empty: str = "—") -> str:
    """An amount of money: 12 833,30 zł."""
    n = _number(value)
    if n is None:
        return empty if value in (None, "") else str(value)
    return format_currency(n, currency, locale=_locale())


def hours(value, empty: str = "—") -> str:
    """Hours with up to two decimals and the unit: 5,5 h."""
    n = _number(value)
    if n is None:
        return empty if value in (None, "") else str(value)
    return f"{num(n, 2)}\u00a0h"


def minutes_as_hours(minutes, empty: str = "—") -> str:
    """Minutes shown as hours: 330 → 5,5 h."""
    n = _number(minutes)
    if n is None:
        return empty
    return hours(Decimal(n) / 60 if not isinstance(n, float) else n / 60)


def day(value, empty: str = "—") -> str:
    """A date as the user reads it: 30.11.2026 (Polish), 2026-11-30 otherwise."""
    if value is None or value == "":
        return empty
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return str(value)
    return value.strftime("%d.%m.%Y") if _locale().startswith("pl") else value.isoformat()


FILTERS = {"num": num, "money": money, "hours": hours, "minutes_as_hours": minutes_as_hours, "day": day}


def register(app) -> None:
    """Register the filters on the app's Jinja environment (called once from create_app)."""
    for name, fn in FILTERS.items():
        app.add_template_filter(fn, name)
