"""The import-sheet contract: a domain contributes the sheets of the spreadsheet import in
`casework/<domain>/imports.py`, found once by `casework.core.modules.domain_modules("imports")`. The engine in
`casework.importer` (upload, dry run, report, template, CLI) reads any registered kind and never changes.

Example (casework/loans/imports.py):

    from flask_babel import gettext as _

    from casework.core.imports import ID, Column, Kind, day, first_problem, money, register, text
    from casework.loans import rules
    from casework.loans.models import Loan

    def _build(v, ctx):
        record = {"family_id": ctx.ref("families", v["family"]), "amount": v["amount"], "given_on": v["given_on"],
                  "user_id": ctx.user_id(v["author"], "autor")}
        first_problem(rules.loan_problems(record, ctx.today), {_("Enter the amount."): "kwota"}, "data")
        return record  # the record's column values; keys starting with "_" are kept for after_insert only

    register(Kind("loans", "pozyczki", Loan.__table__, [
        ID, Column("rodzina_id", "family", text(100), True), Column("kwota", "amount", money, True),
        Column("data", "given_on", day, True), Column("autor", "author", text(80), True, help="login")],
        order=95, build=_build, refs={"family": "families"}))

A row is checked by the owning domain's rule functions (the ones its forms use): `build(values, ctx)` raises
`RowError(column header, Polish message)` (helpers: `refuse` for `Problem`-style results with a `.field`,
`first_problem` for plain messages). `build` runs for the check and again for the write: remember rows across
the file in `ctx.memo(name)` keyed by the row's external id, and mark a row checked in `ctx.checked`.
Sheets are written in `order` (families 10, institutions 15, members 20, support periods 30, visits 40, ...), so a
kind refers (`refs`) only to kinds with a lower order. Cell parsers raise `CellError` with a Polish message.
Core imports no other casework package.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Callable

from flask_babel import gettext as _
from sqlalchemy import select

from casework.core import pesel as pesel_rules
from casework.core.dictionaries import DictionaryEntry
from casework.core.modules import domain_modules
from casework.core.timeutil import today_local
from casework.extensions import db

# --- cell parsers ---------------------------------------------------------------------------------------------

TRUE = {"tak", "t", "1", "true", "prawda", "yes", "x"}
FALSE = {"nie", "n", "0", "false", "fałsz", "no", ""}


class CellError(ValueError):
    """A cell that cannot be read; the message is shown on the report, on the cell's row and column."""


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


def blank_or_yes_no(value):
    """tak / nie, or None for an empty cell (the kind then applies its default)."""
    return None if value in (None, "") else yes_no(value)


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


def pesel_cell(value):
    """A PESEL cell as text; a number cell (Excel drops the leading zero of those born 1900–09 and 2000–09) gets
    its zeros back. Whether the PESEL is valid is the domain's rule (e.g. casework.families.rules)."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{int(value):011d}"
    value = str(value).strip()
    return value.removesuffix(".0") or None


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


# --- the kinds of sheet ---------------------------------------------------------------------------------------

@dataclass
class Column:
    header: str
    name: str
    parse: Callable
    required: bool = False
    help: str = ""


#: the external id column every sheet starts with
ID = Column("id", "external_id", text(100), required=True)


@dataclass
class Kind:
    code: str
    sheet: str
    table: object
    columns: list
    order: int
    #: build(values, ctx) -> the record's column values (may raise RowError(column header, message))
    build: Callable
    #: ref columns: {column name: kind code} — external ids of rows of another kind (in this file or imported before)
    refs: dict = field(default_factory=dict)
    #: after_insert(rows with ids, ctx): dependent rows (assignments, visit areas)
    after_insert: Callable | None = None
    #: columns the domain computes (tier dates, shares): inserted provisionally, never compared on re-import, and
    #: set by after_write(records with ids, ctx) for every row written or kept
    derived: tuple = ()
    after_write: Callable | None = None
    label: str = ""
    #: check_rows([(row number, values)], ctx) -> [(row number, column header, message)]: checks over all the
    #: valid rows of the sheet at once (e.g. a case number repeated in the sheet or already taken)
    check_rows: Callable | None = None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


_loaded = False


def kinds() -> dict[str, Kind]:
    """Every registered kind by code; imports each domain's imports module once."""
    global _loaded
    if not _loaded:
        list(domain_modules("imports"))
        _loaded = True
    return KINDS


def ordered() -> list[Kind]:
    return sorted(kinds().values(), key=lambda k: k.order)


def by_sheet(name: str) -> Kind | None:
    name = (name or "").strip().lower()
    return next((k for k in ordered() if k.sheet == name or k.code == name), None)


class RowError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


def refuse(kind_columns, problems, fields=None):
    """Raise the first domain-rule problem (an object with .field and .message) as a RowError on the column that
    holds its field (`fields` maps a problem's field to the column name where they differ)."""
    if not problems:
        return
    problem = problems[0]
    name = (fields or {}).get(problem.field, problem.field)
    header = next((c.header for c in kind_columns if c.name == name), "id")
    raise RowError(header, problem.message)


def first_problem(messages, columns_of: dict, default: str):
    """Raise the first of a domain's messages (plain strings) on the column that `columns_of` names for it."""
    if messages:
        raise RowError(columns_of.get(str(messages[0]), default), str(messages[0]))


class Context:
    """What one import knows while it checks and writes rows: the external ids known, users by login, dictionary
    codes, the stored records a rule needs (loaded once) and what rules across rows remember of this file.

    `users` loads {login lowercased: (user id, set of roles)}; the engine passes it (core knows no user model)."""

    def __init__(self, users: Callable[[], dict] | None = None):
        self.today = today_local()
        self._load_users = users or dict
        self._users: dict | None = None
        self._dicts: dict = {}
        self.known: dict[str, dict] = {}  # kind → {external id: record id}
        self.in_file: dict[str, set] = {}  # kind → the external ids in this file
        #: (kind, external id) of the rows whose domain rules passed in the check; the write builds them again and
        #: does not check twice (a rule across rows would then see every row of the file, its own included)
        self.checked: set = set()
        self._memo: dict[str, dict] = {}
        self._stored: dict = {}

    def memo(self, name: str) -> dict:
        """A dict a kind's rules keep across the rows of this file (e.g. case number → the row's external id)."""
        return self._memo.setdefault(name, {})

    def stored(self, name, load):
        """A look-up over the stored records, loaded once per import (the database does not change while rows
        are checked)."""
        if name not in self._stored:
            self._stored[name] = load()
        return self._stored[name]

    def in_file_ids(self, kind) -> set:
        """The record ids of the rows of `kind` in this file that were imported before."""
        return {self.known.get(kind, {}).get(e) for e in self.in_file.get(kind, ())} - {None}

    def user_id(self, login, column, role=None):
        if self._users is None:
            self._users = self._load_users()
        found = self._users.get(str(login).strip().lower()) if login else None
        if found is None:
            raise RowError(column, _("There is no user with the login %(login)s.", login=login))
        if role and role not in found[1]:
            raise RowError(column, _("The user %(login)s is not a family assistant.", login=login))
        return found[0]

    def dictionary(self, kind, code, column):
        if kind not in self._dicts:
            self._dicts[kind] = {e.code: e.id for e in db.session.scalars(
                select(DictionaryEntry).where(DictionaryEntry.kind == kind))}
        if code is None:
            return None
        found = self._dicts[kind].get(str(code).strip().lower())
        if found is None:
            raise RowError(column, _("Unknown code %(code)s; see the sheet „słowniki”.", code=code))
        return found

    def ref(self, kind, external_id):
        """The record id of a referenced row (None while it is only in this file, before it is written)."""
        return self.known.get(kind, {}).get(str(external_id))
