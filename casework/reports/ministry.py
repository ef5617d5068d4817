"""The half-yearly report to the voivode (sprawozdanie rzeczowo-finansowe z wykonywania przez gminę zadań z zakresu
wspierania rodziny i systemu pieczy zastępczej, art. 187 UWR), row for row.

A row's value is an expression over indicator codes and the keys of `_BY_` objects, so that sub-rows add up:

    AR_FAMILIES_ENDED                                  one code
    AR_ENDED_MOVED_AWAY + AR_ENDED_OTHER               a sum of codes
    AR_COST_BY_SOURCE[own]                             a key of an object-by-key indicator
    AR_STAFF_BY_EMPLOYMENT_FORM[civil_contract + service]   a sum of keys

A row whose expression names a code not computed (yet) is a typed-in row: the report shows its `source`, the person
types the figure into the form. Rows with `sums_parts` must equal the sum of the rows naming them as parent
(checked before the half-year closes, casework/staff/quality.py)."""
import re
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select, tuple_

from casework.core.errors import RuleError
from casework.core.indicators import BY_KEY, DECIMAL
from casework.core.indicators import get as get_indicator
from casework.core import periods
from casework.core.periods import Period, half, half_number
from casework.extensions import db
from casework.indicators import engine
from casework.reports.document import Cell
from casework.reports.models import MinistryRow, MinistryRowValue

_TERM = re.compile(r"\s*([A-Z][A-Z0-9_]*)\s*(?:\[([^\]]*)\])?\s*")
_KEY = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class Term:
    code: str
    keys: tuple | None = None  # None: the code's number; a tuple: the sum of these keys of its object


class ExpressionError(RuleError):
    pass


@dataclass
class LinkedCell(Cell):
    """A value cell that opens its own list of records (a row summing several codes or keys, or a column of another
    half-year than the report's), where a plain Cell opens its code's drill-down for the report's period."""
    url: str | None = None


def parse(expression: str) -> list[Term]:
    """Terms of `expression` (syntax only; `check` also asks the registry)."""
    text = (expression or "").strip()
    if not text:
        return []
    terms, depth, start = [], 0, 0
    parts = []
    for i, ch in enumerate(text):  # split on "+" outside brackets
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "+" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    for part in parts:
        match = _TERM.fullmatch(part.upper() if "[" not in part else part[:part.index("[")].upper()
                                + part[part.index("["):])
        if not match:
            raise ExpressionError(_("The value “%(text)s” is not understood: write indicator codes joined with "
                                    "+, and keys of a table in brackets, e.g. AR_COST_BY_SOURCE[own].",
                                    text=part.strip()))
        code, keys = match.group(1), match.group(2)
        if keys is not None:
            keys = tuple(k.strip() for k in keys.split("+"))
            if not keys or not all(_KEY.match(k) for k in keys):
                raise ExpressionError(_("The keys in brackets after %(code)s are not understood.", code=code))
        terms.append(Term(code, keys))
    return terms


def check(expression: str | None, *, allow_unknown: bool = False) -> str | None:
    """The expression normalised, or ExpressionError with a message for the user. `allow_unknown`: codes not in
    the registry are accepted (default rows naming codes still to come)."""
    terms = parse(expression or "")
    if not terms:
        return None
    for term in terms:
        ind = get_indicator(term.code)
        if ind is None:
            if allow_unknown:
                continue
            raise ExpressionError(_("There is no indicator with the code %(code)s.", code=term.code))
        if ind.kind == BY_KEY and term.keys is None:
            raise ExpressionError(_("%(code)s is a table of values; name its keys in brackets, e.g. "
                                    "%(code)s[%(key)s].", code=term.code,
                                    key=next(iter(ind.keys() if ind.keys else ["key"]), "key")))
        if ind.kind != BY_KEY and term.keys is not None:
            raise ExpressionError(_("%(code)s is a single number; it has no keys.", code=term.code))
        if ind.kind == BY_KEY and ind.keys:
            known = set(ind.keys())
            unknown = [k for k in term.keys if k not in known]
            if unknown and term.code != "CONTACTS_BY_INSTITUTION_TYPE":
                raise ExpressionError(_("%(code)s has no key %(key)s.", code=term.code, key=unknown[0]))
    return render(terms)


def render(terms) -> str:
    return " + ".join(t.code + (f"[{' + '.join(t.keys)}]" if t.keys is not None else "") for t in terms)


def row_expression(row: MinistryRow) -> str | None:
    return row.expression or row.code


def missing_codes(row: MinistryRow) -> list[str]:
    try:
        terms = parse(row_expression(row) or "")
    except ExpressionError:
        return [row_expression(row)]
    return [t.code for t in terms if get_indicator(t.code) is None]


def is_typed(row: MinistryRow) -> bool:
    """A row typed in by hand: it has no expression, or its expression names a code not computed."""
    return not row_expression(row) or bool(missing_codes(row))


def typed_rows() -> list[MinistryRow]:
    """The rows typed in by hand, in the form's order."""
    return [row for row in rows() if is_typed(row)]


def half_of(period: Period) -> tuple[int, int]:
    """(year, 1 or 2) of the half-year `period` starts in: the key of its typed-in figures."""
    return period.start.year, half_number(period.start)


def missing_typed(period: Period) -> list[dict]:
    """Typed-in rows without a figure in a half-year of `period` (checked before the half-year closes)."""
    halves = periods.halves_in(period)
    saved = typed_values(halves)
    found = []
    for row in typed_rows():
        for h in halves:
            year, half_no = half_of(h)
            if (row.id, year, half_no) not in saved:
                found.append({"id": row.id, "label": f"{display_number(row.number)} {row.label} ({h.title})".strip(),
                              "year": year, "half": half_no})
    return found


def typed_values(spans) -> dict[tuple[int, int, int], MinistryRowValue]:
    """The typed-in figures of the half-years `spans`: {(row_id, year, half): value}, one query."""
    halves = [half_of(p) for p in spans]
    if not halves:
        return {}
    found = db.session.scalars(select(MinistryRowValue).where(
        tuple_(MinistryRowValue.year, MinistryRowValue.half).in_(halves)))
    return {(v.row_id, v.year, v.half): v for v in found}


def evaluate(row: MinistryRow, values: dict):
    """The row's value from the period's indicator values; None for a typed-in row (no expression, or a code not
    computed)."""
    expression = row_expression(row)
    if not expression:
        return None
    try:
        terms = parse(expression)
    except ExpressionError:
        return None
    total, decimal = 0, False
    for term in terms:
        ind = get_indicator(term.code)
        if ind is None or term.code not in values:
            return None
        value = values[term.code]
        if term.keys is not None:
            if not isinstance(value, dict):
                return None
            parts = [value.get(k, 0) or 0 for k in term.keys]
        else:
            if isinstance(value, dict):
                return None
            parts = [value or 0]
        decimal = decimal or ind.kind == DECIMAL or any(isinstance(v, float) for v in parts)
        total += sum(Decimal(str(v)) for v in parts)
    return float(total.quantize(Decimal("0.01"))) if decimal else int(total)


def single_code(row: MinistryRow) -> str | None:
    """The code to link to when the row is exactly one scalar code."""
    try:
        terms = parse(row_expression(row) or "")
    except ExpressionError:
        return None
    return terms[0].code if len(terms) == 1 and terms[0].keys is None else None


def display_number(number: str | None) -> str:
    """A row number as the form prints it, with its closing dot ("8.4."), never read as a decimal."""
    number = (number or "").strip()
    return number if not number or number.endswith(".") else number + "."


def rows() -> list[MinistryRow]:
    return list(db.session.scalars(select(MinistryRow).order_by(MinistryRow.position, MinistryRow.id)))


def halves_up_to(period: Period) -> list[Period]:
    """The half-year columns of the form: H1 alone, or H1 and H2 of the year."""
    first = half(period.start.year, 1)
    return [first] if period.start == first.start else [first, period]


def records(row: MinistryRow, period: Period, *, limit: int = 200) -> list[dict]:
    """The records behind a row's value: each term's records (for keys, those under the keys)."""
    out = []
    for term in parse(row_expression(row) or ""):
        ind = get_indicator(term.code)
        if ind is None:
            continue
        items = engine.records(term.code, period)
        if term.keys is not None:
            items = [r for r in items if str(r.get("key")) in term.keys]
        for item in items[:limit]:
            item = dict(item)
            item["code"] = term.code
            item["indicator"] = ind
            out.append(item)
    return out


def subrow_mismatches(values: dict) -> list[dict]:
    """Rows with `sums_parts` whose sub-rows do not add up to them (rows without a value are left out)."""
    all_rows = rows()
    found = []
    for parent in all_rows:
        if not parent.sums_parts or not parent.number:
            continue
        total = evaluate(parent, values)
        children = [r for r in all_rows if r.parent_number == parent.number]
        parts = [evaluate(r, values) for r in children]
        if total is None or not children or any(p is None for p in parts):
            continue
        if abs(Decimal(str(total)) - sum(Decimal(str(p)) for p in parts)) > Decimal("0.005"):
            found.append({"id": parent.id, "label": _("Row %(number)s: %(total)s, its sub-rows %(parts)s",
                                                      number=display_number(parent.number), total=Cell(total).text(),
                                                      parts=" + ".join(Cell(p).text() for p in parts)),
                          "number": parent.number})
    return found
