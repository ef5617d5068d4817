"""Entering and archiving the other work of the sheet: one save path for the form (and any later import)."""
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.core import audit, worktime
from casework.core.errors import RuleError
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.families.access import can_view_family
from casework.families.models import Family
from casework.worktime.models import KINDS, WorkEntry

KIND_LABELS = {"court_hearing": _l("Court hearing"), "travel": _l("Travel"), "office": _l("Office work"),
               "other": _l("Other work")}
FIELDS = ("work_date", "kind", "minutes", "family_id", "note")
NOTE_LENGTH = 300


def entry_problems(values: dict, actor, today: date) -> list[str]:
    problems = []
    day = values.get("work_date")
    if day is None:
        problems.append(_("Enter the date of the work."))
    elif day > today:
        problems.append(_("Work cannot be dated in the future."))
    if values.get("kind") not in KINDS:
        problems.append(_("Choose the kind of work."))
    duration = worktime.duration_problem(values.get("minutes"), required=True)
    if duration:
        problems.append(duration)
    if values.get("family_id") is not None:
        family = db.session.get(Family, values["family_id"])
        if family is None or not can_view_family(actor, family):
            problems.append(_("Choose one of your families."))
    if len(values.get("note") or "") > NOTE_LENGTH:
        problems.append(_("The description is too long (at most %(n)d characters).", n=NOTE_LENGTH))
    return problems


def record_entry(values: dict, *, actor, today: date | None = None) -> WorkEntry:
    values = {f: (values.get(f).strip() or None) if isinstance(values.get(f), str) else values.get(f)
              for f in FIELDS}
    problems = entry_problems(values, actor, today or today_local())
    if problems:
        raise RuleError(problems)
    entry = WorkEntry(user_id=actor.id, **values)
    db.session.add(entry)
    db.session.flush()
    audit.record("work_entry_created", entry, user=actor, details={"kind": entry.kind, "minutes": entry.minutes})
    return entry


def may_archive(user, entry: WorkEntry) -> bool:
    """The author corrects their own sheet; a coordinator or the administrator any."""
    return entry.user_id == user.id or user.has_role("coordinator", "admin")


def archive_entry(entry: WorkEntry, *, actor) -> None:
    if not may_archive(actor, entry):
        raise RuleError(_("Only the author or a coordinator can remove this entry."))
    entry.archived_at = utcnow()
    entry.archived_reason = _("Removed from the work-time sheet")
    audit.record("work_entry_archived", entry, user=actor)
    db.session.flush()
