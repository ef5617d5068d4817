"""Rules of the case register: families, members, support periods, assignments. Add and flush; never commit."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from casework.auth.models import User
from casework.core import audit
from casework.core.errors import RuleError
from casework.core.dictionaries import DictionaryEntry
from casework.core.pesel import PeselError, birth_date as pesel_birth_date, checksum_ok
from casework.core.settings import get_setting
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.families.models import (AREAS, BASES, BASIS_COURT_ORDER, END_REASON_KIND, RELATIONS,
                                      AssistantAssignment, Family, FamilyMember, SupportPeriod)

FAMILY_FIELDS = ("case_number", "name", "street", "postal_code", "city", "area", "phone", "social_worker_id",
                 "notes")
MEMBER_FIELDS = ("first_name", "last_name", "birth_date", "pesel", "relation", "in_household")
PERIOD_FIELDS = ("basis", "referral_date", "referred_by_id", "court_name", "court_case_signature",
                 "court_order_date", "consent_date", "start_date", "za_zyciem_request_date",
                 "za_zyciem_category_id")


class FamilyRuleError(RuleError):
    """A rule of this domain refused the change."""


def caseload_cap() -> int:
    return int(get_setting("caseload_cap", 15))


# --- families ---------------------------------------------------------------------------------------------

def next_case_number(year: int | None = None) -> str:
    """Default case number pattern AR/<year>/<n>, n one more than the highest used this year."""
    year = year or today_local().year
    prefix = f"AR/{year}/"
    numbers = db.session.scalars(select(Family.case_number).where(Family.case_number.like(prefix + "%")))
    highest = max((int(n[len(prefix):]) for n in numbers if n[len(prefix):].isdigit()), default=0)
    return f"{prefix}{highest + 1}"


def _check_family(values: dict, family: Family | None) -> None:
    problems = []
    if not (values.get("case_number") or "").strip():
        problems.append(_("Enter the case number."))
    else:
        clash = select(Family.id).where(func.lower(Family.case_number) == values["case_number"].strip().lower())
        if family is not None:
            clash = clash.where(Family.id != family.id)
        if db.session.scalar(clash) is not None:
            problems.append(_("The case number %(number)s is already used by another family.",
                              number=values["case_number"]))
    if not (values.get("name") or "").strip():
        problems.append(_("Enter the family's name."))
    if values.get("area") not in AREAS:
        problems.append(_("Choose the area: urban or rural."))
    if values.get("social_worker_id"):
        worker = db.session.get(User, values["social_worker_id"])
        if worker is None or not worker.has_role("social_worker"):
            problems.append(_("Choose a social worker from the list."))
    if problems:
        raise FamilyRuleError(problems)


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
    if isinstance(obj, FamilyMember) and obj.pesel and _pesel_taken(obj.pesel, obj.id):
        raise FamilyRuleError(_("Another active record has this PESEL; it cannot be restored."))
    obj.archived_at = None
    obj.archived_reason = None
    audit.record(f"{obj.__tablename__}_restored", obj, user=actor)
    db.session.flush()


# --- members ----------------------------------------------------------------------------------------------

def _pesel_taken(pesel: str, member_id: int | None) -> bool:
    stmt = select(FamilyMember.id).where(FamilyMember.pesel == pesel, FamilyMember.archived_at.is_(None))
    if member_id is not None:
        stmt = stmt.where(FamilyMember.id != member_id)
    return db.session.scalar(stmt) is not None


def pesel_problems(pesel: str | None, born: date | None, member_id: int | None = None) -> list[str]:
    if not pesel:
        return []
    if not checksum_ok(pesel):
        return [_("The PESEL is not valid: it must have 11 digits and a correct check digit.")]
    try:
        encoded = pesel_birth_date(pesel)
    except PeselError:
        return [_("The PESEL is not valid: it does not encode a date of birth.")]
    problems = []
    if born is not None and encoded != born:
        problems.append(_("The PESEL encodes the date of birth %(date)s, which differs from the date entered.",
                          date=encoded.isoformat()))
    if _pesel_taken(pesel, member_id):
        problems.append(_("Another active record already has this PESEL."))
    return problems


def _check_member(values: dict, member_id: int | None) -> dict:
    problems = []
    if not values.get("first_name"):
        problems.append(_("Enter the first name."))
    if not values.get("last_name"):
        problems.append(_("Enter the last name."))
    if values.get("relation") not in RELATIONS:
        problems.append(_("Choose the relation to the family."))
    born = values.get("birth_date")
    if born is not None and born > today_local():
        problems.append(_("The date of birth cannot be in the future."))
    problems.extend(pesel_problems(values.get("pesel"), born, member_id))
    if values.get("pesel") and born is None and not problems:
        values["birth_date"] = pesel_birth_date(values["pesel"])  # filled in from the PESEL
    if problems:
        raise FamilyRuleError(problems)
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
    problems = []
    start = values.get("start_date")
    if values.get("basis") not in BASES:
        problems.append(_("Choose the basis: a social worker's referral or a court order."))
    if start is None:
        problems.append(_("Enter the start date of the support period."))
    if values.get("basis") == BASIS_COURT_ORDER:
        if not values.get("court_name") or not values.get("court_order_date"):
            problems.append(_("For a court order enter the court and the date of the order."))
    elif values.get("basis") and not values.get("referral_date"):
        problems.append(_("Enter the date of the social worker's referral."))
    if start is not None:
        for other in family.support_periods:
            if period is not None and other.id == period.id:
                continue
            if other.end_date is None or other.end_date >= start:
                problems.append(_("The family has another support period that overlaps this one; "
                                  "end it first (the new period must start after it ends)."))
                break
    if problems:
        raise FamilyRuleError(problems)


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
    merged = {f: getattr(period, f) for f in PERIOD_FIELDS} | values
    _check_period(merged, period.family, period)
    changes = audit.diff(period, PERIOD_FIELDS, values)
    if changes:
        audit.record("support_period_updated", period, user=actor, details=changes)
    db.session.flush()
    return changes


def active_caseload(assistant_id: int, day: date) -> int:
    """Families the assistant is assigned to on day, in support periods open on day."""
    return db.session.scalar(
        select(func.count(func.distinct(AssistantAssignment.family_id)))
        .join(SupportPeriod, SupportPeriod.id == AssistantAssignment.support_period_id)
        .where(AssistantAssignment.assistant_id == assistant_id,
               AssistantAssignment.start_date <= day,
               or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= day),
               or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= day))) or 0


def assign_assistant(period: SupportPeriod, assistant: User, start: date, *, actor) -> AssistantAssignment:
    """Assign (or reassign) the period's assistant from `start`; the previous assignment ends the day before."""
    if not assistant.has_role("assistant") or not assistant.is_active_account:
        raise FamilyRuleError(_("Choose an active family assistant."))
    if start < period.start_date or (period.end_date and start > period.end_date):
        raise FamilyRuleError(_("The assignment must start within the support period."))
    current = current_assignment(period, start)
    if current is not None and current.assistant_id == assistant.id:
        raise FamilyRuleError(_("This assistant is already assigned to the family."))
    cap = caseload_cap()
    if active_caseload(assistant.id, start) >= cap:
        raise FamilyRuleError(_("%(name)s already works with %(n)d families (the limit is %(cap)d). "
                                "Choose another assistant or end one of their support periods.",
                                name=assistant.full_name, n=active_caseload(assistant.id, start), cap=cap))
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
    problems = []
    if end is None or end < period.start_date:
        problems.append(_("The end date cannot be before the start of the support period."))
    elif end > today_local():
        problems.append(_("The end date cannot be in the future."))
    reason = db.session.get(DictionaryEntry, reason_id) if reason_id else None
    if reason is None or reason.kind != END_REASON_KIND:
        problems.append(_("Choose the reason for ending."))
    elif reason.requires_text and not (reason_text or "").strip():
        problems.append(_("Describe the reason for ending."))
    if monitoring_until is not None and end is not None and monitoring_until <= end:
        problems.append(_("Monitoring must last beyond the end of the support period."))
    if problems:
        raise FamilyRuleError(problems)
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
