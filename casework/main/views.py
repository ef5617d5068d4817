from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user, login_required
from sqlalchemy import text

from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR, ZI_MEMBER
from casework.bluecard.access import in_any_group
from casework.core import audit
from casework.core.errors import save
from casework.core.timeutil import today_local
from casework.core.urls import safe_next
from casework.extensions import db
from casework.main import services

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """Each role's start page: what needs doing today (a user with several roles sees each block)."""
    today = today_local()
    blocks = {}
    if current_user.has_role(ASSISTANT):
        blocks["assistant"] = services.assistant_today(current_user, today)
    if current_user.has_role(COORDINATOR):
        blocks["coordinator"] = services.coordinator_overview(today)
    if current_user.has_role(ZI_MEMBER) or in_any_group(current_user):
        blocks["team"] = services.team_deadlines(current_user, today)
    if current_user.has_role(ADMIN):
        blocks["admin"] = services.admin_overview()
    # case numbers, family names and blue-card procedure numbers are on the page (the blocks say which)
    audit.read("start_page_viewed", object_type="family", details={"blocks": sorted(blocks)})
    return render_template("main/home.html", today=today, **blocks)


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
