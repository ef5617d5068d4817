"""The one search box: /search?q=… answers with the matches grouped by kind (families, people, foster children,
institutions), each with its status; ?kind=… pages through one group. The query never reaches the audit trail or
the logs: the audit row holds the kind, the page and the ids of the families shown."""
from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, literal, select

from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR, SOCIAL_WORKER
from casework.core import audit
from casework.core.pagination import paginate
from casework.core.settings import UnknownSetting, get_setting
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.services import family_status
from casework.fostercare.services import tier_info
from casework.search import services

bp = Blueprint("search", __name__, url_prefix="/search")
ROLES = (ADMIN, COORDINATOR, ASSISTANT, SOCIAL_WORKER)
#: results shown per group on the first page, before "show all"
PREVIEW = 5
KIND_LABELS = {"families": _l("Families"), "people": _l("Family members"),
               "foster_children": _l("Children in foster care"), "institutions": _l("Institutions")}
STATUS_LABELS = {"active": _l("active (family)"), "monitoring": _l("monitoring"), "closed": _l("closed"),
                 "waiting": _l("waiting to start"), "none": _l("no support period"), "archived": _l("archived")}


def _count(stmt) -> int:
    bare = stmt.with_only_columns(literal(1), maintain_column_froms=True).order_by(None)
    return db.session.scalar(select(func.count()).select_from(bare.subquery()))


@bp.route("/")
@login_required
def index():
    if not current_user.has_role(*ROLES):
        abort(403)
    query = services.parse(request.args.get("q"))
    kinds = services.kinds_for(current_user)
    kind = request.args.get("kind", "")
    kind = kind if kind in kinds else ""
    day = today_local()
    groups, page = [], None
    if not query.empty:
        if kind:
            page = paginate(services.statement(kind, query, current_user, day))
            groups.append({"kind": kind, "items": page.items, "total": page.total})
        else:
            for name in kinds:
                stmt = services.statement(name, query, current_user, day)
                total = _count(stmt)
                items = db.session.scalars(stmt.limit(PREVIEW)).all() if total else []
                groups.append({"kind": name, "items": items, "total": total})
    family_ids = sorted({i for g in groups for i in services.family_ids_of(g["kind"], g["items"])})
    audit.read("search_viewed", object_type="family",
               details={"searched": not query.empty, "kind": kind or "all", "page": page.page if page else 1,
                        "family_ids": family_ids})
    return render_template("search/index.html", q=query.text, searched=not query.empty, kind=kind, kinds=kinds,
                           groups=groups, page=page, preview=PREVIEW, kind_labels=KIND_LABELS,
                           status_labels=STATUS_LABELS, family_status=family_status, tier_info=tier_info, today=day)


@bp.app_context_processor
def _print_helpers():
    """centre_name_for_print(): the centre's name printed above a printable page (static/css/print.css); read
    only by the pages that print (they set `printable`), so other pages ask the database nothing more."""
    def centre_name_for_print() -> str:
        try:
            return get_setting("centre.name") or ""
        except UnknownSetting:  # an installation without the centre's identity settings
            return ""

    return {"centre_name_for_print": centre_name_for_print}
