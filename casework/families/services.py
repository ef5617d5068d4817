"""Rules of the case register: families, members, support periods, assignments. Add and flush; never commit."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from casework.auth.models import User
from casework.core import audit
from casework.core.errors import RuleError
from casework.core.dictionaries import DictionaryEntry
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.families import rules
from casework.families.models import AssistantAssignment, Family, FamilyMember, SupportPeriod
from casework.families.rules import active_caseload, caseload_cap  # noqa: F401 - the one definition, re-exported

FAMILY_FIELDS = ("case_number", "name", "street", "postal_code", "city", "area", "phone", "social_worker_id",
                 "notes")
MEMBER_FIELDS = ("first_name", "last_name", "birth_date", "pesel", "relation", "in_household")
PERIOD_FIELDS = ("basis", "referral_date", "referred_by_id", "court_name", "court_case_signature",
                 "court_order_date", "consent_date", "start_date", "za_zyciem_request_date",
                 "za_zyciem_category_id")


class FamilyRuleError(RuleError):
    """A rule of this domain refused the change."""


def _refuse(problems) -> None:
    if problems:
        raise FamilyRuleError(rules.messages(problems))


# --- families ---------------------------------------------------------------------------------------------

def next_case_number(year: int | None = None) -> str:
    """Default case number pattern AR/<year>/<n>, n one more than the highest used this year."""
    year = year or today_local().year
    prefix = f"AR/{year}/"
    numbers = db.session.scalars(select(Family.case_number).where(Family.case_number.like(prefix + "%")))
    highest = max((int(n[len(prefix):]) for n in numbers if n[len(prefix):].isdigit()), default=0)
    return f"{prefix}{highest + 1}"


def _check_family(values: dict, family: Family | None) -> None:
    _refuse(rules.family_problems(values, family_id=family.id if family is not None else None))


def _clean(values: dict, fields) -> dict:
    out = {}
    for field in fields:
        if field in values:
            value = values[field]
            out[field] = value.strip() if isinstance(value, str) else value
            if out[field] == "":
                out[field] = None
    return out


def register_family(values: dict, *, actor) -> Family:
    values = _clean(values, FAMILY_FIELDS)
    values.setdefault("area", "urban")
    _check_family(values, None)
    family = Family(**values)
    db.session.add(family)
    db.session.flush()
    audit.record("family_created", family, user=actor, details={"fields": sorted(k for k, v in values.items() if v)})
    return family


def update_family(family: Family, values: dict, *, actor) -> dict:
    values = _clean(values, FAMILY_FIELDS)
    merged = {f: getattr(family, f) for f in FAMILY_FIELDS} | values
    _check_family(merged, family)
    changes = audit.diff(family, FAMILY_FIELDS, values)
    if changes:
        audit.record("family_updated", family, user=actor, details=changes)
    db.session.flush()
    return changes


def archive(obj, reason: str, *, actor) -> None:
    if not (reason or "").strip():
        raise FamilyRuleError(_("Give the reason for archiving."))
    obj.archived_at = utcnow()
    obj.archived_reason = reason.strip()
    if isinstance(obj, Family):
        obj.archived_by_id = actor.id if actor else None
    audit.record(f"{obj.__tablename__}_archived", obj, user=actor)
    db.session.flush()


def restore(obj, *, actor) -> None:
    if isinstance(obj, FamilyMember) and obj.pesel and rules.pesel_taken(obj.pesel, obj.id):
        raise FamilyRuleError(_("Another active record has this PESEL; it cannot be restored."))
    obj.archived_at = None
    obj.archived_reason = None
    audit.record(f"{obj.__tablename__}_restored", obj, user=actor)
    db.session.flush()


# --- members ----------------------------------------------------------------------------------------------

def _check_member(values: dict, member_id: int | None) -> dict:
    _refuse(rules.member_problems(values, member_id=member_id))
    if values.get("birth_date") is None and values.get("pesel"):
        values["birth_date"] = rules.member_birth_date(values)  # filled in from the PESEL
    return values


def add_member(family: Family, values: dict, *, actor) -> FamilyMember:
    values = _check_member(_clean(values, MEMBER_FIELDS), None)
    values.setdefault("in_household", True)
    member = FamilyMember(family_id=family.id, **values)
    db.session.add(member)
    db.session.flush()
    audit.record("family_member_created", member, user=actor, details={"family_id": family.id})
    return member


def update_member(member: FamilyMember, values: dict, *, actor) -> dict:
    values = _clean(values, MEMBER_FIELDS)
    merged = {f: getattr(member, f) for f in MEMBER_FIELDS} | values
    values = {k: v for k, v in _check_member(merged, member.id).items() if k in values or k == "birth_date"}
    changes = audit.diff(member, MEMBER_FIELDS, values)
    if changes:
        audit.record("family_member_updated", member, user=actor, details=changes)
    db.session.flush()
    return changes


# --- support periods and assignments ----------------------------------------------------------------------

def current_period(family: Family, day: date | None = None) -> SupportPeriod | None:
    day = day or today_local()
    for period in reversed(family.support_periods):
        if period.is_open_on(day) or (period.start_date > day and period.end_date is None):
            return period
    return None


def current_assignment(period: SupportPeriod | None, day: date | None = None) -> AssistantAssignment | None:
    if period is None:
        return None
    day = day or today_local()
    for assignment in reversed(period.assignments):
        if assignment.end_date is None or assignment.end_date >= day:
            return assignment
    return None


def _check_period(values: dict, family: Family, period: SupportPeriod | None) -> None:
    others = [(p.start_date, p.end_date) for p in family.support_periods if period is None or p.id != period.id]
    _refuse(rules.period_problems(values, others=others))


def start_support_period(family: Family, values: dict, *, actor) -> SupportPeriod:
    values = _clean(values, PERIOD_FIELDS)
    _check_period(values, family, None)
    period = SupportPeriod(family_id=family.id, **values)
    db.session.add(period)
    db.session.flush()
    db.session.refresh(family, ["support_periods"])
    audit.record("support_period_started", period, user=actor,
                 details={"family_id": family.id, "basis": period.basis, "start_date": period.start_date.isoformat()})
    return period


def update_support_period(period: SupportPeriod, values: dict, *, actor) -> dict:
    values = _clean(values, PERIOD_FIELDS)
    merged = {f: getattr(period, f) for f in PERIOD_FIELDS} | {"end_date": period.end_date} | values
    _check_period(merged, period.family, period)
    changes = audit.diff(period, PERIOD_FIELDS, values)
    if changes:
        audit.record("support_period_updated", period, user=actor, details=changes)
    db.session.flush()
    return changes


def assign_assistant(period: SupportPeriod, assistant: User, start: date, *, actor) -> AssistantAssignment:
    """Assign (or reassign) the period's assistant from `start`; the previous assignment ends the day before.

    The cap is checked on every day from `start` to the period's end against the assistant's other assignments."""
    current = current_assignment(period, start) if start is not None else None
    spans = [(f, s, e) for _a, _p, f, s, e in rules.caseload_spans_from_db(
        assistant.id if assistant is not None else None, first=start)] if assistant is not None else []
    _refuse(rules.assignment_problems(
        assistant, family_key=period.family_id, period_start=period.start_date, period_end=period.end_date,
        start=start, other_spans=spans, current_assistant_id=current.assistant_id if current else None))
    if current is not None:
        if current.start_date >= start:
            raise FamilyRuleError(_("The new assignment must start after the current one started (%(date)s).",
                                    date=current.start_date.isoformat()))
        current.end_date = date.fromordinal(start.toordinal() - 1)
    assignment = AssistantAssignment(support_period_id=period.id, family_id=period.family_id,
                                     assistant_id=assistant.id, start_date=start)
    db.session.add(assignment)
    db.session.flush()
    db.session.refresh(period, ["assignments"])
    audit.record("assistant_assigned", period, user=actor,
                 details={"assistant_id": assistant.id, "start_date": start.isoformat(),
                          "previous_assistant_id": current.assistant_id if current else None})
    return assignment


def end_support_period(period: SupportPeriod, end: date, reason_id: int, reason_text: str | None,
                       monitoring_until: date | None, *, actor) -> None:
    problems = rules.period_end_problems(period.start_date, end, reason_id, reason_text, monitoring_until)
    if end is not None and not problems:
        others = [(p.start_date, p.end_date) for p in period.family.support_periods if p.id != period.id]
        problems = rules.overlap_problems(period.start_date, end, others)
    _refuse(problems)
    reason = db.session.get(DictionaryEntry, reason_id)
    period.end_date = end
    period.end_reason_id = reason.id
    period.end_reason_text = (reason_text or "").strip() or None
    period.monitoring_until = monitoring_until
    for assignment in period.assignments:
        if assignment.end_date is None or assignment.end_date > end:
            assignment.end_date = end
    audit.record("support_period_ended", period, user=actor,
                 details={"end_date": end.isoformat(), "reason": reason.code,
                          "monitoring_until": monitoring_until.isoformat() if monitoring_until else None})
    db.session.flush()


def family_status(family: Family, day: date | None = None) -> str:
    day = day or today_local()
    if family.is_archived:
        return "archived"
    if not family.support_periods:
        return "none"
    last = family.support_periods[-1]
    if last.is_open_on(day):
        return "active"
    if last.start_date > day:
        return "waiting"
    if last.monitoring_until and last.end_date and last.end_date < day <= last.monitoring_until:
        return "monitoring"
    return "closed"
