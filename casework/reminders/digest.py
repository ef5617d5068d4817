"""The daily e-mail digest: one message per person per day, sent exactly once.

For each person: (1) take today's digest slot with one conditional UPDATE on user_preference (a second run,
thread or scheduler finds it taken, or waits on the row lock and then finds it taken); (2) claim the person's
unsent reminders (UPDATE … WHERE emailed_at IS NULL RETURNING id); (3) send over SMTP; (4) commit. A failed
send rolls all of it back, so nothing is lost: the failure count and a retry time (backoff) are stored instead.
E-mails carry only the kinds of deadline, their dates and a link: no names, no case numbers, and never anything
of a blue-card procedure.
"""
import logging
import os
import smtplib
from collections import Counter
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale, gettext as _, ngettext
from sqlalchemy import and_, func, or_, select, update

from casework.auth.models import User
from casework.core.reminders import all_rules
from casework.core.timeutil import utcnow
from casework.extensions import db
from casework.reminders.models import Reminder, UserPreference
from casework.reminders.services import dialect_insert, local_day

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(minutes=10)
BACKOFF_MAX = timedelta(hours=6)


def mail_config() -> dict:
    cfg = current_app.config

    def get(name, default=None):
        return cfg.get(name) or os.environ.get(name) or default

    return {
        "server": get("MAIL_SERVER"),
        "port": int(get("MAIL_PORT", 25)),
        "use_tls": str(get("MAIL_USE_TLS", "0")).lower() in ("1", "true", "yes"),
        "use_ssl": str(get("MAIL_USE_SSL", "0")).lower() in ("1", "true", "yes"),
        "username": get("MAIL_USERNAME"),
        "password": get("MAIL_PASSWORD"),
        "sender": get("MAIL_SENDER", "casework@localhost"),
        "base_url": get("CASEWORK_BASE_URL", "http://localhost:5000").rstrip("/"),
        "timeout": int(get("MAIL_TIMEOUT", 10)),
    }


def send_message(msg: EmailMessage, cfg: dict) -> None:
    smtp_class = smtplib.SMTP_SSL if cfg["use_ssl"] else smtplib.SMTP
    with smtp_class(cfg["server"], cfg["port"], timeout=cfg["timeout"]) as smtp:
        if cfg["use_tls"] and not cfg["use_ssl"]:
            smtp.starttls()
        if cfg["username"]:
            smtp.login(cfg["username"], cfg["password"] or "")
        smtp.send_message(msg)


def build_message(user: User, reminders: list[Reminder], cfg: dict) -> EmailMessage:
    """Counts per kind of deadline with the earliest date, and a link: nothing else."""
    rules = all_rules()
    kinds = Counter(r.rule for r in reminders)
    earliest = {}
    for r in reminders:
        earliest[r.rule] = min(earliest.get(r.rule, r.due_date), r.due_date)
    with force_locale(user.locale or "pl"):
        lines = [_("Hello,"), "", _("Deadlines need your attention in casework:"), ""]
        for code in sorted(kinds, key=lambda c: (earliest[c], c)):
            rule = rules.get(code)
            label = str(rule.label) if rule else code
            lines.append(_("- %(label)s: %(count)d (earliest on %(date)s)", label=label, count=kinds[code],
                           date=earliest[code].isoformat()))
        lines += ["", _("Open the list of reminders: %(url)s", url=f"{cfg['base_url']}/reminders/"), "",
                  _("You receive this daily summary because reminders are sent to you by e-mail. "
                    "You can turn it off on the reminders page.")]
        subject = ngettext("casework: %(num)d reminder", "casework: %(num)d reminders", len(reminders))
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = cfg["sender"]
    msg["To"] = user.email
    msg.set_content("\n".join(lines))
    return msg


def _pending_user_ids(now: datetime, today) -> list[int]:
    stmt = (select(Reminder.recipient_id).distinct()
            .join(User, User.id == Reminder.recipient_id)
            .outerjoin(UserPreference, UserPreference.user_id == Reminder.recipient_id)
            .where(Reminder.emailed_at.is_(None), Reminder.done_at.is_(None),
                   or_(Reminder.snoozed_until.is_(None), Reminder.snoozed_until <= today),
                   User.is_active_account.is_(True), User.email.is_not(None), User.email != "",
                   or_(UserPreference.user_id.is_(None),
                       and_(UserPreference.email_digest_opt_out.is_(False),
                            or_(UserPreference.last_digest_on.is_(None), UserPreference.last_digest_on < today),
                            or_(UserPreference.digest_retry_at.is_(None),
                                UserPreference.digest_retry_at <= now))))
            .order_by(Reminder.recipient_id))
    return list(db.session.scalars(stmt))


def _ensure_preferences(user_ids: list[int]) -> None:
    if not user_ids:
        return
    stmt = dialect_insert(UserPreference).values(
        [{"user_id": uid, "email_digest_opt_out": False, "digest_failures": 0} for uid in user_ids]
    ).on_conflict_do_nothing(index_elements=["user_id"])
    db.session.execute(stmt)
    db.session.commit()


def send_digests(now: datetime | None = None) -> dict:
    """Send today's digest to every person with unsent reminders; returns counts. Commits per person."""
    now = now or utcnow()
    today = local_day(now)
    cfg = mail_config()
    if not cfg["server"]:
        return {"sent": 0, "failed": 0, "skipped": "no MAIL_SERVER"}
    user_ids = _pending_user_ids(now, today)
    _ensure_preferences(user_ids)
    sent = failed = 0
    for uid in user_ids:
        try:
            if _send_one(uid, now, today, cfg):
                sent += 1
        except Exception as exc:  # noqa: BLE001 - any SMTP/network failure: keep queued, retry later
            db.session.rollback()
            failed += 1
            log.warning("digest for user %s failed: %s", uid, type(exc).__name__)
            _record_failure(uid, now)
    return {"sent": sent, "failed": failed}


def _send_one(uid: int, now: datetime, today, cfg: dict) -> bool:
    slot = db.session.execute(
        update(UserPreference)
        .where(UserPreference.user_id == uid, UserPreference.email_digest_opt_out.is_(False),
               or_(UserPreference.last_digest_on.is_(None), UserPreference.last_digest_on < today),
               or_(UserPreference.digest_retry_at.is_(None), UserPreference.digest_retry_at <= now))
        .values(last_digest_on=today, digest_failures=0, digest_retry_at=None)
        .execution_options(synchronize_session=False))
    if slot.rowcount != 1:
        db.session.rollback()
        return False
    claimed = list(db.session.scalars(
        update(Reminder)
        .where(Reminder.recipient_id == uid, Reminder.emailed_at.is_(None), Reminder.done_at.is_(None),
               or_(Reminder.snoozed_until.is_(None), Reminder.snoozed_until <= today))
        .values(emailed_at=now)
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)))
    if not claimed:
        db.session.rollback()
        return False
    user = db.session.get(User, uid)
    reminders = list(db.session.scalars(select(Reminder).where(Reminder.id.in_(claimed))))
    send_message(build_message(user, reminders, cfg), cfg)
    db.session.commit()
    return True


def _record_failure(uid: int, now: datetime) -> None:
    pref = db.session.get(UserPreference, uid)
    if pref is None:
        return
    pref.digest_failures = (pref.digest_failures or 0) + 1
    delay = min(BACKOFF_BASE * (2 ** (pref.digest_failures - 1)), BACKOFF_MAX)
    pref.digest_retry_at = now + delay
    db.session.commit()


def unsent_queue() -> list[tuple]:
    """(recipient login, count, failures, retry at) of reminders waiting for an e-mail, for administrators."""
    return db.session.execute(
        select(User.login, func.count(Reminder.id), UserPreference.digest_failures, UserPreference.digest_retry_at)
        .join(User, User.id == Reminder.recipient_id)
        .outerjoin(UserPreference, UserPreference.user_id == Reminder.recipient_id)
        .where(Reminder.emailed_at.is_(None), Reminder.done_at.is_(None), User.email.is_not(None),
               or_(UserPreference.user_id.is_(None), UserPreference.email_digest_opt_out.is_(False)))
        .group_by(User.login, UserPreference.digest_failures, UserPreference.digest_retry_at)
        .order_by(User.login)).all()
