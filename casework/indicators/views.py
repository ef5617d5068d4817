"""Indicator report pages for coordinators: values for a period with the previous year, drill-down, exports,
closing (freezing) and re-opening periods."""
from datetime import date

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from casework.auth.roles import ADMIN, COORDINATOR
from casework.core import audit, periods
from casework.core.navigation import NavEntry
from casework.core.errors import save
from casework.core.permissions import roles_required
from casework.extensions import db
from casework.indicators import engine, exports, quality, services
from casework.indicators.forms import ClosePeriodForm, RefreshForm, ReopenPeriodForm
from casework.indicators.models import ClosedPeriod, IndicatorSnapshot
from casework.core.indicators import BY_KEY, FAMILY, MEMBER, SUPPORT_PERIOD, all_indicators, get

bp = Blueprint("indicators", __name__, url_prefix="/reports/indicators")
ROLES = (COORDINATOR, ADMIN)
PER_PAGE = 50


def _locale() -> str:
    return str(get_locale() or "pl")


def _period_or_400():
    try:
        return periods.from_args(request.args)
    except periods.PeriodError:
        abort(400)


def period_args(period) -> dict:
    if period.kind == periods.YEAR:
        return {"year": period.start.year}
    if period.kind == periods.HALF:
        return {"year": period.start.year, "half": 1 if period.start.month == 1 else 2}
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


def family_url(family_id):
    """The family page, once the families pages exist (another branch builds them)."""
    if family_id is None:
        return None
    if "families.detail" in current_app.view_functions:
        return url_for("families.detail", family_id=family_id)
    return f"/families/{family_id}"


def record_url(record_type, record):
    if record_type in (FAMILY, MEMBER, SUPPORT_PERIOD) or record.get("family_id"):
        return family_url(record.get("family_id"))
    return None


@bp.app_template_global("indicator_family_url")
def _family_url_global(family_id):
    return family_url(family_id)


@bp.route("")
@roles_required(*ROLES)
def index():
    period = _period_or_400()
    closed = services.closed_for(period)
    # the computed values are kept (committed) for the next request
    computed, _errors, _status = save(lambda: services.with_year_before(period))
    (live, computed_at), (previous, previous_at, previous_frozen) = computed
    frozen = services.frozen_values(closed) if closed else None
    shown = frozen if frozen is not None else live
    diff = services.differences(frozen, live) if frozen is not None else {}
    rows = []
    for ind in all_indicators():
        rows.append({"ind": ind, "value": shown.get(ind.code), "previous": previous.get(ind.code),
                     "live": diff.get(ind.code), "differs": ind.code in diff})
    return render_template("indicators/index.html", period=period, rows=rows, closed=closed, args=period_args(period),
                           history=services.history(period), locale=_locale(), by_key=BY_KEY,
                           years=range(date.today().year, date.today().year - 8, -1),
                           reopen_form=ReopenPeriodForm(), computed_at=computed_at, previous_at=previous_at,
                           previous_frozen=previous_frozen, refresh_form=RefreshForm())


@bp.route("/refresh", methods=["POST"])
@roles_required(*ROLES)
def refresh():
    """Compute today's values of the period now instead of waiting for the cached ones to age."""
    form = RefreshForm()
    if not form.validate_on_submit():
        abort(400)
    period = _period_or_400()
    save(lambda: services.live_values_of([period, period.previous_year()], refresh=True),
         success=_("The values have been computed from today's data."))
    return redirect(url_for("indicators.index", **period_args(period)))


@bp.route("/prepared/<int:snapshot_id>")
@roles_required(*ROLES)
def snapshot(snapshot_id: int):
    """The statistics prepared by the scheduler open as the report page of their period."""
    prepared = db.session.get(IndicatorSnapshot, snapshot_id)
    if prepared is None:
        abort(404)
    period = periods.Period(prepared.date_from, prepared.date_to, prepared.kind)
    return redirect(url_for("indicators.index", **period_args(period)))


@bp.route("/code/<code>")
@roles_required(*ROLES)
def drilldown(code):
    ind = get(code)
    if ind is None:
        abort(404)
    period = _period_or_400()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    total = engine.count_records(code, period)
    records = engine.records(code, period, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    for r in records:
        r["url"] = record_url(ind.record_type, r)
    closed = services.closed_for(period)
    changes = None
    if closed is not None:
        frozen = services.frozen_ids(closed, code)
        if frozen is not None:
            changes = services.compare_ids(frozen, engine.record_ids(code, period))
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    audit.read("indicator_records_viewed", object_type="indicator",
               details={"code": code, "from": period.start.isoformat(), "to": period.end.isoformat(), "page": page})
    return render_template("indicators/drilldown.html", ind=ind, period=period, records=records, total=total,
                           page=page, pages=pages, args=period_args(period), closed=closed, changes=changes,
                           locale=_locale(), by_key=BY_KEY)


@bp.route("/export.<fmt>")
@roles_required(*ROLES)
def export(fmt):
    if fmt not in ("json", "csv", "xlsx", "docx"):
        abort(404)
    period = _period_or_400()
    # what the page shows: frozen for a closed period, else today's values (shared for a few minutes, committed)
    (values, previous), _errors, _status = save(
        lambda: services.reported_values_of([period, period.previous_year()]))
    name = f"wskazniki_{period.start.isoformat()}_{period.end.isoformat()}"
    if fmt == "json":
        body = exports.to_json({"period": period.as_dict(), "indicators": values})
        return Response(body, mimetype="application/json",
                        headers={"Content-Disposition": f"attachment; filename={name}.json"})
    rows = exports.table_rows(values, previous, _locale())
    headers = (_("Code"), _("Indicator"), period.title, period.previous_year().title)
    if fmt == "csv":
        return Response(exports.to_csv(period, rows, headers).encode("utf-8-sig"), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={name}.csv"})
    if fmt == "docx":
        return Response(exports.to_docx(period, rows, headers, _("Indicators"), values),
                        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        headers={"Content-Disposition": f"attachment; filename={name}.docx"})
    return Response(exports.to_xlsx(period, rows, headers, _("Indicators")),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename={name}.xlsx"})


@bp.route("/close", methods=["GET", "POST"])
@roles_required(*ROLES)
def close():
    form = ClosePeriodForm()
    source = request.form if request.method == "POST" else request.args
    try:
        period = periods.from_args({"from": source.get("date_from") or source.get("from"),
                                    "to": source.get("date_to") or source.get("to"),
                                    "year": source.get("year"), "half": source.get("half")})
    except periods.PeriodError:
        abort(400)
    if services.closed_for(period) is not None:
        flash(_("This period is already closed."), "warning")
        return redirect(url_for("indicators.index", **period_args(period)))
    errors, status = [], 200
    if form.validate_on_submit():
        _result, errors, status = save(lambda: services.close_period(period, current_user, form.note.data))
        if not errors:
            flash(_("The period has been closed; its values are frozen."), "success")
            return redirect(url_for("indicators.index", **period_args(period)))
    form.date_from.data = period.start.isoformat()
    form.date_to.data = period.end.isoformat()
    blocked = services.closing_problems(period)
    issues = quality.run(period)
    for item in issues:
        for r in item["records"]:
            link = r.get("link")
            r["url"] = url_for(link[0], **link[1]) if link else family_url(r.get("family_id"))
    audit.read("data_quality_viewed", object_type="indicator",  # the findings list families by name
               details={"from": period.start.isoformat(), "to": period.end.isoformat(), "findings": len(issues)})
    return render_template("indicators/close.html", form=form, period=period, issues=issues, errors=errors,
                           blocked=blocked, args=period_args(period), locale=_locale()), status


@bp.route("/closed/<int:closed_id>/reopen", methods=["POST"])
@roles_required(*ROLES)
def reopen(closed_id):
    closed = db.session.get(ClosedPeriod, closed_id)
    if closed is None or closed.reopened_at is not None:
        abort(404)
    period = periods.date_range(closed.date_from, closed.date_to)
    form = ReopenPeriodForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for e in errors:
                flash(e, "error")
        return redirect(url_for("indicators.index", **period_args(period)))
    save(lambda: services.reopen_period(closed, current_user, form.reason.data.strip()),
         success=_("The period has been re-opened; values are computed from today's data."), flash_errors=True)
    return redirect(url_for("indicators.index", **period_args(period)))


#: this domain's entries in the menu (read once at start-up by casework.core.navigation.collect)
NAV = [
    NavEntry("indicators.index", _l("Indicators"), roles=ROLES, order=700),
]
