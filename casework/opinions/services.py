"""Court opinion rules. Add and flush; never commit."""
from datetime import date

from flask_babel import gettext as _

from casework.core import audit
from casework.core.errors import RuleError  # noqa: F401 - raised to callers
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.opinions.models import CourtOpinion

FIELDS = ("court", "case_signature", "received_on", "due_on", "sent_on")
MAX_DOCUMENT = 10 * 1024 * 1024
ALLOWED_TYPES = {"application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "application/msword", "application/vnd.oasis.opendocument.text"}


def _check(values: dict, today: date) -> None:
    problems = []
    if not values.get("court"):
        problems.append(_("Enter the court."))
    received, due, sent = values.get("received_on"), values.get("due_on"), values.get("sent_on")
    if received is None or due is None:
        problems.append(_("Enter when the request was received and the due date."))
    elif due < received:
        problems.append(_("The due date cannot be before the request was received."))
    if received is not None and received > today:
        problems.append(_("The request cannot be received in the future."))
    if sent is not None and (sent > today or (received is not None and sent < received)):
        problems.append(_("The opinion must be sent after the request and not in the future."))
    if problems:
        raise RuleError(problems)


def _clean(values: dict) -> dict:
    return {f: ((values[f].strip() or None) if isinstance(values[f], str) else values[f])
            for f in FIELDS if f in values}


def _attach(opinion: CourtOpinion, upload) -> None:
    if upload is None or not getattr(upload, "filename", ""):
        return
    data = upload.read(MAX_DOCUMENT + 1)
    if len(data) > MAX_DOCUMENT:
        raise RuleError(_("The document is larger than 10 MB."))
    if upload.mimetype not in ALLOWED_TYPES:
        raise RuleError(_("Attach the opinion as PDF, DOCX, DOC or ODT."))
    opinion.document, opinion.document_name, opinion.document_type = data, upload.filename[:200], upload.mimetype


def record_request(family, values: dict, upload=None, *, actor, today: date | None = None) -> CourtOpinion:
    values = _clean(values)
    _check(values, today or today_local())
    opinion = CourtOpinion(family_id=family.id, author_id=actor.id, **values)
    _attach(opinion, upload)
    db.session.add(opinion)
    db.session.flush()
    audit.record("court_opinion_created", opinion, user=actor, details={"family_id": family.id})
    return opinion


def update(opinion: CourtOpinion, values: dict, upload=None, *, actor, today: date | None = None) -> dict:
    values = _clean(values)
    _check({f: getattr(opinion, f) for f in FIELDS} | values, today or today_local())
    changes = audit.diff(opinion, FIELDS, values)
    _attach(opinion, upload)
    if upload is not None and getattr(upload, "filename", ""):
        changes["document"] = [None, opinion.document_name]
    if changes:
        audit.record("court_opinion_updated", opinion, user=actor, details=changes)
    db.session.flush()
    return changes
