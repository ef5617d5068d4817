"""Foster care: the children of the municipality in care, their placements and tier, the county's bills, the year."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR
from casework.core import periods
from casework.core import audit
from casework.core.errors import save
from casework.core.forms import OnceForm
from casework.core.navigation import NavEntry
from casework.core.pagination import int_arg, paginate
from casework.core.permissions import roles_required
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.access import load_family_or_404, sees_all_families
from casework.families.models import FamilyMember
from casework.core.timeline import TimelineItem
from casework.fostercare import services
from casework.fostercare.models import END_REASONS, FAMILY_FORMS, FORMS, FosterCareBill, FosterChild, Placement

bp = Blueprint("fostercare", __name__, url_prefix="/foster-care")
MANAGERS = (ADMIN, COORDINATOR)
FORM_LABELS = {
    "foster_family_related": _l("related foster family"), "foster_family_unrelated": _l("unrelated foster family"),
    "foster_family_professional": _l("professional foster family"),
    "family_childrens_home": _l("family children's home"),
    "care_education_institution": _l("care-and-education institution"),
    "regional_care_therapy_institution": _l("regional care-and-therapy institution"),
    "pre_adoption_intervention_centre": _l("pre-adoption intervention centre"),
}
END_LABELS = {"return_home": _l("return to the family"), "adoption": _l("adoption"),
              "independence": _l("coming of age / independence"), "other_form": _l("moved to another form"),
              "other": _l("other")}


class ChildForm(OnceForm):
    first_name = StringField(_l("First name"), validators=[InputRequired(_l("Enter the first name."))])
    last_name = StringField(_l("Last name"), validators=[InputRequired(_l("Enter the last name."))])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional()])


class PlacementForm(OnceForm):
    version = HiddenField()
    form = SelectField(_l("Form of foster care"), choices=[(k, FORM_LABELS[k]) for k in FORMS])
    county = StringField(_l("County that placed the child"), validators=[Optional()])
    court = StringField(_l("Court"), validators=[Optional()])
    court_signature = StringField(_l("Case signature"), validators=[Optional()])
    court_decision_date = DateField(_l("Date of the court decision"), validators=[Optional()])
    start_date = DateField(_l("Placed on"), validators=[InputRequired(_l("Enter the date the placement started."))])
    end_date = DateField(_l("Ended on"), validators=[Optional()])
    end_reason = SelectField(_l("Why it ended"), choices=[("", "—")] + [(k, END_LABELS[k]) for k in END_REASONS],
                             validate_choice=False)


class BillForm(OnceForm):
    month = DateField(_l("Month (any day of it)"), validators=[InputRequired(_l("Enter the month."))])
    total_cost = StringField(_l("Total cost of care in the month (PLN)"),
                             validators=[InputRequired(_l("Enter the total cost of care in the month."))])
    billed_share = StringField(_l("The municipality's share as billed (PLN), if it differs"), validators=[Optional()])
    note = StringField(_l("Note"), validators=[Optional()])


def _child_or_404(child_id: int, *, manage: bool = False) -> FosterChild:
    """Coordinators see every child; a family's assistant (or social worker) reads the children of a family they
    may see; children entered only here are the coordinators'."""
    child = db.session.scalar(select(FosterChild).where(FosterChild.id == child_id).options(
        selectinload(FosterChild.placements), selectinload(FosterChild.member)))
    if child is None or child.archived_at is not None:
        abort(404)
    if sees_all_families(current_user):
        audit.read("foster_child_viewed", child)
        return child
    if manage or child.family_id is None:
        abort(404)
    load_family_or_404(child.family_id, action="foster_child_viewed")
    return child


@bp.route("/")
@roles_required(*MANAGERS)
def index():
    today = today_local()
    stmt = (select(FosterChild).where(FosterChild.archived_at.is_(None))
            .options(selectinload(FosterChild.placements), selectinload(FosterChild.member))
            .order_by(FosterChild.id.desc()))
    page = paginate(stmt)
    rows = [(child, services.tier_info(child, today)) for child in page.items]
    audit.read("foster_children_viewed", object_type="foster_child",
               details={"page": page.page, "child_ids": [child.id for child in page.items]})
    return render_template("fostercare/index.html", page=page, rows=rows, form=ChildForm(), labels=FORM_LABELS,
                           today=today)


@bp.route("/children/new", methods=["POST"])
@roles_required(*MANAGERS)
def new_child():
    member_id = int_arg("member_id", source=request.form)
    if member_id:
        member = db.session.get(FamilyMember, member_id) or abort(404)
        load_family_or_404(member.family_id)
        child, errors, _status = save(lambda: services.register_child(member=member, actor=current_user),
                                      created=_child_url, flash_errors=True)
        return redirect(_child_url(child) if child else url_for("families.detail", family_id=member.family_id))
    form = ChildForm()
    if form.validate_on_submit():
        child, errors, status = save(lambda: services.register_child(
            first_name=form.first_name.data, last_name=form.last_name.data, birth_date=form.birth_date.data,
            notes=form.notes.data, actor=current_user), created=_child_url,
            success=_("The child has been entered. Add the placement."), flash_errors=True)
        if status == 200:
            return redirect(_child_url(child))
    else:
        for messages in form.errors.values():
            for message in messages:
                flash(message, "error")
    return redirect(url_for("fostercare.index"))


def _child_url(child) -> str:
    return url_for("fostercare.child", child_id=child.id)


@bp.route("/children/<int:child_id>", methods=["GET", "POST"])
@roles_required(ADMIN, COORDINATOR, ASSISTANT)
def child(child_id: int):
    child = _child_or_404(child_id)
    placement_form, bill_form = PlacementForm(prefix="p"), BillForm(prefix="b")
    errors, status = [], 200
    if request.method == "POST":
        child = _child_or_404(child_id, manage=True)
        if request.form.get("what") == "placement" and placement_form.validate_on_submit():
            _r, errors, status = save(lambda: services.add_placement(child, _placement_values(placement_form),
                                                                     actor=current_user),
                                      created=lambda _placement: _child_url(child))
        elif request.form.get("what") == "bill" and bill_form.validate_on_submit():
            _r, errors, status = save(lambda: services.record_bill(
                child, bill_form.month.data, bill_form.total_cost.data, bill_form.billed_share.data,
                bill_form.note.data, actor=current_user), created=lambda _bill: _child_url(child))
        elif request.form.get("what") not in ("placement", "bill"):
            abort(400)
        else:
            status = 400
        if status == 200:
            flash(_("Saved."), "success")
            return redirect(url_for("fostercare.child", child_id=child.id))
        db.session.refresh(child)
    today = today_local()
    bills = db.session.scalars(select(FosterCareBill).where(FosterCareBill.child_id == child.id)
                               .order_by(FosterCareBill.month.desc()).limit(36)).all()
    return render_template("fostercare/child.html", child=child, info=services.tier_info(child, today),
                           placement_form=placement_form, bill_form=bill_form, errors=errors, bills=bills,
                           labels=FORM_LABELS, end_labels=END_LABELS, today=today,
                           can_manage=sees_all_families(current_user)), status


def _placement_values(form) -> dict:
    return {f: getattr(form, f).data for f in services.PLACEMENT_FIELDS}


@bp.route("/placements/<int:placement_id>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def placement(placement_id: int):
    placement = db.session.get(Placement, placement_id) or abort(404)
    child = _child_or_404(placement.child_id, manage=True)
    audit.read("placement_viewed", placement)
    form = PlacementForm(obj=placement if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = placement.version
        form.end_reason.data = placement.end_reason or ""
    errors, status = [], 200
    if form.validate_on_submit():
        _r, errors, status = save(lambda: services.update_placement(placement, _placement_values(form),
                                                                    actor=current_user), obj=placement, form=form)
        if status == 200:
            flash(_("Saved."), "success")
            return redirect(url_for("fostercare.child", child_id=child.id))
    elif request.method == "POST":
        status = 400
    return render_template("fostercare/placement.html", form=form, child=child, placement=placement,
                           errors=errors), status


@bp.route("/placements/<int:placement_id>/change-form", methods=["POST"])
@roles_required(*MANAGERS)
def change_form(placement_id: int):
    placement = db.session.get(Placement, placement_id) or abort(404)
    child = _child_or_404(placement.child_id, manage=True)
    try:
        on = date.fromisoformat(request.form.get("on", ""))
    except ValueError:
        flash(_("Enter the date of the change."), "error")
        return redirect(url_for("fostercare.child", child_id=child.id))
    new_form = request.form.get("form")
    save(lambda: services.change_form(placement, new_form, on, actor=current_user),
         success=_("The form of care has changed; the stay continues."), flash_errors=True)
    return redirect(url_for("fostercare.child", child_id=child.id))


@bp.route("/year")
@roles_required(*MANAGERS)
def year():
    y = request.args.get("year", type=int) or today_local().year
    if not 1990 <= y <= 2200:
        abort(400)
    period = periods.year(y)
    figures = services.year_figures(period)
    start, end = period.start, period.end
    # the children of the year, each with its placements (one query for the children, one for the placements)
    stmt = (select(FosterChild).join(Placement).where(
        FosterChild.archived_at.is_(None), Placement.start_date <= end,
        (Placement.end_date.is_(None)) | (Placement.end_date >= start)).distinct()
        .options(selectinload(FosterChild.placements), selectinload(FosterChild.member))
        .order_by(FosterChild.id))
    page = paginate(stmt)
    costs = dict(db.session.execute(select(FosterCareBill.child_id, func.sum(func.coalesce(
        FosterCareBill.billed_share, FosterCareBill.computed_share))).where(
        FosterCareBill.month >= start, FosterCareBill.month <= end,
        FosterCareBill.child_id.in_([c.id for c in page.items] or [0])).group_by(FosterCareBill.child_id)).all())
    audit.read("foster_care_year_viewed", object_type="foster_child",
               details={"year": y, "page": page.page, "child_ids": [c.id for c in page.items]})
    flagged = db.session.scalar(select(func.count(FosterCareBill.id)).where(
        FosterCareBill.month >= start, FosterCareBill.month <= end, FosterCareBill.billed_share.is_not(None)))
    return render_template("fostercare/year.html", year=y, values=figures["values"], figures=figures, page=page, costs=costs, labels=FORM_LABELS,
                           end_labels=END_LABELS, flagged=flagged, family_forms=FAMILY_FORMS,
                           args={"from": start.isoformat(), "to": end.isoformat()})


def _placements_on_timeline(family, limit):
    rows = db.session.execute(select(Placement, FosterChild).join(FosterChild).where(
        FosterChild.family_id == family.id, FosterChild.archived_at.is_(None))
        .options(selectinload(FosterChild.member))
        .order_by(Placement.start_date.desc()).limit(limit)).all()
    items = []
    for placement, child in rows:
        items.append(TimelineItem(placement.start_date, "placement",
                                  _("%(child)s: placement in foster care (%(form)s)", child=child.name,
                                    form=FORM_LABELS[placement.form]),
                                  url=url_for("fostercare.child", child_id=child.id)))
        if placement.end_date and placement.end_reason:
            items.append(TimelineItem(placement.end_date, "placement",
                                      _("%(child)s: foster care ended (%(reason)s)", child=child.name,
                                        reason=END_LABELS[placement.end_reason]),
                                      url=url_for("fostercare.child", child_id=child.id)))
    return items


#: this domain's entries in the menu (read once at start-up by casework.core.navigation.collect)
NAV = [
    NavEntry("fostercare.index", _l("Foster care"), roles=MANAGERS, order=45),
]


#: this domain's entries on the family timeline and its "needs attention" notes (casework.core.timeline)
TIMELINE = [_placements_on_timeline]
