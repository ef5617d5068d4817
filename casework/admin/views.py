"""Administration: users, the settings (generated from their declarations) and the audit log."""
from datetime import datetime, time, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from casework.auth import services
from casework.admin.forms import EditUserForm, ResetPasswordForm, UserForm
from casework.auth.models import User
from casework.auth.roles import ADMIN, ROLE_LABELS
from casework.core import audit_labels, documents
from casework.core import settings as app_settings
from casework.core.audit import AuditEvent
from casework.core.errors import save
from casework.core.navigation import NavEntry
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
    """Run a service call through the one save path; flash success, or the rule's messages."""
    _r, errors, _status = save(action, success=success_message, flash_errors=True)
    return not errors


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
        user, errors, _status = save(
            lambda: services.create_user(form.login.data, form.full_name.data, form.password.data or "",
                                         form.roles.data, email=form.email.data, actor=current_user,
                                         must_change_password=True),
            created=lambda made: url_for("admin.user_edit", user_id=made.id))
        if not errors:
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
        _r, errors, _status = save(lambda: services.update_user(user, full_name=form.full_name.data,
                                                                email=form.email.data, roles=form.roles.data,
                                                                actor=current_user),
                                   success=_("Changes saved."))
        if not errors:
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
    filters = {k: (request.args.get(k) or "").strip() for k in ("family", "user", "action", "object_type",
                                                               "object_id", "date_from", "date_to")}
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if filters["family"]:
        stmt = stmt.where(audit_labels.family_condition(filters["family"], AuditEvent))
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
    return render_template("admin/audit.html", page=page, filters=filters, actions=actions,
                           labels=audit_labels, records=audit_labels.describe_records(page.items),
                           object_types=audit_labels.OBJECT_LABELS)


def _settings_groups(errors: dict | None = None, typed: dict | None = None) -> list[tuple]:
    """[(group label, [row, …])] in declaration order; each row carries its error and the text typed in."""
    groups: list[tuple] = []
    for row in app_settings.settings_page_rows():
        key = row["setting"].key
        row["error"] = (errors or {}).get(key)
        row["typed"] = (typed or {}).get(key)
        if not groups or groups[-1][0] != row["setting"].group:
            groups.append((row["setting"].group, []))
        groups[-1][1].append(row)
    return groups


@bp.route("/settings")
@roles_required(ADMIN)
def settings():
    return render_template("admin/settings.html", groups=_settings_groups(), settings=app_settings)


@bp.route("/settings/<key>", methods=["POST"])
@roles_required(ADMIN)
def setting_save(key: str):
    """Change one setting (or, with reset, go back to its default); the declaration validates the value."""
    setting = app_settings.SETTINGS.get(key)
    if setting is None or not setting.editable:
        abort(404)
    reset = request.form.get("action") == "reset"
    raw = request.form.get("value")
    if setting.kind == app_settings.BOOL and not reset:
        raw = "1" if request.form.get("value") in ("1", "on") else "0"
    _value, errors, status = save(lambda: app_settings.change_setting(key, raw, actor=current_user,
                                                                      reset=reset))
    if errors:
        return render_template("admin/settings.html", groups=_settings_groups({key: errors}, {key: raw}),
                               settings=app_settings), status
    flash(_("The setting %(label)s has been restored to its default.", label=setting.label) if reset
          else _("The setting %(label)s has been saved.", label=setting.label), "success")
    return redirect(url_for("admin.settings") + f"#setting-{key}")


@bp.route("/centre", methods=["GET", "POST"])
@roles_required(ADMIN)
def centre():
    """The centre's identity on every generated document: name, address, REGON, NIP, head, file-number scheme,
    logo (casework.core.documents checks and stores it)."""
    errors, typed = [], None
    if request.method == "POST":
        typed = {f: request.form.get(f, "") for f in documents.IDENTITY_FIELDS}
        upload = request.files.get("logo")
        logo = upload.read(documents.LOGO_MAX_BYTES + 1) if upload and upload.filename else None
        _r, errors, status = save(lambda: documents.update_identity(
            typed, logo=logo, remove_logo=request.form.get("remove_logo") == "1", actor=current_user))
        if not errors:
            flash(_("The centre's details have been saved; documents made from now on carry them."), "success")
            return redirect(url_for("admin.centre"))
    identity = documents.centre_identity()
    values = typed or {f: getattr(identity, f) or "" for f in documents.IDENTITY_FIELDS}
    return render_template("admin/centre.html", values=values, errors=errors, identity=identity,
                           example=documents.file_number(7, 2026, identity)), (400 if errors else 200)


@bp.route("/centre/logo")
@roles_required(ADMIN)
def centre_logo():
    identity = documents.centre_identity()
    if not identity.logo:
        abort(404)
    return Response(identity.logo, mimetype=identity.logo_mime)


#: this domain's entries in the menu (read once at start-up by casework.core.navigation.collect)
NAV = [
    NavEntry("admin.centre", _l("Centre"), roles=(ADMIN,), order=903),
    NavEntry("admin.users", _l("Users"), roles=(ADMIN,), order=900),
    NavEntry("admin.settings", _l("Settings"), roles=(ADMIN,), order=905),
    NavEntry("admin.audit_log", _l("Audit log"), roles=(ADMIN,), order=910),
]
