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


def parse_decimal(value) -> Decimal | None:
    """A number as a person types it, with a comma or a dot and grouped ("0,5", "1 234,56", "12\u00a0500"); None
    when it is not a finite number. The one reading of typed numbers (forms and import sheets alike)."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, (int, float)):
        number = Decimal(str(value))
        return number if number.is_finite() else None
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def num(value, places: int = 2, empty: str = "—") -> str:
    """A number with up to `places` decimals, grouped: 103 472,2; 4; 0,75."""
    n = _number(value)
    if n is None:
        return empty if value in (None, "") else str(value)
    pattern = "#,##0" + ("." + "#" * places if places > 0 else "")
    return format_decimal(n, format=pattern, locale=_locale())


def typed(value, empty: str = "") -> str:
    """A number as it goes back into a form field: no grouping, the locale's decimal sign (12500,5), so that
    parse_decimal reads it back unchanged in any locale."""
    n = _number(value)
    if n is None:
        return empty
    return format_decimal(n, format="0.##", locale=_locale())


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


FILTERS = {"num": num, "money": money, "hours": hours, "minutes_as_hours": minutes_as_hours, "day": day,
           "typed": typed}


def register(app) -> None:
    """Register the filters on the app's Jinja environment (called once from create_app)."""
    for name, fn in FILTERS.items():
        app.add_template_filter(fn, name)
