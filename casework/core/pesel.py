"""PESEL, the Polish national identification number (11 digits: birth date, serial, sex, check digit).

A thin wrapper over python-stdnum's `stdnum.pl.pesel` (checksum, encoded birth date, sex): the one place that says,
in Polish, what is wrong with a PESEL. Rules about who the person is (a child's plausible age) live in the
owning domain (casework.families.rules)."""
import re
from datetime import date

from flask_babel import gettext as _
from stdnum.exceptions import ValidationError
from stdnum.pl import pesel as stdnum_pesel

from casework.core.timeutil import today_local

#: an encoded birth date more than this many years ago is not a living person's
MAX_AGE_YEARS = 120


class PeselError(ValueError):
    pass


def _digits(pesel: str) -> bool:
    return bool(re.fullmatch(r"\d{11}", pesel or ""))


def checksum_ok(pesel: str) -> bool:
    """11 digits with a correct check digit (the encoded date is not looked at)."""
    return _digits(pesel) and stdnum_pesel.calc_check_digit(pesel[:10]) == pesel[10]


def birth_date(pesel: str) -> date:
    """The birth date a PESEL encodes; PeselError when it encodes none."""
    if not _digits(pesel):
        raise PeselError("not 11 digits")
    try:
        return stdnum_pesel.get_birth_date(pesel)
    except (ValidationError, KeyError) as exc:  # KeyError: a month the century table does not know
        raise PeselError("no such date") from exc


def sex(pesel: str) -> str:
    """'F' or 'M', as encoded."""
    return stdnum_pesel.get_gender(pesel)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def pesel_problems(pesel: str | None, birth_date_entered: date | None = None, today: date | None = None) -> list[str]:
    """What is wrong with a PESEL, in Polish: its format and check digit, an encoded birth date that is not a date,
    lies in the future or more than MAX_AGE_YEARS ago, or differs from the birth date entered. [] when fine."""
    if not pesel:
        return []
    if not checksum_ok(pesel):
        return [_("The PESEL is not valid: it must have 11 digits and a correct check digit.")]
    try:
        encoded = birth_date(pesel)
        stdnum_pesel.validate(pesel)
    except (PeselError, ValidationError):
        return [_("The PESEL is not valid: it does not encode a date of birth.")]
    if today is None:
        today = today_local()
    if encoded > today:
        return [_("The PESEL encodes the date of birth %(date)s, which is in the future.", date=encoded.isoformat())]
    if encoded < years_before(today, MAX_AGE_YEARS):
        return [_("The PESEL encodes the date of birth %(date)s, more than %(years)d years ago; check the number.",
                  date=encoded.isoformat(), years=MAX_AGE_YEARS)]
    if birth_date_entered is not None and encoded != birth_date_entered:
        return [_("The PESEL encodes the date of birth %(date)s, which differs from the date entered.",
                  date=encoded.isoformat())]
    return []


def encode(born: date, serial: int) -> str:
    """A valid PESEL for a birth date (for synthetic demo data and tests)."""
    offset = {1800: 80, 1900: 0, 2000: 20, 2100: 40, 2200: 60}[born.year // 100 * 100]
    head = f"{born.year % 100:02d}{born.month + offset:02d}{born.day:02d}{serial % 10000:04d}"
    return head + stdnum_pesel.calc_check_digit(head)
