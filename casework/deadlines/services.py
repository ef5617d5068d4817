"""The deadline board, the calendar feed and its tokens, over every domain's deadlines (casework.core.deadlines)."""
import hashlib
import secrets
from datetime import date, timedelta

from icalendar import Calendar, Event
from sqlalchemy import and_, or_, select

from casework.auth.models import User
from casework.core import audit
from casework.core import deadlines as core_deadlines
from casework.core.deadlines import Deadline
from casework.core.timeutil import utcnow
from casework.deadlines.models import CalendarToken
from casework.extensions import db
from casework.families.models import AssistantAssignment


def kind_labels() -> dict:
    """{kind code: its name} of every domain's deadline kinds, in their order (the board's filter, the feed)."""
    return {code: kind.label for code, kind in core_deadlines.kinds().items()}


def board(family_ids, today: date, *, include_caseload: bool, kind: str | None = None, page: int = 1,
          per_page: int = 50) -> tuple[list[Deadline], int]:
    """One page of the board (family_ids None: every family, coordinators; a list: only those): every domain's
    deadlines due within the horizon, filtered, ordered and paginated in the database."""
    return core_deadlines.board(family_ids, today, include_centre=include_caseload, kind=kind or None,
                                offset=(page - 1) * per_page, limit=per_page)


def collect(family_ids, today: date, *, include_caseload: bool) -> list[Deadline]:
    """The feed (and any caller that needs them all): every deadline within the horizon, by due date."""
    return core_deadlines.board(family_ids, today, include_centre=include_caseload)[0]


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
    row = db.session.scalar(select(CalendarToken).where(CalendarToken.token_hash == _hash(token or ""),
                                                        CalendarToken.revoked_at.is_(None)))
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    return user if user is not None and user.is_active_account else None


def ical(deadlines, base_url: str) -> bytes:
    """An iCalendar of all-day events; summaries carry the kind and the case number only."""

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
