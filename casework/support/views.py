"""Pages of issue 18's registers: the waiting list, supporting families, day-support facilities and children's
attendance, the interdisciplinary team's membership, "Za życiem" requests. Views parse, authorize, call a service
and save through casework.core.errors.save."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.core.formatting import parse_decimal
from casework.auth.models import User, UserRole
from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR, ZI_MEMBER
from casework.contacts.models import INSTITUTION_TYPE_KIND, Institution
from casework.core import audit, dictionaries
from casework.core.dictionaries import DictionaryEntry
from casework.core.errors import save
from casework.core.navigation import NavEntry
from casework.core.pagination import paginate
from casework.core.permissions import roles_required
from casework.core.timeline import TimelineItem
from casework.core.timeutil import today_local
from casework.core.urls import safe_next
from casework.extensions import db
from casework.families.access import load_family_or_404, sees_all_families
from casework.families.models import BASIS_LABELS, ZA_ZYCIEM_CATEGORY_KIND, Family, SupportPeriod
from casework.support import rules, services, waiting
from casework.support.forms import (ArchiveForm, AttendanceForm, CostForm, FacilityForm, HelpForm, SupportingFamilyForm,
                                    TeamMemberForm, ZaZyciemForm)
from casework.support.models import (DAY_SUPPORT_FORM_LABELS, DAY_SUPPORT_TYPE, TEAM_SECTOR_LABELS,
                                     DaySupportAttendance, DaySupportFacility, SupportingFamily,
                                     SupportingFamilyCost, SupportingFamilyHelp, TeamMembership, ZaZyciemRequest)

bp = Blueprint("support", __name__, url_prefix="/support")
MANAGERS = (ADMIN, COORDINATOR)


def _get_or_404(model, record_id):
    obj = db.session.get(model, record_id)
    if obj is None:
        abort(404)
    return obj


def _form_page(title, form, errors, status, *, fields, back, obj=None, intro=None):
    if status == 200 and form.errors:
        status = 400
    return render_template("support/form.html", title=title, form=form, errors=errors, fields=fields, back=back,
                           conflict=obj if status == 409 else None, intro=intro), status


def _choices_with_role(role):
    return [(u.id, u.full_name) for u in db.session.execute(
        select(User.id, User.full_name).join(UserRole).where(UserRole.role == role, User.is_active_account.is_(True))
        .order_by(User.full_name))]


def _save_record(obj, create, update, form, created_url):
    """Create (obj None) or update through the service; returns (result, errors, status)."""
    if obj is None:
        return save(create, created=created_url)
    return save(lambda: update() or obj, obj=obj, form=form)


def _values(form, fields):
    return {f: getattr(form, f).data for f in fields}


# --- the waiting list -----------------------------------------------------------------------------------------

@bp.route("/waiting")
@roles_required(*MANAGERS)
def waiting_list():
    today = today_local()
    stmt = waiting.waiting_periods(today)
    sub = stmt.subquery()
    order = (sub.c.referral_day, sub.c.id)
    page = paginate(select(sub.c.id).order_by(*order))  # one page of period ids, then their rows
    rows = db.session.execute(select(sub).where(sub.c.id.in_(page.items)).order_by(*order)).all() if page.items else []
    audit.read("waiting_list_viewed", object_type="family", details={"family_ids": [r.family_id for r in rows]})
    return render_template("support/waiting.html", page=page, rows=rows, today=today, basis_labels=BASIS_LABELS)


# --- supporting families (art. 29–30 UWR) ------------------------------------------------------------------------

@bp.route("/supporting-families/")
@roles_required(*MANAGERS)
def supporting_families():
    show = request.args.get("show", "active")
    stmt = select(SupportingFamily).where(SupportingFamily.archived_at.is_(None))
    if show == "active":
        today = today_local()
        stmt = stmt.where((SupportingFamily.end_date.is_(None)) | (SupportingFamily.end_date >= today))
    page = paginate(stmt.order_by(SupportingFamily.name, SupportingFamily.id))
    return render_template("support/supporting_families.html", page=page, show=show)


SF_FIELDS = ("name", "address", "phone", "start_date", "end_date", "notes")


@bp.route("/supporting-families/new", methods=["GET", "POST"])
@bp.route("/supporting-families/<int:sf_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def supporting_family_form(sf_id: int | None = None):
    sf = _get_or_404(SupportingFamily, sf_id) if sf_id else None
    form = SupportingFamilyForm(obj=sf if request.method == "GET" else None)
    if request.method == "GET" and sf is not None:
        form.version.data = sf.version
    errors, status = [], 200
    if form.validate_on_submit():
        values = _values(form, SF_FIELDS)
        saved, errors, status = _save_record(
            sf, lambda: services.add_supporting_family(values, actor=current_user),
            lambda: services.update_supporting_family(sf, values, actor=current_user), form,
            lambda r: url_for("support.supporting_family", sf_id=r.id))
        if status == 200:
            flash(_("Changes saved."), "success")
            return redirect(url_for("support.supporting_family", sf_id=(sf or saved).id))
    title = sf.name if sf else _("Add a supporting family")
    return _form_page(title, form, errors, status, fields=[getattr(form, f) for f in SF_FIELDS], obj=sf,
                      back=url_for("support.supporting_families"),
                      intro=_("A supporting family (art. 29 UWR) helps a family in difficulty with the care of "
                              "children, the household and social roles, with that family's consent."))


@bp.route("/supporting-families/<int:sf_id>")
@roles_required(*MANAGERS)
def supporting_family(sf_id: int):
    sf = _get_or_404(SupportingFamily, sf_id)
    helps = [h for h in sf.helps if not h.is_archived]
    audit.read("supporting_family_viewed", sf, details={"family_ids": [h.family_id for h in helps]})
    return render_template("support/supporting_family.html", sf=sf, helps=helps, cost_form=CostForm(),
                           archive_form=ArchiveForm(), today=today_local())


def _family_choices():
    return [("", _("— choose —"))] + [
        (f.id, f"{f.name} ({f.case_number})") for f in db.session.scalars(
            select(Family).where(Family.archived_at.is_(None)).order_by(Family.name_sort, Family.id).limit(2000))]


@bp.route("/supporting-families/<int:sf_id>/helps/new", methods=["GET", "POST"])
@bp.route("/supporting-families/<int:sf_id>/helps/<int:help_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def help_form(sf_id: int, help_id: int | None = None):
    sf = _get_or_404(SupportingFamily, sf_id)
    help_ = _get_or_404(SupportingFamilyHelp, help_id) if help_id else None
    if help_ is not None and help_.supporting_family_id != sf.id:
        abort(404)
    form = HelpForm(obj=help_ if request.method == "GET" else None)
    form.family_id.choices = _family_choices()
    if request.method == "GET":
        if help_ is not None:
            form.version.data = help_.version
        else:
            form.start_date.data = max(today_local(), sf.start_date)
        audit.read("supporting_family_help_form_viewed", sf, details={"families_listed": len(form.family_id.choices) - 1})
    errors, status = [], 200
    if form.validate_on_submit():
        values = _values(form, services.HELP_FIELDS)
        _r, errors, status = _save_record(
            help_, lambda: services.add_help(sf, values, actor=current_user),
            lambda: services.update_help(help_, values, actor=current_user), form,
            lambda _h: url_for("support.supporting_family", sf_id=sf.id))
        if status == 200:
            flash(_("Changes saved."), "success")
            return redirect(url_for("support.supporting_family", sf_id=sf.id))
    return _form_page(_("Help given by %(name)s", name=sf.name), form, errors, status, obj=help_,
                      fields=[getattr(form, f) for f in services.HELP_FIELDS],
                      back=url_for("support.supporting_family", sf_id=sf.id))


@bp.route("/supporting-families/<int:sf_id>/helps/<int:help_id>/costs", methods=["POST"])
@roles_required(*MANAGERS)
def cost_new(sf_id: int, help_id: int):
    help_ = _get_or_404(SupportingFamilyHelp, help_id)
    if help_.supporting_family_id != sf_id:
        abort(404)
    form = CostForm()
    if not form.validate_on_submit():
        for messages in form.errors.values():
            for message in messages:
                flash(message, "error")
    else:
        values = {"month": form.month.data, "amount": parse_decimal(form.amount.data)}
        if values["amount"] is None:
            flash(_("Enter the amount in złoty, e.g. 350,00."), "error")
        else:
            save(lambda: services.add_cost(help_, values, actor=current_user),
                 created=lambda _c: url_for("support.supporting_family", sf_id=sf_id),
                 success=_("The costs have been recorded."), flash_errors=True)
    return redirect(url_for("support.supporting_family", sf_id=sf_id) + f"#help-{help_.id}")


@bp.route("/supporting-families/<int:sf_id>/costs/<int:cost_id>/remove", methods=["POST"])
@roles_required(*MANAGERS)
def cost_remove(sf_id: int, cost_id: int):
    cost = _get_or_404(SupportingFamilyCost, cost_id)
    if cost.help.supporting_family_id != sf_id:
        abort(404)
    save(lambda: services.remove_cost(cost, actor=current_user), success=_("The costs have been removed."),
         flash_errors=True)
    return redirect(url_for("support.supporting_family", sf_id=sf_id))


# --- day support (art. 18 UWR) -------------------------------------------------------------------------------------

def _day_support_type_id():
    return db.session.scalar(select(DictionaryEntry.id).where(DictionaryEntry.kind == INSTITUTION_TYPE_KIND,
                                                              DictionaryEntry.code == DAY_SUPPORT_TYPE))


@bp.route("/day-support/")
@roles_required(ADMIN, COORDINATOR, ASSISTANT)
def facilities():
    stmt = (select(Institution).where(Institution.archived_at.is_(None),
                                      Institution.type_id == _day_support_type_id())
            .order_by(Institution.name_sort, Institution.id))
    page = paginate(stmt)
    details = {f.institution_id: f for f in db.session.scalars(select(DaySupportFacility).where(
        DaySupportFacility.institution_id.in_([i.id for i in page.items])))} if page.items else {}
    return render_template("support/facilities.html", page=page, details=details,
                           form_labels=DAY_SUPPORT_FORM_LABELS, can_manage=sees_all_families(current_user))


@bp.route("/day-support/<int:institution_id>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def facility_form(institution_id: int):
    institution = _get_or_404(Institution, institution_id)
    if institution.type is None or institution.type.code != DAY_SUPPORT_TYPE:
        abort(404)
    facility = db.session.get(DaySupportFacility, institution.id)
    form = FacilityForm(obj=facility if request.method == "GET" else None)
    if request.method == "GET" and facility is not None:
        form.version.data = facility.version
    errors, status = [], 200
    if form.validate_on_submit():
        values = _values(form, services.FACILITY_FIELDS)
        if facility is None:
            _r, errors, status = save(lambda: services.save_facility(institution, values, actor=current_user))
        else:
            _r, errors, status = save(lambda: services.save_facility(institution, values, actor=current_user),
                                      obj=facility, form=form)
        if status == 200:
            flash(_("Changes saved."), "success")
            return redirect(url_for("support.facilities"))
    return _form_page(institution.name, form, errors, status, fields=[form.form, form.places], obj=facility,
                      back=url_for("support.facilities"),
                      intro=_("Art. 18 UWR: day support runs in the care form (circles, clubs, after-school "
                              "centres), the specialist form, as street work, or combining them."))


# --- the family's page of further support ------------------------------------------------------------------------

@bp.route("/family/<int:family_id>")
@roles_required(ADMIN, COORDINATOR, ASSISTANT)
def family(family_id: int):
    family = load_family_or_404(family_id)
    attendances = db.session.scalars(select(DaySupportAttendance).where(
        DaySupportAttendance.family_id == family.id, DaySupportAttendance.archived_at.is_(None))
        .options(selectinload(DaySupportAttendance.member), selectinload(DaySupportAttendance.institution))
        .order_by(DaySupportAttendance.start_date.desc())).all()
    helps = db.session.scalars(select(SupportingFamilyHelp).where(
        SupportingFamilyHelp.family_id == family.id, SupportingFamilyHelp.archived_at.is_(None))
        .order_by(SupportingFamilyHelp.start_date.desc())).all()
    requests = db.session.scalars(select(ZaZyciemRequest).where(
        ZaZyciemRequest.family_id == family.id, ZaZyciemRequest.archived_at.is_(None))
        .order_by(ZaZyciemRequest.request_date.desc())).all()
    waits = db.session.execute(waiting.waiting_periods(today_local()).where(
        SupportPeriod.__table__.c.family_id == family.id)).all()
    return render_template("support/family.html", family=family, attendances=attendances, helps=helps,
                           requests=requests, waits=waits, can_manage=sees_all_families(current_user),
                           archive_form=ArchiveForm())


def _attendance_form(family, form):
    form.member_id.choices = [("", _("— choose —"))] + [
        (m.id, f"{m.first_name} {m.last_name}") for m in family.members if m.relation == "child" and not m.is_archived]
    form.institution_id.choices = [("", _("— choose —"))] + [
        (i.id, i.name) for i in db.session.scalars(select(Institution).where(
            Institution.archived_at.is_(None), Institution.type_id == _day_support_type_id())
            .order_by(Institution.name_sort))]
    return form


@bp.route("/family/<int:family_id>/attendance/new", methods=["GET", "POST"])
@bp.route("/family/<int:family_id>/attendance/<int:attendance_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN, COORDINATOR, ASSISTANT)
def attendance_form(family_id: int, attendance_id: int | None = None):
    family = load_family_or_404(family_id)
    attendance = _get_or_404(DaySupportAttendance, attendance_id) if attendance_id else None
    if attendance is not None and attendance.family_id != family.id:
        abort(404)
    form = _attendance_form(family, AttendanceForm(obj=attendance if request.method == "GET" else None))
    if request.method == "GET":
        if attendance is not None:
            form.version.data = attendance.version
        else:
            form.start_date.data = today_local()
    errors, status = [], 200
    if form.validate_on_submit():
        values = _values(form, services.ATTENDANCE_FIELDS)
        _r, errors, status = _save_record(
            attendance, lambda: services.add_attendance(family, values, actor=current_user),
            lambda: services.update_attendance(attendance, family, values, actor=current_user), form,
            lambda _a: url_for("support.family", family_id=family.id))
        if status == 200:
            flash(_("Changes saved."), "success")
            return redirect(url_for("support.family", family_id=family.id))
    return _form_page(_("Day-support attendance: %(family)s", family=family.name), form, errors, status,
                      obj=attendance, fields=[getattr(form, f) for f in services.ATTENDANCE_FIELDS],
                      back=url_for("support.family", family_id=family.id))


def _za_zyciem_form(family, form):
    form.category_id.choices = [("", _("— none —"))] + dictionaries.choices(ZA_ZYCIEM_CATEGORY_KIND)
    form.support_period_id.choices = [("", _("— without a support period —"))] + [
        (p.id, f"{p.start_date.isoformat()} – {p.end_date.isoformat() if p.end_date else '…'}")
        for p in family.support_periods]
    form.assistant_id.choices = [("", _("— none yet —"))] + _choices_with_role(ASSISTANT)
    return form


@bp.route("/family/<int:family_id>/za-zyciem/new", methods=["GET", "POST"])
@bp.route("/family/<int:family_id>/za-zyciem/<int:request_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def za_zyciem_form(family_id: int, request_id: int | None = None):
    family = load_family_or_404(family_id)
    request_ = _get_or_404(ZaZyciemRequest, request_id) if request_id else None
    if request_ is not None and request_.family_id != family.id:
        abort(404)
    form = _za_zyciem_form(family, ZaZyciemForm(obj=request_ if request.method == "GET" else None))
    if request.method == "GET":
        if request_ is not None:
            form.version.data = request_.version
        else:
            form.request_date.data = today_local()
    errors, status = [], 200
    if form.validate_on_submit():
        values = _values(form, services.ZA_ZYCIEM_FIELDS)
        _r, errors, status = _save_record(
            request_, lambda: services.add_za_zyciem(family, values, actor=current_user),
            lambda: services.update_za_zyciem(request_, values, actor=current_user), form,
            lambda _z: url_for("support.family", family_id=family.id))
        if status == 200:
            flash(_("Changes saved."), "success")
            return redirect(url_for("support.family", family_id=family.id))
    return _form_page(_("\u201eZa \u017cyciem\u201d request: %(family)s", family=family.name), form, errors, status,
                      obj=request_, fields=[getattr(form, f) for f in services.ZA_ZYCIEM_FIELDS],
                      back=url_for("support.family", family_id=family.id),
                      intro=_("Art. 8 of the \u201eZa \u017cyciem\u201d act: on the family's request an assistant "
                              "coordinates support, with or without a regular support period."))


@bp.route("/za-zyciem/")
@roles_required(*MANAGERS)
def za_zyciem_list():
    stmt = (select(ZaZyciemRequest).where(ZaZyciemRequest.archived_at.is_(None))
            .options(selectinload(ZaZyciemRequest.family), selectinload(ZaZyciemRequest.assistant),
                     selectinload(ZaZyciemRequest.category))
            .order_by(ZaZyciemRequest.request_date.desc(), ZaZyciemRequest.id.desc()))
    page = paginate(stmt)
    audit.read("za_zyciem_requests_viewed", object_type="family",
               details={"family_ids": [r.family_id for r in page.items]})
    return render_template("support/za_zyciem.html", page=page)


# --- the interdisciplinary team's membership --------------------------------------------------------------------

@bp.route("/team/")
@roles_required(ADMIN, COORDINATOR, ZI_MEMBER)
def team():
    show = request.args.get("show", "current")
    today = today_local()
    stmt = select(TeamMembership).where(TeamMembership.archived_at.is_(None)).options(
        selectinload(TeamMembership.institution))
    if show == "current":
        stmt = stmt.where(TeamMembership.appointed_on <= today,
                          (TeamMembership.ended_on.is_(None)) | (TeamMembership.ended_on >= today))
    page = paginate(stmt.order_by(TeamMembership.is_chair.desc(), TeamMembership.full_name, TeamMembership.id))
    return render_template("support/team.html", page=page, show=show, sector_labels=TEAM_SECTOR_LABELS,
                           can_manage=sees_all_families(current_user), archive_form=ArchiveForm())


@bp.route("/team/new", methods=["GET", "POST"])
@bp.route("/team/<int:team_member_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def team_form(team_member_id: int | None = None):
    member = _get_or_404(TeamMembership, team_member_id) if team_member_id else None
    form = TeamMemberForm(obj=member if request.method == "GET" else None)
    form.user_id.choices = [("", _("— no account —"))] + _choices_with_role(ZI_MEMBER)
    form.institution_id.choices = [("", _("— not in the directory —"))] + [
        (i.id, i.name) for i in db.session.scalars(select(Institution).where(Institution.archived_at.is_(None))
                                                   .order_by(Institution.name_sort).limit(2000))]
    if request.method == "GET" and member is not None:
        form.version.data = member.version
    errors, status = [], 200
    if form.validate_on_submit():
        values = _values(form, services.TEAM_FIELDS)
        _r, errors, status = _save_record(
            member, lambda: services.add_team_member(values, actor=current_user),
            lambda: services.update_team_member(member, values, actor=current_user), form,
            lambda _m: url_for("support.team"))
        if status == 200:
            flash(_("Changes saved."), "success")
            return redirect(url_for("support.team"))
    return _form_page(member.full_name if member else _("Add a member of the interdisciplinary team"), form, errors,
                      status, obj=member, fields=[getattr(form, f) for f in services.TEAM_FIELDS],
                      back=url_for("support.team"),
                      intro=_("The register is what the reports count; access to Niebieska Karta procedures still "
                              "follows the role of a team member given to a user account."))


# --- archiving ---------------------------------------------------------------------------------------------------

ARCHIVABLE = {"supporting-family": SupportingFamily, "help": SupportingFamilyHelp, "attendance": DaySupportAttendance,
              "team-member": TeamMembership, "za-zyciem": ZaZyciemRequest}


@bp.route("/archive/<kind>/<int:record_id>", methods=["POST"])
@roles_required(*MANAGERS)
def archive(kind: str, record_id: int):
    model = ARCHIVABLE.get(kind)
    if model is None:
        abort(404)
    obj = _get_or_404(model, record_id)
    form = ArchiveForm()
    reason = form.reason.data if form.validate_on_submit() else ""
    save(lambda: services.archive(obj, reason, actor=current_user),
         success=_("Archived."), flash_errors=True)
    return redirect(safe_next(request.form.get("next")))


#: this domain's menu entries (casework.core.navigation)
NAV = [
    NavEntry("support.waiting_list", _l("Waiting list"), roles=MANAGERS, order=26),
    NavEntry("support.supporting_families", _l("Supporting families"), roles=MANAGERS, order=27),
    NavEntry("support.facilities", _l("Day support"), roles=MANAGERS, order=28),
    NavEntry("support.team", _l("Interdisciplinary team"), roles=(ADMIN, COORDINATOR, ZI_MEMBER), order=75),
]


def _timeline(family, limit):
    """Day-support attendance, supporting families' help and "Za życiem" requests on the family's timeline."""
    url = url_for("support.family", family_id=family.id)
    items = []
    for a in db.session.scalars(select(DaySupportAttendance).where(
            DaySupportAttendance.family_id == family.id, DaySupportAttendance.archived_at.is_(None))
            .options(selectinload(DaySupportAttendance.institution)).limit(limit)):
        items.append(TimelineItem(a.start_date, "day_support", _("Day support: %(facility)s",
                                                                  facility=a.institution.name), url))
    for h in db.session.scalars(select(SupportingFamilyHelp).where(
            SupportingFamilyHelp.family_id == family.id, SupportingFamilyHelp.archived_at.is_(None)).limit(limit)):
        items.append(TimelineItem(h.start_date, "supporting_family", _("A supporting family helps"), url))
    for r in db.session.scalars(select(ZaZyciemRequest).where(
            ZaZyciemRequest.family_id == family.id, ZaZyciemRequest.archived_at.is_(None)).limit(limit)):
        items.append(TimelineItem(r.request_date, "za_zyciem", _("\u201eZa \u017cyciem\u201d request"), url))
    return items


def _waiting_attention(family_ids):
    """"Waiting for an assistant since …" for the families on the waiting list today (one query)."""
    sub = waiting.waiting_periods(today_local()).subquery()
    out: dict = {}
    for row in db.session.execute(select(sub.c.family_id, sub.c.referral_day, sub.c.days)
                                  .where(sub.c.family_id.in_(family_ids))):
        out.setdefault(row.family_id, []).append(
            _("Waiting for an assistant since %(date)s (%(days)d days)", date=row.referral_day.isoformat()
              if hasattr(row.referral_day, "isoformat") else row.referral_day, days=row.days or 0))
    return out


#: this domain's entries on the family timeline and its "needs attention" notes (casework.core.timeline)
TIMELINE = [_timeline]
ATTENTION = [_waiting_attention]
