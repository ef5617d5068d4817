"""Administration: users and the audit log."""
from datetime import datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from casework.auth import services
from casework.auth.forms import EditUserForm, ResetPasswordForm, UserForm
from casework.auth.models import User
from casework.auth.roles import ADMIN, ROLE_LABELS
from casework.core.audit import AuditEvent
from casework.core.pagination import paginate
from casework.core.permissions import roles_required
from casework.core.timeutil import WARSAW
from casework.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _load_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _commit_or_flash_errors(action, success_message: str) -> bool:
    """Run a service call; commit and flash success, or roll back and flash the rule's messages."""
    try:
        action()
    except services.AccountError as exc:
        db.session.rollback()
        for message in exc.messages:
            flash(message, "error")
        return False
    db.session.commit()
    flash(success_message, "success")
    return True


@bp.route("/users")
@roles_required(ADMIN)
def users():
    q = (request.args.get("q") or "").strip()
    stmt = select(User).order_by(User.login)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(db.or_(User.login.like(like), db.func.lower(User.full_name).like(like)))
    page = paginate(stmt)
    return render_template("admin/users.html", page=page, q=q, role_labels=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def user_new():
    form = UserForm()
    errors = []
    if form.validate_on_submit():
        try:
            user = services.create_user(form.login.data, form.full_name.data, form.password.data or "",
                                        form.roles.data, email=form.email.data, actor=current_user,
                                        must_change_password=True)
        except services.AccountError as exc:
            db.session.rollback()
            errors = exc.messages
        else:
            db.session.commit()
            flash(_("The user %(login)s has been created.", login=user.login), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, errors=errors, user=None), (400 if errors else 200)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def user_edit(user_id: int):
    user = _load_user_or_404(user_id)
    form = EditUserForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
    errors = []
    if form.validate_on_submit():
        try:
            services.update_user(user, full_name=form.full_name.data, email=form.email.data,
                                 roles=form.roles.data, actor=current_user)
        except services.AccountError as exc:
            db.session.rollback()
            errors = exc.messages
        else:
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, errors=errors, user=user,
                           reset_form=ResetPasswordForm()), (400 if errors else 200)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required(ADMIN)
def user_set_active(user_id: int):
    user = _load_user_or_404(user_id)
    active = request.form.get("active") == "1"
    _commit_or_flash_errors(lambda: services.set_active(user, active, actor=current_user),
                            _("The account has been reactivated.") if active else _("The account has been deactivated."))
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@roles_required(ADMIN)
def user_reset_password(user_id: int):
    user = _load_user_or_404(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        _commit_or_flash_errors(
            lambda: services.reset_password(user, form.password.data, actor=current_user,
                                            must_change=bool(form.confirm_reset.data)),
            _("The password has been reset. The user's sessions have been ended."))
    else:
        flash(_("Enter a new password."), "error")
    return redirect(url_for("admin.user_edit", user_id=user.id))


def _parse_date(value: str | None):
    try:
        return datetime.strptime(value, "%Y-%m-%d").date() if value else None
    except ValueError:
        return None


@bp.route("/audit")
@roles_required(ADMIN)
def audit_log():
    filters = {k: (request.args.get(k) or "").strip() for k in ("user", "action", "object_type", "object_id",
                                                               "date_from", "date_to")}
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if filters["user"]:
        stmt = stmt.where(AuditEvent.actor_login == filters["user"].lower())
    if filters["action"]:
        stmt = stmt.where(AuditEvent.action == filters["action"])
    if filters["object_type"]:
        stmt = stmt.where(AuditEvent.object_type == filters["object_type"])
    if filters["object_id"].isdigit() and len(filters["object_id"]) <= 9:
        stmt = stmt.where(AuditEvent.object_id == int(filters["object_id"]))
    date_from, date_to = _parse_date(filters["date_from"]), _parse_date(filters["date_to"])
    if date_from:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(date_from, time.min, WARSAW))
    if date_to:
        stmt = stmt.where(AuditEvent.at < datetime.combine(date_to + timedelta(days=1), time.min, WARSAW))
    page = paginate(stmt)
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    return render_template("admin/audit.html", page=page, filters=filters, actions=actions)
