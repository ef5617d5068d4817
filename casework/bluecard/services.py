"""Rules of the Niebieska Karta procedure. Add and flush; never commit. Reads are audited by the access module."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from casework.bluecard import rules
from casework.bluecard.models import (CLOSING_GROUNDS, FORM_KINDS, MEETING_KINDS, PROGRAMMES, SECTORS, VIOLENCE_FORMS,
                                      GroupMeeting, GroupMember, HelpPlanAction, Procedure, ProcedurePerson,
                                      ProcedureStep)
from casework.bluecard.workdays import add_working_days
from casework.core import audit
from casework.core.errors import RuleError
from casework.core.settings import get_setting
from casework.core.timeutil import today_local
from casework.extensions import db


class BlueCardRuleError(RuleError):
    """A rule of the procedure refused the change."""


def deadline_days() -> dict[str, int]:
    return {"to_chair": int(get_setting("bluecard_days_to_chair")),
            "to_group": int(get_setting("bluecard_days_to_group")),
            "first_meeting": int(get_setting("bluecard_days_first_meeting"))}


def _next_number(day: date) -> str:
    count = db.session.scalar(select(func.count(Procedure.id)).where(
        Procedure.number.like(f"NK/{day.year}/%"))) or 0
    return f"NK/{day.year}/{count + 1}"


def check_nka(values: dict, persons: list[dict], today: date) -> tuple[list[str], list[str], list[dict]]:
    """NK-A's own rules (the form, and a procedure received from another team): its date, the sector, at least one
    form of violence, an affected person and a person suspected, each with a first and last name.
    Returns (problems, the forms of violence, the persons named)."""
    problems = []
    nka_date = values.get("nka_date")
    if nka_date is None:
        problems.append(_("Enter the date NK-A was filled in."))
    elif nka_date > today:
        problems.append(_("NK-A cannot be dated in the future."))
    if values.get("sector") not in SECTORS:
        problems.append(_("Choose the sector that filled in NK-A."))
    forms = [f for f in values.get("violence_forms") or [] if f in VIOLENCE_FORMS]
    if not forms:
        problems.append(_("Choose at least one form of violence."))
    people = [p for p in persons if isinstance(p, dict)
              and (str(p.get("first_name") or "").strip() or str(p.get("last_name") or "").strip())]
    if not any(p.get("role") == "affected" for p in people):
        problems.append(_("Name at least one affected person."))
    if not any(p.get("role") == "suspected" for p in people):
        problems.append(_("Name at least one person suspected of using violence."))
    for p in people:
        if not str(p.get("first_name") or "").strip() or not str(p.get("last_name") or "").strip():
            problems.append(_("Give each person's first and last name."))
            break
    return problems, forms, people


def start_procedure(values: dict, persons: list[dict], *, actor, today: date | None = None) -> Procedure:
    """Record a filled-in NK-A: date, sector, forms of violence, NK-B, the affected persons and those suspected."""
    today = today or today_local()
    problems, forms, people = check_nka(values, persons, today)
    nka_date = values.get("nka_date")
    nkb = {}
    if values.get("nkb_handed_on") or (values.get("nkb_recipient") or "").strip() \
            or (values.get("nkb_not_handed_reason") or "").strip():
        try:
            nkb = rules.check_nkb(values.get("nkb_handed_on"), values.get("nkb_recipient"),
                                  values.get("nkb_recipient_role"), values.get("nkb_not_handed_reason"),
                                  nka_date=nka_date, persons=people, today=today)
        except RuleError as exc:
            problems.extend(exc.messages)
    if problems:
        raise BlueCardRuleError(problems)
    handed = nkb.get("nkb_handed_on") is not None if nkb else bool(values.get("nkb_handed"))
    procedure = Procedure(number=_next_number(nka_date), family_id=values.get("family_id"), nka_date=nka_date,
                          sector=values["sector"], violence_forms=forms, nkb_handed=handed,
                          started_by_id=getattr(actor, "id", None), **nkb)
    for p in people:
        procedure.persons.append(ProcedurePerson(
            role=p["role"], member_id=p.get("member_id"), first_name=p["first_name"].strip(),
            last_name=p["last_name"].strip(), is_child=bool(p.get("is_child")), witness=bool(p.get("witness")),
            address=(p.get("address") or "").strip() or None, phone=(p.get("phone") or "").strip() or None))
    db.session.add(procedure)
    db.session.flush()
    audit.record("bluecard_started", procedure, user=actor)  # no personal data in the details
    return procedure


def _open(procedure: Procedure) -> None:
    if procedure.closed_on is not None:
        raise BlueCardRuleError(_("The procedure is closed."))


def _date_ok(day: date | None, procedure: Procedure, today: date) -> None:
    if day is None:
        raise BlueCardRuleError(_("Enter the date."))
    if day > today:
        raise BlueCardRuleError(_("The date cannot be in the future."))
    if day < procedure.nka_date:
        raise BlueCardRuleError(_("The date cannot be before NK-A was filled in (%(date)s).",
                                  date=procedure.nka_date.isoformat()))


def hand_to_chair(procedure: Procedure, day: date, *, actor, today: date | None = None) -> None:
    _open(procedure)
    _date_ok(day, procedure, today or today_local())
    procedure.to_chair_on = day
    db.session.flush()
    audit.record("bluecard_to_chair", procedure, user=actor)


def record_nkb(procedure: Procedure, values: dict, *, actor, today: date | None = None) -> None:
    """NK-B handed later (date, to whom) or the reason it could not be handed (rules.check_nkb)."""
    _open(procedure)
    nkb = rules.check_nkb(values.get("handed_on"), values.get("recipient"), values.get("recipient_role"),
                          values.get("reason"), nka_date=procedure.nka_date, persons=procedure.persons,
                          today=today or today_local())
    for name, value in nkb.items():
        setattr(procedure, name, value)
    procedure.nkb_handed = nkb["nkb_handed_on"] is not None
    db.session.flush()
    audit.record("bluecard_nkb_recorded", procedure, user=actor, details={"handed": procedure.nkb_handed})


def add_step(procedure: Procedure, kind: str, day: date | None, values: dict, *, actor,
             today: date | None = None) -> ProcedureStep:
    """A step recorded with its date and author (rules.STEP_KINDS); the group's summons, notifications, art. 12a
    actions, information sent, decisions. Allowed after closing only while monitoring lasts."""
    if procedure.closed_on is not None and not procedure.monitoring_until:
        raise BlueCardRuleError(_("The procedure is closed."))
    details = rules.check_step(kind, day, values, procedure=procedure, today=today or today_local())
    step = ProcedureStep(kind=kind, step_date=day, author_id=getattr(actor, "id", None), details=details)
    procedure.steps.append(step)
    db.session.flush()
    audit.record("bluecard_step_added", procedure, user=actor, details={"kind": kind})  # no content
    return step


def hand_to_group(procedure: Procedure, day: date, members: list[dict], *, actor, today: date | None = None) -> None:
    """The chair passes NK-A to a diagnostic group: a social worker and a police officer at least."""
    _open(procedure)
    _date_ok(day, procedure, today or today_local())
    if procedure.to_chair_on is None or day < procedure.to_chair_on:
        raise BlueCardRuleError(_("Record first when NK-A reached the chair of the team."))
    members = [m for m in members if (m.get("name") or "").strip()]
    sectors = {m.get("sector") for m in members}
    if "social_assistance" not in sectors or "police" not in sectors:
        raise BlueCardRuleError(_("The diagnostic group needs at least a social worker and a police officer."))
    if any(m.get("sector") not in SECTORS for m in members):
        raise BlueCardRuleError(_("Choose each member's sector."))
    procedure.to_group_on = day
    procedure.group.clear()
    for m in members:
        procedure.group.append(GroupMember(user_id=m.get("user_id"), name=m["name"].strip(), sector=m["sector"]))
    db.session.flush()
    audit.record("bluecard_to_group", procedure, user=actor, details={"members": len(members)})


def add_meeting(procedure: Procedure, values: dict, forms: list[dict], *, actor,
                today: date | None = None) -> GroupMeeting:
    """A group meeting (with the NK-C / NK-D forms filled in it) or a monitoring visit.

    NK-C is filled with an affected person, NK-D with a person using violence — never in the same meeting."""
    today = today or today_local()
    kind = values.get("kind") or "meeting"
    if kind not in MEETING_KINDS:
        raise BlueCardRuleError(_("Choose what took place."))
    if procedure.closed_on is not None and not (kind == "monitoring_visit" and procedure.monitoring_until):
        raise BlueCardRuleError(_("The procedure is closed."))
    if procedure.to_group_on is None:
        raise BlueCardRuleError(_("The procedure has not been handed to a diagnostic group yet."))
    day = values.get("meeting_date")
    _date_ok(day, procedure, today)
    if day < procedure.to_group_on:
        raise BlueCardRuleError(_("The group meets after it receives NK-A (%(date)s).",
                                  date=procedure.to_group_on.isoformat()))
    persons = {p.id: p for p in procedure.persons}
    cleaned = []
    for f in forms:
        person = persons.get(f.get("person_id"))
        if f.get("form") not in FORM_KINDS or person is None:
            raise BlueCardRuleError(_("Choose the form and the person it was filled in with."))
        if f["form"] == "NK-C" and person.role != "affected":
            raise BlueCardRuleError(_("NK-C is filled in with an affected person."))
        if f["form"] == "NK-D" and person.role != "suspected":
            raise BlueCardRuleError(_("NK-D is filled in with a person suspected of using violence."))
        cleaned.append({"form": f["form"], "person_id": person.id})
    if {f["form"] for f in cleaned} == set(FORM_KINDS):
        raise BlueCardRuleError(_("NK-C and NK-D cannot be filled in at the same meeting: the affected person and "
                                  "the person using violence are never met together."))
    if cleaned and kind != "meeting":
        raise BlueCardRuleError(_("Forms are filled in at a meeting of the group."))
    meeting = GroupMeeting(kind=kind, meeting_date=day, notes=(values.get("notes") or "").strip() or None,
                           forms=cleaned)
    procedure.meetings.append(meeting)
    db.session.flush()
    audit.record("bluecard_meeting_added", procedure, user=actor, details={"kind": kind, "forms": len(cleaned)})
    return meeting


def filled_forms(procedure: Procedure) -> dict[int, set]:
    """{person_id: {"NK-C", …}} over the procedure's meetings."""
    out: dict[int, set] = {}
    for meeting in procedure.meetings:
        for f in meeting.forms or []:
            out.setdefault(f["person_id"], set()).add(f["form"])
    return out


def add_help_action(procedure: Procedure, person_id: int, values: dict, *, actor) -> HelpPlanAction:
    _open(procedure)
    person = next((p for p in procedure.persons if p.id == person_id), None)
    if person is None or person.role != "affected":
        raise BlueCardRuleError(_("A help plan is drawn up for an affected person."))
    if "NK-C" not in filled_forms(procedure).get(person.id, set()):
        raise BlueCardRuleError(_("Fill in NK-C with the person before drawing up their help plan."))
    if not (values.get("action") or "").strip():
        raise BlueCardRuleError(_("Describe the action."))
    action = HelpPlanAction(procedure_id=procedure.id, person_id=person.id, action=values["action"].strip(),
                            responsible=(values.get("responsible") or "").strip() or None,
                            deadline=values.get("deadline"))
    db.session.add(action)
    db.session.flush()
    audit.record("bluecard_help_action_added", procedure, user=actor)
    return action


def help_actions(procedure: Procedure) -> list[HelpPlanAction]:
    return list(db.session.scalars(select(HelpPlanAction).where(HelpPlanAction.procedure_id == procedure.id)
                                   .order_by(HelpPlanAction.id)))


def set_action_done(action: HelpPlanAction, done: bool, *, actor) -> None:
    action.done = done
    db.session.flush()
    audit.record("bluecard_help_action_updated", action, user=actor, details={"done": done})


def refer_to_programme(procedure: Procedure, person_id: int, day: date, programme: str, *, actor,
                       today: date | None = None) -> None:
    person = next((p for p in procedure.persons if p.id == person_id), None)
    if person is None or person.role != "suspected":
        raise BlueCardRuleError(_("A person using violence is referred to a programme."))
    if programme not in PROGRAMMES:
        raise BlueCardRuleError(_("Choose the programme."))
    _date_ok(day, procedure, today or today_local())
    person.referred_on, person.programme = day, programme
    db.session.flush()
    audit.record("bluecard_referred", procedure, user=actor, details={"programme": programme})


def close(procedure: Procedure, day: date, ground: str, monitoring_until: date | None, *, actor,
          today: date | None = None) -> None:
    """The group's closing decision: violence stopped and the help plan carried out, or the procedure unfounded."""
    _open(procedure)
    _date_ok(day, procedure, today or today_local())
    if ground not in CLOSING_GROUNDS:
        raise BlueCardRuleError(_("Choose the ground of closing."))
    if procedure.to_group_on is None:
        raise BlueCardRuleError(_("Only the diagnostic group closes the procedure; hand it to a group first."))
    last_meeting = max((m.meeting_date for m in procedure.meetings), default=None)
    if last_meeting is not None and day < last_meeting:
        raise BlueCardRuleError(_("The procedure cannot close before its last meeting (%(date)s).",
                                  date=last_meeting.isoformat()))
    if ground == "violence_stopped":
        forms = filled_forms(procedure)
        missing = [p.name for p in procedure.persons if p.role == "affected" and "NK-C" not in forms.get(p.id, set())]
        if missing:
            raise BlueCardRuleError(_("NK-C has not been filled in with every affected person."))
        actions = help_actions(procedure)
        if not actions or not all(a.done for a in actions):
            raise BlueCardRuleError(_("The help plan must be drawn up and carried out before closing on this "
                                      "ground."))
    if monitoring_until is not None and monitoring_until <= day:
        raise BlueCardRuleError(_("Monitoring must end after the procedure closes."))
    procedure.closed_on, procedure.closing_ground, procedure.monitoring_until = day, ground, monitoring_until
    db.session.flush()
    audit.record("bluecard_closed", procedure, user=actor, details={"ground": ground})


def deadlines(procedure: Procedure, days: dict[str, int] | None = None) -> list[dict]:
    """The statutory steps in working days: NK-A to the chair, the chair to a group, the group's first meeting.
    `days`: `deadline_days()` read once by a caller going through many procedures."""
    days = days or deadline_days()
    out = []
    if rules.nkb_missing(procedure) or procedure.nkb_handed_on:
        # NK-B is handed when NK-A is filled in: missing, it is due that day (and reminded) until recorded
        out.append({"kind": "nkb", "due": procedure.nka_date, "done": procedure.nkb_handed_on})
    chair_due = add_working_days(procedure.nka_date, days["to_chair"])
    out.append({"kind": "to_chair", "due": chair_due, "done": procedure.to_chair_on})
    if procedure.to_chair_on:
        out.append({"kind": "to_group", "due": add_working_days(procedure.to_chair_on, days["to_group"]),
                    "done": procedure.to_group_on})
    if procedure.to_group_on:
        first = min((m.meeting_date for m in procedure.meetings if m.kind == "meeting"), default=None)
        out.append({"kind": "first_meeting", "due": add_working_days(procedure.to_group_on, days["first_meeting"]),
                    "done": first})
    return out


def subject_access(member_ids=(), names=()) -> list[dict]:
    """Blue-card data about one person for a subject-access export (RODO art. 15).

    A person who uses violence in any procedure never receives where an affected person lives or how to reach them:
    for such a person the export leaves out the other persons' addresses and phone numbers, meeting notes and the
    help plans (which may reveal a shelter or a school)."""
    stmt = select(ProcedurePerson)
    conditions = []
    if member_ids:
        conditions.append(ProcedurePerson.member_id.in_(list(member_ids)))
    for first, last in names:
        conditions.append((func.lower(ProcedurePerson.first_name) == first.lower())
                          & (func.lower(ProcedurePerson.last_name) == last.lower()))
    if not conditions:
        return []

    rows = db.session.scalars(stmt.where(or_(*conditions))).all()
    uses_violence = any(r.role == "suspected" for r in rows)
    out = []
    for row in rows:
        procedure = row.procedure
        entry = {"procedure": procedure.number, "role": row.role, "nka_date": procedure.nka_date.isoformat(),
                 "closed_on": procedure.closed_on.isoformat() if procedure.closed_on else None,
                 "closing_ground": procedure.closing_ground, "violence_forms": list(procedure.violence_forms),
                 "own_data": {"first_name": row.first_name, "last_name": row.last_name, "address": row.address,
                              "phone": row.phone, "referred_on": row.referred_on.isoformat() if row.referred_on
                              else None, "programme": row.programme}}
        if not uses_violence:
            entry["meetings"] = [{"date": m.meeting_date.isoformat(), "kind": m.kind,
                                  "forms": [f["form"] for f in m.forms if f["person_id"] == row.id]}
                                 for m in procedure.meetings]
            entry["help_plan"] = [{"action": a.action, "responsible": a.responsible,
                                   "deadline": a.deadline.isoformat() if a.deadline else None, "done": a.done}
                                  for a in help_actions(procedure) if a.person_id == row.id]
        else:
            entry["meetings"] = [{"date": m.meeting_date.isoformat(), "kind": m.kind} for m in procedure.meetings
                                 if any(f["person_id"] == row.id for f in m.forms)]
        out.append(entry)
    return out


def timeline(procedure: Procedure) -> list[dict]:
    """The procedure's history, oldest first: NK-A, NK-B, the chair, the group, meetings, recorded steps, referrals,
    closing — each {"date", "kind", "record"} (the template words them)."""
    out = [{"date": procedure.nka_date, "kind": "nka", "record": procedure}]
    if procedure.nkb_handed_on:
        out.append({"date": procedure.nkb_handed_on, "kind": "nkb", "record": procedure})
    if procedure.to_chair_on:
        out.append({"date": procedure.to_chair_on, "kind": "to_chair", "record": procedure})
    if procedure.to_group_on:
        out.append({"date": procedure.to_group_on, "kind": "to_group", "record": procedure})
    out += [{"date": m.meeting_date, "kind": m.kind, "record": m} for m in procedure.meetings]
    out += [{"date": s.step_date, "kind": "step", "record": s} for s in procedure.steps]
    out += [{"date": p.referred_on, "kind": "referral", "record": p} for p in procedure.persons if p.referred_on]
    if procedure.closed_on:
        out.append({"date": procedure.closed_on, "kind": "closed", "record": procedure})
    return sorted(out, key=lambda e: e["date"])
