"""Cells of exported spreadsheets (XLSX and CSV): the one escape against formula injection (CSV injection).

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, LibreOffice and
Google Sheets as a formula (`=HYPERLINK(...)`, `=cmd|...`, `-2+3`); openpyxl even stores such a text as a formula.
Following OWASP's "CSV Injection" advice, such a text gets a leading apostrophe and stays text. Only text is touched:
numbers (a negative number too), dates and empty cells stay what they are, so sums and sorting keep working; a text
that is only a signed number ("-5", "+1,5") or a lone sign ("-" for "none") is no formula and stays as it is. Every
XLSX and CSV export passes its cells through `safe_cell` / `safe_row`."""
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?(\d+([.,]\d+)?)?")


def safe_cell(value):
    """The value to write into a spreadsheet cell: a text that a spreadsheet would run as a formula, escaped."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(v) for v in values]
