"""The institution directory, contacts with institutions, team meetings about a family."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR, SOCIAL_WORKER
from casework.contacts import services
from casework.contacts.forms import CONTACT_FORM_LABELS, ContactForm, InstitutionForm, MeetingForm
from casework.contacts.models import INSTITUTION_TYPE_KIND, Institution, InstitutionContact, TeamMeeting
from casework.core import audit, dictionaries
from casework.core.errors import save
from casework.core.navigation import NavEntry
from casework.core.pagination import int_arg, paginate
from casework.core.permissions import roles_required
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.access import load_family_or_404, visible_families_clause
from casework.families.models import Family
from casework.core.timeline import TimelineItem

bp = Blueprint("contacts", __name__)
STAFF = (ADMIN, COORDINATOR, ASSISTANT, SOCIAL_WORKER)


def _institution_or_404(institution_id: int) -> Institution:
    institution = db.session.get(Institution, institution_id)
    if institution is None:
        abort(404)
    return institution


def _visible_contacts():
    """Contacts this user may see: general ones, and those about families the user may see."""
    return select(InstitutionContact).outerjoin(Family, Family.id == InstitutionContact.family_id).where(
        InstitutionContact.archived_at.is_(None),
        or_(InstitutionContact.family_id.is_(None), visible_families_clause(current_user)))


@bp.route("/institutions/")
@roles_required(*STAFF)
def institutions():
    q = (request.args.get("q") or "").strip()[:100]
    type_id = int_arg("type")
    stmt = select(Institution).where(Institution.archived_at.is_(None)).options(selectinload(Institution.type))
    if q:
        stmt = stmt.where(or_(func.lower(Institution.name).like(f"%{q.lower()}%"),
                              func.lower(Institution.city).like(f"%{q.lower()}%")))
    if type_id:
        stmt = stmt.where(Institution.type_id == type_id)
    page = paginate(stmt.order_by(Institution.name_sort, Institution.id))
    return render_template("contacts/institutions.html", page=page, q=q, type_id=type_id,
                           types=dictionaries.entries(INSTITUTION_TYPE_KIND))


def _institution_form(form):
    form.type_id.choices = [("", _("— choose —"))] + dictionaries.choices(INSTITUTION_TYPE_KIND)
    return form


@bp.route("/institutions/new", methods=["GET", "POST"])
@bp.route("/institutions/<int:institution_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def institution_form(institution_id: int | None = None):
    institution = _institution_or_404(institution_id) if institution_id else None
    form = _institution_form(InstitutionForm(obj=institution if request.method == "GET" else None))
    if request.method == "GET" and institution:
        form.version.data = institution.version
    errors, status = [], 200
    if form.validate_on_submit():
        values = {f: getattr(form, f).data for f in services.INSTITUTION_FIELDS}
        if institution is None:
            saved, errors, status = save(lambda: services.add_institution(values, actor=current_user),
                                         created=lambda i: url_for("contacts.institution", institution_id=i.id))
        else:
            saved, errors, status = save(lambda: services.update_institution(institution, values,
                                                                             actor=current_user) or institution,
                                         obj=institution, form=form)
        if status == 200:
            flash(_("Changes saved."), "success")
            return redirect(url_for("contacts.institution", institution_id=(institution or saved).id))
    if status == 200 and form.errors:
        status = 400
    return render_template("contacts/institution_form.html", form=form, errors=errors, institution=institution), \
        status


@bp.route("/institutions/<int:institution_id>")
@roles_required(*STAFF)
def institution(institution_id: int):
    institution = _institution_or_404(institution_id)
    stmt = (_visible_contacts().where(InstitutionContact.institution_id == institution.id)
            .options(selectinload(InstitutionContact.family), selectinload(InstitutionContact.user))
            .order_by(InstitutionContact.contact_date.desc(), InstitutionContact.id.desc()))
    page = paginate(stmt)
    audit.read("institution_contacts_viewed", institution,
               details={"page": page.page, "contact_ids": [c.id for c in page.items]})
    return render_template("contacts/institution.html", institution=institution, page=page,
                           form_labels=CONTACT_FORM_LABELS)


@bp.route("/contacts/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def contact_new():
    form = ContactForm()
    form.institution_id.choices = [("", _("— choose —"))] + [
        (i.id, i.name) for i in db.session.scalars(select(Institution).where(Institution.archived_at.is_(None))
                                                   .order_by(Institution.name_sort))]
    form.family_id.choices = [("", _("— general, not about a family —"))] + [
        (f.id, f"{f.name} ({f.case_number})") for f in db.session.scalars(
            select(Family).where(Family.archived_at.is_(None), visible_families_clause(current_user))
            .order_by(Family.name_sort).limit(500))]
    if request.method == "GET":
        form.contact_date.data = today_local()
        form.institution_id.data = int_arg("institution_id")
        form.family_id.data = int_arg("family_id")
        audit.read("contact_form_viewed", object_type="family",  # the form lists the families one may choose
                   details={"families_listed": len(form.family_id.choices) - 1})
    errors, status = [], 200
    if form.validate_on_submit():
        if form.family_id.data:
            load_family_or_404(form.family_id.data)
        contact, errors, status = save(
            lambda: services.log_contact({f: getattr(form, f).data for f in services.CONTACT_FIELDS},
                                         actor=current_user),
            created=_contact_url, success=_("The contact has been saved."))
        if status == 200:
            return redirect(_contact_url(contact))
    if status == 200 and form.errors:
        status = 400
    return render_template("contacts/contact_form.html", form=form, errors=errors), status


def _contact_url(contact) -> str:
    if contact.family_id:
        return url_for("families.detail", family_id=contact.family_id)
    return url_for("contacts.institution", institution_id=contact.institution_id)


@bp.route("/families/<int:family_id>/meetings/new", methods=["GET", "POST"])
@roles_required(ADMIN, COORDINATOR, ASSISTANT)
def meeting_new(family_id: int):
    family = load_family_or_404(family_id)
    form = MeetingForm()
    if request.method == "GET":
        form.meeting_date.data = today_local()
    errors, status = [], 200
    if form.validate_on_submit():
        _r, errors, status = save(
            lambda: services.log_meeting(family, {f: getattr(form, f).data for f in services.MEETING_FIELDS},
                                         actor=current_user),
            created=lambda _meeting: url_for("families.detail", family_id=family.id),
            success=_("The team meeting has been saved."))
        if status == 200:
            return redirect(url_for("families.detail", family_id=family.id))
    if status == 200 and form.errors:
        status = 400
    return render_template("contacts/meeting_form.html", form=form, errors=errors, family=family), status


def _record_or_404(model, record_id: int):
    record = db.session.get(model, record_id)
    if record is None or record.archived_at is not None:
        abort(404)
    if record.family_id is not None:
        load_family_or_404(record.family_id, action=f"{record.__tablename__}_viewed")  # the one access rule
    return record


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def contact_edit(contact_id: int):
    contact = _record_or_404(InstitutionContact, contact_id)
    form = ContactForm(obj=contact if request.method == "GET" else None)
    form.institution_id.choices = [(contact.institution_id, contact.institution.name)] + [
        (i.id, i.name) for i in db.session.scalars(select(Institution).where(
            Institution.archived_at.is_(None), Institution.id != contact.institution_id)
            .order_by(Institution.name_sort))]
    form.family_id.choices = [(contact.family_id or "", contact.family.name if contact.family else "—")]
    return _edit_record(contact, form, "contacts/contact_form.html")


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN, COORDINATOR, ASSISTANT)
def meeting_edit(meeting_id: int):
    meeting = _record_or_404(TeamMeeting, meeting_id)
    form = MeetingForm(obj=meeting if request.method == "GET" else None)
    return _edit_record(meeting, form, "contacts/meeting_form.html", family=meeting.family)


def _edit_record(record, form, template, **extra):
    if not services.can_edit(current_user, record):
        flash(_("The time to correct this entry has passed (%(days)d days); ask a coordinator.",
                days=services.edit_days()), "error")
        return redirect(url_for("families.detail", family_id=record.family_id) if record.family_id
                        else url_for("contacts.institution", institution_id=record.institution_id))
    if request.method == "GET":
        form.version.data = record.version
    errors, status = [], 200
    if form.validate_on_submit():
        values = {f.name: f.data for f in form if f.name not in ("csrf_token", "version", "family_id")}
        _r, errors, status = save(lambda: services.update_record(record, values, actor=current_user),
                                  obj=record, form=form)
        if status == 200:
            flash(_("Changes saved."), "success")
            return redirect(url_for("families.detail", family_id=record.family_id) if record.family_id
                            else url_for("contacts.institution", institution_id=record.institution_id))
    if status == 200 and (errors or form.errors):
        status = 400
    return render_template(template, form=form, errors=errors, **extra), status


def _contacts_and_meetings(family, limit):
    contacts = db.session.scalars(
        select(InstitutionContact).where(InstitutionContact.family_id == family.id,
                                         InstitutionContact.archived_at.is_(None))
        .options(selectinload(InstitutionContact.institution))
        .order_by(InstitutionContact.contact_date.desc()).limit(limit)).all()
    meetings = db.session.scalars(
        select(TeamMeeting).where(TeamMeeting.family_id == family.id, TeamMeeting.archived_at.is_(None))
        .order_by(TeamMeeting.meeting_date.desc()).limit(limit)).all()
    items = [TimelineItem(c.contact_date, "institution_contact",
                          _("Contact with %(institution)s (%(form)s)", institution=c.institution.name,
                            form=CONTACT_FORM_LABELS.get(c.form, c.form)), details=c.subject,
                          url=url_for("contacts.contact_edit", contact_id=c.id)) for c in contacts]
    items += [TimelineItem(m.meeting_date, "team_meeting", _("Team meeting"), details=m.decisions,
                           url=url_for("contacts.meeting_edit", meeting_id=m.id)) for m in meetings]
    return items


#: this domain's entries in the menu (read once at start-up by casework.core.navigation.collect)
NAV = [
    NavEntry("contacts.institutions", _l("Institutions"), roles=STAFF, order=40),
]


#: this domain's entries on the family timeline and its "needs attention" notes (casework.core.timeline)
TIMELINE = [_contacts_and_meetings]
