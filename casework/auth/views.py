from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from casework.auth import services
from casework.auth.forms import ChangePasswordForm, LoginForm
from casework.auth.session import end_session, start_session
from casework.core import audit
from casework.core.errors import save
from casework.core.urls import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        result, _errors, _status = save(lambda: services.authenticate(form.login.data, form.password.data,
                                                                      request.remote_addr))
        if result.ok:
            save(lambda: start_session(result.user))
            if result.user.must_change_password:
                flash(_("Set your own password before you continue."), "info")
                return redirect(url_for("auth.change_password"))
            return redirect(safe_next(request.args.get("next")))
        if result.locked_minutes:
            error = ngettext(
                "Too many failed login attempts. Try again in %(num)d minute.",
                "Too many failed login attempts. Try again in %(num)d minutes.",
                result.locked_minutes,
            )
            status = 429
        else:
            error = _("Wrong login or password, or the account is inactive.")
            status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout():
    def finish():
        if current_user.is_authenticated:
            audit.record("logout")
        end_session()  # the server forgets the session: a copy of the cookie opens nothing now

    save(finish)
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    errors = []
    if form.validate_on_submit():
        _r, errors, _status = save(lambda: services.change_password(current_user, form.current_password.data,
                                                                    form.new_password.data))
        if not errors:
            # this session continues with the new token
            save(lambda: start_session(current_user._get_current_object()))
            flash(_("Your password has been changed. Your other sessions have been ended."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form, errors=errors), (400 if errors else 200)
