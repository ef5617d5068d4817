"""Attaching documents to a family's records and to a Niebieska Karta procedure. Add and flush; never commit.

Everything is checked before the file is written (a refused upload stores nothing); the file written for a row
that is then rolled back is removed again (casework.attachments.storage)."""
import hashlib
import os
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from casework.assessments.models import Assessment
from casework.attachments import rules, storage
from casework.attachments.models import KIND_DICTIONARY, LETTER_KIND, Attachment, BluecardAttachment
from casework.core import audit
from casework.core.dictionaries import DictionaryEntry, by_code, entries
from casework.core.errors import RuleError
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.models import FamilyMember, SupportPeriod
from casework.opinions.models import CourtOpinion
from casework.plans.models import WorkPlan
from casework.visits.models import Visit

#: what an attachment of a family may belong to: target prefix → (column, model)
TARGETS = {
    "member": ("member_id", FamilyMember),
    "period": ("support_period_id", SupportPeriod),
    "visit": ("visit_id", Visit),
    "plan": ("plan_id", WorkPlan),
    "assessment": ("assessment_id", Assessment),
    "opinion": ("opinion_id", CourtOpinion),
}


def upload_kinds() -> list[DictionaryEntry]:
    """The kinds offered on the upload form (a generated letter's kind is the app's own)."""
    return [e for e in entries(KIND_DICTIONARY) if e.code != LETTER_KIND]


def _read(upload) -> tuple[bytes, str]:
    if upload is None or not getattr(upload, "filename", ""):
        raise RuleError(_("Choose a file or take a photo of the document."))
    data = upload.read(rules.max_bytes() + 1)
    return data, os.path.basename(upload.filename.replace("\\", "/"))[:200] or "dokument"


def _kind(kind_id) -> DictionaryEntry:
    kind = db.session.get(DictionaryEntry, kind_id) if kind_id else None
    if kind is None or kind.kind != KIND_DICTIONARY or not kind.active or kind.code == LETTER_KIND:
        raise RuleError(_("Choose the kind of document."))
    return kind


def _title_and_date(values: dict, kind: DictionaryEntry, today: date) -> tuple[str, date]:
    title = (values.get("title") or "").strip() or kind.label_pl.capitalize()
    document_date = values.get("document_date") or today
    if document_date > today:
        raise RuleError(_("The document's date cannot be in the future."))
    return title[:200], document_date


def _target(family, target: str | None) -> dict:
    """The column linking the attachment to one of the family's records ("member:12"); {} for the family."""
    if not target or target == "family":
        return {}
    prefix, _sep, raw = target.partition(":")
    if prefix not in TARGETS or not raw.isdigit():
        raise RuleError(_("Choose what the document concerns."))
    column, model = TARGETS[prefix]
    record = db.session.get(model, int(raw))
    if record is None or record.family_id != family.id or getattr(record, "archived_at", None) is not None:
        raise RuleError(_("Choose what the document concerns."))
    return {column: record.id}


def _file_fields(data: bytes, file_name: str, content_type: str) -> dict:
    return {"file_name": file_name, "content_type": content_type, "size_bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest()}


def attach(family, values: dict, upload, *, actor, target: str | None = None, today: date | None = None) -> Attachment:
    """A document on the family (or one of its records): checked whole before anything is stored."""
    today = today or today_local()
    if family.is_archived:
        raise RuleError(_("The family's file is archived."))
    kind = _kind(values.get("kind_id"))
    title, document_date = _title_and_date(values, kind, today)
    links = _target(family, target)
    data, file_name = _read(upload)
    content_type = rules.check_file(data)
    attachment = Attachment(family_id=family.id, kind_id=kind.id, title=title, document_date=document_date,
                            author_id=actor.id, **links, **_file_fields(data, file_name, content_type))
    attachment.storage_name = storage.write(db.session, data)
    db.session.add(attachment)
    db.session.flush()
    audit.record("attachment_added", attachment, user=actor,
                 details={"family_id": family.id, "kind": kind.label_pl, "size": len(data)} | links)
    return attachment


def attach_to_procedure(procedure, values: dict, upload, *, actor, today: date | None = None) -> BluecardAttachment:
    """A document of a Niebieska Karta procedure (the caller checked the compartment's access)."""
    today = today or today_local()
    kind = _kind(values.get("kind_id"))
    title, document_date = _title_and_date(values, kind, today)
    data, file_name = _read(upload)
    content_type = rules.check_file(data)
    attachment = BluecardAttachment(procedure_id=procedure.id, kind_id=kind.id, title=title,
                                    document_date=document_date, author_id=actor.id,
                                    **_file_fields(data, file_name, content_type))
    attachment.storage_name = storage.write(db.session, data)
    db.session.add(attachment)
    db.session.flush()
    audit.record("bluecard_attachment_added", attachment, user=actor,
                 details={"procedure_id": procedure.id, "kind": kind.label_pl, "size": len(data)})
    return attachment


def store_letter(family, data: bytes, *, title: str, letter_code: str, register_number: str, version: int,
                 file_name: str, actor, today: date | None = None) -> Attachment:
    """A generated letter of the centre, kept as the family's attachment with its register number."""
    kind = by_code(KIND_DICTIONARY, LETTER_KIND)
    attachment = Attachment(family_id=family.id, kind_id=kind.id, title=title[:200],
                            document_date=today or today_local(), author_id=actor.id, letter_code=letter_code,
                            register_number=register_number, letter_version=version,
                            **_file_fields(data, file_name, rules.DOCX))
    attachment.storage_name = storage.write(db.session, data)
    db.session.add(attachment)
    db.session.flush()
    audit.record("letter_generated", attachment, user=actor,
                 details={"family_id": family.id, "letter": letter_code, "version": version})
    return attachment


def family_attachments(family_id: int, *, limit: int | None = None) -> list[Attachment]:
    stmt = (select(Attachment).where(Attachment.family_id == family_id, Attachment.archived_at.is_(None))
            .order_by(Attachment.document_date.desc(), Attachment.id.desc()))
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def record_attachments(family_id: int, target: str) -> list[Attachment]:
    """The documents attached to one record of the family ("visit:12"), newest first; [] for an unknown target."""
    prefix, _sep, raw = (target or "").partition(":")
    if prefix not in TARGETS or not raw.isdigit():
        return []
    column = getattr(Attachment, TARGETS[prefix][0])
    return list(db.session.scalars(select(Attachment).where(
        Attachment.family_id == family_id, column == int(raw), Attachment.archived_at.is_(None))
        .order_by(Attachment.document_date.desc(), Attachment.id.desc())))


def procedure_attachments(procedure_id: int) -> list[BluecardAttachment]:
    return list(db.session.scalars(select(BluecardAttachment).where(
        BluecardAttachment.procedure_id == procedure_id, BluecardAttachment.archived_at.is_(None))
        .order_by(BluecardAttachment.document_date.desc(), BluecardAttachment.id.desc())))


def target_choices(family) -> list[tuple[str, str]]:
    """What a document of this family may concern, for the upload form."""
    choices = [("family", _("The family as a whole"))]
    for m in db.session.scalars(select(FamilyMember).where(FamilyMember.family_id == family.id,
                                                           FamilyMember.archived_at.is_(None))
                                .order_by(FamilyMember.id)):
        choices.append((f"member:{m.id}", _("Member: %(name)s", name=f"{m.first_name} {m.last_name}")))
    for p in db.session.scalars(select(SupportPeriod).where(SupportPeriod.family_id == family.id)
                                .order_by(SupportPeriod.start_date.desc())):
        choices.append((f"period:{p.id}", _("Support period from %(date)s", date=p.start_date.isoformat())))
    for v in db.session.scalars(select(Visit).where(Visit.family_id == family.id, Visit.archived_at.is_(None))
                                .order_by(Visit.visit_date.desc()).limit(20)):
        choices.append((f"visit:{v.id}", _("Visit of %(date)s", date=v.visit_date.isoformat())))
    for p in db.session.scalars(select(WorkPlan).where(WorkPlan.family_id == family.id)
                                .order_by(WorkPlan.id.desc())):
        choices.append((f"plan:{p.id}", _("Plan of work (version %(n)d)", n=p.revision)))
    for a in db.session.scalars(select(Assessment).where(Assessment.family_id == family.id,
                                                         Assessment.archived_at.is_(None))
                                .order_by(Assessment.assessment_date.desc())):
        choices.append((f"assessment:{a.id}", _("Assessment of %(date)s", date=a.assessment_date.isoformat())))
    for o in db.session.scalars(select(CourtOpinion).where(CourtOpinion.family_id == family.id,
                                                           CourtOpinion.archived_at.is_(None))
                                .order_by(CourtOpinion.received_on.desc())):
        choices.append((f"opinion:{o.id}", _("Opinion for %(court)s", court=o.court)))
    return choices
