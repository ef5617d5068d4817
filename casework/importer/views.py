"""Import from spreadsheets (coordinators): download the template, upload, read the row report, confirm."""
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from casework.auth.roles import ADMIN, COORDINATOR
from casework.core.errors import RuleError, save
from casework.core.navigation import NavEntry
from casework.core.permissions import roles_required
from casework.extensions import db
from casework.importer import services

bp = Blueprint("importer", __name__, url_prefix="/import")
ROLES = (ADMIN, COORDINATOR)


@bp.route("/", methods=["GET", "POST"])
@roles_required(*ROLES)
def index():
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(_("Choose a file to import."), "error")
            return redirect(url_for("importer.index"))
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in (".xlsx", ".xlsm", ".csv"):
            flash(_("Import an XLSX workbook or a CSV file."), "error")
            return redirect(url_for("importer.index"))
        # a browser upload is bounded by the request size limit (CASEWORK_MAX_CONTENT_LENGTH_MB; a larger request
        # gets the 413 page before this view runs); larger files go through `flask casework import`
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 20 * 1024 * 1024
        data = upload.read(limit + 1)
        if len(data) > limit:
            flash(_("The file is larger than %(mb)d MB; import it from the command line.",
                    mb=limit // (1024 * 1024)), "error")
            return redirect(url_for("importer.index"))
        token = services.store_upload(data, upload.filename)
        return redirect(url_for("importer.check", token=token))
    return render_template("importer/index.html")


def _read(token):
    stored = services.stored_upload(token)
    if stored is None:
        abort(404)
    path, name = stored
    with open(path, "rb") as fh:
        sheets, problems = services.read_workbook(fh, name)
    return sheets, problems, name


@bp.route("/<token>")
@roles_required(*ROLES)
def check(token: str):
    sheets, problems, name = _read(token)
    if problems and not sheets:
        services.discard_upload(token)  # a file that cannot be read at all is failed: nothing to keep it for
    report = services.run(sheets, dry_run=True)
    report.problems = problems + report.problems
    db.session.rollback()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    per_page = 100
    shown = report.problems[(page - 1) * per_page: page * per_page]
    pages = max((len(report.problems) + per_page - 1) // per_page, 1)
    return render_template("importer/check.html", report=report, shown=shown, page=page, pages=pages, token=token,
                           name=name)


@bp.route("/<token>/confirm", methods=["POST"])
@roles_required(*ROLES)
def confirm(token: str):
    try:
        sheets, problems, _name = _read(token)

        def run():
            report = services.run(sheets, dry_run=False, actor=current_user)
            if problems or not report.ok:
                raise RuleError(_("The file has errors; nothing was imported. Correct it and upload it again."))
            return report

        report, _errors, _status = save(run, flash_errors=True)
        if report is None:
            return redirect(url_for("importer.index"))
    finally:
        services.discard_upload(token)  # confirmed or failed, the upload is not kept
    return render_template("importer/done.html", report=report)


@bp.route("/template.xlsx")
@roles_required(*ROLES)
def template():
    return Response(services.template_workbook(),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=casework-import-szablon.xlsx"})


#: this domain's entries in the menu (read once at start-up by casework.core.navigation.collect)
NAV = [
    NavEntry("importer.index", _l("Import"), roles=ROLES, order=720),
]
