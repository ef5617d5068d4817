"""Import from spreadsheets (coordinators): download the template, upload, read the row report, confirm."""
import os
import secrets
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from casework.auth.roles import ADMIN, COORDINATOR
from casework.core.navigation import register_nav
from casework.core.permissions import roles_required
from casework.extensions import db
from casework.importer import services

bp = Blueprint("importer", __name__, url_prefix="/import")
ROLES = (ADMIN, COORDINATOR)
MAX_BYTES = 50 * 1024 * 1024


def _upload_dir() -> Path:
    path = Path(current_app.instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stored(token: str) -> Path:
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        abort(404)
    matches = list(_upload_dir().glob(f"{token}.*"))
    if not matches:
        abort(404)
    return matches[0]


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
        data = upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            flash(_("The file is larger than 50 MB; import it from the command line."), "error")
            return redirect(url_for("importer.index"))
        stem = Path(upload.filename).stem
        token = secrets.token_urlsafe(12)
        (_upload_dir() / f"{token}{suffix}").write_bytes(data)
        (_upload_dir() / f"{token}.name").write_text(stem + suffix, encoding="utf-8")
        return redirect(url_for("importer.check", token=token))
    return render_template("importer/index.html")


def _read(token):
    path = _stored(token)
    if path.suffix == ".name":
        path = next(p for p in _upload_dir().glob(f"{token}.*") if p.suffix != ".name")
    name = (_upload_dir() / f"{token}.name").read_text(encoding="utf-8")
    with open(path, "rb") as fh:
        sheets, problems = services.read_workbook(fh, name)
    return sheets, problems, name


@bp.route("/<token>")
@roles_required(*ROLES)
def check(token: str):
    sheets, problems, name = _read(token)
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
    sheets, problems, _name = _read(token)
    report = services.run(sheets, dry_run=False, actor=current_user)
    if problems or not report.ok:
        db.session.rollback()
        flash(_("The file has errors; nothing was imported."), "error")
        return redirect(url_for("importer.check", token=token))
    db.session.commit()
    for path in _upload_dir().glob(f"{token}.*"):
        os.remove(path)
    return render_template("importer/done.html", report=report)


@bp.route("/template.xlsx")
@roles_required(*ROLES)
def template():
    return Response(services.template_workbook(),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=casework-import-szablon.xlsx"})


register_nav("importer.index", _l("Import"), roles=ROLES, order=720)
