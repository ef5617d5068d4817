"""Session rules: who is logged in, idle and absolute timeouts."""
from datetime import datetime, timezone

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from casework.auth.models import User
from casework.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    user_id, _sep, token = (user_key or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    # A deactivated account or a rotated token (password change, reset) ends the session at once.
    if user is None or not user.is_active_account or user.session_token != token:
        return None
    return user


def start_session(user: User) -> None:
    session.clear()  # a fresh session on login (no fixation)
    session.permanent = True
    login_user(user)
    now = datetime.now(timezone.utc).timestamp()
    session["login_at"] = now
    session["seen_at"] = now


def end_session() -> None:
    logout_user()
    session.clear()


def enforce_timeouts():
    """before_request: end sessions idle too long or older than the absolute limit."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    now = datetime.now(timezone.utc).timestamp()
    idle = current_app.config["IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["ABSOLUTE_TIMEOUT"].total_seconds()
    seen_at = session.get("seen_at", 0)
    login_at = session.get("login_at", 0)
    if now - seen_at > idle or now - login_at > absolute:
        end_session()
        flash(_("Your session has expired. Please log in again."), "warning")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    session["seen_at"] = now
    return None
