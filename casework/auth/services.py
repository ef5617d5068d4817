"""Account rules: authentication with throttling, password changes, user administration.

Functions add and flush; the caller commits.
"""
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from casework.auth.models import LoginAttempt, User, UserSession
from casework.auth.passwords import dummy_verify, hash_password, password_problems, verify_password
from casework.auth.roles import ALL_ROLES
from casework.core import audit
from casework.core.errors import RuleError
from casework.core.settings import get_setting
from casework.core.timeutil import as_aware, utcnow
from casework.extensions import db


class AccountError(RuleError):
    """A rule refused the operation; the message is for the user."""


@dataclass
class LoginResult:
    user: User | None = None
    locked_minutes: int = 0

    @property
    def ok(self) -> bool:
        return self.user is not None


def normalize_login(login: str) -> str:
    return (login or "").strip().lower()


def get_user_by_login(login: str) -> User | None:
    return db.session.scalar(select(User).where(User.login == normalize_login(login)))


def _failures_since(column, value, since) -> tuple[int, object]:
    row = db.session.execute(
        select(func.count(LoginAttempt.id), func.max(LoginAttempt.attempted_at)).where(
            column == value, LoginAttempt.success.is_(False), LoginAttempt.attempted_at >= since
        )
    ).one()
    return row[0], row[1]


def _minutes_left(count: int, limit: int, last, window, now) -> int:
    if count >= limit and last is not None:
        remaining = as_aware(last) + window - now
        if remaining.total_seconds() > 0:
            return max(1, int(remaining.total_seconds() // 60) + 1)
    return 0


def account_lockout_minutes(login: str, now=None) -> int:
    """Minutes until this login may try again (its own failures since its last success); 0 when not locked."""
    now = now or utcnow()
    window = current_app.config["LOGIN_LOCKOUT"]
    since = now - window
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.login == login, LoginAttempt.success.is_(True), LoginAttempt.attempted_at >= since
        )
    )
    if last_success is not None:
        since = as_aware(last_success)
    count, last = _failures_since(LoginAttempt.login, login, since)
    return _minutes_left(count, current_app.config["LOGIN_MAX_FAILURES"], last, window, now)


def address_lockout_minutes(ip: str, now=None) -> int:
    """Minutes this address stays throttled (too many failures from it, whatever the logins); 0 when not."""
    now = now or utcnow()
    window = current_app.config["LOGIN_LOCKOUT"]
    count, last = _failures_since(LoginAttempt.ip, ip, now - window)
    return _minutes_left(count, current_app.config["LOGIN_IP_MAX_FAILURES"], last, window, now)


def lockout_minutes(login: str, ip: str, now=None) -> int:
    """Minutes until a wrong password from here stops being answered with the lock message; 0 when neither
    the login nor the address is locked."""
    return max(account_lockout_minutes(login, now), address_lockout_minutes(ip, now))


def authenticate(login: str, password: str, ip: str) -> LoginResult:
    """Check a login attempt, record it, and audit it.

    A locked login is refused without checking the password. An address with too many failures (behind a
    reverse proxy without a trusted-proxy setting, that may be the whole centre) is throttled, not locked: the
    right password of an account that is not itself locked still logs in, while every wrong one is answered
    with the lock message and counted against its account, whose own lock stops guessing at it."""
    login = normalize_login(login)[:64]
    ip = (ip or "unknown")[:64]
    locked = account_lockout_minutes(login)
    if locked:
        audit.record("login_locked", actor_login=login, object_type="user_account")
        db.session.flush()
        return LoginResult(locked_minutes=locked)
    user = get_user_by_login(login)
    if user is None:
        dummy_verify(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.is_active_account
    db.session.add(LoginAttempt(login=login, ip=ip, success=ok))
    if ok:
        audit.record("login", user=user, object_type="user_account", object_id=user.id)
        db.session.flush()
        return LoginResult(user=user)
    audit.record("login_failed", user=user, actor_login=login, object_type="user_account",
                 object_id=user.id if user else None)
    db.session.flush()
    return LoginResult(locked_minutes=lockout_minutes(login, ip))


def validate_new_password(user: User | None, password: str, *, login: str = "") -> None:
    problems = password_problems(password, login=login or (user.login if user else ""))
    if problems:
        raise AccountError(problems)


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_("The current password is wrong."))
    if current_password == new_password:
        raise AccountError(_("The new password must differ from the current one."))
    validate_new_password(user, new_password)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    user.rotate_session_token()  # ends the user's other sessions
    end_sessions(user)
    audit.record("password_changed", user=user, object_type="user_account", object_id=user.id)
    db.session.flush()


def create_user(login: str, full_name: str, password: str, roles, *, email: str | None = None,
                actor=None, must_change_password: bool = False) -> User:
    login = normalize_login(login)
    problems = []
    if not login or len(login) > 64 or not all(c.isalnum() or c in "._-" for c in login):
        problems.append(_("The login may contain letters, digits, dots, hyphens and underscores only."))
    elif get_user_by_login(login) is not None:
        problems.append(_("The login %(login)s is already taken.", login=login))
    if not (full_name or "").strip():
        problems.append(_("Enter the full name."))
    unknown = set(roles) - set(ALL_ROLES)
    if unknown or not roles:
        problems.append(_("Choose at least one valid role."))
    problems.extend(password_problems(password, login=login))
    if problems:
        raise AccountError(problems)
    user = User(login=login, full_name=full_name.strip(), email=(email or None),
                password_hash=hash_password(password), password_changed_at=utcnow(),
                must_change_password=must_change_password)
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", user=actor, object_type="user_account", object_id=user.id,
                 details={"login": login, "roles": sorted(roles)})
    return user


def update_user(user: User, *, full_name: str, email: str | None, roles, actor=None) -> dict:
    if not roles or set(roles) - set(ALL_ROLES):
        raise AccountError(_("Choose at least one valid role."))
    if not (full_name or "").strip():
        raise AccountError(_("Enter the full name."))
    changes = audit.diff(user, ("full_name", "email"), {"full_name": full_name.strip(), "email": email or None})
    old_roles = sorted(user.roles)
    if set(roles) != user.roles:
        user.set_roles(roles)
        changes["roles"] = [old_roles, sorted(roles)]
    if changes:
        audit.record("user_updated", user=actor, object_type="user_account", object_id=user.id,
                     details=changes)
    db.session.flush()
    return changes


def set_active(user: User, active: bool, *, actor=None) -> None:
    if actor is not None and actor.id == user.id and not active:
        raise AccountError(_("You cannot deactivate your own account."))
    if user.is_active_account == active:
        return
    user.is_active_account = active
    user.rotate_session_token()
    end_sessions(user)
    audit.record("user_reactivated" if active else "user_deactivated", user=actor,
                 object_type="user_account", object_id=user.id)
    db.session.flush()


def reset_password(user: User, new_password: str, *, actor=None, must_change: bool = True) -> None:
    validate_new_password(user, new_password)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = must_change
    user.rotate_session_token()
    end_sessions(user)
    audit.record("password_reset", user=actor, object_type="user_account", object_id=user.id)
    db.session.flush()


def end_sessions(user: User) -> int:
    """Forget every server-side session of `user` (password change or reset, deactivation)."""
    result = db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    return result.rowcount or 0


def login_records_retention() -> timedelta:
    """How long login records are kept: the declared setting `login_records_retention_days`, never shorter
    than the lockout window they serve."""
    days = int(get_setting("login_records_retention_days"))
    return max(timedelta(days=days), current_app.config["LOGIN_LOCKOUT"])


def purge_old_login_attempts(now=None, keep: timedelta | None = None) -> int:
    """Delete login records older than the retention (they hold logins and addresses)."""
    now = now or utcnow()
    keep = keep if keep is not None else login_records_retention()
    result = db.session.execute(
        LoginAttempt.__table__.delete().where(LoginAttempt.attempted_at < now - keep)
    )
    return result.rowcount or 0


def purge_expired_sessions(now=None) -> int:
    """Delete server-side sessions past the idle or absolute timeout (closed browsers that never logged out)."""
    now = now or utcnow()
    idle = current_app.config["IDLE_TIMEOUT"]
    absolute = current_app.config["ABSOLUTE_TIMEOUT"]
    result = db.session.execute(
        delete(UserSession).where((UserSession.seen_at < now - idle) | (UserSession.created_at < now - absolute))
    )
    return result.rowcount or 0
