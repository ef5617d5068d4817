"""The staff register's rules, as plain checks over values: the form, the import and the CLI all call them.
Each returns a list of messages for the user (Polish through the catalogue); empty means the values may be saved.

- FTE: more than 0 and at most 1 (a full-time post) [practice of the ministry form: etaty].
- An employment spell of one person may not overlap another spell of the same person (the statistics count a
  person once, in one form, on a day).
- Employment by a contracted entity (art. 190 UWR) names the employer.
- A cost covers whole months, lies within one half-year (the report period) and every month of it falls in an
  employment spell of that person: a cost without employment is an error of entry.
"""
from calendar import monthrange
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from casework.core.formatting import parse_decimal
from casework.staff.models import COST_SOURCES, FORM_CONTRACTED, QUALIFICATION_BASES

UWR_ART_12 = "ustawa z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej, art. 12"
UWR_ART_190 = "ustawa z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej, art. 190"
MAX_FTE = Decimal("1")


def check_fte(value) -> list[str]:
    fte = parse_decimal(value)
    if fte is None:
        return [_("Enter the full-time equivalent as a number, e.g. 1 or 0,5.")]
    if fte <= 0 or fte > MAX_FTE:
        return [_("The full-time equivalent must be more than 0 and at most 1.")]
    if fte != fte.quantize(Decimal("0.01")):
        return [_("Give the full-time equivalent with at most two decimal places.")]
    return []


def spans_overlap(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return a_from <= (b_to or date.max) and b_from <= (a_to or date.max)


def check_spell(values: dict, form_code: str | None, others) -> list[str]:
    """values: date_from, date_to, fte, employer; form_code: the dictionary code of the chosen form (None: none
    chosen); others: (date_from, date_to) of the person's other spells (not archived)."""
    problems = []
    if not form_code:
        problems.append(_("Choose the form of employment."))
    problems += check_fte(values.get("fte"))
    start, end = values.get("date_from"), values.get("date_to")
    if start is None:
        problems.append(_("Enter the first day of employment."))
    elif end is not None and end < start:
        problems.append(_("The last day of employment is before the first."))
    if form_code == FORM_CONTRACTED and not (values.get("employer") or "").strip():
        problems.append(_("Name the organisation the task is contracted to (art. 190 UWR) that employs the "
                          "assistant."))
    if start is not None and (end is None or end >= start):
        for other_from, other_to in others:
            if spans_overlap(start, end, other_from, other_to):
                problems.append(_("This person already has an employment spell from %(start)s to %(end)s; spells "
                                  "of one person may not overlap.", start=other_from.strftime("%d.%m.%Y"),
                                  end=other_to.strftime("%d.%m.%Y") if other_to else _("today")))
                break
    return problems


def check_training(values: dict) -> list[str]:
    problems = []
    if values.get("training_date") is None:
        problems.append(_("Enter the date of the training."))
    if not (values.get("title") or "").strip():
        problems.append(_("Enter the title of the training."))
    hours = parse_decimal(values.get("hours"))
    if hours is None or hours <= 0 or hours > 1000:
        problems.append(_("Enter the hours of the training (more than 0)."))
    cost = values.get("cost")
    if cost not in (None, ""):
        cost = parse_decimal(cost)
        if cost is None or cost < 0:
            problems.append(_("The cost of the training must be a number, 0 or more."))
    return problems


def month_start(value: date) -> date:
    return value.replace(day=1)


def month_end(value: date) -> date:
    return value.replace(day=monthrange(value.year, value.month)[1])


def months(start: date, end: date):
    """The first days of the months from start's month to end's month."""
    current = month_start(start)
    while current <= end:
        yield current
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)


def months_without_spell(start: date, end: date, spells) -> list[date]:
    """Months of [start, end] during which the person had no employment spell on any day."""
    missing = []
    for first in months(start, end):
        last = month_end(first)
        if not any(spans_overlap(first, last, s_from, s_to) for s_from, s_to in spells):
            missing.append(first)
    return missing


def check_cost(values: dict, spells) -> list[str]:
    """values: date_from, date_to (any days of the first and last month), source, amount; spells: (date_from,
    date_to) of the person's spells. The dates are normalised by `cost_months`."""
    problems = []
    start, end = values.get("date_from"), values.get("date_to")
    if start is None:
        problems.append(_("Enter the month the cost is for."))
    if values.get("source") not in COST_SOURCES:
        problems.append(_("Choose the source of funding."))
    amount = parse_decimal(values.get("amount"))
    if amount is None or amount <= 0:
        problems.append(_("Enter the amount in PLN (more than 0)."))
    elif amount != amount.quantize(Decimal("0.01")):
        problems.append(_("Give the amount with at most two decimal places (grosze)."))
    if start is None:
        return problems
    first, last = cost_months(start, end)
    if last < first:
        problems.append(_("The last month of the cost is before the first."))
        return problems
    if (first.year, first.month <= 6) != (last.year, last.month <= 6):
        problems.append(_("A cost entry may not cross the end of a half-year: enter each half-year separately."))
    missing = months_without_spell(first, last, spells)
    if missing:
        problems.append(_("The assistant had no employment spell in %(months)s: a cost is only recorded for months "
                          "of employment.", months=", ".join(m.strftime("%m.%Y") for m in missing)))
    return problems


def cost_months(start: date, end: date | None) -> tuple[date, date]:
    """The first day of start's month and the last day of end's month (end None: the one month of start)."""
    return month_start(start), month_end(end or start)


def check_qualification(basis: str | None) -> list[str]:
    if basis and basis not in QUALIFICATION_BASES:
        return [_("Choose a qualification basis from the list.")]
    return []


def qualification_warning(basis: str | None) -> str | None:
    """The warning shown where no basis of art. 12 UWR is recorded (a warning, not a refusal: the register may be
    filled in over time)."""
    if not basis:
        return _("No qualification basis (art. 12 UWR) is recorded for this assistant.")
    return None


def format_decimal(value) -> str:
    """A number as a Polish form shows it: a comma, no trailing zeros ("0,5", "1", "1234,56")."""
    if value is None:
        return ""
    number = parse_decimal(value)
    text = f"{number.normalize():f}" if number == number.to_integral() else f"{number:f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
