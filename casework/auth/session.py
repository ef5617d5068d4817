"""Session rules: who is logged in, idle and absolute timeouts.

A session is a row on the server (`UserSession`); the signed cookie carries only the user's id, the token that
a password change rotates, and the random key of that row. Logout deletes the row, so a copy of the cookie taken
before it opens nothing afterwards. The idle and absolute timeouts are measured from the row, so a cookie cannot
keep itself alive. The cookie itself is not permanent: it ends when the browser closes."""
import secrets
from datetime import timedelta

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import delete, select

from casework.auth.models import User, UserSession, hash_session_key
from casework.core.timeutil import as_aware, utcnow
from casework.extensions import db, login_manager

#: the cookie's name for the key of the server-side session row
SESSION_KEY = "sid"
#: `seen_at` is written at most this often (a page's several requests do not each write)
SEEN_RESOLUTION = timedelta(seconds=60)


def _session_row() -> UserSession | None:
    key = session.get(SESSION_KEY)
    if not key or not isinstance(key, str):
        return None
    return db.session.scalar(select(UserSession).where(UserSession.key_hash == hash_session_key(key)))


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    user_id, _sep, token = (user_key or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    # A deactivated account or a rotated token (password change, reset) ends the session at once.
    if user is None or not user.is_active_account or user.session_token != token:
        return None
    # ... and so does a session the server no longer has (logout, timeout, password change, deactivation).
    row = _session_row()
    if row is None or row.user_id != user.id:
        return None
    g._user_session = row
    return user


def start_session(user: User) -> None:
    """A fresh session on login (no fixation): a new server-side row; the caller commits."""
    key = session.get(SESSION_KEY)
    if key and isinstance(key, str):  # the session being replaced (e.g. after a password change) ends
        db.session.execute(delete(UserSession).where(UserSession.key_hash == hash_session_key(key)))
    session.clear()
    session.permanent = False  # the cookie ends with the browser; the server bounds the session's life
    key = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(UserSession(key_hash=hash_session_key(key), user_id=user.id, created_at=now, seen_at=now))
    db.session.flush()
    login_user(user)
    session[SESSION_KEY] = key


def end_session() -> None:
    """Log out: the server forgets the session (the caller commits) and the cookie is emptied."""
    key = session.get(SESSION_KEY)
    if key and isinstance(key, str):
        db.session.execute(delete(UserSession).where(UserSession.key_hash == hash_session_key(key)))
    g.pop("_user_session", None)
    logout_user()
    session.clear()


def session_expired(row: UserSession, now=None) -> bool:
    now = now or utcnow()
    idle = current_app.config["IDLE_TIMEOUT"]
    absolute = current_app.config["ABSOLUTE_TIMEOUT"]
    return now - as_aware(row.seen_at) > idle or now - as_aware(row.created_at) > absolute


def enforce_timeouts():
    """before_request: end sessions idle too long or older than the absolute limit (measured on the server)."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    row = g.get("_user_session")
    if row is None:  # not loaded through the session row (cannot happen with the user loader above)
        end_session()
        return redirect(url_for("auth.login"))
    now = utcnow()
    if session_expired(row, now):
        end_session()
        db.session.commit()
        flash(_("Your session has expired. Please log in again."), "warning")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    if now - as_aware(row.seen_at) >= SEEN_RESOLUTION:
        row.seen_at = now
        db.session.commit()
    return None
