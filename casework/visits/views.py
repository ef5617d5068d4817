"""The visit log: log a visit in under a minute, "Mój dzień" / "Mój tydzień", the monthly work-time sheet."""
import hashlib
import os
import re
from datetime import date, timedelta

from flask import (Blueprint, Response, abort, current_app, flash, g, jsonify, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from casework.auth.models import User, UserRole
from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR
from casework.core import audit, dictionaries, worktime
from casework.core.errors import save
from casework.core.navigation import NavEntry
from casework.core.pagination import int_arg
from casework.core.permissions import roles_required
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.access import load_family_or_404, sees_all_families
from casework.families.models import Family
from casework.core.timeline import TimelineItem
from casework.visits import exports, rules, services
from casework.visits.forms import FORM_LABELS, PLACE_LABELS, VisitForm
from casework.visits.models import AREA_OF_WORK_KIND, Visit

bp = Blueprint("visits", __name__, url_prefix="/visits")
LOGGERS = (ASSISTANT, COORDINATOR, ADMIN)


def _parse_day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _visit_or_404(visit_id: int) -> Visit:
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        abort(404)
    load_family_or_404(visit.family_id, action="visit_viewed")  # the one access rule, through the family
    return visit


def _prepare(form: VisitForm):
    families = db.session.scalars(services.my_current_families(current_user, today_local())).all()
    form.family_id.choices = [(f.id, f"{f.name} ({f.case_number})") for f in families]
    if families:  # nothing preselected: the first option chooses no family
        form.family_id.choices.insert(0, ("", _("— choose a family —")))
    form.areas.choices = dictionaries.choices(AREA_OF_WORK_KIND)
    return form


def _values(form) -> dict:
    return {f: getattr(form, f).data for f in services.FIELDS}


def _context():
    return {"place_labels": PLACE_LABELS, "form_labels": FORM_LABELS, "can_edit": services.can_edit,
            "today": today_local(), "timedelta1": timedelta(days=1), "timedelta7": timedelta(days=7)}


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*LOGGERS)
def new():
    form = _prepare(VisitForm())
    if request.method == "GET":
        form.visit_date.data = today_local()
        family_id = int_arg("family_id")  # opened from a family ("Log a visit" on its card or page)
        form.family_id.data = family_id if family_id in {c[0] for c in form.family_id.choices} else None
        audit.read("visit_form_viewed", object_type="family",  # the form lists the user's families
                   details={"families_listed": len([c for c in form.family_id.choices if c[0]])})
    errors, status = [], 200
    if form.validate_on_submit():
        family = load_family_or_404(form.family_id.data) if form.family_id.data else None

        def log():
            if family is None:
                raise services.VisitRuleError(_("Choose one of your families."))
            return services.log_visit(family, _values(form), form.areas.data, actor=current_user)

        _r, errors, status = save(log, created=lambda _visit: _day_url(form.visit_date.data),
                                  success=_("The visit has been saved."))
        if status == 200:
            return redirect(_day_url(form.visit_date.data))
    if status == 200 and form.errors:
        status = 400
    return render_template("visits/form.html", form=form, errors=errors, visit=None, **_context()), status


def _day_url(day) -> str:
    return url_for("visits.day", date=day.isoformat())


@bp.route("/<int:visit_id>/edit", methods=["GET", "POST"])
@roles_required(*LOGGERS)
def edit(visit_id: int):
    visit = _visit_or_404(visit_id)
    form = _prepare(VisitForm(obj=visit if request.method == "GET" else None))
    form.family_id.choices = [(visit.family_id, f"{visit.family.name} ({visit.family.case_number})")]
    if request.method == "GET":
        form.version.data = visit.version
        form.family_id.data = visit.family_id
        form.areas.data = [a.id for a in visit.areas]
    errors, status = [], 200
    if form.validate_on_submit():
        _r, errors, status = save(lambda: services.update_visit(visit, _values(form), form.areas.data,
                                                                actor=current_user), obj=visit, form=form)
        if status == 200:
            flash(_("Changes saved."), "success")
            return redirect(url_for("visits.day", date=visit.visit_date.isoformat()))
    if status == 200 and form.errors:
        status = 400
    return render_template("visits/form.html", form=form, errors=errors, visit=visit,
                           conflict=visit if status == 409 else None, **_context()), status


@bp.route("/<int:visit_id>/archive", methods=["POST"])
@roles_required(*LOGGERS)
def archive(visit_id: int):
    visit = _visit_or_404(visit_id)
    _r, errors, _status = save(lambda: services.archive_visit(visit, request.form.get("reason", ""),
                                                              actor=current_user),
                               success=_("Archived. A coordinator can restore it."), flash_errors=True)
    if errors:
        return redirect(url_for("visits.edit", visit_id=visit.id))
    return redirect(url_for("visits.day", date=visit.visit_date.isoformat()))


@bp.route("/day")
@roles_required(ASSISTANT)
def day():
    today = today_local()
    shown = _parse_day(request.args.get("date"), today)
    visits = db.session.scalars(services.visits_between(current_user.id, shown, shown)
                                .options(selectinload(Visit.family), selectinload(Visit.areas))).all()
    families = db.session.scalars(services.my_current_families(current_user, today)).all()
    last = services.last_visits([f.id for f in families])
    overdue = services.families_without_recent_visit([f.id for f in families], today)
    audit.read("my_day_viewed", object_type="visit", details={"date": shown.isoformat(),
                                                                "visit_ids": [v.id for v in visits]})
    return render_template("visits/day.html", shown=shown, visits=visits, families=families, last=last,
                           overdue=overdue, warning_days=services.no_visit_warning_days(),
                           total=sum(v.duration_minutes for v in visits), **_context())


@bp.route("/week")
@roles_required(ASSISTANT)
def week():
    shown = _parse_day(request.args.get("date"), today_local())
    monday = shown - timedelta(days=shown.weekday())
    sunday = monday + timedelta(days=6)
    visits = db.session.scalars(services.visits_between(current_user.id, monday, sunday)
                                .options(selectinload(Visit.family), selectinload(Visit.areas))).all()
    days = [(monday + timedelta(days=i), [v for v in visits if v.visit_date == monday + timedelta(days=i)])
            for i in range(7)]
    audit.read("my_week_viewed", object_type="visit", details={"date": monday.isoformat(),
                                                                 "visit_ids": [v.id for v in visits]})
    return render_template("visits/week.html", monday=monday, sunday=sunday, days=days,
                           total=sum(v.duration_minutes for v in visits), **_context())


def _sheet_args():
    today = today_local()
    month = request.args.get("month") or today.strftime("%Y-%m")
    try:
        year, number = (int(x) for x in month.split("-"))
        date(year, number, 1)
    except ValueError:
        year, number = today.year, today.month
    assistant_id = int_arg("assistant") if sees_all_families(current_user) else current_user.id
    assistant = db.session.get(User, assistant_id or current_user.id)
    if assistant is None:
        abort(404)
    return year, number, assistant


@bp.route("/timesheet")
@roles_required(*LOGGERS)
def timesheet():
    year, month, assistant = _sheet_args()
    sheet = worktime.sheet(assistant.id, year, month)
    assistants = []
    if sees_all_families(current_user):
        assistants = db.session.scalars(select(User).join(UserRole).where(UserRole.role == ASSISTANT)
                                        .order_by(User.full_name)).all()
    fmt = request.args.get("format")
    if fmt in ("xlsx", "docx"):
        title = _("Work-time sheet %(month)s", month=f"{year}-{month:02d}")
        headers = (_("Date"), _("Kind of work"), _("Family"), _("Details"), _("Count"), _("Hours"))
        audit.read("timesheet_exported", object_type="user_account", object_id=assistant.id,
                   details={"month": f"{year}-{month:02d}", "format": fmt})
        if fmt == "xlsx":
            body = exports.timesheet_xlsx(sheet, assistant.full_name, title, headers)
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body = exports.timesheet_docx(sheet, assistant.full_name, title, headers)
            mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return Response(body, mimetype=mime, headers={
            "Content-Disposition": f"attachment; filename=karta-czasu-pracy-{year}-{month:02d}.{fmt}"})
    audit.read("timesheet_viewed", object_type="user_account", object_id=assistant.id,
               details={"month": f"{year}-{month:02d}"})
    return render_template("visits/timesheet.html", sheet=sheet, assistant=assistant, assistants=assistants,
                           month=f"{year}-{month:02d}", **_context())


# --- the visit log without a connection (an installable web app: manifest, service worker, IndexedDB) --------------
#: a key the phone gives a visit it logged offline (crypto.randomUUID)
CLIENT_KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
#: what the service worker keeps (the shell: no family data); the worker's cache name follows their contents
SHELL_ASSETS = ("css/app.css", "css/families.css", "css/offline.css", "js/once.js", "js/menu.js", "js/drafts.js",
                "js/offline.js", "manifest.webmanifest", "icons/icon.svg", "icons/icon-192.png")


@bp.route("/offline")
@roles_required(*LOGGERS)
def offline():
    """The offline visit log's shell: the visit form and the visits waiting on the phone. No family data in the
    page (the service worker keeps it): the families come from the phone's storage (offline_data)."""
    form = VisitForm()
    form.family_id.choices = [("", _("— choose a family —"))]
    form.areas.choices = dictionaries.choices(AREA_OF_WORK_KIND)
    return render_template("visits/offline.html", form=form, offline_shell=True)


@bp.route("/offline/data")
@roles_required(*LOGGERS)
def offline_data():
    """What the phone keeps to log visits offline, and nothing more: the assistant's current families (id, case
    number, surname, address), plus a fresh CSRF token for sending the visits that wait (docs/privacy.md)."""
    families = db.session.scalars(services.my_current_families(current_user, today_local())).all()
    audit.read("my_families_viewed", object_type="family",  # the same list as "Moje rodziny", for the phone
               details={"families_listed": len(families)})
    return jsonify({"user": current_user.id, "csrf_token": generate_csrf(),
                    "families": [{"id": f.id, "case_number": f.case_number, "name": f.name, "address": f.address}
                                 for f in families]})


def _refused(messages, status):
    out = []
    for message in messages:
        item = {"message": str(message)}
        if isinstance(message, rules.LinkedMessage):
            item |= {"url": url_for(message.endpoint, **message.values), "link_text": str(message.link_text)}
        out.append(item)
    return jsonify({"status": "refused", "errors": out}), status


@bp.route("/offline/send", methods=["POST"])
@roles_required(*LOGGERS)
def offline_send():
    """A visit logged on the phone without a connection, sent when the connection returns (JSON, the CSRF token in
    the X-CSRFToken header). Exactly once: the phone's key of the visit answers with the visit already saved (200,
    the same id) however often it is sent; a new visit goes through the form's own fields and rules and the one
    save path (201), a refusal comes back as messages for the phone to show (400), never dropped."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not CLIENT_KEY.match(str(payload.get("key") or "")):
        return _refused([_("This visit could not be saved; log it again in the form.")], 400)
    key = payload["key"]
    try:
        saved = services.offline_visit(key, actor=current_user)
    except services.VisitRuleError as exc:
        return _refused(exc.messages, 400)
    if saved is not None:
        return jsonify({"status": "already_saved", "id": saved.id}), 200
    form = _prepare(VisitForm(formdata=_formdata(payload), meta={"csrf": False}))
    if not form.validate():
        return _refused([e for field_errors in form.errors.values() for e in field_errors], 400)
    if form.family_id.data is None:
        return _refused([_("Choose one of your families.")], 400)
    family = load_family_or_404(form.family_id.data, action=None)
    try:
        visit, errors, status = save(lambda: services.log_visit(family, _values(form), form.areas.data,
                                                                actor=current_user, client_key=key))
    except IntegrityError:  # the same key sent twice at once: the other request saved it first (save rolled back)
        visit = services.offline_visit(key, actor=current_user)
        if visit is not None:
            return jsonify({"status": "already_saved", "id": visit.id}), 200
        raise
    if errors:
        return _refused(errors, status)
    return jsonify({"status": "saved", "id": visit.id}), 201


def _formdata(payload: dict) -> MultiDict:
    pairs = [(name, str(payload[name])) for name in ("family_id", "visit_date", "start_time", "duration_minutes",
                                                     "place", "form", "activities", "agreed_next")
             if payload.get(name) not in (None, "")]
    areas = payload.get("areas") or []
    pairs += [("areas", str(a)) for a in (areas if isinstance(areas, list) else [areas])]
    return MultiDict(pairs)


def _shell_version() -> str:
    digest = hashlib.sha256()
    for asset in SHELL_ASSETS:
        path = os.path.join(current_app.static_folder, asset)
        if os.path.exists(path):
            with open(path, "rb") as f:
                digest.update(f.read())
    for template in ("base.html", "visits/offline.html", "visits/sw.js"):
        with open(os.path.join(current_app.template_folder, template), "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()[:12]


@bp.route("/sw.js")
def service_worker():
    """The service worker of the offline visit log, for the whole site (Service-Worker-Allowed: /). It keeps the
    shell (the offline page, styles, scripts) and nothing personal; its cache name changes with their contents."""
    body = render_template("visits/sw.js", version=_shell_version(), shell=url_for("visits.offline"),
                           assets=[url_for("static", filename=a) for a in SHELL_ASSETS])
    return Response(body, mimetype="text/javascript", headers={"Service-Worker-Allowed": "/"})


def _visits_on_timeline(family, limit):
    visits = db.session.scalars(select(Visit).where(Visit.family_id == family.id, Visit.archived_at.is_(None))
                                .order_by(Visit.visit_date.desc(), Visit.id.desc()).limit(limit)
                                .options(selectinload(Visit.assistant))).all()
    return [TimelineItem(v.visit_date, "visit",
                         _("%(form)s, %(minutes)d min (%(name)s)",
                           form=FORM_LABELS.get(v.form, _("Visit")), minutes=v.duration_minutes,
                           name=v.assistant.full_name),
                         url=url_for("visits.edit", visit_id=v.id), details=v.activities) for v in visits]


def _no_recent_visit(family_ids):
    overdue = services.families_without_recent_visit(family_ids, today_local())
    return {fid: [_("no visit since %(date)s", date=last.isoformat()) if last else _("no visit yet")]
            for fid, last in overdue.items()}


@bp.app_template_global()
def may_log_visit(family) -> bool:
    """Whether the visit form lists this family for the current user: the "Log a visit" buttons on the family
    cards and the family page (one query per request)."""
    if not current_user.is_authenticated or not current_user.has_role(*LOGGERS) or family.is_archived:
        return False
    if "visit_family_ids" not in g:
        g.visit_family_ids = set(db.session.scalars(
            services.my_current_families(current_user, today_local()).with_only_columns(Family.id)))
    return family.id in g.visit_family_ids


@bp.app_template_global()
def offline_log_allowed() -> bool:
    """Whether the pages register the offline visit log (its service worker and the families on the phone)."""
    return current_user.is_authenticated and current_user.has_role(*LOGGERS)


#: this domain's entries in the menu (read once at start-up by casework.core.navigation.collect)
NAV = [
    NavEntry("visits.new", _l("Log a visit"), roles=(ASSISTANT,), order=5),
    NavEntry("visits.day", _l("My day"), roles=(ASSISTANT,), order=6),
    NavEntry("visits.timesheet", _l("Work time"), roles=LOGGERS, order=30),
]


#: this domain's entries on the family timeline and its "needs attention" notes (casework.core.timeline)
TIMELINE = [_visits_on_timeline]
ATTENTION = [_no_recent_visit]
