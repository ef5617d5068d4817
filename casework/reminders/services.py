"""Reminder services: create from rules (idempotent), list, count, done, snooze, preferences."""
from datetime import date, datetime

from sqlalchemy import false, func, or_, select, true

from casework.core import audit
from casework.core.timeutil import WARSAW, utcnow
from casework.extensions import db
from casework.reminders.models import Reminder, UserPreference
from casework.core.reminders import all_rules


def local_day(now: datetime) -> date:
    return now.astimezone(WARSAW).date()


def dialect_insert(model):
    """INSERT … ON CONFLICT DO NOTHING needs the dialect's own insert construct."""
    name = db.session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # local import: the dialect is known only at run time
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert  # local import: the dialect is known only at run time
    else:  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"unsupported database: {name}")
    return insert(model)


def create_due_reminders(today: date, rule_codes=None) -> int:
    """Evaluate every rule for `today` and insert the reminders not created yet; returns how many were new."""
    created = 0
    for code, rule in sorted(all_rules().items()):
        if rule_codes is not None and code not in rule_codes:
            continue
        rows = []
        for c in rule.candidates(today):
            for recipient_id in sorted(set(c.recipient_ids)):
                rows.append({"rule": code, "record_type": c.record_type, "record_id": c.record_id,
                             "due_date": c.due_date, "recipient_id": recipient_id, "subject": c.subject,
                             "created_at": utcnow()})
        # a fixed order: concurrent runs lock the same keys in the same order (no deadlock on PostgreSQL)
        rows.sort(key=lambda r: (r["record_type"], r["record_id"], r["due_date"], r["recipient_id"]))
        # chunks keep the statement under SQLite's bound-parameter limit
        for start in range(0, len(rows), 200):
            stmt = dialect_insert(Reminder).values(rows[start:start + 200]).on_conflict_do_nothing(
                index_elements=["rule", "record_type", "record_id", "due_date", "recipient_id"],
            ).returning(Reminder.id)
            created += len(db.session.execute(stmt).all())  # RETURNING yields only the rows inserted
    db.session.flush()
    return created


def open_clause(today: date):
    return (Reminder.done_at.is_(None)
            & or_(Reminder.snoozed_until.is_(None), Reminder.snoozed_until <= today))


def open_reminders_stmt(user, today: date):
    rule_codes = list(all_rules())
    return (select(Reminder)
            .where(Reminder.recipient_id == user.id, open_clause(today),
                   Reminder.rule.in_(rule_codes) if rule_codes else false())
            .order_by(Reminder.due_date, Reminder.id))


def snoozed_reminders_stmt(user, today: date):
    return (select(Reminder)
            .where(Reminder.recipient_id == user.id, Reminder.done_at.is_(None), Reminder.snoozed_until > today)
            .order_by(Reminder.snoozed_until, Reminder.id))


def open_count(user, today: date) -> int:
    rule_codes = list(all_rules())
    return db.session.scalar(select(func.count(Reminder.id)).where(
        Reminder.recipient_id == user.id, open_clause(today),
        Reminder.rule.in_(rule_codes) if rule_codes else true())) or 0


def get_own_reminder(reminder_id: int, user) -> Reminder | None:
    return db.session.scalar(select(Reminder).where(Reminder.id == reminder_id, Reminder.recipient_id == user.id))


def mark_done(reminder: Reminder, user) -> None:
    if reminder.done_at is None:
        reminder.done_at = utcnow()
        audit.record("reminder_done", reminder, user=user, details={"rule": reminder.rule})
    db.session.flush()


class SnoozeError(ValueError):
    pass


def snooze(reminder: Reminder, user, until: date, today: date) -> None:
    if until <= today:
        raise SnoozeError("the snooze date must be in the future")
    reminder.snoozed_until = until
    audit.record("reminder_snoozed", reminder, user=user,
                 details={"rule": reminder.rule, "snoozed_until": until.isoformat()})
    db.session.flush()


def get_preference(user_id: int) -> UserPreference:
    pref = db.session.get(UserPreference, user_id)
    if pref is None:
        pref = UserPreference(user_id=user_id, email_digest_opt_out=False, digest_failures=0)
        db.session.add(pref)
        db.session.flush()
    return pref


def set_digest_opt_out(user, opt_out: bool) -> None:
    pref = get_preference(user.id)
    if pref.email_digest_opt_out != opt_out:
        audit.record("reminder_digest_preference", object_type="user_account", object_id=user.id, user=user,
                     details={"email_digest_opt_out": [pref.email_digest_opt_out, opt_out]})
        pref.email_digest_opt_out = opt_out
    db.session.flush()
