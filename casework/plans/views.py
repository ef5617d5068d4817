"""The family's plan of work: versions, goals, actions, a printable DOCX for signatures."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from casework.core.fields import optional_id
from casework.auth.roles import ADMIN, ASSISTANT, COORDINATOR, SOCIAL_WORKER
from casework.core import audit, dictionaries, documents
from casework.core.errors import save
from casework.core.forms import OnceForm
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.access import load_family_or_404
from casework.families.models import Family, SupportPeriod
from casework.families.services import current_period
from casework.core.timeline import TimelineItem
from casework.core.permissions import roles_required
from casework.plans import services
from casework.plans.models import PlanAction, PlanGoal, WorkPlan
from flask_babel import lazy_gettext as _l

bp = Blueprint("plans", __name__)
EDITORS = (ADMIN, COORDINATOR, ASSISTANT)
#: the family's social worker reads the plan and its versions (the plan is agreed with them, art. 15 ust. 1 pkt 1
#: UWR) without changing it; which families they see is the family loader's rule (casework.families.access)
READERS = EDITORS + (SOCIAL_WORKER,)
STATUS_LABELS = {"planned": _l("planned"), "in_progress": _l("in progress"), "done": _l("done"),
                 "not_done": _l("not done")}


def _may_edit() -> bool:
    return current_user.has_role(*EDITORS)


class PlanForm(OnceForm):
    drawn_up_on = DateField(_l("Drawn up on"), validators=[InputRequired(_l("Enter the date."))])
    consulted_with = StringField(_l("Consulted with the social worker (who)"), validators=[Optional()])
    consulted_on = DateField(_l("Consulted on"), validators=[Optional()])
    agreed_with_family_on = DateField(_l("Agreed with the family on"), validators=[Optional()])
    foster_care_coordinator = StringField(_l("Foster-care coordinator (if a child is in foster care)"),
                                          validators=[Optional()])
    child_help_plan_ref = StringField(_l("The child's help plan (reference)"), validators=[Optional()])


class GoalForm(OnceForm):
    area_id = SelectField(_l("Area of work"), coerce=optional_id,
                          validate_choice=False)
    description = TextAreaField(_l("Goal"), validators=[InputRequired(_l("Describe the goal."))])
    expected_effect = TextAreaField(_l("Expected effect"), validators=[Optional()])


class ActionForm(OnceForm):
    version = HiddenField()
    what = TextAreaField(_l("Action"), validators=[InputRequired(_l("Describe the action."))])
    responsible = StringField(_l("Responsible"), validators=[Optional()],
                              description=_l("The assistant, a family member, the social worker, an institution…"))
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=list(STATUS_LABELS.items()))
    actual_effect = TextAreaField(_l("Actual effect"), validators=[Optional()])


def _plan_or_404(plan_id: int) -> WorkPlan:
    plan = db.session.get(WorkPlan, plan_id)
    if plan is None:
        abort(404)
    load_family_or_404(plan.family_id, action="work_plan_viewed")
    return plan


def _loaded(plan_id: int) -> WorkPlan:
    return db.session.scalar(select(WorkPlan).where(WorkPlan.id == plan_id).options(
        selectinload(WorkPlan.goals).selectinload(PlanGoal.actions),
        selectinload(WorkPlan.goals).selectinload(PlanGoal.area)).execution_options(populate_existing=True))


@bp.route("/families/<int:family_id>/plan", methods=["GET", "POST"])
@roles_required(*READERS)
def family_plan(family_id: int):
    if request.method == "POST" and not _may_edit():
        abort(403)
    family = load_family_or_404(family_id, action="work_plan_viewed")
    period = current_period(family)
    plan = services.latest_plan(period.id) if period else None
    if plan is not None:
        return redirect(url_for("plans.show", plan_id=plan.id))
    form = PlanForm()
    if request.method == "GET":
        form.drawn_up_on.data = today_local()
    errors = []
    if period is not None and form.validate_on_submit():
        plan, errors, _status = save(
            lambda: services.create_plan(period, {f: getattr(form, f).data for f in services.HEADER_FIELDS},
                                         actor=current_user),
            created=_plan_url, success=_("The plan has been created. Add its goals and actions."))
        if not errors:
            return redirect(_plan_url(plan))
    return render_template("plans/new.html", form=form, errors=errors, family=family, period=period,
                           may_edit=_may_edit(), due=services.plan_due_date(period) if period else None), \
        (400 if errors else 200)


def _plan_url(plan) -> str:
    return url_for("plans.show", plan_id=plan.id)


@bp.route("/plans/<int:plan_id>")
@roles_required(*READERS)
def show(plan_id: int):
    plan = _loaded(_plan_or_404(plan_id).id)
    versions = db.session.scalars(select(WorkPlan).where(WorkPlan.support_period_id == plan.support_period_id)
                                  .order_by(WorkPlan.revision)).all()
    previous = next((v for v in versions if v.revision == plan.revision - 1), None)
    newest = versions[-1].id == plan.id
    goal_form = GoalForm()
    goal_form.area_id.choices = [("", "—")] + dictionaries.choices("area_of_work")
    return render_template("plans/show.html", plan=plan, versions=versions, newest=newest,
                           changes=services.differences(_loaded(previous.id) if previous else None, plan),
                           goal_form=goal_form, action_form=ActionForm(), status_labels=STATUS_LABELS,
                           today=today_local(), may_edit=_may_edit())


@bp.route("/plans/<int:plan_id>/goals", methods=["POST"])
@roles_required(*EDITORS)
def add_goal(plan_id: int):
    plan = _plan_or_404(plan_id)
    form = GoalForm()
    form.area_id.choices = dictionaries.choices("area_of_work")

    def add():
        if not form.validate_on_submit():
            raise services.PlanRuleError(_("Describe the goal."))
        return services.add_goal(plan, form.description.data, form.area_id.data, form.expected_effect.data,
                                 actor=current_user)

    save(add, created=lambda _goal: _plan_url(plan), success=_("The goal has been added."), flash_errors=True)
    return redirect(url_for("plans.show", plan_id=plan.id))


@bp.route("/plans/goals/<int:goal_id>/actions", methods=["POST"])
@roles_required(*EDITORS)
def add_action(goal_id: int):
    goal = db.session.get(PlanGoal, goal_id) or abort(404)
    _plan_or_404(goal.plan_id)
    form = ActionForm()

    def add():
        if not form.validate_on_submit():
            raise services.PlanRuleError(_("Describe the action."))
        return services.add_action(goal, {f: getattr(form, f).data for f in services.ACTION_FIELDS},
                                   actor=current_user)

    save(add, created=lambda _action: url_for("plans.show", plan_id=goal.plan_id),
         success=_("The action has been added."), flash_errors=True)
    return redirect(url_for("plans.show", plan_id=goal.plan_id))


@bp.route("/plans/actions/<int:action_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_action(action_id: int):
    action = db.session.get(PlanAction, action_id) or abort(404)
    plan = _plan_or_404(action.goal.plan_id)
    form = ActionForm(obj=action if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = action.version
    errors, status = [], 200
    if form.validate_on_submit():
        values = {f: getattr(form, f).data for f in services.ACTION_FIELDS}
        _r, errors, status = save(lambda: services.update_action(action, values, actor=current_user),
                                  obj=action, form=form)
        if status == 200:
            flash(_("Changes saved."), "success")
            return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/action.html", form=form, errors=errors, plan=plan, action=action), status


@bp.route("/plans/<int:plan_id>/revise", methods=["POST"])
@roles_required(*EDITORS)
def revise(plan_id: int):
    plan = _loaded(_plan_or_404(plan_id).id)
    new, errors, _status = save(lambda: services.revise(plan, today_local(), actor=current_user),
                                created=_plan_url, flash_errors=True,
                                success=_("A new version of the plan has been created from the previous one."))
    return redirect(url_for("plans.show", plan_id=plan.id if errors else new.id))


@bp.route("/plans/<int:plan_id>/print.docx")
@roles_required(*READERS)
def print_docx(plan_id: int):
    plan = _loaded(_plan_or_404(plan_id).id)
    family = db.session.get(Family, plan.family_id)
    document = documents.new_document(
        _("Plan of work with the family — %(name)s (%(number)s)", name=family.name, number=family.case_number),
        _("Version %(n)d, drawn up on %(date)s", n=plan.revision, date=plan.drawn_up_on.isoformat()))
    documents.add_labelled(document, _("Consulted with the social worker"), " ".join(
        x for x in (plan.consulted_with, plan.consulted_on.isoformat() if plan.consulted_on else None) if x))
    documents.add_labelled(document, _("Agreed with the family on"),
                           plan.agreed_with_family_on.isoformat() if plan.agreed_with_family_on else None)
    documents.add_labelled(document, _("Foster-care coordinator"), plan.foster_care_coordinator)
    documents.add_labelled(document, _("The child's help plan"), plan.child_help_plan_ref)
    for n, goal in enumerate(plan.goals, start=1):
        document.add_heading(_("Goal %(n)d: %(goal)s", n=n, goal=goal.description), level=2)
        documents.add_labelled(document, _("Area of work"), goal.area.label if goal.area else None)
        documents.add_labelled(document, _("Expected effect"), goal.expected_effect)
        documents.add_table(document, (_("Action"), _("Responsible"), _("Deadline"), _("Status")),
                            [(a.what, a.responsible, a.deadline.isoformat() if a.deadline else None,
                              STATUS_LABELS[a.status]) for a in goal.actions])
    documents.add_signatures(document, [_("Family member"), _("Family assistant"), _("Social worker")])
    audit.read("work_plan_printed", plan)
    return documents.docx_response(document, f"plan-pracy-{plan.id}")


def _plans_on_timeline(family, limit):
    plans = db.session.scalars(select(WorkPlan).where(WorkPlan.family_id == family.id)
                               .order_by(WorkPlan.drawn_up_on.desc()).limit(limit)).all()
    return [TimelineItem(p.drawn_up_on, "work_plan", _("Plan of work, version %(n)d", n=p.revision),
                         url=url_for("plans.show", plan_id=p.id)) for p in plans]


def _plan_missing(family_ids):
    today = today_local()
    periods = db.session.scalars(select(SupportPeriod).where(
        SupportPeriod.family_id.in_(family_ids), SupportPeriod.start_date <= today,
        or_(SupportPeriod.end_date.is_(None), SupportPeriod.end_date >= today))).all()
    with_plan = set(db.session.scalars(select(WorkPlan.support_period_id).where(
        WorkPlan.support_period_id.in_([p.id for p in periods]))))
    out = {}
    for period in periods:
        if period.id not in with_plan:
            due = services.plan_due_date(period)
            message = (_("plan of work overdue since %(date)s", date=due.isoformat()) if due < today
                       else _("plan of work due %(date)s", date=due.isoformat()))
            out.setdefault(period.family_id, []).append(message)
    return out


#: this domain's entries on the family timeline and its "needs attention" notes (casework.core.timeline)
TIMELINE = [_plans_on_timeline]
ATTENTION = [_plan_missing]
