"""The staff register (coordinator, admin): the assistants, their employment spells, qualification basis,
trainings and the cost of employing them."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.auth.models import User
from casework.auth.roles import ADMIN, COORDINATOR
from casework.core import dictionaries
from casework.core.errors import save
from casework.core.navigation import NavEntry
from casework.core.pagination import int_arg, paginate
from casework.core.permissions import roles_required
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.staff import rules, services
from casework.staff.forms import ArchiveForm, CostForm, QualificationForm, SpellForm, TrainingForm
from casework.staff.models import (COST_SOURCE_LABELS, EMPLOYMENT_FORM_KIND, QUALIFICATION_LABELS,
                                   EmploymentSpell, StaffCost, StaffProfile, StaffTraining)

bp = Blueprint("staff", __name__, url_prefix="/staff")
ROLES = (ADMIN, COORDINATOR)
KINDS = {"spell": EmploymentSpell, "training": StaffTraining, "cost": StaffCost}


def _user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _record_or_404(model, record_id: int):
    record = db.session.get(model, record_id)
    if record is None or record.archived_at is not None:
        abort(404)
    return record


@bp.route("/")
@roles_required(*ROLES)
def index():
    show = request.args.get("show", "active")
    stmt = services.register_users()
    if show == "active":
        stmt = stmt.where(User.is_active_account.is_(True))
    page = paginate(stmt.order_by(User.full_name, User.id))
    ids = [u.id for u in page.items] or [0]
    today = today_local()
    profiles = {p.user_id: p for p in db.session.scalars(select(StaffProfile).where(StaffProfile.user_id.in_(ids)))}
    current = {}
    for spell in db.session.scalars(select(EmploymentSpell).options(selectinload(EmploymentSpell.form)).where(
            EmploymentSpell.user_id.in_(ids), EmploymentSpell.archived_at.is_(None),
            EmploymentSpell.date_from <= today)):
        if spell.date_to is None or spell.date_to >= today:
            current[spell.user_id] = spell
    return render_template("staff/index.html", page=page, profiles=profiles, current=current, show=show)


@bp.route("/<int:user_id>")
@roles_required(*ROLES)
def person(user_id: int):
    user = _user_or_404(user_id)
    profile = services.profile_of(user.id)
    spells = services.spells_of(user.id)
    trainings = db.session.scalars(select(StaffTraining).where(
        StaffTraining.user_id == user.id, StaffTraining.archived_at.is_(None))
        .order_by(StaffTraining.training_date.desc(), StaffTraining.id.desc())).all()
    costs = paginate(select(StaffCost).where(StaffCost.user_id == user.id, StaffCost.archived_at.is_(None))
                     .order_by(StaffCost.date_from.desc(), StaffCost.id.desc()))
    return render_template("staff/person.html", user=user, profile=profile, spells=spells, trainings=trainings,
                           costs=costs, warning=rules.qualification_warning(profile.qualification_basis
                                                                             if profile else None),
                           qualification_labels=QUALIFICATION_LABELS, source_labels=COST_SOURCE_LABELS,
                           archive_form=ArchiveForm())


def _render_form(template, form, errors, status, user, record=None, **extra):
    if status == 200 and form.errors:
        status = 400
    return render_template(template, form=form, errors=errors, user=user, record=record, **extra), status


@bp.route("/<int:user_id>/qualification", methods=["GET", "POST"])
@roles_required(*ROLES)
def qualification(user_id: int):
    user = _user_or_404(user_id)
    profile = services.profile_of(user.id)
    form = QualificationForm(obj=profile if request.method == "GET" else None)
    if request.method == "GET" and profile:
        form.version.data = profile.version
    errors, status = [], 200
    if form.validate_on_submit():
        values = {f: getattr(form, f).data for f in services.PROFILE_FIELDS}
        _r, errors, status = save(lambda: services.save_profile(user, values, actor=current_user),
                                  obj=profile, form=form if profile else None,
                                  success=_("Changes saved."))
        if status == 200:
            return redirect(url_for("staff.person", user_id=user.id))
    return _render_form("staff/qualification_form.html", form, errors, status, user, profile)


def _spell_form(form):
    form.form_id.choices = [("", _("— choose —"))] + dictionaries.choices(EMPLOYMENT_FORM_KIND)
    return form


@bp.route("/<int:user_id>/spells/new", methods=["GET", "POST"])
@bp.route("/spells/<int:record_id>/edit", methods=["GET", "POST"])
@roles_required(*ROLES)
def spell_form(user_id: int | None = None, record_id: int | None = None):
    spell = _record_or_404(EmploymentSpell, record_id) if record_id else None
    user = _user_or_404(spell.user_id if spell else user_id)
    form = _spell_form(SpellForm(obj=spell if request.method == "GET" else None))
    if request.method == "GET" and spell:
        form.version.data = spell.version
        form.fte.data = rules.format_decimal(spell.fte)
    errors, status = [], 200
    if form.validate_on_submit():
        values = {f: getattr(form, f).data for f in services.SPELL_FIELDS}
        if spell is None:
            _r, errors, status = save(lambda: services.save_spell(user, values, actor=current_user),
                                      created=lambda _s: url_for("staff.person", user_id=user.id),
                                      success=_("Changes saved."))
        else:
            _r, errors, status = save(lambda: services.save_spell(user, values, actor=current_user, spell=spell),
                                      obj=spell, form=form, success=_("Changes saved."))
        if status == 200:
            return redirect(url_for("staff.person", user_id=user.id))
    return _render_form("staff/spell_form.html", form, errors, status, user, spell)


@bp.route("/<int:user_id>/trainings/new", methods=["GET", "POST"])
@bp.route("/trainings/<int:record_id>/edit", methods=["GET", "POST"])
@roles_required(*ROLES)
def training_form(user_id: int | None = None, record_id: int | None = None):
    training = _record_or_404(StaffTraining, record_id) if record_id else None
    user = _user_or_404(training.user_id if training else user_id)
    form = TrainingForm(obj=training if request.method == "GET" else None)
    if request.method == "GET" and training:
        form.version.data = training.version
        form.hours.data = rules.format_decimal(training.hours)
        form.cost.data = rules.format_decimal(training.cost) if training.cost is not None else ""
    errors, status = [], 200
    if form.validate_on_submit():
        values = {f: getattr(form, f).data for f in services.TRAINING_FIELDS}
        if training is None:
            _r, errors, status = save(lambda: services.save_training(user, values, actor=current_user),
                                      created=lambda _t: url_for("staff.person", user_id=user.id),
                                      success=_("Changes saved."))
        else:
            _r, errors, status = save(lambda: services.save_training(user, values, actor=current_user,
                                                                     training=training),
                                      obj=training, form=form, success=_("Changes saved."))
        if status == 200:
            return redirect(url_for("staff.person", user_id=user.id))
    return _render_form("staff/training_form.html", form, errors, status, user, training)


@bp.route("/<int:user_id>/costs/new", methods=["GET", "POST"])
@bp.route("/costs/<int:record_id>/edit", methods=["GET", "POST"])
@roles_required(*ROLES)
def cost_form(user_id: int | None = None, record_id: int | None = None):
    cost = _record_or_404(StaffCost, record_id) if record_id else None
    user = _user_or_404(cost.user_id if cost else user_id)
    form = CostForm(obj=cost if request.method == "GET" else None)
    if request.method == "GET":
        if cost:
            form.version.data = cost.version
            form.amount.data = rules.format_decimal(cost.amount)
            form.date_to.data = cost.date_to if (cost.date_from.year, cost.date_from.month) != (
                cost.date_to.year, cost.date_to.month) else None
        else:
            form.date_from.data = today_local().replace(day=1)
    errors, status = [], 200
    if form.validate_on_submit():
        values = {f: getattr(form, f).data for f in services.COST_FIELDS}
        if cost is None:
            _r, errors, status = save(lambda: services.save_cost(user, values, actor=current_user),
                                      created=lambda _c: url_for("staff.person", user_id=user.id),
                                      success=_("Changes saved."))
        else:
            _r, errors, status = save(lambda: services.save_cost(user, values, actor=current_user, cost=cost),
                                      obj=cost, form=form, success=_("Changes saved."))
        if status == 200:
            return redirect(url_for("staff.person", user_id=user.id))
    return _render_form("staff/cost_form.html", form, errors, status, user, cost)


@bp.route("/<kind>/<int:record_id>/archive", methods=["POST"])
@roles_required(*ROLES)
def archive(kind: str, record_id: int):
    model = KINDS.get(kind) or abort(404)
    record = _record_or_404(model, record_id)
    form = ArchiveForm()
    if form.validate_on_submit():
        save(lambda: services.archive(record, form.reason.data, actor=current_user),
             success=_("The entry has been removed from the register."), flash_errors=True)
    else:
        flash(_("The form has expired; try again."), "error")
    return redirect(url_for("staff.person", user_id=record.user_id))


@bp.route("/trainings")
@roles_required(*ROLES)
def trainings():
    year = int_arg("year") or today_local().year
    if not 1990 <= year <= 2200:
        abort(400)
    stmt = (select(StaffTraining).options(selectinload(StaffTraining.user))
            .where(StaffTraining.archived_at.is_(None), StaffTraining.training_date >= date(year, 1, 1),
                   StaffTraining.training_date <= date(year, 12, 31))
            .order_by(StaffTraining.training_date, StaffTraining.id))
    return render_template("staff/trainings.html", page=paginate(stmt), year=year)


#: this domain's entry in the menu (read once at start-up by casework.core.navigation.collect)
NAV = [NavEntry("staff.index", _l("Staff register"), roles=ROLES, order=690)]
