"""Rules of the visit log. Add and flush; never commit."""
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from casework.core import audit, worktime
from casework.core.db import ids_in, no_ids
from casework.core.errors import RuleError
from casework.core.dictionaries import DictionaryEntry
from casework.core.settings import get_setting
from casework.core.timeutil import today_local, utcnow
from casework.visits.deadlines import last_visits_in_periods, no_visit_due
from casework.extensions import db
from casework.families.access import assigned_family_ids, can_view_family, sees_all_families
from casework.families.models import Family, SupportPeriod
from casework.visits import rules
from casework.visits.models import AREA_OF_WORK_KIND, FORMS, PLACES, Visit

FIELDS = ("visit_date", "start_time", "duration_minutes", "place", "form", "activities", "agreed_next")


class VisitRuleError(RuleError):
    """A rule of this domain refused the change."""


def edit_days() -> int:
    return int(get_setting("visit_edit_days"))


def no_visit_warning_days() -> int:
    return int(get_setting("no_visit_warning_days"))


def can_edit(user, visit: Visit, today: date | None = None) -> bool:
    """Own entries for `visit_edit_days` days after the visit; later (and others' entries) coordinators only."""
    if sees_all_families(user):
        return True
    today = today or today_local()
    return visit.assistant_id == user.id and (today - visit.visit_date).days <= edit_days()


def _check(values: dict, *, assistant_id: int, visit_id: int | None, today: date) -> list[str]:
    problems = []
    day = values.get("visit_date")
    minutes = values.get("duration_minutes")
    if day is None:
        problems.append(_("Enter the date of the visit."))
    elif day > today:
        problems.append(_("A visit cannot be dated in the future."))
    if minutes is None:
        problems.append(_("Enter how long the visit took."))
    elif problem := worktime.duration_problem(minutes, required=True):
        problems.append(problem)
    if values.get("place") not in (None, *PLACES):
        problems.append(_("Choose the place from the list."))
    if values.get("form") not in (None, *FORMS):
        problems.append(_("Choose the form from the list."))
    start = values.get("start_time")
    if not problems and start is not None:
        begin = datetime.combine(day, start)
        end = begin + timedelta(minutes=minutes)
        stmt = select(Visit).where(Visit.assistant_id == assistant_id, Visit.visit_date == day,
                                   Visit.start_time.is_not(None), Visit.archived_at.is_(None))
        if visit_id is not None:
            stmt = stmt.where(Visit.id != visit_id)
        for other in db.session.scalars(stmt):
            other_begin = datetime.combine(day, other.start_time)
            other_end = other_begin + timedelta(minutes=other.duration_minutes)
            if begin < other_end and other_begin < end:
                problems.append(_("This overlaps your visit of %(start)s–%(end)s on that day.",
                                  start=other_begin.strftime("%H:%M"), end=other_end.strftime("%H:%M")))
                break
    return problems


def visit_problems(values: dict, *, family_id: int, assistant_id: int, visit_id: int | None, today: date,
                   now: datetime | None = None, recent: dict | None = None) -> list[str]:
    """Every check of a visit's values, for the form and the import alike (messages in Polish, empty when the
    visit may be saved). A new visit (visit_id None) identical to one saved minutes ago is that visit saved twice:
    only that is said (with a link to the saved one), not e.g. that it overlaps itself."""
    values = _clean(values)
    if visit_id is None:
        twice = rules.duplicate_problems(values | {"family_id": family_id, "assistant_id": assistant_id}, now=now,
                                         recent=recent)
        if twice:
            return twice
    return _check(values, assistant_id=assistant_id, visit_id=visit_id, today=today)


def _areas(area_ids) -> list[DictionaryEntry]:
    ids = [int(a) for a in (area_ids or [])]
    if not ids:
        return []
    found = list(db.session.scalars(select(DictionaryEntry).where(DictionaryEntry.id.in_(ids),
                                                                  DictionaryEntry.kind == AREA_OF_WORK_KIND)))
    if len(found) != len(set(ids)):
        raise VisitRuleError(_("Choose the areas of work from the list."))
    return found


def _clean(values: dict) -> dict:
    out = {}
    for field in FIELDS:
        if field in values:
            value = values[field]
            if isinstance(value, str):
                value = value.strip() or None
            out[field] = value
    return out


def log_visit(family: Family, values: dict, area_ids, *, actor, today: date | None = None,
              client_key: str | None = None) -> Visit:
    """A new visit through every rule (the form, a visit the phone logged offline, the import). `client_key`: the
    phone's key of a visit logged without a connection (offline_visit answers a key sent again)."""
    today = today or today_local()
    if not can_view_family(actor, family, today=today) or family.is_archived:
        raise VisitRuleError(_("Choose one of your families."))
    values = _clean(values)
    problems = visit_problems(values, family_id=family.id, assistant_id=actor.id, visit_id=None, today=today)
    if problems:
        raise VisitRuleError(problems)
    visit = Visit(family_id=family.id, assistant_id=actor.id, client_key=client_key, **values)
    visit.areas = _areas(area_ids)
    db.session.add(visit)
    db.session.flush()
    audit.record("visit_created", visit, user=actor, details={"family_id": family.id})
    return visit


def offline_visit(client_key: str, *, actor) -> Visit | None:
    """The visit already saved under the key a phone gave it (None: not saved yet), for the assistant who logged
    it. The same key from someone else is refused: a key is never a way to reach another person's visit."""
    visit = db.session.scalar(select(Visit).where(Visit.client_key == client_key))
    if visit is not None and visit.assistant_id != actor.id:
        raise VisitRuleError(_("This visit could not be saved; log it again in the form."))
    return visit


def update_visit(visit: Visit, values: dict, area_ids, *, actor, today: date | None = None) -> dict:
    today = today or today_local()
    if not can_edit(actor, visit, today):
        raise VisitRuleError(_("The time to correct this entry has passed (%(days)d days); ask a coordinator.",
                               days=edit_days()))
    values = _clean(values)
    merged = {f: getattr(visit, f) for f in FIELDS} | values
    problems = _check(merged, assistant_id=visit.assistant_id, visit_id=visit.id, today=today)
    if problems:
        raise VisitRuleError(problems)
    changes = audit.diff(visit, FIELDS, values)
    areas = _areas(area_ids)
    if {a.id for a in areas} != {a.id for a in visit.areas}:
        changes["areas"] = [sorted(a.code for a in visit.areas), sorted(a.code for a in areas)]
        visit.areas = areas
    if changes:
        audit.record("visit_updated", visit, user=actor, details=changes)
    db.session.flush()
    return changes


def archive_visit(visit: Visit, reason: str, *, actor) -> None:
    if not can_edit(actor, visit):
        raise VisitRuleError(_("The time to correct this entry has passed (%(days)d days); ask a coordinator.",
                               days=edit_days()))
    if not (reason or "").strip():
        raise VisitRuleError(_("Give the reason for archiving."))
    visit.archived_at = utcnow()
    visit.archived_reason = reason.strip()
    visit.archived_by_id = actor.id
    audit.record("visit_archived", visit, user=actor)
    db.session.flush()


def visits_between(user_id: int, first: date, last: date):
    return (select(Visit).where(Visit.assistant_id == user_id, Visit.archived_at.is_(None),
                                Visit.visit_date >= first, Visit.visit_date <= last)
            .order_by(Visit.visit_date, Visit.start_time, Visit.id))


def last_visits(family_ids) -> dict[int, date]:
    """{family id: date of its latest visit}; family_ids a list or a SELECT of ids."""
    if no_ids(family_ids):
        return {}
    rows = db.session.execute(select(Visit.family_id, func.max(Visit.visit_date))
                              .where(ids_in(Visit.family_id, family_ids), Visit.archived_at.is_(None))
                              .group_by(Visit.family_id))
    return dict(rows.all())


def families_without_recent_visit(family_ids, today: date) -> dict[int, date | None]:
    """Active families (support period open today) among family_ids (a list or a SELECT of ids) whose last visit
    is older than the warning threshold: {family_id: last visit date or None}."""
    if no_ids(family_ids):
        return {}
    # only the current support period counts (deadlines.services.no_visit_due): a family that came back is not
    # overdue because of a visit of its earlier period
    open_periods = select(SupportPeriod.id, SupportPeriod.family_id, SupportPeriod.start_date).where(
        ids_in(SupportPeriod.family_id, family_ids), SupportPeriod.start_date <= today,
        or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= today))
    last = last_visits_in_periods(open_periods.with_only_columns(SupportPeriod.id))
    days = no_visit_warning_days()
    return {fid: last.get(pid) for pid, fid, start in db.session.execute(open_periods)
            if no_visit_due(start, last.get(pid), days) < today}


def my_current_families(user, today: date):
    return (select(Family).where(Family.archived_at.is_(None), Family.id.in_(assigned_family_ids(user.id, today)))
            .order_by(Family.name_sort))
