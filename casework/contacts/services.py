"""Rules of the institution directory, institution contacts and team meetings. Add and flush; never commit."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from casework.contacts.models import CONTACT_FORMS, INSTITUTION_TYPE_KIND, Institution, InstitutionContact, TeamMeeting
from casework.core import audit, worktime
from casework.core.dictionaries import DictionaryEntry
from casework.core.errors import RuleError
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.access import can_view_family, sees_all_families
from casework.families.models import Family
from casework.visits.services import edit_days as visit_edit_days

INSTITUTION_FIELDS = ("name", "type_id", "street", "postal_code", "city", "phone", "email", "contact_person", "notes")
CONTACT_FIELDS = ("contact_date", "institution_id", "family_id", "form", "subject", "duration_minutes")
MEETING_FIELDS = ("meeting_date", "participants", "decisions", "new_family", "duration_minutes")


class ContactRuleError(RuleError):
    """A rule of this domain refused the change."""


def _clean(values: dict, fields) -> dict:
    out = {}
    for field in fields:
        if field in values:
            value = values[field]
            out[field] = (value.strip() or None) if isinstance(value, str) else value
    return out


def institution_problems(values: dict, *, institution_id: int | None = None, in_use=None) -> list[str]:
    """An institution's own values (the form and the import): name, type, not already in the directory by name
    and town. `in_use(name, city) -> bool` replaces the database look-up (the import adds its file)."""
    problems = []
    if not values.get("name"):
        problems.append(_("Enter the institution's name."))
    kind = db.session.get(DictionaryEntry, values["type_id"]) if values.get("type_id") else None
    if kind is None or kind.kind != INSTITUTION_TYPE_KIND:
        problems.append(_("Choose the type of institution."))
    if values.get("name") and kind is not None:
        if in_use is None:
            clash = select(Institution.id).where(func.lower(Institution.name) == values["name"].lower(),
                                                 Institution.city == values.get("city"),
                                                 Institution.archived_at.is_(None))
            if institution_id is not None:
                clash = clash.where(Institution.id != institution_id)
            taken = db.session.scalar(clash) is not None
        else:
            taken = in_use(values["name"], values.get("city"))
        if taken:
            problems.append(_("This institution is already in the directory."))
    return problems


def _check_institution(values: dict, institution: Institution | None) -> None:
    problems = institution_problems(values, institution_id=institution.id if institution is not None else None)
    if problems:
        raise ContactRuleError(problems)


def add_institution(values: dict, *, actor) -> Institution:
    values = _clean(values, INSTITUTION_FIELDS)
    _check_institution(values, None)
    institution = Institution(**values)
    db.session.add(institution)
    db.session.flush()
    audit.record("institution_created", institution, user=actor)
    return institution


def update_institution(institution: Institution, values: dict, *, actor) -> dict:
    values = _clean(values, INSTITUTION_FIELDS)
    _check_institution({f: getattr(institution, f) for f in INSTITUTION_FIELDS} | values, institution)
    changes = audit.diff(institution, INSTITUTION_FIELDS, values)
    if changes:
        audit.record("institution_updated", institution, user=actor, details=changes)
    db.session.flush()
    return changes


def contact_problems(values: dict, today: date, *, institution_stored: bool = True) -> list[str]:
    """A contact's own values (the form and the import): date, form, an institution of the directory
    (`institution_stored=False`: the import's institution is a row of the same file, not written yet)."""
    problems = []
    if values.get("contact_date") is None:
        problems.append(_("Enter the date of the contact."))
    elif values["contact_date"] > today:
        problems.append(_("A contact cannot be dated in the future."))
    if values.get("form") not in CONTACT_FORMS:
        problems.append(_("Choose the form of the contact."))
    if problem := worktime.duration_problem(values.get("duration_minutes"), required=False):
        problems.append(problem)
    if institution_stored:
        institution = db.session.get(Institution, values["institution_id"]) if values.get("institution_id") else None
        if institution is None or institution.is_archived:
            problems.append(_("Choose the institution."))
    return problems


def meeting_problems(values: dict, today: date) -> list[str]:
    """A team meeting's own values (the form and the import)."""
    problems = []
    if values.get("meeting_date") is None:
        problems.append(_("Enter the date of the meeting."))
    elif values["meeting_date"] > today:
        problems.append(_("A meeting cannot be dated in the future."))
    if not values.get("participants"):
        problems.append(_("List the participants."))
    if problem := worktime.duration_problem(values.get("duration_minutes"), required=False):
        problems.append(problem)
    return problems


def _check_contact(values: dict, actor, today: date) -> None:
    problems = contact_problems(values, today)
    if values.get("family_id"):
        family = db.session.get(Family, values["family_id"])
        if family is None or not can_view_family(actor, family):
            problems.append(_("Choose one of your families."))
    if problems:
        raise ContactRuleError(problems)


def log_contact(values: dict, *, actor, today: date | None = None) -> InstitutionContact:
    values = _clean(values, CONTACT_FIELDS)
    _check_contact(values, actor, today or today_local())
    contact = InstitutionContact(user_id=actor.id, **values)
    db.session.add(contact)
    db.session.flush()
    audit.record("institution_contact_created", contact, user=actor,
                 details={"family_id": contact.family_id, "institution_id": contact.institution_id})
    return contact


def log_meeting(family, values: dict, *, actor, today: date | None = None) -> TeamMeeting:
    values = _clean(values, MEETING_FIELDS)
    problems = meeting_problems(values, today or today_local())
    if problems:
        raise ContactRuleError(problems)
    meeting = TeamMeeting(family_id=family.id, user_id=actor.id, **values)
    db.session.add(meeting)
    db.session.flush()
    audit.record("team_meeting_created", meeting, user=actor, details={"family_id": family.id})
    return meeting


def edit_days() -> int:
    return visit_edit_days()


def can_edit(user, record, today: date | None = None) -> bool:
    """Own entries for `visit_edit_days` days after their date; later (and others' entries) coordinators only."""
    if sees_all_families(user):
        return True
    day = record.contact_date if isinstance(record, InstitutionContact) else record.meeting_date
    return record.user_id == user.id and ((today or today_local()) - day).days <= edit_days()


def update_record(record, values: dict, *, actor, today: date | None = None) -> dict:
    """Correct a contact or a team meeting (within the edit window, or as a coordinator)."""
    today = today or today_local()
    if not can_edit(actor, record, today):
        raise ContactRuleError(_("The time to correct this entry has passed (%(days)d days); ask a coordinator.",
                                 days=edit_days()))
    if isinstance(record, InstitutionContact):
        fields = ("contact_date", "institution_id", "form", "subject", "duration_minutes")
        values = _clean(values, fields)
        _check_contact({f: getattr(record, f) for f in CONTACT_FIELDS} | values, actor, today)
    else:
        fields = MEETING_FIELDS
        values = _clean(values, fields)
        problems = meeting_problems({f: getattr(record, f) for f in fields} | values, today)
        if problems:
            raise ContactRuleError(problems)
    changes = audit.diff(record, fields, values)
    if changes:
        audit.record(f"{record.__tablename__}_updated", record, user=actor, details=changes)
    db.session.flush()
    return changes
