"""Writes of issue 18's registers: add and flush, write the audit trail (field names only, never personal data),
never commit. Every write checks casework.support.rules first."""
from flask_babel import gettext as _
from sqlalchemy import select

from casework.core.formatting import parse_decimal
from casework.auth.models import User
from casework.contacts.models import Institution
from casework.core import audit
from casework.core.errors import RuleError
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.families.models import FamilyMember, SupportPeriod
from casework.support import rules
from casework.support.models import (DaySupportAttendance, DaySupportFacility, SupportingFamily,
                                     SupportingFamilyCost, SupportingFamilyHelp, TeamMembership, ZaZyciemRequest)

SUPPORTING_FAMILY_FIELDS = ("name", "address", "phone", "start_date", "end_date", "notes")
HELP_FIELDS = ("family_id", "start_date", "end_date", "consent_date", "notes")
FACILITY_FIELDS = ("form", "places")
ATTENDANCE_FIELDS = ("member_id", "institution_id", "start_date", "end_date", "notes")
TEAM_FIELDS = ("full_name", "user_id", "sector", "institution_id", "institution_name", "appointed_on", "ended_on",
               "is_chair")
ZA_ZYCIEM_FIELDS = ("request_date", "category_id", "support_period_id", "assistant_id", "coordination_start",
                    "coordination_end", "notes")


class SupportRuleError(RuleError):
    """A rule of issue 18's registers refused the change."""


def _refuse(problems) -> None:
    if problems:
        raise SupportRuleError(rules.messages(problems))


def _clean(values: dict, fields) -> dict:
    out = {}
    for field in fields:
        if field in values:
            value = values[field]
            value = value.strip() if isinstance(value, str) else value
            out[field] = None if value == "" else value
    return out


def _merged(obj, fields, values: dict) -> dict:
    return ({f: getattr(obj, f) for f in fields} if obj is not None else {}) | values


def _create(model, values: dict, action: str, *, actor, **fixed):
    obj = model(**fixed, **values)
    db.session.add(obj)
    db.session.flush()
    audit.record(action, obj, user=actor, details={"fields": sorted(k for k, v in values.items() if v is not None)})
    return obj


def _update(obj, fields, values: dict, action: str, *, actor) -> dict:
    changes = audit.diff(obj, fields, values)
    if changes:
        audit.record(action, obj, user=actor, details={"fields": sorted(changes)})
    db.session.flush()
    return changes


def archive(obj, reason: str, *, actor) -> None:
    """Archive (never delete) a record a person entered."""
    if not (reason or "").strip():
        raise SupportRuleError(_("Give the reason for archiving."))
    obj.archived_at = utcnow()
    obj.archived_reason = reason.strip()
    audit.record(f"{obj.__tablename__}_archived", obj, user=actor)
    db.session.flush()


# --- supporting families ---------------------------------------------------------------------------------------

def _live(items):
    return [i for i in items if not i.is_archived]


def add_supporting_family(values: dict, *, actor) -> SupportingFamily:
    values = _clean(values, SUPPORTING_FAMILY_FIELDS)
    _refuse(rules.supporting_family_problems(values))
    return _create(SupportingFamily, values, "supporting_family_created", actor=actor)


def update_supporting_family(sf: SupportingFamily, values: dict, *, actor) -> dict:
    values = _clean(values, SUPPORTING_FAMILY_FIELDS)
    _refuse(rules.supporting_family_problems(_merged(sf, SUPPORTING_FAMILY_FIELDS, values),
                                             helps=[(h.start_date, h.end_date) for h in _live(sf.helps)]))
    return _update(sf, SUPPORTING_FAMILY_FIELDS, values, "supporting_family_updated", actor=actor)


def _check_help(sf: SupportingFamily, values: dict, help_id: int | None) -> None:
    others = [(h.start_date, h.end_date) for h in _live(sf.helps)
              if h.id != help_id and h.family_id == values.get("family_id")]
    _refuse(rules.help_problems(values, family_start=sf.start_date, family_end=sf.end_date, others=others))


def add_help(sf: SupportingFamily, values: dict, *, actor) -> SupportingFamilyHelp:
    values = _clean(values, HELP_FIELDS)
    _check_help(sf, values, None)
    help_ = _create(SupportingFamilyHelp, values, "supporting_family_help_created", actor=actor,
                    supporting_family_id=sf.id)
    db.session.refresh(sf, ["helps"])
    return help_


def update_help(help_: SupportingFamilyHelp, values: dict, *, actor) -> dict:
    values = _clean(values, HELP_FIELDS)
    merged = _merged(help_, HELP_FIELDS, values)
    _check_help(help_.supporting_family, merged, help_.id)
    months = [c.month for c in help_.costs]
    if months and (min(months) < rules.month_start(merged["start_date"])
                   or (merged.get("end_date") and max(months) > merged["end_date"])):
        raise SupportRuleError(_("Costs are recorded for months outside these dates."))
    return _update(help_, HELP_FIELDS, values, "supporting_family_help_updated", actor=actor)


def add_cost(help_: SupportingFamilyHelp, values: dict, *, actor) -> SupportingFamilyCost:
    amount = values.get("amount")
    values = {"month": values.get("month"),
              "amount": amount if amount is None or not isinstance(amount, str) else parse_decimal(amount)}
    _refuse(rules.cost_problems(values, help_start=help_.start_date, help_end=help_.end_date,
                                taken_months=[c.month for c in help_.costs]))
    values["month"] = rules.month_start(values["month"])
    cost = SupportingFamilyCost(help_id=help_.id, **values)
    db.session.add(cost)
    db.session.flush()
    audit.record("supporting_family_cost_created", cost, user=actor, details={"month": values["month"].isoformat()})
    db.session.refresh(help_, ["costs"])
    return cost


def remove_cost(cost: SupportingFamilyCost, *, actor) -> None:
    """A cost typed by mistake: removed, the audit trail keeps its month and amount."""
    audit.record("supporting_family_cost_removed", cost, user=actor,
                 details={"month": cost.month.isoformat(), "amount": str(cost.amount)})
    db.session.delete(cost)
    db.session.flush()


# --- day support ------------------------------------------------------------------------------------------------

def save_facility(institution: Institution, values: dict, *, actor) -> DaySupportFacility:
    values = _clean(values, FACILITY_FIELDS)
    _refuse(rules.facility_problems(values, type_code=institution.type.code if institution.type else None))
    facility = db.session.get(DaySupportFacility, institution.id)
    if facility is None:
        facility = DaySupportFacility(institution_id=institution.id, **values)
        db.session.add(facility)
        db.session.flush()
        audit.record("day_support_facility_created", object_type="institution", object_id=institution.id,
                     user=actor, details={"fields": sorted(values)})
        return facility
    changes = audit.diff(facility, FACILITY_FIELDS, values)
    if changes:
        audit.record("day_support_facility_updated", object_type="institution", object_id=institution.id,
                     user=actor, details={"fields": sorted(changes)})
    db.session.flush()
    return facility


def _check_attendance(family, values: dict, attendance_id: int | None) -> None:
    member = db.session.get(FamilyMember, values["member_id"]) if values.get("member_id") else None
    institution = db.session.get(Institution, values["institution_id"]) if values.get("institution_id") else None
    others = []
    if member is not None and institution is not None:
        others = [(a.start_date, a.end_date) for a in db.session.scalars(select(DaySupportAttendance).where(
            DaySupportAttendance.member_id == member.id, DaySupportAttendance.institution_id == institution.id,
            DaySupportAttendance.archived_at.is_(None), DaySupportAttendance.id != (attendance_id or 0)))]
    _refuse(rules.attendance_problems(
        values | {"family_id": family.id},
        member_family_id=member.family_id if member is not None and not member.is_archived else None,
        member_relation=member.relation if member is not None else None,
        type_code=institution.type.code if institution is not None and not institution.is_archived else None,
        others=others))


def add_attendance(family, values: dict, *, actor) -> DaySupportAttendance:
    values = _clean(values, ATTENDANCE_FIELDS)
    _check_attendance(family, values, None)
    return _create(DaySupportAttendance, values, "day_support_attendance_created", actor=actor, family_id=family.id)


def update_attendance(attendance: DaySupportAttendance, family, values: dict, *, actor) -> dict:
    values = _clean(values, ATTENDANCE_FIELDS)
    _check_attendance(family, _merged(attendance, ATTENDANCE_FIELDS, values), attendance.id)
    return _update(attendance, ATTENDANCE_FIELDS, values, "day_support_attendance_updated", actor=actor)


# --- the interdisciplinary team's membership -----------------------------------------------------------------

def _check_member(values: dict, member_id: int | None) -> None:
    same = TeamMembership.user_id == values["user_id"] if values.get("user_id") else \
        TeamMembership.full_name == (values.get("full_name") or "")
    others = [(m.appointed_on, m.ended_on) for m in db.session.scalars(select(TeamMembership).where(
        same, TeamMembership.archived_at.is_(None), TeamMembership.id != (member_id or 0)))]
    _refuse(rules.team_member_problems(values, others=others))


def add_team_member(values: dict, *, actor) -> TeamMembership:
    values = _clean(values, TEAM_FIELDS)
    values["is_chair"] = bool(values.get("is_chair"))
    _check_member(values, None)
    return _create(TeamMembership, values, "team_membership_created", actor=actor)


def update_team_member(member: TeamMembership, values: dict, *, actor) -> dict:
    values = _clean(values, TEAM_FIELDS)
    if "is_chair" in values:
        values["is_chair"] = bool(values["is_chair"])
    _check_member(_merged(member, TEAM_FIELDS, values), member.id)
    return _update(member, TEAM_FIELDS, values, "team_membership_updated", actor=actor)


# --- "Za życiem" requests --------------------------------------------------------------------------------------

def _check_za_zyciem(family, values: dict) -> None:
    period = db.session.get(SupportPeriod, values["support_period_id"]) if values.get("support_period_id") else None
    assistant = db.session.get(User, values["assistant_id"]) if values.get("assistant_id") else None
    _refuse(rules.za_zyciem_problems(
        values | {"family_id": family.id}, today=today_local(),
        period_family_id=period.family_id if period is not None else None,
        assistant_is_assistant=assistant is not None and assistant.is_active_account
        and assistant.has_role("assistant")))


def add_za_zyciem(family, values: dict, *, actor) -> ZaZyciemRequest:
    values = _clean(values, ZA_ZYCIEM_FIELDS)
    _check_za_zyciem(family, values)
    return _create(ZaZyciemRequest, values, "za_zyciem_request_created", actor=actor, family_id=family.id)


def update_za_zyciem(request_: ZaZyciemRequest, values: dict, *, actor) -> dict:
    values = _clean(values, ZA_ZYCIEM_FIELDS)
    _check_za_zyciem(request_.family, _merged(request_, ZA_ZYCIEM_FIELDS, values))
    return _update(request_, ZA_ZYCIEM_FIELDS, values, "za_zyciem_request_updated", actor=actor)
