"""The staff register: employment spells, qualification, trainings, costs. Every write checks the rules of
casework.staff.rules (the same the import calls); add + flush + audit, never commit."""
from datetime import date

from sqlalchemy import exists, or_, select

from casework.core.formatting import parse_decimal
from casework.auth.models import User, UserRole
from casework.auth.roles import ASSISTANT
from casework.core import audit, dictionaries
from casework.core.errors import RuleError
from casework.core.timeutil import utcnow
from casework.extensions import db
from casework.staff import rules
from casework.staff.models import (EMPLOYMENT_FORM_KIND, EmploymentSpell, StaffCost, StaffProfile,
                                   StaffTraining)

SPELL_FIELDS = ("form_id", "fte", "employer", "date_from", "date_to")
TRAINING_FIELDS = ("training_date", "title", "organiser", "hours", "cost")
COST_FIELDS = ("date_from", "date_to", "source", "amount", "note")
PROFILE_FIELDS = ("qualification_basis", "qualification_note", "conditions_checked_on")


class StaffRuleError(RuleError):
    """A rule of the staff register refused the change."""


def register_clause():
    """Users in the register: assistants (active or not) and anyone with an employment spell."""
    return or_(exists(select(UserRole.user_id).where(UserRole.user_id == User.id, UserRole.role == ASSISTANT)),
               exists(select(EmploymentSpell.id).where(EmploymentSpell.user_id == User.id)))


def register_users():
    return select(User).where(register_clause())


def profile_of(user_id: int) -> StaffProfile | None:
    return db.session.scalar(select(StaffProfile).where(StaffProfile.user_id == user_id))


def spells_of(user_id: int, *, exclude_id: int | None = None) -> list[EmploymentSpell]:
    stmt = select(EmploymentSpell).where(EmploymentSpell.user_id == user_id, EmploymentSpell.archived_at.is_(None))
    if exclude_id:
        stmt = stmt.where(EmploymentSpell.id != exclude_id)
    return list(db.session.scalars(stmt.order_by(EmploymentSpell.date_from.desc(), EmploymentSpell.id.desc())))


def spell_on(user_id: int, when: date) -> EmploymentSpell | None:
    for spell in spells_of(user_id):
        if rules.spans_overlap(spell.date_from, spell.date_to, when, when):
            return spell
    return None


def _spans(spells) -> list[tuple]:
    return [(s.date_from, s.date_to) for s in spells]


def _form_code(form_id) -> str | None:
    if not form_id:
        return None
    entry = db.session.get(dictionaries.DictionaryEntry, int(form_id))
    if entry is None or entry.kind != EMPLOYMENT_FORM_KIND:
        return None
    return entry.maps_to or entry.code


def save_profile(user: User, values: dict, *, actor) -> StaffProfile:
    problems = rules.check_qualification(values.get("qualification_basis"))
    if problems:
        raise StaffRuleError(problems)
    profile = profile_of(user.id)
    if profile is None:
        profile = StaffProfile(user_id=user.id)
        db.session.add(profile)
    profile.qualification_basis = values.get("qualification_basis") or None
    profile.qualification_note = (values.get("qualification_note") or "").strip() or None
    profile.conditions_checked_on = values.get("conditions_checked_on")
    db.session.flush()
    audit.record("staff_profile_saved", profile, user=actor, details={"basis": profile.qualification_basis})
    return profile


def check_spell(user_id: int, values: dict, *, exclude_id: int | None = None) -> list[str]:
    return rules.check_spell(values, _form_code(values.get("form_id")), _spans(spells_of(user_id,
                                                                                         exclude_id=exclude_id)))


def save_spell(user: User, values: dict, *, actor, spell: EmploymentSpell | None = None) -> EmploymentSpell:
    problems = check_spell(user.id, values, exclude_id=spell.id if spell else None)
    if problems:
        raise StaffRuleError(problems)
    if spell is None:
        spell = EmploymentSpell(user_id=user.id)
        db.session.add(spell)
    spell.form_id = int(values["form_id"])
    spell.fte = parse_decimal(values["fte"])
    spell.employer = (values.get("employer") or "").strip() or None
    spell.date_from, spell.date_to = values["date_from"], values.get("date_to")
    db.session.flush()
    audit.record("employment_spell_saved", spell, user=actor, details={"user_id": user.id})
    return spell


def save_training(user: User, values: dict, *, actor, training: StaffTraining | None = None) -> StaffTraining:
    problems = rules.check_training(values)
    if problems:
        raise StaffRuleError(problems)
    if training is None:
        training = StaffTraining(user_id=user.id)
        db.session.add(training)
    training.training_date = values["training_date"]
    training.title = values["title"].strip()
    training.organiser = (values.get("organiser") or "").strip() or None
    training.hours = parse_decimal(values["hours"])
    training.cost = parse_decimal(values.get("cost"))
    db.session.flush()
    audit.record("staff_training_saved", training, user=actor, details={"user_id": user.id})
    return training


def check_cost(user_id: int, values: dict) -> list[str]:
    return rules.check_cost(values, _spans(spells_of(user_id)))


def save_cost(user: User, values: dict, *, actor, cost: StaffCost | None = None) -> StaffCost:
    problems = check_cost(user.id, values)
    if problems:
        raise StaffRuleError(problems)
    first, last = rules.cost_months(values["date_from"], values.get("date_to"))
    if cost is None:
        cost = StaffCost(user_id=user.id)
        db.session.add(cost)
    cost.date_from, cost.date_to = first, last
    cost.source = values["source"]
    cost.amount = parse_decimal(values["amount"])
    cost.note = (values.get("note") or "").strip() or None
    db.session.flush()
    audit.record("staff_cost_saved", cost, user=actor, details={"user_id": user.id, "source": cost.source})
    return cost


def archive(record, reason: str | None, *, actor) -> None:
    """Remove an entry made by mistake from the register and the statistics (kept, marked archived)."""
    if record.archived_at is not None:
        return
    record.archived_at = utcnow()
    record.archived_reason = (reason or "").strip() or None
    db.session.flush()
    audit.record("staff_record_archived", record, user=actor, details={"user_id": record.user_id})
