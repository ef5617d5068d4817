"""The deadline board (coordinators: the whole centre; assistants: their own families) and the calendar feed."""
from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from casework.auth.models import User, UserRole
from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR
from casework.core import audit
from casework.core.errors import save
from casework.core.navigation import NavEntry
from casework.core.pagination import int_arg
from casework.core.permissions import roles_required
from casework.core.timeutil import today_local
from casework.core.urls import external_url
from casework.deadlines import services
from casework.extensions import csrf, db
from casework.families.access import sees_all_families

bp = Blueprint("deadlines", __name__, url_prefix="/deadlines")
PER_PAGE = 50


def _scope(user, today, assistant_id=None):
    if sees_all_families(user):
        ids = services.own_family_ids(db.session.get(User, assistant_id), today) if assistant_id else None
        return ids, True
    return services.own_family_ids(user, today), False


@bp.route("/")
@roles_required(ADMIN, COORDINATOR, ASSISTANT)
def index():
    today = today_local()
    assistant_id = int_arg("assistant") if sees_all_families(current_user) else None
    if assistant_id and db.session.get(User, assistant_id) is None:
        assistant_id = None
    labels = services.kind_labels()
    kind = request.args.get("kind") if request.args.get("kind") in labels else ""
    family_ids, everyone = _scope(current_user, today, assistant_id)
    page = max(min(request.args.get("page", 1, type=int) or 1, 100000), 1)
    items, total = services.board(family_ids, today, include_caseload=everyone and not assistant_id, kind=kind,
                                  page=page, per_page=PER_PAGE)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    assistants = (db.session.scalars(select(User).join(UserRole).where(UserRole.role == ASSISTANT)
                                     .order_by(User.full_name)).all() if everyone else [])
    audit.read("deadlines_viewed", object_type="family", details={"page": page, "shown": len(items)})
    return render_template("deadlines/index.html", items=items, total=total, page=page, pages=pages, kind=kind,
                           kinds=labels, assistants=assistants, assistant_id=assistant_id, today=today)


@bp.route("/calendar", methods=["GET", "POST"])
@roles_required(ADMIN, COORDINATOR, ASSISTANT)
def calendar():
    token = None
    if request.method == "POST":
        if request.form.get("action") == "revoke":
            save(lambda: services.revoke_calendar_tokens(current_user),
                 success=_("The calendar address has been revoked."))
        else:
            token, _errors, _status = save(lambda: services.new_calendar_token(current_user))
    feed = external_url("deadlines.feed", token=token) if token else None  # CASEWORK_BASE_URL, not Host
    return render_template("deadlines/calendar.html", feed=feed)


@bp.route("/calendar/<token>.ics")
@csrf.exempt
def feed(token: str):
    user = services.user_for_token(token)
    if user is None:
        abort(404)
    today = today_local()
    family_ids, everyone = _scope(user, today)
    items = services.collect(family_ids, today, include_caseload=everyone)
    body = services.ical(items, external_url("deadlines.index"))
    audit.read("deadline_feed_read", object_type="family", user=user, details={"shown": len(items)})
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": "inline; filename=terminy.ics"})


#: this domain's entries in the menu (read once at start-up by casework.core.navigation.collect)
NAV = [
    NavEntry("deadlines.index", _l("Deadlines"), roles=(ADMIN, COORDINATOR, ASSISTANT), order=26),
]
