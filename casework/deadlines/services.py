"""The deadline board, the calendar feed and its tokens, over every domain's deadlines (casework.core.deadlines)."""
import hashlib
import secrets
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from casework.core import audit
from casework.core.deadlines import HORIZON_DAYS, Deadline, all_deadlines  # noqa: F401 - Deadline re-exported
from casework.core.timeutil import utcnow
from casework.deadlines.models import CalendarToken
from casework.extensions import db
from casework.families.deadlines import open_periods_stmt
from casework.families.models import AssistantAssignment, SupportPeriod
from casework.visits.deadlines import last_visits_in_periods, no_visit_due  # noqa: F401 - re-exported

KINDS = ("assessment", "plan_missing", "plan_revision", "plan_action", "court_opinion", "monitoring", "no_visit", "caseload")


def kind_labels() -> dict:
    return {"assessment": _("Half-yearly assessment"), "plan_missing": _("Plan of work not drawn up yet"),
            "plan_revision": _("Plan of work due for revision"),
            "plan_action": _("Plan actions past the deadline"), "court_opinion": _("Opinion for the court due"),
            "monitoring": _("Monitoring ends"), "no_visit": _("No visit for too long"),
            "caseload": _("Assistant at the caseload cap")}


def current_period_ids(today: date, family_ids=None):
    """A SELECT of the ids of the support periods open on `today` (families not archived): the only periods a
    deadline may come from. A family that came back has a new period; its earlier periods' deadlines are gone."""
    return open_periods_stmt(family_ids, today).with_only_columns(SupportPeriod.id)


def collect(family_ids, today: date, *, include_caseload: bool) -> list[Deadline]:
    """The board and the feed: every domain's deadlines (casework/<domain>/deadlines.py) due within the horizon.
    family_ids None: every family (coordinators); a list: only those (an assistant's own)."""
    horizon = today + timedelta(days=HORIZON_DAYS)
    out = [d for d in all_deadlines(family_ids, today)
           if d.due <= horizon and (include_caseload or d.kind != "caseload")]
    return sorted(out, key=lambda d: (d.due, d.kind))


def own_family_ids(user, today: date) -> list[int]:
    return list(db.session.scalars(select(AssistantAssignment.family_id).where(
        and_(AssistantAssignment.assistant_id == user.id, AssistantAssignment.start_date <= today,
             or_(AssistantAssignment.end_date.is_(None), AssistantAssignment.end_date >= today)))))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_calendar_token(user) -> str:
    """Revoke the user's earlier tokens and return a new one (shown once)."""
    for row in db.session.scalars(select(CalendarToken).where(CalendarToken.user_id == user.id,
                                                              CalendarToken.revoked_at.is_(None))):
        row.revoked_at = utcnow()
    token = secrets.token_urlsafe(24)
    db.session.add(CalendarToken(user_id=user.id, token_hash=_hash(token)))
    audit.record("calendar_token_created", user=user, object_type="user_account", object_id=user.id)
    db.session.flush()
    return token


def revoke_calendar_tokens(user) -> None:
    for row in db.session.scalars(select(CalendarToken).where(CalendarToken.user_id == user.id,
                                                              CalendarToken.revoked_at.is_(None))):
        row.revoked_at = utcnow()
    audit.record("calendar_token_revoked", user=user, object_type="user_account", object_id=user.id)
    db.session.flush()


def user_for_token(token: str):
    from casework.auth.models import User

    row = db.session.scalar(select(CalendarToken).where(CalendarToken.token_hash == _hash(token or ""),
                                                        CalendarToken.revoked_at.is_(None)))
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    return user if user is not None and user.is_active_account else None


def ical(deadlines, base_url: str) -> bytes:
    """An iCalendar of all-day events; summaries carry the kind and the case number only."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//casework//deadlines//PL")
    calendar.add("version", "2.0")
    labels = kind_labels()
    for d in deadlines:
        event = Event()
        event.add("uid", f"{d.kind}-{d.family_id or 0}-{d.due.isoformat()}@casework")
        event.add("dtstamp", utcnow())
        event.add("dtstart", d.due)
        event.add("dtend", d.due + timedelta(days=1))
        event.add("summary", f"{labels[d.kind]}" + (f" — {d.case_number}" if d.case_number else ""))
        event.add("url", base_url)
        calendar.add_component(event)
    return calendar.to_ical()
