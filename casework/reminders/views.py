"""Reminders in the app: the header counter, the list with "done" and "snooze", the e-mail preference."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.routing import BuildError

from casework.core import audit
from casework.core.errors import RuleError, save
from casework.core.pagination import paginate
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.reminders import services
from casework.reminders.forms import DoneForm, PreferencesForm, SnoozeForm
from casework.core.reminders import all_rules

bp = Blueprint("reminders", __name__, url_prefix="/reminders")


@bp.app_context_processor
def inject_reminder_count():
    def reminder_count() -> int:
        if not current_user.is_authenticated:
            return 0
        if "reminder_count" not in g:
            try:
                g.reminder_count = services.open_count(current_user, today_local())
            except SQLAlchemyError:  # the error page of a failed request must still render
                db.session.rollback()
                g.reminder_count = 0
        return g.reminder_count

    return {"reminder_count": reminder_count}


def _link(reminder):
    rule = all_rules().get(reminder.rule)
    if rule is None or rule.link is None:
        return None
    try:
        return rule.link(reminder.record_type, reminder.record_id)
    except BuildError:
        return None


@bp.route("/")
@login_required
def index():
    today = today_local()
    show = request.args.get("show")
    if show == "snoozed":
        stmt = services.snoozed_reminders_stmt(current_user, today)
    else:
        show = "open"
        stmt = services.open_reminders_stmt(current_user, today)
    page = paginate(stmt)
    pref = db.session.get(services.UserPreference, current_user.id)
    audit.read("reminders_viewed", object_type="reminder",
               details={"page": page.page, "reminder_ids": [r.id for r in page.items]})
    return render_template("reminders/index.html", page=page, show=show, today=today, rules=all_rules(),
                           link=_link, snooze_form=SnoozeForm(), done_form=DoneForm(),
                           digest_on=not (pref and pref.email_digest_opt_out),
                           has_email=bool(current_user.email))


def _own_or_404(reminder_id: int):
    reminder = services.get_own_reminder(reminder_id, current_user)
    if reminder is None:
        abort(404)
    return reminder


def _back():
    return redirect(url_for("reminders.index", show=request.args.get("show") or None))


@bp.route("/<int:reminder_id>/done", methods=["POST"])
@login_required
def done(reminder_id: int):
    reminder = _own_or_404(reminder_id)
    if not DoneForm().validate_on_submit():
        abort(400)
    save(lambda: services.mark_done(reminder, current_user), success=_("The reminder is marked as done."))
    return _back()


@bp.route("/<int:reminder_id>/snooze", methods=["POST"])
@login_required
def snooze(reminder_id: int):
    reminder = _own_or_404(reminder_id)
    form = SnoozeForm()
    if not form.validate_on_submit():
        flash(_("Enter the date on which to remind you again."), "error")
        return _back()
    def snooze_it():
        try:
            services.snooze(reminder, current_user, form.until.data, today_local())
        except services.SnoozeError as exc:
            raise RuleError(_("Choose a date after today.")) from exc

    save(snooze_it, success=_("The reminder will come back on %(date)s.", date=form.until.data.isoformat()),
         flash_errors=True)
    return _back()


@bp.route("/preferences", methods=["POST"])
@login_required
def preferences():
    form = PreferencesForm()
    if not form.validate_on_submit():
        abort(400)
    save(lambda: services.set_digest_opt_out(current_user, not form.email_digest.data))
    if form.email_digest.data:
        flash(_("You will receive a daily e-mail summary of your reminders."), "success")
    else:
        flash(_("You will not receive reminder e-mails."), "success")
    return redirect(url_for("reminders.index"))


