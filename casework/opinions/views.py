"""Court opinion requests on the family page: record, mark sent, attach the document, download it."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import DateField, HiddenField, StringField
from wtforms.validators import InputRequired, Optional

from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR
from casework.core import audit
from casework.core.errors import save
from casework.core.forms import OnceForm
from casework.core.permissions import roles_required
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.access import load_family_or_404
from casework.core.timeline import TimelineItem
from casework.opinions import services
from casework.opinions.models import CourtOpinion

bp = Blueprint("opinions", __name__)
EDITORS = (ADMIN, COORDINATOR, ASSISTANT)


class OpinionForm(OnceForm):
    version = HiddenField()
    court = StringField(_l("Court"), validators=[InputRequired(_l("Enter the court."))])
    case_signature = StringField(_l("Case signature"), validators=[Optional()])
    received_on = DateField(_l("Request received on"), validators=[InputRequired(_l("Enter the date."))])
    due_on = DateField(_l("Opinion due on"), validators=[InputRequired(_l("Enter the date."))])
    sent_on = DateField(_l("Opinion sent on"), validators=[Optional()])
    document = FileField(_l("The opinion document (PDF, DOCX, DOC, ODT; up to 10 MB)"))


def _opinion_or_404(opinion_id: int) -> CourtOpinion:
    opinion = db.session.get(CourtOpinion, opinion_id)
    if opinion is None or opinion.archived_at is not None:
        abort(404)
    load_family_or_404(opinion.family_id, action="court_opinion_viewed")
    return opinion


@bp.route("/families/<int:family_id>/opinions/new", methods=["GET", "POST"])
@bp.route("/opinions/<int:opinion_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def form(family_id: int | None = None, opinion_id: int | None = None):
    opinion = _opinion_or_404(opinion_id) if opinion_id else None
    family = opinion.family if opinion else load_family_or_404(family_id, action="court_opinion_viewed")
    form = OpinionForm(obj=opinion if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = opinion.version if opinion else ""
        if opinion is None:
            form.received_on.data = today_local()
    errors, status = [], 200
    if form.validate_on_submit():
        values = {f: getattr(form, f).data for f in services.FIELDS}
        upload = request.files.get("document")
        if opinion is None:
            saved, errors, status = save(lambda: services.record_request(family, values, upload, actor=current_user),
                                         created=lambda _opinion: url_for("families.detail", family_id=family.id))
        else:
            saved, errors, status = save(lambda: services.update(opinion, values, upload, actor=current_user),
                                         obj=opinion, form=form)
        if status == 200:
            flash(_("The court opinion has been saved."), "success")
            return redirect(url_for("families.detail", family_id=family.id))
    if status == 200 and form.errors:
        status = 400
    return render_template("opinions/form.html", form=form, errors=errors, family=family, opinion=opinion), status


@bp.route("/opinions/<int:opinion_id>/document")
@roles_required(*EDITORS)
def document(opinion_id: int):
    opinion = _opinion_or_404(opinion_id)
    if opinion.document is None:
        abort(404)
    audit.read("court_opinion_downloaded", opinion)
    return Response(opinion.document, mimetype=opinion.document_type or "application/octet-stream",
                    headers={"Content-Disposition": "attachment; filename=opinia-" + str(opinion.id)})


def _opinions_on_timeline(family, limit):
    rows = db.session.scalars(select(CourtOpinion).where(CourtOpinion.family_id == family.id,
                                                         CourtOpinion.archived_at.is_(None))
                              .order_by(CourtOpinion.received_on.desc()).limit(limit)).all()
    items = []
    for o in rows:
        url = url_for("opinions.form", opinion_id=o.id)
        items.append(TimelineItem(o.received_on, "court_opinion",
                                  _("Court asked for an opinion (due %(date)s)", date=o.due_on.isoformat()), url=url))
        if o.sent_on:
            items.append(TimelineItem(o.sent_on, "court_opinion_sent", _("Opinion sent to the court"), url=url))
    return items


#: this domain's entries on the family timeline and its "needs attention" notes (casework.core.timeline)
TIMELINE = [_opinions_on_timeline]
