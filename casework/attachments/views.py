"""Documents of a case: attach (a file or a phone's photo), download (audited, `nosniff`, as a file), the centre's
letters generated from the family's page, and the administrator's letter templates. A family's documents are read
through the family loader (404 for who may not see the family); a Niebieska Karta procedure's only through the
compartment's loader (casework.bluecard.access)."""
import os

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import Optional

from casework.attachments import letters, rules, services, storage
from casework.attachments.models import Attachment, BluecardAttachment
from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR, SOCIAL_WORKER
from casework.bluecard import access as bluecard_access
from casework.core import audit
from casework.core.errors import RuleError, save
from casework.core.forms import OnceForm
from casework.core.navigation import NavEntry
from casework.core.permissions import roles_required
from casework.core.timeline import TimelineItem
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.access import load_family_or_404

bp = Blueprint("attachments", __name__)
EDITORS = (ADMIN, COORDINATOR, ASSISTANT)
#: who may open a family's documents (with the family loader's check on top)
READERS = (ADMIN, COORDINATOR, ASSISTANT, SOCIAL_WORKER)


class AttachmentForm(OnceForm):
    photo = FileField(_l("Take a photo of the document"),
                      render_kw={"accept": "image/*", "capture": "environment"})
    document = FileField(_l("…or choose a file (PDF, photo, DOCX, ODT)"), render_kw={"accept": rules.ACCEPT})
    kind_id = SelectField(_l("Kind of document"), coerce=int, validate_choice=False)
    title = StringField(_l("Title (empty: the kind of document)"), validators=[Optional()])
    document_date = DateField(_l("Date of the document"), validators=[Optional()])
    target = SelectField(_l("The document concerns"), validate_choice=False)


class BluecardAttachmentForm(OnceForm):
    photo = AttachmentForm.photo
    document = AttachmentForm.document
    kind_id = AttachmentForm.kind_id
    title = AttachmentForm.title
    document_date = AttachmentForm.document_date


def _upload():
    """The one file sent: the photo or the chosen file (both: refused)."""
    files = [f for f in (request.files.get("photo"), request.files.get("document")) if f and f.filename]
    if len(files) > 1:
        raise RuleError(_("Send either a photo or a file, not both."))
    return files[0] if files else None


def _download(row, action: str):
    try:
        path = storage.path_of(row.storage_name)
    except ValueError:
        abort(404)
    if not os.path.isfile(path):
        abort(404)
    audit.read(action, row)
    name = row.file_name.rsplit(".", 1)[0] if "." in row.file_name else row.file_name
    extension = rules.EXTENSIONS.get(row.content_type, "bin")
    response = send_file(path, mimetype=row.content_type, as_attachment=True, conditional=False, etag=False,
                         max_age=0, download_name=f"{name or 'dokument'}.{extension}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/families/<int:family_id>/documents/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new(family_id: int):
    family = load_family_or_404(family_id, action="attachment_form_viewed")
    if family.is_archived:
        abort(404)
    form = AttachmentForm()
    form.kind_id.choices = [(k.id, k.label) for k in services.upload_kinds()]
    form.target.choices = services.target_choices(family)
    if request.method == "GET":
        form.document_date.data = today_local()
        form.target.data = request.args.get("to") or "family"
        other = next((k.id for k in services.upload_kinds() if k.code == "court_order"), None)
        form.kind_id.data = other
    errors, status = [], 200
    if request.method == "POST" and form.validate_on_submit():
        values = {"kind_id": form.kind_id.data, "title": form.title.data, "document_date": form.document_date.data}
        saved, errors, status = save(
            lambda: services.attach(family, values, _upload(), actor=current_user, target=form.target.data),
            created=lambda _a: url_for("families.detail", family_id=family.id))
        if status == 200:
            flash(_("The document has been attached."), "success")
            return redirect(url_for("families.detail", family_id=family.id) + "#h-timeline")
    if request.method == "POST" and status == 200:
        status = 400
    return render_template("attachments/form.html", form=form, errors=errors, family=family, procedure=None,
                           max_mb=rules.max_bytes() // (1024 * 1024),
                           documents=services.family_attachments(family.id)), status


@bp.app_template_global()
def record_documents(family_id: int, target: str) -> list[Attachment]:
    """For a record's page (templates/attachments/_record.html): the documents attached to it. The page itself
    was opened through the family's loader, so this reads only what the reader may already see."""
    return services.record_attachments(family_id, target)


@bp.route("/documents/<int:attachment_id>")
@roles_required(*READERS)
def download(attachment_id: int):
    row = db.session.get(Attachment, attachment_id)
    if row is None or row.archived_at is not None:
        abort(404)
    load_family_or_404(row.family_id, action=None)
    return _download(row, "attachment_downloaded")


@bp.route("/bluecard/<int:procedure_id>/documents/new", methods=["GET", "POST"])
@login_required  # the compartment's own rule decides (casework.bluecard.access)
def bluecard_new(procedure_id: int):
    procedure = bluecard_access.load_procedure_or_404(procedure_id)
    form = BluecardAttachmentForm()
    form.kind_id.choices = [(k.id, k.label) for k in services.upload_kinds()]
    if request.method == "GET":
        form.document_date.data = today_local()
    errors, status = [], 200
    if request.method == "POST" and form.validate_on_submit():
        values = {"kind_id": form.kind_id.data, "title": form.title.data, "document_date": form.document_date.data}
        saved, errors, status = save(
            lambda: services.attach_to_procedure(procedure, values, _upload(), actor=current_user),
            created=lambda _a: url_for("attachments.bluecard_new", procedure_id=procedure.id))
        if status == 200:
            flash(_("The document has been attached."), "success")
            return redirect(url_for("attachments.bluecard_new", procedure_id=procedure.id))
    if request.method == "POST" and status == 200:
        status = 400
    return render_template("attachments/form.html", form=form, errors=errors, family=None, procedure=procedure,
                           max_mb=rules.max_bytes() // (1024 * 1024),
                           documents=services.procedure_attachments(procedure.id)), status


@bp.route("/bluecard/documents/<int:bluecard_attachment_id>")
@login_required  # the compartment's own rule decides (casework.bluecard.access)
def bluecard_download(bluecard_attachment_id: int):
    row = db.session.get(BluecardAttachment, bluecard_attachment_id)
    if row is None or row.archived_at is not None:
        abort(404)
    bluecard_access.load_procedure_or_404(row.procedure_id, action=None)
    return _download(row, "bluecard_attachment_downloaded")


# --- the centre's letters ------------------------------------------------------------------------------------

class LetterForm(OnceForm):
    #: the letters as fixed choices (the audit log shows a stored code by these labels)
    letter = SelectField(_l("Letter"), choices=[(code, letter.title) for code, letter in letters.LETTERS.items()],
                         validate_choice=False)
    month = DateField(_l("Monthly report: a day of the month"), validators=[Optional()])
    court = StringField(_l("Notice to the court: the court"), validators=[Optional()])
    case_signature = StringField(_l("Notice to the court: case signature"), validators=[Optional()])
    content = TextAreaField(_l("Notice to the court: what to tell the court"), validators=[Optional()])
    addressee = StringField(_l("Invitation: to whom"), validators=[Optional()])
    meeting_date = DateField(_l("Invitation: date of the meeting"), validators=[Optional()])
    meeting_time = TimeField(_l("Invitation: time"), validators=[Optional()])
    meeting_place = StringField(_l("Invitation: place"), validators=[Optional()])


EXTRA = ("month", "court", "case_signature", "content", "addressee", "meeting_date", "meeting_time", "meeting_place")


@bp.route("/families/<int:family_id>/letters/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def letter_new(family_id: int):
    family = load_family_or_404(family_id, action="letter_form_viewed")
    if family.is_archived:
        abort(404)
    form = LetterForm()
    if request.method == "GET":
        form.letter.data = request.args.get("letter") or "consent"
        form.month.data = today_local()
    errors, status = [], 200
    if request.method == "POST" and form.validate_on_submit():
        extra = {name: getattr(form, name).data for name in EXTRA}
        if extra["meeting_time"] is not None:
            extra["meeting_time"] = extra["meeting_time"].strftime("%H:%M")
        saved, errors, status = save(
            lambda: letters.generate(family, form.letter.data, extra, actor=current_user),
            created=lambda _a: url_for("families.detail", family_id=family.id))
        if status == 200:
            flash(_("The letter %(number)s has been generated and kept with the family's documents.",
                    number=saved.register_number), "success")
            return redirect(url_for("families.detail", family_id=family.id) + "#h-timeline")
    if request.method == "POST" and status == 200:
        status = 400
    return render_template("attachments/letter_form.html", form=form, errors=errors, family=family), status


class TemplateForm(FlaskForm):
    file = FileField(_l("The centre's template (DOCX)"), render_kw={"accept": ".docx," + rules.DOCX})


@bp.route("/admin/letters", methods=["GET"])
@roles_required(ADMIN)
def templates():
    own = {t.code: t for t in db.session.scalars(select(letters.LetterTemplate))}
    return render_template("attachments/templates.html", letters=letters.LETTERS, own=own, form=TemplateForm(),
                           common=letters.COMMON, errors=[])


@bp.route("/admin/letters/<code>", methods=["POST"])
@roles_required(ADMIN)
def template_upload(code: str):
    if code not in letters.LETTERS:
        abort(404)
    form = TemplateForm()
    errors, status = [], 400
    if form.validate_on_submit():
        upload = request.files.get("file")
        data = upload.read(rules.max_bytes() + 1) if upload and upload.filename else b""
        if request.form.get("reset"):
            saved, errors, status = save(lambda: letters.restore_default(code, actor=current_user))
        else:
            saved, errors, status = save(lambda: letters.replace_template(
                code, data, upload.filename if upload else "", actor=current_user))
        if status == 200:
            flash(_("The letter's template has been saved."), "success")
            return redirect(url_for("attachments.templates"))
    own = {t.code: t for t in db.session.scalars(select(letters.LetterTemplate))}
    return render_template("attachments/templates.html", letters=letters.LETTERS, own=own, form=form,
                           common=letters.COMMON, errors=errors or [_("Choose a DOCX file.")]), status or 400


@bp.route("/admin/letters/<code>/template.docx")
@roles_required(ADMIN)
def template_download(code: str):
    if code not in letters.LETTERS:
        abort(404)
    return Response(letters.template_bytes(code), mimetype=rules.DOCX,
                    headers={"Content-Disposition": f"attachment; filename={code}.docx",
                             "X-Content-Type-Options": "nosniff"})


# --- on the family page ---------------------------------------------------------------------------------------

def _documents_on_timeline(family, limit):
    items = []
    for a in services.family_attachments(family.id, limit=limit):
        if a.letter_code:
            title = _("Letter: %(title)s", title=a.title)
        else:
            same = a.title.strip().lower() == a.kind.label.strip().lower()
            title = (_("Document: %(title)s", title=a.title) if same
                     else _("Document: %(title)s (%(kind)s)", title=a.title, kind=a.kind.label))
        items.append(TimelineItem(a.document_date, "letter" if a.letter_code else "attachment", title,
                                  url=url_for("attachments.download", attachment_id=a.id)))
    return items


#: this domain's entries on the family timeline (casework.core.timeline) and its menu entry
TIMELINE = [_documents_on_timeline]
NAV = [NavEntry("attachments.templates", _l("Letter templates"), (ADMIN,), 915)]
