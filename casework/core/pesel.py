"""PESEL: the Polish national identification number (11 digits: birth date, serial, sex, checksum)."""
from datetime import date

WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
#: month offsets encode the century
CENTURY_OFFSETS = {80: 1800, 0: 1900, 20: 2000, 40: 2100, 60: 2200}


class PeselError(ValueError):
    pass


def checksum_ok(pesel: str) -> bool:
    if len(pesel) != 11 or not pesel.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(pesel[:10], WEIGHTS))
    return (10 - total % 10) % 10 == int(pesel[10])


def birth_date(pesel: str) -> date:
    """The birth date a PESEL encodes; PeselError when it encodes none."""
    year, month, day = int(pesel[0:2]), int(pesel[2:4]), int(pesel[4:6])
    for offset, century in CENTURY_OFFSETS.items():
        if offset < month <= offset + 12:
            try:
                return date(century + year, month - offset, day)
            except ValueError as exc:
                raise PeselError("no such date") from exc
    raise PeselError("no such month")


def encode(born: date, serial: int) -> str:
    """A valid PESEL for a birth date (for synthetic demo data and tests)."""
    offset = {1800: 80, 1900: 0, 2000: 20, 2100: 40, 2200: 60}[born.year // 100 * 100]
    head = f"{born.year % 100:02d}{born.month + offset:02d}{born.day:02d}{serial % 10000:04d}"
    total = sum(int(d) * w for d, w in zip(head, WEIGHTS))
    return head + str((10 - total % 10) % 10)
