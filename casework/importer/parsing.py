"""Cell parsers: each turns a spreadsheet cell into a value or raises CellError with a Polish message."""
import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext as _

from casework.core import pesel as pesel_rules

TRUE = {"tak", "t", "1", "true", "prawda", "yes", "x"}
FALSE = {"nie", "n", "0", "false", "fałsz", "no", ""}


class CellError(ValueError):
    pass


def text(max_length: int):
    def parse(value):
        if value is None:
            return None
        value = str(value).strip()
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
            raise CellError(_("The cell contains control characters."))
        if len(value) > max_length:
            raise CellError(_("The text is longer than %(n)d characters.", n=max_length))
        return value or None
    return parse


def day(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    value = str(value).strip()
    for pattern in (r"(\d{4})-(\d{1,2})-(\d{1,2})$", r"(\d{1,2})\.(\d{1,2})\.(\d{4})$"):
        m = re.match(pattern, value)
        if m:
            parts = [int(x) for x in m.groups()]
            y, mo, d = parts if pattern.startswith(r"(\d{4})") else (parts[2], parts[1], parts[0])
            try:
                return date(y, mo, d)
            except ValueError:
                break
    raise CellError(_("Enter a date as YYYY-MM-DD or DD.MM.YYYY."))


def clock(value):
    if value in (None, ""):
        return None
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    m = re.match(r"(\d{1,2}):(\d{2})$", str(value).strip())
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        return time(int(m.group(1)), int(m.group(2)))
    raise CellError(_("Enter a time as HH:MM."))


def whole(low: int, high: int):
    def parse(value):
        if value in (None, ""):
            return None
        try:
            number = float(str(value).replace(",", ".").strip())
        except ValueError as exc:
            raise CellError(_("Enter a whole number.")) from exc
        if number != int(number) or not low <= number <= high:
            raise CellError(_("Enter a whole number from %(low)d to %(high)d.", low=low, high=high))
        return int(number)
    return parse


def yes_no(value):
    value = "" if value is None else str(value).strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise CellError(_("Enter tak or nie."))


def choice(mapping: dict):
    """Polish spreadsheet words → the stored codes (the codes themselves are accepted too)."""
    def parse(value):
        if value in (None, ""):
            return None
        key = str(value).strip().lower()
        if key in mapping:
            return mapping[key]
        if key in mapping.values():
            return key
        raise CellError(_("Allowed values: %(values)s.", values=", ".join(sorted(mapping))))
    parse.allowed = mapping
    return parse


def pesel(value):
    if value in (None, ""):
        return None
    value = str(value).strip()
    if value.endswith(".0"):
        value = value[:-2]
    if not re.fullmatch(r"\d{11}", value) or not pesel_rules.checksum_ok(value):
        raise CellError(_("The PESEL number is not valid."))
    return value


def money(value):
    """An amount in złoty: 1234,56 / 1 234.56 / a number cell; never negative, two decimals."""
    if value in (None, ""):
        return None
    raw = str(value).replace("\u00a0", "").replace(" ", "").replace("zł", "").replace(",", ".").strip()
    try:
        amount = Decimal(raw)
    except InvalidOperation as exc:
        raise CellError(_("Enter an amount in złoty, e.g. 1234,56.")) from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal("10000000"):
        raise CellError(_("Enter an amount in złoty, e.g. 1234,56."))
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP)


def month(value):
    """A month: YYYY-MM, MM.YYYY or any date in it; the first day of the month."""
    if value in (None, ""):
        return None
    if isinstance(value, (date, datetime)):
        found = value.date() if isinstance(value, datetime) else value
        return date(found.year, found.month, 1)
    value = str(value).strip()
    for pattern, order in ((r"(\d{4})-(\d{1,2})$", "ym"), (r"(\d{1,2})\.(\d{4})$", "my")):
        m = re.match(pattern, value)
        if m:
            a, b = (int(x) for x in m.groups())
            y, mo = (a, b) if order == "ym" else (b, a)
            if 1 <= mo <= 12 and 1900 < y < 2200:
                return date(y, mo, 1)
    try:
        found = day(value)
    except CellError:
        raise CellError(_("Enter the month as YYYY-MM or MM.YYYY.")) from None
    return date(found.year, found.month, 1)
