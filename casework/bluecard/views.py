"""Niebieska Karta: NK-A, the register, the procedure (group, meetings, NK-C/NK-D, help plan, referral, closing),
the team's deadline board. Every route goes through casework.bluecard.access."""
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.auth.models import User, UserRole
from casework.auth.roles import ZI_MEMBER
from casework.bluecard import access, documents, handover, rules, services
from casework.bluecard.models import (CLOSING_GROUNDS, PROGRAMMES, SECTOR_LABELS, SECTORS, VIOLENCE_FORMS,
                                      HelpPlanAction, Procedure)  # noqa: F401 - names used by the templates' labels
from casework.core import audit
from casework.core import documents as core_documents
from casework.core.errors import save
from casework.core.navigation import NavEntry
from casework.core.pagination import int_arg, paginate
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.access import load_family_or_404
from casework.core.timeline import TimelineItem

bp = Blueprint("bluecard", __name__, url_prefix="/blue-card")
PERSON_ROWS = 4
ROLE_LABELS = {"affected": _l("affected by violence"), "suspected": _l("suspected of using violence")}
FORM_LABELS = {"physical": _l("physical"), "psychological": _l("psychological"), "sexual": _l("sexual"),
               "economic": _l("economic"), "electronic": _l("through electronic communication"), "other": _l("other")}
GROUND_LABELS = {"violence_stopped": _l("violence stopped and the help plan carried out"),
                 "unfounded": _l("the procedure was unfounded"),
                 "handed_over": _l("handed over to the team of another municipality")}
HANDOVER_LABELS = {"handed_over": _l("Handed over to another team"),
                   "received": _l("Received from another team")}
PROGRAMME_LABELS = {"corrective_educational": _l("corrective-educational programme"),
                    "therapy": _l("therapy programme")}
STEP_LABELS = {"nkb": _l("NK-B handed"), "to_chair": _l("NK-A to the chair of the team"), "to_group": _l("The chair to a diagnostic group"),
               "first_meeting": _l("The group's first meeting")}


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.form.get(name, ""))
    except ValueError:
        return None


def _labels() -> dict:
    return {"sectors": SECTOR_LABELS, "forms": FORM_LABELS, "grounds": GROUND_LABELS, "programmes": PROGRAMME_LABELS,
            "steps": STEP_LABELS, "step_kinds": rules.STEP_LABELS, "authorities": rules.AUTHORITY_LABELS,
            "nkb_roles": rules.NKB_RECIPIENT_LABELS, "handover_steps": HANDOVER_LABELS}


@bp.route("/")
@login_required
def index():
    access.require_register_access()
    stmt = (select(Procedure).where(access.visible_clause(current_user))
            .order_by(Procedure.closed_on.is_not(None), Procedure.nka_date.desc(), Procedure.id.desc()))
    page = paginate(stmt)
    audit.read("bluecard_register_viewed", object_type="bluecard_procedure",
               details={"page": page.page, "procedure_ids": [p.id for p in page.items]})
    return render_template("bluecard/index.html", page=page, today=today_local(), **_labels())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not access.may_start(current_user):
        abort(403)
    family_id = int_arg("family_id", source=request.values)
    family = load_family_or_404(family_id) if family_id else None
    errors, status = [], 200
    if request.method == "POST":
        values = {"nka_date": _date("nka_date"), "sector": request.form.get("sector"),
                  "violence_forms": request.form.getlist("violence_forms"),
                  "nkb_handed": request.form.get("nkb_handed") == "1", "family_id": family.id if family else None,
                  "nkb_handed_on": _date("nkb_handed_on"), "nkb_recipient": request.form.get("nkb_recipient"),
                  "nkb_recipient_role": request.form.get("nkb_recipient_role"),
                  "nkb_not_handed_reason": request.form.get("nkb_not_handed_reason")}
        persons = []
        for n in range(PERSON_ROWS):
            persons.append({k: request.form.get(f"p{n}-{k}", "") for k in ("role", "first_name", "last_name",
                                                                            "address", "phone")}
                           | {"is_child": request.form.get(f"p{n}-is_child") == "1",
                              "witness": request.form.get(f"p{n}-witness") == "1"})
        procedure, errors, status = save(lambda: services.start_procedure(values, persons, actor=current_user),
                                         created=_after_start)
        if status == 200:
            flash(_("NK-A has been recorded as %(number)s. Pass it to the chair of the interdisciplinary team.",
                    number=procedure.number), "success")
            return redirect(_after_start(procedure))
    return render_template("bluecard/new.html", family=family, errors=errors, rows=range(PERSON_ROWS),
                           form=request.form, today=today_local(), **_labels()), status


def _after_start(procedure) -> str:
    """Where NK-A's author lands: the procedure if they may read it, else where they came from."""
    if access.can_read(current_user, procedure):
        return url_for("bluecard.detail", procedure_id=procedure.id)
    if procedure.family_id is not None:
        return url_for("families.detail", family_id=procedure.family_id)
    return url_for("main.home")


def _loaded(procedure_id: int) -> Procedure:
    return _loaded_as(procedure_id, "bluecard_viewed")


def _loaded_as(procedure_id: int, action: str) -> Procedure:
    procedure = access.load_procedure_or_404(procedure_id, action=action)  # audited, committed after the request
    return db.session.scalar(select(Procedure).where(Procedure.id == procedure.id).options(
        selectinload(Procedure.persons), selectinload(Procedure.group), selectinload(Procedure.meetings),
        selectinload(Procedure.steps)))


@bp.route("/<int:procedure_id>")
@login_required
def detail(procedure_id: int):
    procedure = _loaded(procedure_id)
    return _page(procedure, [], 200)


def _page(procedure, errors, status):
    team = db.session.scalars(select(User).join(UserRole).where(UserRole.role.in_((ZI_MEMBER, "social_worker")),
                                                                User.is_active_account.is_(True))
                              .order_by(User.full_name).distinct()).all()
    return render_template("bluecard/detail.html", p=procedure, errors=errors, today=today_local(),
                           forms_filled=services.filled_forms(procedure), actions=services.help_actions(procedure),
                           deadlines=services.deadlines(procedure), team=team,
                           timeline=services.timeline(procedure),
                           person_names={person.id: person.name for person in procedure.persons},
                           is_team=access.is_team_member(current_user), **_labels()), status


@bp.route("/<int:procedure_id>/<step>", methods=["POST"])
@login_required
def step(procedure_id: int, step: str):
    procedure = access.load_procedure_or_404(procedure_id, action=None)
    if not access.may_take_step(current_user, procedure, step):
        abort(403)

    def apply():
        if step == "chair":
            services.hand_to_chair(procedure, _date("day"), actor=current_user)
        elif step == "group":
            members = []
            for n in range(6):
                user_id = int_arg(f"m{n}-user_id", source=request.form)
                name = request.form.get(f"m{n}-name", "").strip()
                if user_id:
                    user = db.session.get(User, user_id)
                    name = name or (user.full_name if user else "")
                members.append({"user_id": user_id or None, "name": name, "sector": request.form.get(f"m{n}-sector")})
            services.hand_to_group(procedure, _date("day"), members, actor=current_user)
        elif step == "meeting":
            forms = []
            for person in procedure.persons:
                form = request.form.get(f"form-{person.id}")
                if form:
                    forms.append({"form": form, "person_id": person.id})
            services.add_meeting(procedure, {"kind": request.form.get("kind"), "meeting_date": _date("day"),
                                             "notes": request.form.get("notes")}, forms, actor=current_user)
        elif step == "help":
            services.add_help_action(procedure, int_arg("person_id", source=request.form),
                                     {"action": request.form.get("action"),
                                      "responsible": request.form.get("responsible"),
                                      "deadline": _date("deadline")}, actor=current_user)
        elif step == "done":
            action = db.session.get(HelpPlanAction, int_arg("action_id", source=request.form) or 0)
            if action is None or action.procedure_id != procedure.id:
                abort(404)
            services.set_action_done(action, request.form.get("done") == "1", actor=current_user)
        elif step == "refer":
            services.refer_to_programme(procedure, int_arg("person_id", source=request.form), _date("day"),
                                        request.form.get("programme"), actor=current_user)
        elif step == "nkb":
            services.record_nkb(procedure, {"handed_on": _date("day"), "recipient": request.form.get("recipient"),
                                            "recipient_role": request.form.get("recipient_role"),
                                            "reason": request.form.get("reason")}, actor=current_user)
        elif step == "record":
            kind = request.form.get("kind", "")
            fields = [name for name, _kind, _required in rules.STEP_KINDS.get(kind, ())]
            services.add_step(procedure, kind, _date("day"), {n: request.form.get(f"{kind}-{n}") for n in fields},
                              actor=current_user)
        elif step == "close":
            services.close(procedure, _date("day"), request.form.get("ground"), _date("monitoring_until"),
                           actor=current_user)
        else:
            abort(404)

    # every step moves the procedure's version on (touch), so a page opened before any step is refused (409)
    _r, errors, status = save(apply, obj=procedure, version=request.form.get("version"), touch=True,
                              success=_("Saved."))
    if status == 409:
        errors = [_("Someone else changed this procedure after you opened it. Your changes were not saved; the page "
                    "shows the current data.")]
    if errors:
        return _page(_loaded(procedure_id), errors, status)
    return redirect(url_for("bluecard.detail", procedure_id=procedure.id))


def _package_response(data: bytes, procedure) -> Response:
    name = f"niebieska-karta-{procedure.number.replace('/', '-')}.zip"
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f"attachment; filename={name}", "Cache-Control": "private, no-store"})


@bp.route("/<int:procedure_id>/hand-over", methods=["POST"])
@login_required
def hand_over(procedure_id: int):
    """Close the procedure as handed over to another municipality's team and download its package (the team's)."""
    procedure = access.load_procedure_or_404(procedure_id, action=None)
    if not access.is_team_member(current_user):
        abort(403)
    package, errors, status = save(
        lambda: handover.hand_over(procedure, _date("day"), request.form.get("to_team", ""), actor=current_user),
        obj=procedure, version=request.form.get("version"), touch=True)
    if status == 409:
        errors = [_("Someone else changed this procedure after you opened it. Your changes were not saved; the page "
                    "shows the current data.")]
    if errors:
        return _page(_loaded(procedure_id), errors, status)
    return _package_response(package, procedure)


@bp.route("/<int:procedure_id>/package")
@login_required
def package(procedure_id: int):
    """The package of a procedure handed over, downloaded again (the team's; an audited read)."""
    procedure = _loaded_as(procedure_id, "bluecard_package_downloaded")
    if not access.is_team_member(current_user) or procedure.closing_ground != handover.HANDED_OVER:
        abort(404)
    step = next((s for s in procedure.steps if s.kind == "handed_over"), None)
    return _package_response(handover.package(procedure, handed_to=step.details.get("team") if step else None,
                                              handed_on=procedure.closed_on), procedure)


@bp.route("/receive", methods=["GET", "POST"])
@login_required
def receive():
    """Register a procedure another municipality's team handed over, from its package (the team's)."""
    if not access.is_team_member(current_user):
        abort(404)
    errors, status = [], 200
    if request.method == "POST":
        upload = request.files.get("package")
        content = upload.read(handover.MAX_PACKAGE_BYTES + 1) if upload and upload.filename else b""
        procedure, errors, status = save(lambda: handover.receive(content, actor=current_user),
                                         created=lambda p: url_for("bluecard.detail", procedure_id=p.id),
                                         success=_("The procedure has been received with its history and "
                                                   "documents."))
        if status == 200:
            return redirect(url_for("bluecard.detail", procedure_id=procedure.id))
    return render_template("bluecard/receive.html", errors=errors), status


@bp.route("/<int:procedure_id>/forms/<form>")
@login_required
def form_document(procedure_id: int, form: str):
    """NK-A…NK-D as the regulation's annexes (DOCX, or PDF with ?format=pdf): only for the procedure's readers
    (404 otherwise), each download an audited read."""
    if form not in documents.FORMS:
        abort(404)
    procedure = _loaded_as(procedure_id, "bluecard_form_printed")
    person = None
    if documents.person_needed(form):
        person_id = int_arg("person_id")
        person = next((p for p in procedure.persons if p.id == person_id
                       and p.role == documents.person_needed(form)), None)
        if person is None:
            abort(404)
    data = core_documents.to_bytes(documents.build(procedure, form, person))
    name = f"{form}-{procedure.number.replace('/', '-')}" + (f"-{person.id}" if person else "")
    if request.args.get("format") == "pdf":
        try:
            return core_documents.pdf_response(data, name)
        except core_documents.PdfUnavailable as exc:
            flash(str(exc), "error")
            return redirect(url_for("bluecard.detail", procedure_id=procedure.id))
    return core_documents.docx_response(data, name)


@bp.route("/board")
@login_required
def board():
    access.require_register_access()
    today = today_local()
    procedures = db.session.scalars(select(Procedure).where(access.visible_clause(current_user),
                                                            Procedure.closed_on.is_(None))
                                    .options(selectinload(Procedure.meetings))
                                    .order_by(Procedure.nka_date)).all()
    rows, days = [], services.deadline_days()
    for procedure in procedures:
        for d in services.deadlines(procedure, days):
            if d["done"] is None:
                rows.append({"procedure": procedure, **d})
    rows.sort(key=lambda r: r["due"])
    audit.read("bluecard_board_viewed", object_type="bluecard_procedure",
               details={"procedures": len(procedures), "deadlines": len(rows)})
    return render_template("bluecard/board.html", rows=rows, today=today, **_labels())


def _procedures_on_timeline(family, limit):
    """Only that a procedure concerns the family, and since when — to those access.sees_existence names; a link for
    those who may read it."""
    rows = db.session.scalars(select(Procedure).where(Procedure.family_id == family.id)
                              .options(selectinload(Procedure.group))
                              .order_by(Procedure.nka_date.desc()).limit(limit)).all()
    return [TimelineItem(p.nka_date, "bluecard", _("A Niebieska Karta procedure concerns the family"),
                         url=url_for("bluecard.detail", procedure_id=p.id)
                         if access.can_read(current_user, p) else None) for p in rows
            if access.sees_existence(current_user, p)]


#: this domain's entries in the menu (read once at start-up by casework.core.navigation.collect)
NAV = [
    NavEntry("bluecard.index", _l("Niebieska Karta"), roles=(ZI_MEMBER,), order=50),
]


#: this domain's entries on the family timeline and its "needs attention" notes (casework.core.timeline)
TIMELINE = [_procedures_on_timeline]
