from flask import Blueprint, abort, has_request_context, render_template, request
from flask_login import login_required

from casework.help import guides

bp = Blueprint("help", __name__, url_prefix="/pomoc")


@bp.app_context_processor
def inject_help_url():
    """`help_url()` in every template: the guide of the screen being shown (base.html's "Pomoc" link)."""
    return {"help_url": lambda: guides.help_url(request.endpoint if has_request_context() else None)}


@bp.route("")
@login_required
def index():
    return render_template("help/index.html", guides=list(guides.GUIDES.values()))


@bp.route("/<slug>")
@login_required
def page(slug):
    guide = guides.GUIDES.get(slug)
    if guide is None:
        abort(404)
    return render_template("help/page.html", guide=guide, body=guides.render(guides.read_source(guide)))
