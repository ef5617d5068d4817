"""A person's data (RODO art. 15) for coordinators, and the retention page for administrators."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from casework.auth.roles import ADMIN, COORDINATOR
from casework.core import audit
from casework.core.errors import save
from casework.core.navigation import NavEntry
from casework.core.permissions import roles_required
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.access import load_family_or_404
from casework.families.models import FamilyMember
from casework.privacy import export, retention

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
CONFIRM_WORD = "USUŃ"


@bp.route("/members/<int:member_id>/export", methods=["GET", "POST"])
@roles_required(ADMIN, COORDINATOR)
def person_export(member_id: int):
    member = db.session.get(FamilyMember, member_id) or abort(404)
    load_family_or_404(member.family_id, action="person_export_viewed")
    person = export.find_person(member)
    error = None
    if request.method == "POST":
        reason = (request.form.get("reason") or "").strip()
        if len(reason) < 5:
            error = _("Give the reason for the export (e.g. the request's number and date).")
        else:
            data = export.collect(person, current_user)
            archive = export.to_zip(data)
            save(lambda: audit.record("person_data_exported", member, details={
                "reason": reason[:500], "member_ids": person.member_ids, "files": len(data["files"])}))
            return Response(archive, mimetype="application/zip",
                            headers={"Content-Disposition": f"attachment; filename=dane-osoby-{member.id}.zip"})
    return render_template("privacy/export.html", member=member, person=person, error=error,
                           reason=request.form.get("reason", "")), (400 if error else 200)


@bp.route("/retention", methods=["GET", "POST"])
@roles_required(ADMIN)
def retention_page():
    today = today_local()
    if request.method == "POST":
        if (request.form.get("confirm") or "").strip().upper() != CONFIRM_WORD:
            flash(_("Type %(word)s to confirm the purge.", word=CONFIRM_WORD), "error")
            return redirect(url_for("privacy.retention_page"))
        counts, _errors, _status = save(lambda: retention.purge(today, actor=current_user))
        flash(_("Purged: %(rows)d rows.", rows=sum(counts.values())), "success")
        return redirect(url_for("privacy.retention_page"))
    families, procedures = retention.families_past_retention(today), retention.procedures_past_retention(today)
    audit.read("retention_list_viewed", object_type="family",
               details={"families": len(families), "procedures": len(procedures)})
    return render_template("privacy/retention.html", families=families, procedures=procedures, word=CONFIRM_WORD)


#: this domain's entries in the menu (read once at start-up by casework.core.navigation.collect)
NAV = [
    NavEntry("privacy.retention_page", _l("Retention"), roles=(ADMIN,), order=930),
]
