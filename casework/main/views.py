from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user, login_required
from sqlalchemy import text

from casework.core.errors import save
from casework.core.urls import safe_next
from casework.extensions import db

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    return render_template("main/home.html")


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        db.session.rollback()
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "error", database=database), status


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            save(lambda: setattr(current_user, "locale", lang))
    return redirect(safe_next(request.form.get("next") or request.args.get("next")))
