"""Half-yearly assessments and the coordinator's deadline board."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.assessments import services
from casework.assessments.forms import AssessmentForm
from casework.assessments.models import RECOMMENDATION_LABELS, Assessment
from casework.auth.models import User, UserRole
from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR, SOCIAL_WORKER
from casework.core import audit, documents
from casework.core.errors import save
from casework.core.pagination import int_arg
from casework.core.permissions import roles_required
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.access import load_family_or_404
from casework.families.models import AssistantAssignment, SupportPeriod
from casework.families.services import current_period
from casework.core.timeline import TimelineItem

bp = Blueprint("assessments", __name__)
AUTHORS = (ADMIN, COORDINATOR, ASSISTANT)
#: the family's social worker reads the assessments without changing them (casework.families.access decides which)
READERS = AUTHORS + (SOCIAL_WORKER,)


def _assessment_or_404(assessment_id: int) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or assessment.archived_at is not None:
        abort(404)
    load_family_or_404(assessment.family_id, action="assessment_viewed")
    return assessment


GOAL_FIELD = "goal_progress-"


def _posted_goal_progress(goals) -> dict[int, str]:
    """The per-goal progress texts from the form (one textarea per goal of the plan)."""
    posted = {}
    for key, text in request.form.items():
        if key.startswith(GOAL_FIELD) and key[len(GOAL_FIELD):].isdigit():
            posted[int(key[len(GOAL_FIELD):])] = text
    return posted


def _save(form, period, assessment=None, goal_progress=None):
    values = {f: getattr(form, f).data for f in services.FIELDS}
    if assessment is None:
        return save(lambda: services.make_assessment(period, values, actor=current_user,
                                                     goal_progress=goal_progress),
                    created=lambda made: url_for("assessments.edit", assessment_id=made.id))

    def update():
        services.update_assessment(assessment, values, actor=current_user, goal_progress=goal_progress)
        return assessment

    return save(update, obj=assessment, form=form)


@bp.route("/families/<int:family_id>/assessments/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def new(family_id: int):
    family = load_family_or_404(family_id, action="assessment_viewed")
    period = current_period(family)
    if period is None:
        flash(_("The family has no open support period to assess."), "error")
        return redirect(url_for("families.detail", family_id=family.id))
    form = AssessmentForm()
    if request.method == "GET":
        last = services.last_assessment_dates([period.id]).get(period.id)
        form.assessment_date.data = today_local()
        form.covers_from.data = last or period.start_date
        form.covers_to.data = today_local()
    return _form_page(form, family, period, None)


@bp.route("/assessments/<int:assessment_id>", methods=["GET", "POST"])
@roles_required(*READERS)
def edit(assessment_id: int):
    if not current_user.has_role(*AUTHORS):
        if request.method == "POST":
            abort(403)
        assessment = _assessment_or_404(assessment_id)
        goals = {g.id: g for g in services.assessable_goals(assessment.support_period_id, assessment)}
        return render_template("assessments/read.html", assessment=assessment, family=assessment.support_period.family,
                               period=assessment.support_period, goals=goals, labels=RECOMMENDATION_LABELS)
    assessment = _assessment_or_404(assessment_id)
    form = AssessmentForm(obj=assessment if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = assessment.version
    return _form_page(form, assessment.support_period.family, assessment.support_period, assessment)


def _form_page(form, family, period, assessment):
    errors, status = [], 200
    goals = services.assessable_goals(period.id, assessment)
    if request.method == "POST":
        goal_texts = _posted_goal_progress(goals)
    else:
        goal_texts = {gp.goal_id: gp.progress for gp in assessment.goal_progress} if assessment else {}
    if form.validate_on_submit():
        saved, errors, status = _save(form, period, assessment, goal_texts)
        if status == 200:
            flash(_("The assessment has been saved."), "success")
            return redirect(url_for("assessments.edit", assessment_id=saved.id))
    if status == 200 and (errors or form.errors):
        status = 400
    return render_template("assessments/form.html", form=form, errors=errors, family=family, period=period,
                           assessment=assessment, labels=RECOMMENDATION_LABELS, goals=goals,
                           goal_texts=goal_texts, goal_field=GOAL_FIELD, goals_by_id={g.id: g for g in goals}), status


@bp.route("/assessments/<int:assessment_id>/acknowledge", methods=["POST"])
@roles_required(ADMIN, COORDINATOR)
def acknowledge(assessment_id: int):
    assessment = _assessment_or_404(assessment_id)
    save(lambda: services.acknowledge(assessment, actor=current_user),
         success=_("The assessment has been acknowledged."), flash_errors=True)
    return redirect(url_for("assessments.edit", assessment_id=assessment.id))


@bp.route("/assessments/<int:assessment_id>/print.docx")
@roles_required(*READERS)
def print_docx(assessment_id: int):
    assessment = _assessment_or_404(assessment_id)
    family = assessment.support_period.family
    document = documents.new_document(
        _("Half-yearly assessment of the family's situation — %(name)s (%(number)s)", name=family.name,
          number=family.case_number),
        _("Made on %(date)s, covers %(start)s – %(end)s", date=assessment.assessment_date.isoformat(),
          start=assessment.covers_from.isoformat(), end=assessment.covers_to.isoformat()))
    goals = {g.id: g for g in services.assessable_goals(assessment.support_period_id, assessment)}
    if assessment.goal_progress:
        document.add_heading(_("Progress towards the plan's goals"), level=2)
        documents.add_table(document, (_("Goal"), _("Progress")),
                            [(goals[gp.goal_id].description if gp.goal_id in goals else gp.goal_id, gp.progress)
                             for gp in assessment.goal_progress])
    for label, text in ((_("Progress towards the plan's goals"), assessment.progress),
                        (_("Changes in the family's situation"), assessment.changes),
                        (_("Strengths"), assessment.strengths), (_("Risks"), assessment.risks),
                        (_("Recommendation"), RECOMMENDATION_LABELS[assessment.recommendation]),
                        (_("Handed to the head of centre on"),
                         assessment.handed_to_head_on.isoformat() if assessment.handed_to_head_on else None)):
        documents.add_labelled(document, label, text)
    documents.add_signatures(document, [_("Family assistant"), _("Head of centre")])
    audit.read("assessment_printed", assessment)
    return documents.docx_response(document, f"ocena-{assessment.id}")


@bp.route("/assessments/board")
@roles_required(ADMIN, COORDINATOR)
def board():
    today = today_local()
    assistant_id = int_arg("assistant")
    only_overdue = request.args.get("overdue") == "1"
    periods = db.session.scalars(services.open_periods_query(today, assistant_id).options(
        selectinload(SupportPeriod.family),
        selectinload(SupportPeriod.assignments).selectinload(AssistantAssignment.assistant))).all()
    rows = services.deadlines(periods, today)
    if only_overdue:
        rows = [r for r in rows if r["overdue"]]
    page_number = max(min(request.args.get("page", 1, type=int) or 1, 100000), 1)
    per_page = 50
    pages = max((len(rows) + per_page - 1) // per_page, 1)
    shown = rows[(page_number - 1) * per_page: page_number * per_page]
    audit.read("assessment_board_viewed", object_type="family",
               details={"page": page_number, "family_ids": [r["period"].family_id for r in shown]})
    assistants = db.session.scalars(select(User).join(UserRole).where(UserRole.role == ASSISTANT)
                                    .order_by(User.full_name)).all()
    return render_template("assessments/board.html", rows=shown, total=len(rows), page=page_number, pages=pages,
                           assistants=assistants, assistant_id=assistant_id, only_overdue=only_overdue, today=today)


def _assessments_on_timeline(family, limit):
    rows = db.session.scalars(select(Assessment).where(Assessment.family_id == family.id,
                                                       Assessment.archived_at.is_(None))
                              .order_by(Assessment.assessment_date.desc()).limit(limit)).all()
    return [TimelineItem(a.assessment_date, "assessment",
                         _("Half-yearly assessment: %(recommendation)s",
                           recommendation=RECOMMENDATION_LABELS[a.recommendation]),
                         url=url_for("assessments.edit", assessment_id=a.id)) for a in rows]


def _assessment_due(family_ids):
    today = today_local()
    periods = db.session.scalars(services.open_periods_query(today).where(
        SupportPeriod.family_id.in_(family_ids))).all()
    out = {}
    for row in services.deadlines(periods, today):
        if row["overdue"]:
            out.setdefault(row["period"].family_id, []).append(
                _("assessment overdue since %(date)s", date=row["due"].isoformat()))
        elif row["days_left"] <= 14:
            out.setdefault(row["period"].family_id, []).append(
                _("assessment due %(date)s", date=row["due"].isoformat()))
    return out


#: this domain's entries on the family timeline and its "needs attention" notes (casework.core.timeline)
TIMELINE = [_assessments_on_timeline]
ATTENTION = [_assessment_due]
