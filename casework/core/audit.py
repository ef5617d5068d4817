"""The append-only audit trail: who, when, from where, what, on which record.

Writes are audited by the services (`record`, committed with the change by `casework.core.errors.save`).
Reads are audited in one place: a view (or the one loader it uses, `load_family_or_404`,
`bluecard.access.load_procedure_or_404`) calls `read(...)`, and the after-request hook `commit_reads` writes that one
row and commits it itself, whatever the view did with its session: a page that shows family data leaves exactly one
row per request, committed. A read is recorded only when the page was shown (a GET answered 2xx, or a form shown
again with 400/409), never for a redirect or an error page. Details hold ids and the page's name, never personal data.
"""
from datetime import datetime

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from casework.core.timeutil import utcnow
from casework.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_at", "at"),
        Index("ix_audit_event_object", "object_type", "object_id"),
        Index("ix_audit_event_user", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    #: the login typed, for failed logins of unknown accounts
    actor_login: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[int | None] = mapped_column(Integer)
    #: field names with old/new values for writes; never free text beyond what the action needs
    details: Mapped[dict | None] = mapped_column(JSON)


class AuditIsAppendOnly(Exception):
    pass


@event.listens_for(Session, "before_flush")
def _forbid_audit_changes(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditIsAppendOnly("audit events cannot be changed or deleted")


def client_ip() -> str | None:
    if not has_request_context():
        return None
    return request.remote_addr


def record(action: str, obj=None, *, object_type: str | None = None, object_id: int | None = None,
           details: dict | None = None, user=None, actor_login: str | None = None) -> AuditEvent:
    """Add an audit event to the session (the caller commits)."""
    if user is None and has_request_context() and current_user and current_user.is_authenticated:
        user = current_user
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
    event_row = AuditEvent(
        user_id=user.id if user is not None else None,
        actor_login=actor_login or (user.login if user is not None else None),
        ip=client_ip(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details,
    )
    db.session.add(event_row)
    return event_row


def diff(obj, fields, new_values: dict) -> dict:
    """Apply new_values to obj and return {field: [old, new]} for the fields that changed."""
    changes = {}
    for field in fields:
        if field not in new_values:
            continue
        old, new = getattr(obj, field), new_values[field]
        if old != new:
            changes[field] = [_jsonable(old), _jsonable(new)]
            setattr(obj, field, new)
    return changes


def _jsonable(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def read(action: str, obj=None, *, object_type: str | None = None, object_id: int | None = None,
         details: dict | None = None, user=None) -> None:
    """Audit a read: the page being answered shows `obj` (or the kind of list in `object_type`).

    In a request the row is written by the after-request hook, once per request (the last read named wins: a view
    that names its read, e.g. "assessment_printed", refines the loader's "assessment_viewed"), so a GET needs no
    commit of its own; outside a request (CLI, a job) it is added to the session like `record`."""
    if not has_request_context():
        record(action, obj, object_type=object_type, object_id=object_id, details=details, user=user)
        return
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
    if user is None and current_user and current_user.is_authenticated:
        user = current_user
    g._audit_read = {"action": action, "object_type": object_type, "object_id": object_id,
                     "details": details, "user_id": user.id if user is not None else None,
                     "login": user.login if user is not None else None}


def _shown(status: int) -> bool:
    """A page was shown: a GET answered (2xx), or a form shown again with the user's errors (400/409). A POST that
    saved writes its own audit row with the change."""
    return (request.method in ("GET", "HEAD") and status < 300) or status in (400, 409)


def commit_reads(response):
    """After-request hook: write the request's audited read and commit it (in its own transaction: whatever the view
    left uncommitted is rolled back first, so only the audit row is written here)."""
    pending = g.pop("_audit_read", None)
    if pending is None or not _shown(response.status_code):
        return response
    details = dict(pending["details"] or {})
    details.setdefault("view", request.endpoint)
    db.session.rollback()
    db.session.add(AuditEvent(user_id=pending["user_id"], actor_login=pending["login"], ip=client_ip(),
                              action=pending["action"], object_type=pending["object_type"],
                              object_id=pending["object_id"], details=details))
    db.session.commit()
    return response


def init_app(app) -> None:
    app.after_request(commit_reads)
