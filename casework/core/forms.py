"""The base of every create form: a hidden one-time token, so a form posted twice saves once.

A create form renders a fresh random token (`OnceForm.once_token`, or `{{ once_token_field() }}` in a hand-written
form), kept by the browser across "back" (see RestorableHiddenInput and static/js/once.js). `casework.core.errors.save(..., created=url_of)` records the token with the address of the record it created,
in the same transaction as the record, in the table `form_submission` (so it holds across workers and processes).
The same token posted again (the browser's back button and "Zapisz", a double tap on a slow connection) creates
nothing: `save` raises AlreadySaved and the user lands on the record saved the first time, with a message saying so.
A post without a token (a script, an old page) is saved as before. Tokens live a day (a form cannot outlive the
session that posts it); older rows are purged when the same user saves again, and by `purge_expired`.
"""
import re
import secrets
from datetime import datetime, timedelta, timezone

from flask import flash, has_request_context, redirect, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField
from wtforms.widgets import HiddenInput

from casework.core.timeutil import utcnow
from casework.extensions import db

ONCE_FIELD = "once_token"
TOKEN_LIFETIME = timedelta(days=1)
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class RestorableHiddenInput(HiddenInput):
    """A text input with the `hidden` attribute rather than type=hidden: when the user goes back to the page (served
    no-store, so fetched again with a new token) the browser restores a text input's value, never a hidden input's.
    static/js/once.js makes the first token the field's own value, so after "back" and "Zapisz" the form posts the
    token it was first posted with. Still a HiddenInput, so `hidden_tag()` renders it."""

    input_type = "text"

    def __call__(self, field, **kwargs):
        kwargs.setdefault("hidden", True)
        kwargs.setdefault("data-once-token", True)
        return super().__call__(field, **kwargs)


class OnceForm(FlaskForm):
    """Base class of the forms that create a record: `hidden_tag()` renders the one-time token."""

    once_token = HiddenField(default=new_token, widget=RestorableHiddenInput())


class FormSubmission(db.Model):
    """A one-time token already used: who posted it, when, and where the record it created lives."""

    __tablename__ = "form_submission"
    __table_args__ = (Index("ix_form_submission_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    #: the app-relative address of the record the form created (ids only, never personal data)
    target: Mapped[str] = mapped_column(String(500), nullable=False)


class AlreadySaved(Exception):
    """The form's one-time token was used before; `target` is the record that post created."""

    def __init__(self, target: str):
        super().__init__("form already saved")
        self.target = target


def posted_token() -> str | None:
    """The one-time token of the posted form, if it carries a well-formed one."""
    if not has_request_context() or request.method != "POST":
        return None
    token = request.form.get(ONCE_FIELD) or ""
    return token if _TOKEN_SHAPE.match(token) else None


def _expired(row: FormSubmission) -> bool:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=timezone.utc)
    return created < utcnow() - TOKEN_LIFETIME


def check_unused(token: str, user_id: int) -> str | None:
    """Raise AlreadySaved when this user's form with this token has already been saved; otherwise the token to
    record with the new record (None for a token someone else used: the form is then saved without one)."""
    row = db.session.scalar(select(FormSubmission).where(FormSubmission.token == token))
    if row is None:
        return token
    if row.user_id != user_id:
        return None
    if _expired(row):
        return token  # mark_used purges the user's expired tokens before recording this one again
    raise AlreadySaved(row.target)


def mark_used(token: str, user_id: int, target: str) -> None:
    """Record the token with the created record's address (in the caller's transaction; a second post of the same
    token then fails on the unique token, see errors.save). The user's expired tokens go at the same time."""
    db.session.execute(delete(FormSubmission).where(FormSubmission.user_id == user_id,
                                                    FormSubmission.created_at < utcnow() - TOKEN_LIFETIME))
    db.session.add(FormSubmission(token=token, user_id=user_id, target=target[:500]))
    db.session.flush()


def purge_expired(now: datetime | None = None) -> int:
    """Delete every expired token (any user); the caller commits."""
    result = db.session.execute(delete(FormSubmission).where(
        FormSubmission.created_at < (now or utcnow()) - TOKEN_LIFETIME))
    return result.rowcount or 0


def once_token_field() -> Markup:
    """`{{ once_token_field() }}`: the hidden one-time token for a create form written by hand."""
    return Markup('<input type="text" name="%s" value="%s" hidden data-once-token>') % (
        ONCE_FIELD, escape(new_token()))


def init_app(app) -> None:
    @app.errorhandler(AlreadySaved)
    def already_saved(exc):
        flash(_("This form had already been saved; nothing was saved twice. Here is the saved record."), "info")
        target = exc.target if exc.target.startswith("/") and not exc.target.startswith("//") else "/"
        return redirect(target)

    app.add_template_global(once_token_field, "once_token_field")
