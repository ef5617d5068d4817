"""The case register's rules as plain functions over values: no request, no form, no import row.

Every path that writes families, members, support periods or assignments calls these: the forms (through
casework.families.services), the spreadsheet import (casework.families.imports), the CLI and any later API. Each check
returns a list of `Problem(field, message)` (the message in Polish through gettext); [] means the values may be saved.
The field is the service's value key, so each path can point at its own widget or spreadsheet column.

Cross-record rules (a period must not overlap the family's other periods, an assistant's caseload cap) take the
other records as plain values (`others`, `other_spans`), so the import can add the rows of its file that are not
written yet; `*_from_db` helpers read them for the single-record paths.

"Active caseload" is defined once here (`caseload_select`): the families an assistant is assigned to on a day,
in a support period open that day, the family not archived. The assignment refusal, the caseload page, the
coordinators' reminder and access (casework.families.access) all use it.

Archived families never count: archiving is how the case register deletes (nothing is hard-deleted by a click;
a family is archived when it was entered twice or by mistake, or after retention), access already hides an archived
family from assistants, and the reminder already ignored it. So an archived family takes no place under the cap on
any day, gives its assistant no access and is not on the caseload page; restoring it brings it back everywhere.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from casework.auth.models import User
from casework.core import pesel as pesel_rules
from casework.core.dictionaries import DictionaryEntry
from casework.core.settings import get_setting
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.models import (AREAS, BASES, BASIS_COURT_ORDER, BASIS_REFERRAL, END_REASON_KIND,
                                      RELATION_CHILD, RELATIONS, AssistantAssignment, Family, FamilyMember,
                                      SupportPeriod)

# The caseload cap's legal basis: art. 15 ust. 4 of the ustawa o wspieraniu rodziny i systemie pieczy zastępczej
# (UWR; t.j. Dz.U. 2025 poz. 49): at most 15 families at once, fewer where the work is harder (the same provision
# said 20 in the 2011 text). The number is the declared setting "caseload_cap" (casework.core.settings).
#: a member related as "child" older than this is not plausible (UWR counts persons up to 25 in education as
#: children in its benefits; an older son or daughter in the household is entered as another adult)
CHILD_MAX_AGE = 25
FOREVER = date.max


@dataclass(frozen=True)
class Problem:
    """One refusal: the value key it concerns and the Polish message."""
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


def messages(problems) -> list[str]:
    return [p.message for p in problems]


def caseload_cap() -> int:
    """The caseload cap: the declared setting (its default and range live in casework.core.settings)."""
    return int(get_setting("caseload_cap"))


# --- families -----------------------------------------------------------------------------------------------

def case_number_taken(case_number: str, family_id: int | None = None) -> bool:
    stmt = select(Family.id).where(func.lower(Family.case_number) == case_number.strip().lower())
    if family_id is not None:
        stmt = stmt.where(Family.id != family_id)
    return db.session.scalar(stmt.limit(1)) is not None


def family_problems(values: dict, *, family_id: int | None = None, case_number_in_use=None) -> list[Problem]:
    """A family's own fields. `case_number_in_use(number) -> bool` replaces the database look-up (the import adds
    the case numbers of its file)."""
    problems = []
    number = (values.get("case_number") or "").strip()
    in_use = case_number_in_use or (lambda n: case_number_taken(n, family_id))
    if not number:
        problems.append(Problem("case_number", _("Enter the case number.")))
    elif in_use(number):
        problems.append(Problem("case_number", _("The case number %(number)s is already used by another family.",
                                                 number=number)))
    if not (values.get("name") or "").strip():
        problems.append(Problem("name", _("Enter the family's name.")))
    if values.get("area") not in AREAS:
        problems.append(Problem("area", _("Choose the area: urban or rural.")))
    if values.get("social_worker_id"):
        worker = db.session.get(User, values["social_worker_id"])
        if worker is None or not worker.has_role("social_worker"):
            problems.append(Problem("social_worker_id", _("Choose a social worker from the list.")))
    return problems


# --- members ------------------------------------------------------------------------------------------------

def pesel_taken(pesel: str, member_id: int | None = None) -> bool:
    """Another active (not archived) member has this PESEL."""
    stmt = select(FamilyMember.id).where(FamilyMember.pesel == pesel, FamilyMember.archived_at.is_(None))
    if member_id is not None:
        stmt = stmt.where(FamilyMember.id != member_id)
    return db.session.scalar(stmt.limit(1)) is not None


def member_birth_date(values: dict) -> date | None:
    """The birth date typed, or else the one the PESEL encodes (None when neither gives one)."""
    if values.get("birth_date") is not None:
        return values["birth_date"]
    try:
        return pesel_rules.birth_date(values["pesel"]) if values.get("pesel") else None
    except pesel_rules.PeselError:
        return None


def person_problems(values: dict, *, today: date | None = None) -> list[Problem]:
    """The person's identity alone (no uniqueness): birth date, PESEL, a child's plausible age. Usable on stored
    members too (`member_findings`)."""
    today = today or today_local()
    problems = []
    born = values.get("birth_date")
    if born is not None and born > today:
        problems.append(Problem("birth_date", _("The date of birth cannot be in the future.")))
    elif born is not None and born < pesel_rules.years_before(today, pesel_rules.MAX_AGE_YEARS):
        problems.append(Problem("birth_date", _("The date of birth is more than %(years)d years ago; check it.",
                                                years=pesel_rules.MAX_AGE_YEARS)))
    problems.extend(Problem("pesel", m) for m in pesel_rules.pesel_problems(values.get("pesel"), born, today))
    effective = member_birth_date(values)
    if (not problems and values.get("relation") == RELATION_CHILD and effective is not None
            and effective < pesel_rules.years_before(today, CHILD_MAX_AGE + 1)):
        problems.append(Problem("birth_date" if born else "pesel", _(
            "A child in the family cannot be older than %(years)d (born %(date)s); check the date of birth, the "
            "PESEL or the relation.", years=CHILD_MAX_AGE, date=effective.isoformat())))
    return problems


def member_problems(values: dict, *, member_id: int | None = None, pesel_in_use=None,
                    today: date | None = None) -> list[Problem]:
    """A member's fields. `pesel_in_use(pesel) -> bool` replaces the database look-up (the import adds its file)."""
    problems = []
    if not values.get("first_name"):
        problems.append(Problem("first_name", _("Enter the first name.")))
    if not values.get("last_name"):
        problems.append(Problem("last_name", _("Enter the last name.")))
    if values.get("relation") not in RELATIONS:
        problems.append(Problem("relation", _("Choose the relation to the family.")))
    identity = person_problems(values, today=today)
    problems.extend(identity)
    in_use = pesel_in_use or (lambda p: pesel_taken(p, member_id))
    if values.get("pesel") and not identity and in_use(values["pesel"]):
        problems.append(Problem("pesel", _("Another active record already has this PESEL.")))
    return problems


def member_findings(today: date | None = None, *, batch: int = 5000):
    """Stored active members whose birth date or PESEL break `person_problems` (for the data-quality report):
    yields (member_id, family_id, [messages]). One pass over the members that have a PESEL or a birth date."""
    today = today or today_local()
    stmt = (select(FamilyMember.id, FamilyMember.family_id, FamilyMember.birth_date, FamilyMember.pesel,
                   FamilyMember.relation)
            .where(FamilyMember.archived_at.is_(None),
                   or_(FamilyMember.pesel.is_not(None), FamilyMember.birth_date.is_not(None)))
            .order_by(FamilyMember.id).execution_options(yield_per=batch))
    for row in db.session.execute(stmt):
        found = person_problems({"birth_date": row.birth_date, "pesel": row.pesel, "relation": row.relation},
                                today=today)
        if found:
            yield row.id, row.family_id, messages(found)


# --- support periods ----------------------------------------------------------------------------------------

def _span(start: date, end: date | None) -> tuple[date, date]:
    return start, end or FOREVER


def overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    (a0, a1), (b0, b1) = _span(a_start, a_end), _span(b_start, b_end)
    return a0 <= b1 and b0 <= a1


def family_periods_from_db(family_id: int | None, exclude_ids=()) -> list[tuple[date, date | None]]:
    """(start, end) of the family's stored support periods, leaving out `exclude_ids`."""
    if family_id is None:
        return []
    stmt = select(SupportPeriod.id, SupportPeriod.start_date, SupportPeriod.end_date).where(
        SupportPeriod.family_id == family_id)
    return [(r.start_date, r.end_date) for r in db.session.execute(stmt) if r.id not in set(exclude_ids)]


def period_problems(values: dict, *, others) -> list[Problem]:
    """A support period's basis and start, and no overlap with `others` [(start, end or None)], the family's other
    periods (an open period lasts for ever)."""
    problems = []
    start = values.get("start_date")
    basis = values.get("basis")
    if basis not in BASES:
        problems.append(Problem("basis", _("Choose the basis: a social worker's referral or a court order.")))
    if start is None:
        problems.append(Problem("start_date", _("Enter the start date of the support period.")))
    if basis == BASIS_COURT_ORDER:
        if not values.get("court_name") or not values.get("court_order_date"):
            problems.append(Problem("court_name" if not values.get("court_name") else "court_order_date",
                                    _("For a court order enter the court and the date of the order.")))
    elif basis == BASIS_REFERRAL and not values.get("referral_date"):
        problems.append(Problem("referral_date", _("Enter the date of the social worker's referral.")))
    if start is not None:
        problems.extend(overlap_problems(start, values.get("end_date"), others))
    return problems


def overlap_problems(start: date, end: date | None, others) -> list[Problem]:
    """A family's support periods never overlap: [start, end] against `others` [(start, end or None)]."""
    if any(overlaps(start, end, s, e) for s, e in others):
        return [Problem("start_date", _("The family has another support period that overlaps this one; "
                                        "end it first (the new period must start after it ends)."))]
    return []


def period_end_problems(start: date, end: date | None, reason_id: int | None, reason_text: str | None,
                        monitoring_until: date | None, *, today: date | None = None) -> list[Problem]:
    """Ending a support period: the date, the reason from the dictionary (described when it asks for it), and
    monitoring after the end."""
    today = today or today_local()
    problems = []
    if end is None:
        return [Problem("end_date", _("Give the end date and the reason together."))]
    if start is not None and end < start:
        problems.append(Problem("end_date", _("The end date cannot be before the start of the support period.")))
    elif end > today:
        problems.append(Problem("end_date", _("The end date cannot be in the future.")))
    reason = db.session.get(DictionaryEntry, reason_id) if reason_id else None
    if reason is None or reason.kind != END_REASON_KIND:
        problems.append(Problem("end_reason_id", _("Choose the reason for ending.")))
    elif reason.requires_text and not (reason_text or "").strip():
        problems.append(Problem("end_reason_text", _("Describe the reason for ending.")))
    if monitoring_until is not None and monitoring_until <= end:
        problems.append(Problem("monitoring_until", _("Monitoring must last beyond the end of the support period.")))
    return problems


def overlapping_periods() -> list[tuple[int, int, int]]:
    """(family_id, period_id, other_period_id) for every pair of a family's support periods that overlap, as
    stored (for the data-quality report; nothing is changed). One self-join."""
    other = aliased(SupportPeriod)
    stmt = (select(SupportPeriod.family_id, SupportPeriod.id, other.id)
            .join(other, (other.family_id == SupportPeriod.family_id) & (other.id > SupportPeriod.id))
            .where(or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= other.start_date),
                   or_(other.end_date.is_(None), other.end_date >= SupportPeriod.start_date))
            .order_by(SupportPeriod.family_id, SupportPeriod.id, other.id))
    return [tuple(r) for r in db.session.execute(stmt)]


# --- active caseload: the one definition -----------------------------------------------------------------

def caseload_select(*columns, day: date):
    """SELECT `columns` FROM the assignments in the active caseload on `day`: the assignment runs that day, its
    support period is open that day and the family is not archived. Aliased tables and no correlation, so it can be
    used as an `IN (…)` subquery of a query on families or periods. (The aliases are made per call: a module-level
    alias would configure the mappers when this module is imported, before every model is loaded.)"""
    _CaseloadPeriod = aliased(SupportPeriod, name="caseload_period")
    _CaseloadFamily = aliased(Family, name="caseload_family")
    return (select(*columns).select_from(AssistantAssignment)
            .join(_CaseloadPeriod, _CaseloadPeriod.id == AssistantAssignment.support_period_id)
            .join(_CaseloadFamily, _CaseloadFamily.id == AssistantAssignment.family_id)
            .where(AssistantAssignment.start_date <= day,
                   or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= day),
                   _CaseloadPeriod.start_date <= day,
                   or_(_CaseloadPeriod.end_date.is_(None), _CaseloadPeriod.end_date >= day),
                   _CaseloadFamily.archived_at.is_(None))
            .correlate(None))


def assigned_family_ids(assistant_id: int, day: date):
    """SELECT of the ids of the families in the assistant's active caseload on `day` (access uses it)."""
    return caseload_select(AssistantAssignment.family_id, day=day).where(
        AssistantAssignment.assistant_id == assistant_id)


def caseload_counts(day: date):
    """SELECT (assistant_id, families, newest assignment start) of every assistant with a caseload on `day`."""
    families = func.count(func.distinct(AssistantAssignment.family_id))
    return (caseload_select(AssistantAssignment.assistant_id, families.label("families"),
                            func.max(AssistantAssignment.start_date).label("newest"), day=day)
            .group_by(AssistantAssignment.assistant_id))


def active_caseload(assistant_id: int, day: date) -> int:
    """How many families the assistant works with on `day`."""
    families = assigned_family_ids(assistant_id, day).subquery()
    return db.session.scalar(select(func.count(func.distinct(families.c.family_id)))) or 0


# --- assignments and the cap on every day -----------------------------------------------------------------

def caseload_spans_from_db(assistant_id: int | None = None, *, first: date | None = None, last: date | None = None,
                           exclude_period_ids=()) -> list[tuple[int, int, object, date, date | None]]:
    """(assistant_id, period_id, family key, start, end) of the stored assignments as they count toward the
    caseload: each clipped to its support period, archived families left out; only those touching [first, last]."""
    stmt = (select(AssistantAssignment.assistant_id, AssistantAssignment.support_period_id,
                   AssistantAssignment.family_id, AssistantAssignment.start_date, AssistantAssignment.end_date,
                   SupportPeriod.start_date.label("period_start"), SupportPeriod.end_date.label("period_end"))
            .join(SupportPeriod, SupportPeriod.id == AssistantAssignment.support_period_id)
            .join(Family, Family.id == AssistantAssignment.family_id)
            .where(Family.archived_at.is_(None)))
    if assistant_id is not None:
        stmt = stmt.where(AssistantAssignment.assistant_id == assistant_id)
    if last is not None:
        stmt = stmt.where(AssistantAssignment.start_date <= last, SupportPeriod.start_date <= last)
    if first is not None:
        stmt = stmt.where(or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= first),
                          or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= first))
    excluded = set(exclude_period_ids)
    spans = []
    for r in db.session.execute(stmt):
        if r.support_period_id in excluded:
            continue
        begin = max(r.start_date, r.period_start)
        ends = [e for e in (r.end_date, r.period_end) if e is not None]
        end = min(ends) if ends else None
        if end is None or end >= begin:
            spans.append((r.assistant_id, r.support_period_id, r.family_id, begin, end))
    return spans


def _sweep(spans, first: date, last: date | None):
    """Walk the days in [first, last] on which the set of families held by `spans` [(family key, start, end)] may
    change, yielding (day, families on that day): `first` itself, then each later day a span starts or the day after
    one ends. A family with several spans counts once. O(n log n)."""
    last = last or FOREVER
    one = timedelta(days=1)
    events = []
    for family, s, e in spans:
        if s > last or (e is not None and e < first):
            continue
        events.append((s, 1, family))
        if e is not None and e < last:
            events.append((e + one, -1, family))
    events.sort(key=lambda event: event[0])
    active: dict = {}

    def apply(delta, family):
        count = active.get(family, 0) + delta
        if count:
            active[family] = count
        else:
            active.pop(family, None)

    i = 0
    while i < len(events) and events[i][0] <= first:
        apply(events[i][1], events[i][2])
        i += 1
    yield first, set(active)
    while i < len(events) and events[i][0] <= last:
        day = events[i][0]
        while i < len(events) and events[i][0] == day:
            apply(events[i][1], events[i][2])
            i += 1
        yield day, set(active)


def first_day_at_cap(spans, start: date, end: date | None, cap: int):
    """The first day in [start, end] on which `spans` [(family key, start, end)] hold `cap` families or more:
    (day, families) or None."""
    for day, families in _sweep(spans, start, end):
        if len(families) >= cap:
            return day, families
    return None


def assignment_problems(assistant, *, family_key, period_start: date, period_end: date | None, start: date,
                        other_spans, current_assistant_id: int | None = None,
                        cap: int | None = None) -> list[Problem]:
    """Assigning `assistant` (a User or None) to a family's support period from `start` to the period's end.

    The assistant is an active family assistant; the start lies within the period; and on EVERY day of the span the
    assistant works with fewer than `cap` other families (`other_spans` [(family key, start, end)]: their caseload
    without this family), so a backdated assignment is checked on each day it covers, not just its first."""
    if assistant is None or not assistant.has_role("assistant") or not assistant.is_active_account:
        return [Problem("assistant_id", _("Choose an active family assistant."))]
    if start is None or start < period_start or (period_end and start > period_end):
        return [Problem("start_date", _("The assignment must start within the support period."))]
    if current_assistant_id == assistant.id:
        return [Problem("assistant_id", _("This assistant is already assigned to the family."))]
    cap = caseload_cap() if cap is None else cap
    others = [(f, s, e) for f, s, e in other_spans if f != family_key]
    found = first_day_at_cap(others, start, period_end, cap)
    if found is None:
        return []
    day, families = found
    if day == start:
        message = _("%(name)s already works with %(n)d families (the limit is %(cap)d). "
                    "Choose another assistant or end one of their support periods.",
                    name=assistant.full_name, n=len(families), cap=cap)
    else:
        message = _("On %(date)s %(name)s would work with %(n)d families besides this one (the limit is %(cap)d); "
                    "the assignment covers that day. Choose another assistant or a later start.",
                    date=day.isoformat(), name=assistant.full_name, n=len(families), cap=cap)
    return [Problem("assistant_id", message)]


def assistants_over_cap(first: date, last: date, *, cap: int | None = None) -> list[tuple[int, date, int, list]]:
    """Stored caseloads over the cap in [first, last], for the data-quality report (nothing is changed):
    (assistant_id, day, count, family_ids), one row for each day in the range where the set of the assistant's
    families changes while it is over the cap (the set then holds until the next row or until it drops to the cap).
    One query; the days are swept in Python."""
    cap = caseload_cap() if cap is None else cap
    by_assistant: dict[int, list] = {}
    for assistant_id, _period, family_id, s, e in caseload_spans_from_db(first=first, last=last):
        by_assistant.setdefault(assistant_id, []).append((family_id, s, e))
    rows = []
    for assistant_id, spans in sorted(by_assistant.items()):
        previous = None
        for day, families in _sweep(spans, first, last):
            if len(families) > cap and families != previous:
                rows.append((assistant_id, day, len(families), sorted(families)))
            previous = families if len(families) > cap else None
    return rows
