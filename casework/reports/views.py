"""Named reports (HTML with drill-down, DOCX/XLSX/CSV/JSON), municipal programmes, the ministry rows, the dashboard."""
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.auth.roles import ADMIN, COORDINATOR
from casework.core import audit, collation, documents, periods
from casework.core.errors import save
from casework.core.navigation import NavEntry
from casework.core.pagination import int_arg
from casework.core.permissions import roles_required
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.indicators import services as indicator_services
from casework.reports import builders, dashboard, document, ministry, registry, sections, services
from casework.reports import editions as edition_services
from casework.reports import output
from casework.reports.models import (PROGRAMME_KINDS, SECTION_KINDS, MinistryRow, Programme, ProgrammeForm,
                                     ProgrammeGoal, ReportDocument)

bp = Blueprint("reports", __name__, url_prefix="/reports")
ROLES = (ADMIN, COORDINATOR)
KIND_LABELS = {"family_support": _l("family support (art. 176 UWR)"),
               "violence_prevention": _l("prevention of domestic violence")}


def _locale() -> str:
    return str(get_locale() or "pl")


def _year_arg() -> int:
    value = request.args.get("year", type=int) or today_local().year - (1 if today_local().month <= 3 else 0)
    if not 1990 <= value <= 2200:
        abort(400)
    return value


def _period_for(named) -> periods.Period:
    year = _year_arg()
    if named.period_kind == registry.HALF:
        half = request.args.get("half", type=int) or (1 if today_local().month >= 7 or year < today_local().year
                                                      else 2)
        if half not in (1, 2):
            abort(400)
        return periods.half(year, half)
    return periods.year(year)


def _download(report: document.Report, fmt: str, name: str):
    if fmt not in document.RENDERERS:
        abort(404)
    render, mimetype = document.RENDERERS[fmt]
    audit.read("report_exported", object_type="report",
               details={"report": report.name, "period": report.period, "format": fmt})
    return Response(render(report), mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={name}.{fmt}"})


@bp.route("/")
@roles_required(*ROLES)
def index():
    programmes = db.session.scalars(select(Programme).where(Programme.archived_at.is_(None))
                                    .order_by(Programme.year_from.desc(), Programme.name)).all()
    return render_template("reports/index.html", reports=registry.all_reports(), year=_year_arg(),
                           programmes=programmes, kind_labels=KIND_LABELS)


@bp.route("/r/<name>")
@roles_required(*ROLES)
def show(name):
    named = registry.get(name) or abort(404)
    period = _period_for(named)
    # the indicator values computed for the report are kept (committed) for the next request
    report, _errors, _status = save(lambda: named.build(period, _locale()))
    return render_template("reports/show.html", report=report, named=named, period=period,
                           args=_args(named, period))


def _args(named, period) -> dict:
    args = {"year": period.start.year}
    if named.period_kind == registry.HALF:
        args["half"] = 1 if period.start.month == 1 else 2
    return args


@bp.route("/r/<name>/export.<fmt>")
@roles_required(*ROLES)
def export(name, fmt):
    named = registry.get(name) or abort(404)
    period = _period_for(named)
    # like the page: the indicator values computed for the download are kept (committed) for the next request
    report, _errors, _status = save(lambda: named.build(period, _locale()))
    return _download(report, fmt, f"{name}-{period.label.replace(' ', '-')}")


# --- programmes ---------------------------------------------------------------------------------------------

def _programme_or_404(programme_id: int) -> Programme:
    programme = db.session.scalar(select(Programme).where(Programme.id == programme_id).options(
        selectinload(Programme.goals).selectinload(ProgrammeGoal.forms).selectinload(ProgrammeForm.measures)))
    if programme is None or programme.archived_at is not None:
        abort(404)
    return programme


def _header_values(form) -> dict:
    def year(key):
        value = form.get(key, "").strip()
        return int(value) if value.isdigit() else None

    return {"kind": form.get("kind"), "name": form.get("name", "").strip(), "year_from": year("year_from"),
            "year_to": year("year_to"), "resolution": form.get("resolution", "").strip() or None,
            "adopted_by": form.get("adopted_by", "").strip() or None,
            "adopted_on": form.get("adopted_on", "").strip() or None,
            "introduction": form.get("introduction", "").strip() or None}


@bp.route("/programmes", methods=["GET", "POST"])
@roles_required(*ROLES)
def programmes():
    errors, values = [], {}
    if request.method == "POST":
        values = _header_values(request.form)
        programme, errors, _status = save(
            lambda: services.load_structure(values, actor=current_user), created=_programme_url,
            success=_("The programme has been created. Add its goals, forms and measures."))
        if not errors:
            return redirect(_programme_url(programme))
    listed = db.session.scalars(select(Programme).where(Programme.archived_at.is_(None))
                                .order_by(Programme.year_from.desc(), Programme.name)).all()
    return render_template("reports/programmes.html", programmes=listed, examples=services.examples(),
                           kind_labels=KIND_LABELS, kinds=PROGRAMME_KINDS, errors=errors, values=values,
                           this_year=today_local().year), (400 if errors else 200)


def _programme_url(programme) -> str:
    return url_for("reports.programme", programme_id=programme.id)


@bp.route("/programmes/example", methods=["POST"])
@roles_required(*ROLES)
def load_example():
    programme, errors, _status = save(
        lambda: services.load_example(request.form.get("file", ""), actor=current_user), created=_programme_url,
        success=_("The example programme has been loaded; change it to match yours."))
    if errors:
        flash(" ".join(errors), "error")
        return redirect(url_for("reports.programmes"))
    return redirect(_programme_url(programme))


@bp.route("/programmes/<int:programme_id>", methods=["GET", "POST"])
@roles_required(*ROLES)
def programme(programme_id: int):
    programme = _programme_or_404(programme_id)
    errors = []
    if request.method == "POST":
        def apply():
            action = request.form.get("action")
            if action == "header":
                services.update_header(programme, _header_values(request.form), actor=current_user)
            elif action == "goal":
                services.add_goal(programme, request.form.get("title", ""), request.form.get("directions"),
                                  actor=current_user)
            elif action == "form":
                goal = _child(programme.goals, request.form.get("goal_id"))
                services.add_form(goal, request.form, actor=current_user)
            elif action == "measure":
                form = _child([f for g in programme.goals for f in g.forms], request.form.get("form_id"))
                services.add_measure(form, request.form.get("label", ""), request.form.get("code"),
                                     actor=current_user)
            elif action == "edit_measure":
                measure = _child([m for g in programme.goals for f in g.forms for m in f.measures],
                                 request.form.get("measure_id"))
                services.update_measure(measure, request.form.get("label", ""), request.form.get("code"),
                                        actor=current_user)
            elif action == "archive":
                services.archive_programme(programme, actor=current_user)
            else:
                abort(400)

        _r, errors, status = save(apply, obj=programme, version=request.form.get("version"), touch=True,
                                  success=_("Changes saved."))
        if status == 409:
            errors = [_("Someone else changed this programme after you opened it. Your changes were not saved; "
                        "the page shows the current data.")]
        if errors:
            return _programme_page(_programme_or_404(programme_id), errors, status)
        if programme.archived_at is not None:
            return redirect(url_for("reports.programmes"))
        return redirect(url_for("reports.programme", programme_id=programme.id))
    return _programme_page(programme, errors, 200)


def _child(items, raw_id):
    for item in items:
        if str(item.id) == str(raw_id):
            return item
    abort(404)


def _programme_page(programme, errors, status):
    return render_template("reports/programme.html", programme=programme, errors=errors, kinds=PROGRAMME_KINDS,
                           kind_labels=KIND_LABELS, codes=builders.registered_scalar_codes(_locale()),
                           years=range(programme.year_from, programme.year_to + 1)), status


@bp.route("/programmes/<int:programme_id>/values/<int:year>", methods=["GET", "POST"])
@roles_required(*ROLES)
def programme_values(programme_id: int, year: int):
    programme = _programme_or_404(programme_id)
    if not programme.year_from <= year <= programme.year_to:
        abort(404)
    if request.method == "POST":
        entries = {}
        for key, value in request.form.items():
            if key.startswith("value-") and key[6:].isdigit():
                entries[int(key[6:])] = (value, request.form.get(f"supplied-{key[6:]}", ""))
        changed, errors, _status = save(lambda: services.set_values(programme, year, entries, actor=current_user))
        if errors:
            flash(" ".join(errors), "error")
        else:
            flash(_("Saved %(n)d figures.", n=changed), "success")
            return redirect(url_for("reports.programme_report", programme_id=programme.id, year=year))
    typed = {v.measure_id: v for g in programme.goals for f in g.forms for m in f.measures for v in m.values
             if v.year == year}
    # the indicator values computed here are kept (committed) for the next request
    values, _errors, _status = save(lambda: indicator_services.reported_values(periods.year(year)))
    return render_template("reports/programme_values.html", programme=programme, year=year, typed=typed,
                           values=values)


@bp.route("/programmes/<int:programme_id>/report/<int:year>")
@roles_required(*ROLES)
def programme_report(programme_id: int, year: int):
    programme = _programme_or_404(programme_id)
    # the indicator values computed for the report are kept (committed) for the next request
    report, _errors, _status = save(lambda: builders.programme_report(programme, year, _locale()))
    return render_template("reports/show.html", report=report, named=None, period=periods.year(year),
                           args={"year": year}, programme=programme)


@bp.route("/programmes/<int:programme_id>/report/<int:year>/export.<fmt>")
@roles_required(*ROLES)
def programme_export(programme_id: int, year: int, fmt: str):
    programme = _programme_or_404(programme_id)
    report, _errors, _status = save(lambda: builders.programme_report(programme, year, _locale()))
    return _download(report, fmt, f"program-{programme.id}-{year}")


# --- the ministry rows ---------------------------------------------------------------------------------------

@bp.route("/ministry-rows", methods=["GET", "POST"])
@roles_required(*ROLES)
def ministry_rows():
    errors = []
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in ("section", "label", "code")}
        values |= {k: request.form[k] for k in ("number", "parent_number", "source") if k in request.form}
        if "row_fields" in request.form:  # the form as a whole was posted: an unticked box means "no"
            values["sums_parts"] = bool(request.form.get("sums_parts"))
        position = request.form.get("position", "").strip()
        values["position"] = int(position) if position.lstrip("-").isdigit() else None
        if request.form.get("row_id"):
            row = db.session.get(MinistryRow, int_arg("row_id", source=request.form) or 0) or abort(404)
            _r, errors, _status = save(lambda: services.update_ministry_row(row, values, actor=current_user),
                                       success=_("Changes saved."))
        else:
            _r, errors, _status = save(lambda: services.add_ministry_row(values, actor=current_user),
                                       created=lambda _row: url_for("reports.ministry_rows"),
                                       success=_("Changes saved."))
        if not errors:
            return redirect(url_for("reports.ministry_rows"))
    rows = db.session.scalars(select(MinistryRow).order_by(MinistryRow.position, MinistryRow.id)).all()
    return render_template("reports/ministry_rows.html", rows=rows, errors=errors,
                           codes=builders.registered_scalar_codes(_locale())), (400 if errors else 200)


@bp.route("/ministry-rows/<int:row_id>/records")
@roles_required(*ROLES)
def ministry_row_records(row_id: int):
    """The records behind one row of the ministry report for a half-year: each code's (and key's) records."""
    row = db.session.get(MinistryRow, row_id) or abort(404)
    period = _half_from_args()
    records = ministry.records(row, period)
    audit.read("indicator_records_viewed", object_type="indicator",
               details={"ministry_row": row.id, "from": period.start.isoformat(), "to": period.end.isoformat()})
    return render_template("reports/ministry_row_records.html", row=row, period=period, records=records,
                           value=ministry.evaluate(row, indicator_services.reported_values(period)),
                           expression=ministry.row_expression(row), display_number=ministry.display_number)


def _half_from_args() -> periods.Period:
    """The half-year of ?year=&half= (today's when neither is given); 400 for anything else."""
    if "year" not in request.args and "half" not in request.args:
        return periods.half_containing(today_local())
    year, half_no = int_arg("year"), int_arg("half")
    if not year or half_no not in (1, 2) or not 1990 <= year <= 2200:
        abort(400)
    return periods.half(year, half_no)


@bp.route("/ministry-values", methods=["GET", "POST"])
@roles_required(*ROLES)
def ministry_values():
    """The half-year's typed-in rows (figures casework cannot derive, e.g. the municipality's spending on
    day-support facilities from its accounts): entered once here, carried by the report and its exports."""
    period = _half_from_args()
    rows = ministry.typed_rows()
    errors, status = [], 200
    if request.method == "POST":
        entries = {r.id: (request.form.get(f"value-{r.id}", ""), request.form.get(f"supplied-{r.id}", ""),
                          request.form.get(f"version-{r.id}", "0")) for r in rows}
        _changed, errors, status = save(lambda: services.set_ministry_values(period, entries, actor=current_user),
                                        success=_("Changes saved."))
        if not errors:
            year, half_no = ministry.half_of(period)
            return redirect(url_for("reports.ministry_values", year=year, half=half_no))
    saved = {row_id: v for (row_id, _y, _h), v in ministry.typed_values([period]).items()}
    posted = request.form if errors else None
    return render_template("reports/ministry_values.html", period=period, rows=rows, saved_values=saved,
                           posted=posted,
                           errors=errors, half=ministry.half_of(period),
                           display_number=ministry.display_number), status


@bp.route("/dashboard")
@roles_required(*ROLES)
def dashboard_page():
    # the numbers computed here are kept (committed) for the next request of any worker
    (charts, computed_at), _errors, _status = save(lambda: dashboard.page(today_local(), _locale()))
    return render_template("reports/dashboard.html", charts=charts, computed_at=computed_at)


# --- report documents: an ordered list of sections per series and year (#19) --------------------------------

def _edition_or_404(document_id: int) -> ReportDocument:
    report = db.session.scalar(select(ReportDocument).where(ReportDocument.id == document_id)
                               .options(selectinload(ReportDocument.sections)))
    if report is None or report.archived_at is not None:
        abort(404)
    return report


def _edition_url(report) -> str:
    return url_for("reports.edition", document_id=report.id)


@bp.route("/documents", methods=["GET", "POST"])
@roles_required(*ROLES)
def editions():
    errors = []
    if request.method == "POST":
        year = request.form.get("year", "").strip()
        report, errors, _status = save(
            lambda: edition_services.create_from_template(request.form.get("template", ""),
                                                          int(year) if year.isdigit() else None,
                                                          actor=current_user),
            created=_edition_url, success=_("The report has been created from the template."))
        if not errors:
            return redirect(_edition_url(report))
    listed = sorted(db.session.scalars(select(ReportDocument).where(ReportDocument.archived_at.is_(None))).all(),
                    key=lambda d: (-d.year, collation.sort_key(d.title)))  # Polish order: Ł after L
    return render_template("reports/editions.html", documents=listed, templates=edition_services.templates(),
                           errors=errors, year=_year_arg(), form=request.form), (400 if errors else 200)


def _edition_page(report, *, errors=(), status=200, editing=None, typed=None, adding=None):
    """The editor: each section rendered for the year with its edit form; what was typed comes back on a refusal
    (`editing`: the section id or "header", `adding`: the kind being added, `typed`: the posted fields)."""
    ctx = sections.Context(report.year)
    rendered = sections.render_document(report, ctx)
    title, subtitle = sections.title_of(report, ctx)
    since = sections.changes(report.exported_figures, sections.figures(rendered))
    forms = {s.id: (typed if editing == s.id else sections.form_values(s)) for s in report.sections}
    return render_template("reports/edition.html", document=report, rendered=rendered, title=title,
                           subtitle=subtitle, forms=forms, errors=list(errors), editing=editing, adding=adding,
                           typed=typed or {}, kinds=SECTION_KINDS, kind_labels=sections.KIND_LABELS,
                           programme_kinds=PROGRAMME_KINDS, programme_labels=KIND_LABELS, since=since,
                           pdf_available=documents.soffice_path() is not None,
                           codes=builders.registered_scalar_codes(_locale())), status


@bp.route("/documents/<int:document_id>", methods=["GET", "POST"])
@roles_required(*ROLES)
def edition(document_id: int):
    report = _edition_or_404(document_id)
    if request.method == "GET":
        # the indicator values computed for the figures are kept (committed) for the next request
        page, _errors, _status = save(lambda: _edition_page(report))
        return page
    action = request.form.get("action", "")
    section = _child(report.sections, request.form.get("section_id")) if request.form.get("section_id") else None

    def apply():
        if action == "header":
            edition_services.update_header(report, request.form, actor=current_user)
        elif action == "add":
            after = request.form.get("after", "")
            return edition_services.add_section(report, request.form.get("kind", ""), request.form,
                                                actor=current_user, after=int(after) if after.isdigit() else None)
        elif action == "edit" and section is not None:
            edition_services.update_section(section, request.form, actor=current_user)
        elif action in ("up", "down") and section is not None:
            edition_services.move_section(section, -1 if action == "up" else 1, actor=current_user)
        elif action == "delete" and section is not None:
            edition_services.delete_section(section, actor=current_user)
        elif action == "next_year":
            return edition_services.copy_to_next_year(report, actor=current_user)
        elif action == "archive":
            edition_services.archive(report, actor=current_user)
        else:
            abort(400)
        return None

    result, errors, status = save(apply, obj=report, version=request.form.get("version"), touch=True,
                                  success=_("Changes saved."))
    if status == 409:
        errors = [_("Someone else changed this report after you opened it. Your text is below; the page shows "
                    "the current sections — save it again if it is still needed.")]
    if errors:
        report = _edition_or_404(document_id)
        editing = section.id if section is not None and action == "edit" else ("header" if action == "header"
                                                                               else None)
        page, _errors, _status = save(lambda: _edition_page(
            report, errors=errors, status=status, typed=request.form.to_dict(), editing=editing,
            adding=request.form.get("kind") if action == "add" else None))
        return page
    if action == "archive":
        return redirect(url_for("reports.editions"))
    if action == "next_year":
        return redirect(_edition_url(result))
    anchor = f"#section-{section.id}" if section is not None and action != "delete" else ""
    if action == "add" and result is not None:
        anchor = f"#section-{result.id}"
    return redirect(_edition_url(report) + anchor)


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/documents/<int:document_id>/export.<fmt>")
@roles_required(*ROLES)
def edition_export(document_id: int, fmt: str):
    report = _edition_or_404(document_id)
    if fmt not in ("docx", "xlsx", "pdf", "csv"):
        abort(404)

    def build():
        ctx = sections.Context(report.year)
        rendered = sections.render_document(report, ctx)
        title, subtitle = sections.title_of(report, ctx)
        if fmt in ("xlsx", "csv"):
            body = output.to_xlsx(title, rendered) if fmt == "xlsx" else output.to_csv(rendered)
        else:
            body = output.to_docx(report, rendered, title, subtitle, identity=ctx.identity)
        if fmt == "pdf":
            try:
                body = documents.to_pdf(body)
            except documents.PdfUnavailable as exc:  # a refusal with the reason: nothing kept, the page says why
                raise services.ReportRuleError(str(exc)) from None
        edition_services.mark_exported(report, sections.figures(rendered))
        return body

    body, errors, _status = save(build)
    if errors:
        flash(" ".join(errors), "error")
        return redirect(_edition_url(report))
    audit.read("report_exported", report, details={"report": report.series, "year": report.year, "format": fmt})
    mimetype = {"docx": documents.DOCX_MIMETYPE, "pdf": documents.PDF_MIMETYPE, "xlsx": XLSX_MIMETYPE,
                "csv": "text/csv; charset=utf-8"}[fmt]
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={report.series}-{report.year}.{fmt}"})


#: this domain's entries in the menu (read once at start-up by casework.core.navigation.collect)
NAV = [
    NavEntry("reports.index", _l("Reports"), roles=ROLES, order=710),
    NavEntry("reports.dashboard_page", _l("Dashboard"), roles=ROLES, order=705),
]
