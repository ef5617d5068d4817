"""The rules of issue 18's registers as plain functions over values: forms (through casework.support.services),
the spreadsheet import (casework.support.imports) and any later path call them. Each check returns a list of
`Problem(field, message)` with the message in Polish through gettext; [] means the values may be saved.

Cross-record rules take the other records as plain values (`others`: (start, end) spans), so an import can add the
rows of its file that are not written yet."""
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from casework.families.rules import Problem, messages  # noqa: F401 - the one Problem shape, re-exported
from casework.support.models import DAY_SUPPORT_FORMS, TEAM_SECTORS

FOREVER = date.max
#: the highest monthly reimbursement the register accepts (a typo guard, not a legal limit)
MAX_MONTHLY_COST = Decimal("100000")
MAX_PLACES = 10000


def _overlap(start, end, others) -> bool:
    end = end or FOREVER
    return any(s <= end and (e or FOREVER) >= start for s, e in others)


def _span(values, problems, start_key="start_date", end_key="end_date", start_message=None):
    start, end = values.get(start_key), values.get(end_key)
    if start is None:
        problems.append(Problem(start_key, start_message or _("Enter the start date.")))
    elif end is not None and end < start:
        problems.append(Problem(end_key, _("The end date cannot be earlier than the start date.")))
    return start, end


# --- supporting families (art. 29–30 UWR) -------------------------------------------------------------------

def supporting_family_problems(values: dict, *, helps=()) -> list[Problem]:
    """A supporting family's own fields; `helps`: (start, end) of its help, which must fall within its span."""
    problems = []
    if not (values.get("name") or "").strip():
        problems.append(Problem("name", _("Enter the supporting family's name.")))
    start, end = _span(values, problems, start_message=_("Enter the date the supporting family was appointed."))
    if start is not None and not problems:
        for s, e in helps:
            if s < start or (end is not None and (e is None or e > end)):
                problems.append(Problem("end_date", _("The supporting family helps a family outside these dates; "
                                                      "change that help first.")))
                break
    return problems


def help_problems(values: dict, *, family_start: date | None, family_end: date | None, others=()) -> list[Problem]:
    """Help given to one family (art. 29 ust. 2 UWR): within the supporting family's span (`family_start`,
    `family_end`), not overlapping another help of the same supporting family to the same family (`others`)."""
    problems = []
    if not values.get("family_id"):
        problems.append(Problem("family_id", _("Choose the family being helped.")))
    start, end = _span(values, problems)
    if start is not None and not problems:
        if family_start is not None and (start < family_start or (family_end is not None and (end or FOREVER) > family_end)):
            problems.append(Problem("start_date", _("The help must fall within the dates of the supporting family "
                                                    "(%(start)s – %(end)s).", start=family_start.isoformat(),
                                                    end=family_end.isoformat() if family_end else "…")))
        elif _overlap(start, end, others):
            problems.append(Problem("start_date", _("This supporting family already helps this family in these "
                                                    "dates.")))
    if values.get("consent_date") and start is not None and values["consent_date"] > start:
        problems.append(Problem("consent_date", _("The family's consent must come before the help starts.")))
    return problems


def month_start(value: date) -> date:
    return value.replace(day=1)


def cost_problems(values: dict, *, help_start: date, help_end: date | None, taken_months=()) -> list[Problem]:
    """A month's reimbursed costs (art. 30 UWR): a positive amount, a month the help covers, once per month."""
    problems = []
    amount, month = values.get("amount"), values.get("month")
    if amount is None:
        problems.append(Problem("amount", _("Enter the amount in złoty, e.g. 350,00.")))
    elif amount <= 0 or amount > MAX_MONTHLY_COST or amount != amount.quantize(Decimal("0.01")):
        problems.append(Problem("amount", _("The amount must be more than 0 and at most %(max)s zł, with at most "
                                            "two decimals.", max=MAX_MONTHLY_COST)))
    if month is None:
        problems.append(Problem("month", _("Enter the month the costs are for.")))
    else:
        month = month_start(month)
        help_last = help_end or FOREVER
        if month > help_last or month_start(help_start) > month:
            problems.append(Problem("month", _("The help did not last in that month.")))
        elif month in set(taken_months):
            problems.append(Problem("month", _("Costs for that month are already recorded; correct them instead.")))
    return problems


# --- day support (art. 18 UWR) ------------------------------------------------------------------------------

def facility_problems(values: dict, *, type_code: str | None) -> list[Problem]:
    problems = []
    if type_code != "day_support":
        problems.append(Problem("institution_id", _("Only a day-support facility of the directory has a form and "
                                                    "places.")))
    if values.get("form") not in DAY_SUPPORT_FORMS:
        problems.append(Problem("form", _("Choose the form of day support.")))
    places = values.get("places")
    if places is not None and not 1 <= places <= MAX_PLACES:
        problems.append(Problem("places", _("The number of places must be between 1 and %(max)d.", max=MAX_PLACES)))
    return problems


def attendance_problems(values: dict, *, member_family_id: int | None, member_relation: str | None,
                        type_code: str | None, others=()) -> list[Problem]:
    """A child's attendance: a child of the family, at a day-support facility, not twice at once (`others`: the
    child's other attendances at the same facility)."""
    problems = []
    if not values.get("member_id") or member_family_id != values.get("family_id") or member_relation != "child":
        problems.append(Problem("member_id", _("Choose a child of this family.")))
    if type_code != "day_support":
        problems.append(Problem("institution_id", _("Choose a day-support facility from the directory.")))
    start, end = _span(values, problems)
    if start is not None and not problems and _overlap(start, end, others):
        problems.append(Problem("start_date", _("The child's attendance at this facility is already recorded for "
                                                "these dates.")))
    return problems


# --- the interdisciplinary team (art. 9a ustawy o przeciwdziałaniu przemocy domowej) --------------------------

def team_member_problems(values: dict, *, others=()) -> list[Problem]:
    """A member's appointment; `others`: the same person's other appointments (they must not overlap)."""
    problems = []
    if not (values.get("full_name") or "").strip():
        problems.append(Problem("full_name", _("Enter the member's name.")))
    if values.get("sector") not in TEAM_SECTORS:
        problems.append(Problem("sector", _("Choose whom the member represents.")))
    if not values.get("institution_id") and not (values.get("institution_name") or "").strip():
        problems.append(Problem("institution_name", _("Choose the institution the member represents or type its "
                                                      "name.")))
    start, end = _span(values, problems, "appointed_on", "ended_on",
                       start_message=_("Enter the date of the appointment."))
    if start is not None and not problems and _overlap(start, end, others):
        problems.append(Problem("appointed_on", _("This person is already a member of the team in these dates.")))
    return problems


# --- "Za życiem" (art. 8 ustawy „Za życiem”) -------------------------------------------------------------------

def za_zyciem_problems(values: dict, *, today: date, period_family_id: int | None = None,
                       assistant_is_assistant: bool = True) -> list[Problem]:
    problems = []
    request = values.get("request_date")
    if request is None:
        problems.append(Problem("request_date", _("Enter the date of the request.")))
    elif request > today:
        problems.append(Problem("request_date", _("The date of the request cannot be in the future.")))
    if values.get("support_period_id") and period_family_id != values.get("family_id"):
        problems.append(Problem("support_period_id", _("Choose a support period of this family.")))
    if values.get("assistant_id") and not assistant_is_assistant:
        problems.append(Problem("assistant_id", _("Choose an active family assistant.")))
    start, end = values.get("coordination_start"), values.get("coordination_end")
    if start is None and end is not None:
        problems.append(Problem("coordination_start", _("Enter the start of the coordination.")))
    if start is not None:
        if not values.get("assistant_id"):
            problems.append(Problem("assistant_id", _("Choose the assistant who coordinates the support.")))
        if request is not None and start < request:
            problems.append(Problem("coordination_start", _("The coordination cannot start before the request.")))
        if end is not None and end < start:
            problems.append(Problem("coordination_end", _("The end date cannot be earlier than the start date.")))
    return problems
