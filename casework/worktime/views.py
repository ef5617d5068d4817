"""Other work on the work-time sheet: a court hearing, travel, office work (the sheet's page: visits.timesheet)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from casework.core.fields import optional_id
from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR
from casework.core import audit
from casework.core.errors import save
from casework.core.forms import OnceForm
from casework.core.permissions import roles_required
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.access import visible_families_clause
from casework.families.models import Family
from casework.worktime import services
from casework.worktime.models import WorkEntry

bp = Blueprint("worktime", __name__, url_prefix="/work-time")
WORKERS = (ASSISTANT, COORDINATOR, ADMIN)


class WorkEntryForm(OnceForm):
    work_date = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date of the work."))])
    kind = SelectField(_l("Kind of work"), choices=[("", "—")] + list(services.KIND_LABELS.items()),
                       validators=[InputRequired(_l("Choose the kind of work."))])
    minutes = IntegerField(_l("Duration (minutes)"), validators=[InputRequired(_l("Enter how long it took (in minutes)."))],
                           render_kw={"inputmode": "numeric", "min": 1, "max": 720})
    family_id = SelectField(_l("For the family (optional)"), coerce=optional_id,
                            validate_choice=False)
    note = StringField(_l("Description (optional, no personal data)"),
                       validators=[Optional(), Length(max=services.NOTE_LENGTH)])


def _sheet_url(day=None) -> str:
    return url_for("visits.timesheet", month=(day or today_local()).strftime("%Y-%m"))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*WORKERS)
def new():
    form = WorkEntryForm()
    families = db.session.execute(select(Family.id, Family.case_number, Family.name).where(
        visible_families_clause(current_user), Family.archived_at.is_(None)).order_by(Family.name_sort)
        .limit(500)).all()
    form.family_id.choices = [("", _("— not for one family —"))] + [(f.id, f"{f.case_number} {f.name}")
                                                                    for f in families]
    if request.method == "GET":
        form.work_date.data = today_local()
        audit.read("work_form_viewed", object_type="family",  # the form lists the families one may choose
                   details={"families_listed": len(families)})
    errors, status = [], 200
    if form.validate_on_submit():
        entry, errors, status = save(
            lambda: services.record_entry({f: getattr(form, f).data for f in services.FIELDS}, actor=current_user),
            created=lambda e: _sheet_url(e.work_date), success=_("The work has been added to the sheet."))
        if status == 200:
            return redirect(_sheet_url(entry.work_date))
    if status == 200 and form.errors:
        status = 400
    return render_template("worktime/form.html", form=form, errors=errors), status


@bp.route("/<int:entry_id>/archive", methods=["POST"])
@roles_required(*WORKERS)
def archive(entry_id: int):
    entry = db.session.get(WorkEntry, entry_id)
    if entry is None or entry.archived_at is not None or not services.may_archive(current_user, entry):
        abort(404)
    save(lambda: services.archive_entry(entry, actor=current_user),
         success=_("The entry has been removed from the sheet."), flash_errors=True)
    return redirect(url_for("visits.timesheet", month=entry.work_date.strftime("%Y-%m"), assistant=entry.user_id))
