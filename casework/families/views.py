"""The case register: lists, the family page, and the forms that change a family's record."""
from types import SimpleNamespace

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from casework.auth.models import User, UserRole
from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR, SOCIAL_WORKER
from casework.core import audit, dictionaries
from casework.core.errors import save
from casework.core.navigation import NavEntry
from casework.core.pagination import int_arg, paginate
from casework.core.permissions import roles_required
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families import lookup, queries, services
from casework.families.access import load_family_or_404, sees_all_families
from casework.families.forms import (STATUS_LABELS, ArchiveForm, AssignForm, EndPeriodForm, FamilyForm, MemberForm,
                                     SupportPeriodForm)
from casework.families.models import (BASIS_LABELS, END_REASON_KIND, RELATION_LABELS, ZA_ZYCIEM_CATEGORY_KIND,
                                      FamilyMember, SupportPeriod)
from casework.core.timeline import TimelineItem, attention_for, family_timeline

bp = Blueprint("families", __name__, url_prefix="/families")
MANAGERS = (ADMIN, COORDINATOR)


def _users_with_role(role: str):
    """(id, full_name) rows of the active users with the role, for choices and filters (a city has hundreds)."""
    return db.session.execute(select(User.id, User.full_name).join(UserRole).where(
        UserRole.role == role, User.is_active_account.is_(True)).order_by(User.full_name)).all()


def _user_choices(role: str, blank=True):
    choices = [(u.id, u.full_name) for u in _users_with_role(role)]
    return ([("", _("— none —"))] if blank else []) + choices


def _context():
    return {"relation_labels": RELATION_LABELS, "basis_labels": BASIS_LABELS, "status_labels": STATUS_LABELS,
            "family_status": services.family_status, "current_period": services.current_period,
            "current_assignment": services.current_assignment, "today": today_local()}


def _member_or_404(family, member_id: int) -> FamilyMember:
    member = db.session.get(FamilyMember, member_id)
    if member is None or member.family_id != family.id:
        abort(404)
    return member


def _period_or_404(family, period_id: int) -> SupportPeriod:
    period = db.session.get(SupportPeriod, period_id)
    if period is None or period.family_id != family.id:
        abort(404)
    return period


def _page(template, form, errors, status, **extra):
    """A form page; a stale edit (409) shows the saved version beside the form (templates/families/_conflict)."""
    if status == 200 and form.errors:
        status = 400
    return render_template(template, form=form, errors=errors, **extra, **_context()), status


# --- lists ------------------------------------------------------------------------------------------------

@bp.route("/")
@login_required
def index():
    if not current_user.has_role(ADMIN, COORDINATOR, ASSISTANT, SOCIAL_WORKER):
        abort(403)
    args = request.args
    filters = {"status": args.get("status", "active" if sees_all_families(current_user) else ""),
               "q": (args.get("q") or "").strip()[:100], "assistant": int_arg("assistant"),
               "area": args.get("area", ""), "basis": args.get("basis", ""), "za_zyciem": args.get("za_zyciem") == "1"}
    if filters["status"] not in ("", "active", "monitoring", "closed", "archived"):
        filters["status"] = ""
    if filters["status"] == "archived" and not sees_all_families(current_user):
        filters["status"] = ""
    stmt = queries.family_list_query(current_user, day=today_local(), status=filters["status"], q=filters["q"],
                                     assistant_id=filters["assistant"], area=filters["area"],
                                     basis=filters["basis"], za_zyciem=filters["za_zyciem"])
    page = paginate(stmt)
    audit.read("family_list_viewed", object_type="family",
               details={"page": page.page, "shown": len(page.items), "search": bool(filters["q"])})
    assistants = _users_with_role(ASSISTANT) if sees_all_families(current_user) else []
    return render_template("families/list.html", page=page, filters=filters, assistants=assistants, **_context())


@bp.route("/mine")
@roles_required(ASSISTANT)
def mine():
    day = today_local()
    families = db.session.scalars(queries.my_families_query(current_user, day)).all()
    attention = attention_for([f.id for f in families])
    audit.read("my_families_viewed", object_type="family", details={"family_ids": [f.id for f in families]})
    return render_template("families/mine.html", families=families, attention=attention, **_context())


@bp.route("/caseload")
@roles_required(*MANAGERS)
def caseload():
    # one page of assistants (the same count as queries.caseloads): 200 assistants cost what 5 do
    per_page = current_app.config["PAGE_SIZE"]
    total = db.session.scalar(queries.active_assistant_count()) or 0
    pages = max((total + per_page - 1) // per_page, 1)
    number = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    rows = db.session.execute(queries.caseload_rows(today_local(), limit=per_page,
                                                    offset=(number - 1) * per_page)).all()
    pager = SimpleNamespace(page=number, pages=pages, has_prev=number > 1, prev_num=number - 1,
                            has_next=number < pages, next_num=number + 1)
    return render_template("families/caseload.html", rows=rows, cap=services.caseload_cap(), pager=pager,
                           total=total)


# --- the family -------------------------------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new():
    form = FamilyForm()
    form.social_worker_id.choices = _user_choices(SOCIAL_WORKER)
    if request.method == "GET":
        form.case_number.data = services.next_case_number()
    errors, status = [], 200
    check_pesel = (request.form.get("check_pesel") or "").strip()[:11]
    if form.validate_on_submit():
        # a likely duplicate (same PESEL; same surname and address) is shown before saving, with "register anyway"
        duplicates = [] if request.form.get("duplicates_seen") == "1" else lookup.likely_duplicates(
            _family_values(form), current_user, today_local(), pesel=check_pesel)
        if duplicates:
            audit.read("family_duplicates_shown", object_type="family",
                       details={"family_ids": [f.id for f in duplicates]})
            return _page("families/family_form.html", form, errors, 409, family=None, duplicates=duplicates,
                         check_pesel=check_pesel)
        family, errors, status = save(lambda: services.register_family(_family_values(form), actor=current_user),
                                      created=_family_url)
        if status == 200:
            flash(_("The family has been registered. Add its members and start the support period."), "success")
            return redirect(url_for("families.detail", family_id=family.id))
    return _page("families/family_form.html", form, errors, status, family=None, check_pesel=check_pesel)


def _family_url(family) -> str:
    return url_for("families.detail", family_id=family.id)


def _family_values(form) -> dict:
    return {f: getattr(form, f).data for f in services.FAMILY_FIELDS}


@bp.route("/<int:family_id>")
@login_required
def detail(family_id: int):
    family = load_family_or_404(family_id)
    members = [m for m in family.members if not m.is_archived]
    archived_members = [m for m in family.members if m.is_archived]
    return render_template("families/detail.html", family=family, members=members,
                           archived_members=archived_members, timeline=family_timeline(family),
                           attention=attention_for([family.id]).get(family.id, []),
                           can_manage=sees_all_families(current_user), archive_form=ArchiveForm(), **_context())


@bp.route("/<int:family_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(family_id: int):
    family = load_family_or_404(family_id, action="family_edit_viewed")
    form = FamilyForm(obj=family if request.method == "GET" else None)
    form.social_worker_id.choices = _user_choices(SOCIAL_WORKER)
    if request.method == "GET":
        form.version.data = family.version
    errors, status = [], 200
    if form.validate_on_submit():
        _r, errors, status = save(lambda: services.update_family(family, _family_values(form), actor=current_user),
                                  obj=family, form=form)
        if status == 200:
            flash(_("Changes saved."), "success")
            return redirect(url_for("families.detail", family_id=family.id))
    return _page("families/family_form.html", form, errors, status, family=family,
                 conflict=family if status == 409 else None)


@bp.route("/<int:family_id>/archive", methods=["POST"])
@roles_required(*MANAGERS)
def archive(family_id: int):
    family = load_family_or_404(family_id)
    return _archive_or_restore(family, family, request.form.get("restore") == "1")


def _archive_or_restore(family, obj, restore: bool):
    def change():
        if restore:
            return services.restore(obj, actor=current_user)
        form = ArchiveForm()
        if not form.validate_on_submit():
            raise services.FamilyRuleError(_("Give the reason for archiving."))
        return services.archive(obj, form.reason.data, actor=current_user)

    save(change, success=_("Restored.") if restore else _("Archived. A coordinator can restore it."),
         flash_errors=True)
    return redirect(url_for("families.detail", family_id=family.id))


# --- members ----------------------------------------------------------------------------------------------

def _member_values(form) -> dict:
    values = {f: getattr(form, f).data for f in services.MEMBER_FIELDS}
    values["pesel"] = (values["pesel"] or "").strip() or None
    return values


@bp.route("/<int:family_id>/members/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def member_new(family_id: int):
    family = load_family_or_404(family_id)
    form = MemberForm()
    if request.method == "GET" and request.args.get("relation") in RELATION_LABELS:
        form.relation.data = request.args["relation"]
        form.last_name.data = family.name
    errors, status = [], 200
    if form.validate_on_submit():
        _r, errors, status = save(lambda: services.add_member(family, _member_values(form), actor=current_user),
                                  created=lambda _member: _family_url(family))
        if status == 200:
            flash(_("The member has been added."), "success")
            if request.form.get("another"):
                return redirect(url_for("families.member_new", family_id=family.id, relation="child"))
            return redirect(url_for("families.detail", family_id=family.id))
    return _page("families/member_form.html", form, errors, status, family=family, member=None)


@bp.route("/<int:family_id>/members/<int:member_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def member_edit(family_id: int, member_id: int):
    family = load_family_or_404(family_id, action="member_edit_viewed")
    member = _member_or_404(family, member_id)
    form = MemberForm(obj=member if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = member.version
    errors, status = [], 200
    if form.validate_on_submit():
        _r, errors, status = save(lambda: services.update_member(member, _member_values(form), actor=current_user),
                                  obj=member, form=form)
        if status == 200:
            flash(_("Changes saved."), "success")
            return redirect(url_for("families.detail", family_id=family.id))
    return _page("families/member_form.html", form, errors, status, family=family, member=member,
                 conflict=member if status == 409 else None)


@bp.route("/<int:family_id>/members/<int:member_id>/archive", methods=["POST"])
@roles_required(*MANAGERS)
def member_archive(family_id: int, member_id: int):
    family = load_family_or_404(family_id)
    member = _member_or_404(family, member_id)
    return _archive_or_restore(family, member, request.form.get("restore") == "1")


# --- support periods --------------------------------------------------------------------------------------

def _period_form(form):
    form.referred_by_id.choices = _user_choices(SOCIAL_WORKER)
    form.za_zyciem_category_id.choices = [("", _("— none —"))] + dictionaries.choices(ZA_ZYCIEM_CATEGORY_KIND)
    form.assistant_id.choices = _user_choices(ASSISTANT)
    return form


@bp.route("/<int:family_id>/periods/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def period_new(family_id: int):
    family = load_family_or_404(family_id)
    form = _period_form(SupportPeriodForm())
    if request.method == "GET":
        form.start_date.data = today_local()
    errors, status = [], 200
    if form.validate_on_submit():
        def start():
            values = {f: getattr(form, f).data for f in services.PERIOD_FIELDS}
            period = services.start_support_period(family, values, actor=current_user)
            if form.assistant_id.data:
                assistant = db.session.get(User, form.assistant_id.data)
                if assistant is None:
                    raise services.FamilyRuleError(_("Choose an active family assistant."))
                services.assign_assistant(period, assistant, period.start_date, actor=current_user)
            return period

        _r, errors, status = save(start, created=lambda _period: _family_url(family),
                                  success=_("The support period has started."))
        if status == 200:
            return redirect(url_for("families.detail", family_id=family.id))
    return _page("families/period_form.html", form, errors, status, family=family, period=None)


@bp.route("/<int:family_id>/periods/<int:period_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def period_edit(family_id: int, period_id: int):
    family = load_family_or_404(family_id)
    period = _period_or_404(family, period_id)
    form = _period_form(SupportPeriodForm(obj=period if request.method == "GET" else None))
    del form.assistant_id
    if request.method == "GET":
        form.version.data = period.version
    errors, status = [], 200
    if form.validate_on_submit():
        values = {f: getattr(form, f).data for f in services.PERIOD_FIELDS}
        _r, errors, status = save(lambda: services.update_support_period(period, values, actor=current_user),
                                  obj=period, form=form)
        if status == 200:
            flash(_("Changes saved."), "success")
            return redirect(url_for("families.detail", family_id=family.id))
    return _page("families/period_form.html", form, errors, status, family=family, period=period,
                 conflict=period if status == 409 else None)


@bp.route("/<int:family_id>/periods/<int:period_id>/assign", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def period_assign(family_id: int, period_id: int):
    family = load_family_or_404(family_id)
    period = _period_or_404(family, period_id)
    form = AssignForm()
    form.assistant_id.choices = _user_choices(ASSISTANT, blank=False)
    if request.method == "GET":
        form.start_date.data = max(today_local(), period.start_date)
    errors, status = [], 200
    if form.validate_on_submit():
        assistant = db.session.get(User, form.assistant_id.data) if form.assistant_id.data else None

        def assign():
            if assistant is None:
                raise services.FamilyRuleError(_("Choose an active family assistant."))
            return services.assign_assistant(period, assistant, form.start_date.data, actor=current_user)

        _r, errors, status = save(assign, created=lambda _assignment: _family_url(family),
                                  success=_("The assistant has been assigned."))
        if status == 200:
            return redirect(url_for("families.detail", family_id=family.id))
    return _page("families/assign_form.html", form, errors, status, family=family, period=period)


@bp.route("/<int:family_id>/periods/<int:period_id>/end", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def period_end(family_id: int, period_id: int):
    family = load_family_or_404(family_id)
    period = _period_or_404(family, period_id)
    form = EndPeriodForm()
    form.end_reason_id.choices = [("", _("— choose —"))] + dictionaries.choices(END_REASON_KIND)
    if request.method == "GET":
        form.end_date.data = today_local()
    errors, status = [], 200
    if form.validate_on_submit():
        _r, errors, status = save(lambda: services.end_support_period(
            period, form.end_date.data, form.end_reason_id.data, form.end_reason_text.data,
            form.monitoring_until.data, actor=current_user), success=_("The support period has ended."))
        if status == 200:
            return redirect(url_for("families.detail", family_id=family.id))
    return _page("families/end_form.html", form, errors, status, family=family, period=period)


#: this domain's entries in the menu (read once at start-up by casework.core.navigation.collect)
NAV = [
    NavEntry("families.mine", _l("My families"), roles=(ASSISTANT,), order=10),
    NavEntry("families.index", _l("Families"), roles=(ADMIN, COORDINATOR, SOCIAL_WORKER), order=20),
    NavEntry("families.caseload", _l("Caseloads"), roles=MANAGERS, order=25),
]


def _support_period_events(family, limit):
    """Support periods on the family's timeline: start, assistants' changes, end."""
    items = []
    for period in family.support_periods:
        items.append(TimelineItem(period.start_date, "support_period",
                                  _("Support started (%(basis)s)", basis=BASIS_LABELS[period.basis])))
        for assignment in period.assignments:
            items.append(TimelineItem(assignment.start_date, "assignment",
                                      _("Assistant assigned: %(name)s", name=assignment.assistant.full_name)))
        if period.end_date:
            items.append(TimelineItem(period.end_date, "support_period_end",
                                      _("Support ended: %(reason)s",
                                        reason=period.end_reason.label if period.end_reason else "—")))
    return items


#: this domain's entries on the family timeline and its "needs attention" notes (casework.core.timeline)
TIMELINE = [_support_period_events]
