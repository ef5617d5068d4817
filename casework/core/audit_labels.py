"""The audit log in words: a label per action code and per record type, the record named by its case number (never
a person's name or PESEL), and the details as "field: old → new" lines with the forms' field labels.

The codes stay what `audit.record`/`audit.read` store (stable, searchable); only the screen translates them. A new
action code needs a line in ACTION_LABELS (tests/core/test_polish_screens.py checks every recorded code has one)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, or_, select
from wtforms.fields.core import UnboundField

from casework.extensions import db

ACTION_LABELS = {
    "attachment_added": _l("Document attached"),
    "attachment_downloaded": _l("Document opened"),
    "attachment_form_viewed": _l("Document form viewed"),
    "bluecard_attachment_added": _l("Blue Card document attached"),
    "bluecard_handed_over": _l("Blue Card procedure handed over to another team"),
    "bluecard_received": _l("Blue Card procedure received from another team"),
    "bluecard_package_downloaded": _l("Blue Card package downloaded"),
    "bluecard_attachment_downloaded": _l("Blue Card document opened"),
    "letter_form_viewed": _l("Letter form viewed"),
    "letter_generated": _l("Letter generated"),
    "letter_template_replaced": _l("Letter template replaced"),
    "letter_template_reset": _l("Letter template reset to the shipped one"),
    "assessment_acknowledged": _l("Assessment acknowledged by the head of the centre"),
    "assessment_board_viewed": _l("Assessment board viewed"),
    "assessment_created": _l("Assessment written"),
    "assessment_printed": _l("Assessment printed"),
    "assessment_updated": _l("Assessment changed"),
    "assessment_viewed": _l("Assessment viewed"),
    "assistant_assigned": _l("Assistant assigned"),
    "bluecard_board_viewed": _l("Blue Card deadline board viewed"),
    "bluecard_closed": _l("Blue Card procedure closed"),
    "bluecard_help_action_added": _l("Help plan action added"),
    "bluecard_help_action_updated": _l("Help plan action changed"),
    "bluecard_meeting_added": _l("Diagnostic group meeting recorded"),
    "bluecard_nkb_recorded": _l("NK-B handing recorded"),
    "bluecard_form_printed": _l("Blue Card form printed"),
    "bluecard_step_added": _l("Blue Card procedure step recorded"),
    "bluecard_referred": _l("Referral to a programme"),
    "bluecard_register_viewed": _l("Blue Card register viewed"),
    "bluecard_started": _l("Blue Card procedure started"),
    "bluecard_to_chair": _l("NK-A handed to the chair"),
    "bluecard_to_group": _l("Procedure handed to a diagnostic group"),
    "bluecard_viewed": _l("Blue Card procedure viewed"),
    "calendar_token_created": _l("Calendar link created"),
    "calendar_token_revoked": _l("Calendar link revoked"),
    "contact_form_viewed": _l("Contact form opened"),
    "court_opinion_created": _l("Court opinion written"),
    "court_opinion_downloaded": _l("Court opinion downloaded"),
    "court_opinion_updated": _l("Court opinion changed"),
    "court_opinion_viewed": _l("Court opinion viewed"),
    "data_imported": _l("Data imported"),
    "data_quality_viewed": _l("Data quality check viewed"),
    "deadline_feed_read": _l("Calendar of deadlines read"),
    "deadlines_viewed": _l("Deadlines viewed"),
    "start_page_viewed": _l("Start page viewed"),
    "family_archived": _l("Family archived"),
    "family_created": _l("Family registered"),
    "family_duplicates_shown": _l("Likely duplicates shown at registration"),
    "family_edit_viewed": _l("Family edit form opened"),
    "family_list_viewed": _l("Family list viewed"),
    "family_member_archived": _l("Family member archived"),
    "family_member_created": _l("Family member added"),
    "family_member_restored": _l("Family member restored"),
    "family_member_updated": _l("Family member changed"),
    "family_restored": _l("Family restored"),
    "family_updated": _l("Family changed"),
    "family_viewed": _l("Family viewed"),
    "foster_care_bill_recorded": _l("Foster care bill recorded"),
    "foster_care_year_viewed": _l("Foster care year viewed"),
    "foster_child_registered": _l("Child in foster care registered"),
    "foster_child_viewed": _l("Child in foster care viewed"),
    "foster_children_viewed": _l("Children in foster care viewed"),
    "indicator_records_viewed": _l("Records behind an indicator viewed"),
    "institution_contact_archived": _l("Institution contact archived"),
    "institution_contact_created": _l("Institution contact recorded"),
    "institution_contact_restored": _l("Institution contact restored"),
    "institution_contact_updated": _l("Institution contact changed"),
    "institution_contacts_viewed": _l("Institution contacts viewed"),
    "institution_created": _l("Institution added"),
    "institution_updated": _l("Institution changed"),
    "login": _l("Signed in"),
    "login_failed": _l("Failed login"),
    "login_locked": _l("Account locked after failed logins"),
    "logout": _l("Signed out"),
    "member_edit_viewed": _l("Family member edit form opened"),
    "ministry_row_updated": _l("Ministry report row changed"),
    "ministry_values_entered": _l("Typed-in figures of the ministry report entered"),
    "my_day_viewed": _l("My day viewed"),
    "my_families_viewed": _l("My families viewed"),
    "my_week_viewed": _l("My week viewed"),
    "password_changed": _l("Password changed"),
    "password_reset": _l("Password reset"),
    "period_closed": _l("Reporting period closed"),
    "period_reopened": _l("Reporting period re-opened"),
    "person_data_exported": _l("Personal data exported"),
    "person_export_viewed": _l("Personal data export opened"),
    "placement_added": _l("Placement added"),
    "placement_updated": _l("Placement changed"),
    "placement_viewed": _l("Placement viewed"),
    "plan_action_added": _l("Plan action added"),
    "plan_action_updated": _l("Plan action changed"),
    "plan_goal_added": _l("Plan goal added"),
    "programme_archived": _l("Programme archived"),
    "programme_created": _l("Programme created"),
    "programme_form_added": _l("Programme form of work added"),
    "programme_goal_added": _l("Programme goal added"),
    "programme_measure_added": _l("Programme measure added"),
    "programme_measure_updated": _l("Programme measure changed"),
    "programme_updated": _l("Programme changed"),
    "programme_values_entered": _l("Programme figures entered"),
    "staff_profile_saved": _l("Assistant's qualification saved"),
    "employment_spell_saved": _l("Employment spell saved"),
    "staff_training_saved": _l("Training saved"),
    "staff_cost_saved": _l("Cost of employment saved"),
    "staff_record_archived": _l("Staff register entry removed"),
    "reminder_digest_preference": _l("Reminder e-mail preference changed"),
    "reminder_done": _l("Reminder marked done"),
    "reminder_snoozed": _l("Reminder snoozed"),
    "reminders_viewed": _l("Reminders viewed"),
    "report_exported": _l("Report exported"),
    "report_document_created": _l("Report created from a template"),
    "report_document_updated": _l("Report title changed"),
    "report_document_copied": _l("Next year's report created"),
    "report_document_archived": _l("Report archived"),
    "report_section_added": _l("Report section added"),
    "report_section_updated": _l("Report section changed"),
    "report_section_deleted": _l("Report section deleted"),
    "centre_identity_changed": _l("Centre's details changed"),
    "retention_list_viewed": _l("Retention list viewed"),
    "retention_purge": _l("Data purged after retention"),
    "search_viewed": _l("Search"),
    "setting_changed": _l("Setting changed"),
    "support_period_ended": _l("Support period ended"),
    "support_period_started": _l("Support period started"),
    "support_period_updated": _l("Support period changed"),
    "team_meeting_created": _l("Team meeting recorded"),
    "timesheet_exported": _l("Work-time sheet downloaded"),
    "timesheet_viewed": _l("Work-time sheet viewed"),
    "user_created": _l("User account created"),
    "work_form_viewed": _l("Other work form opened (lists families)"),
    "work_entry_archived": _l("Work removed from the work-time sheet"),
    "work_entry_created": _l("Work added to the work-time sheet"),
    "user_reactivated": _l("User account re-activated"),
    "user_updated": _l("User account changed"),
    "visit_archived": _l("Visit archived"),
    "visit_created": _l("Visit recorded"),
    "visit_form_viewed": _l("Visit form opened"),
    "visit_restored": _l("Visit restored"),
    "visit_updated": _l("Visit changed"),
    "visit_viewed": _l("Visit viewed"),
    "work_plan_created": _l("Plan of work drawn up"),
    "work_plan_printed": _l("Plan of work printed"),
    "work_plan_revised": _l("Plan of work revised"),
    "work_plan_viewed": _l("Plan of work viewed"),
    "waiting_list_viewed": _l("Waiting list viewed"),
    "supporting_family_created": _l("Supporting family registered"),
    "supporting_family_updated": _l("Supporting family changed"),
    "supporting_family_viewed": _l("Supporting family viewed"),
    "supporting_family_archived": _l("Supporting family archived"),
    "supporting_family_help_created": _l("Supporting family's help recorded"),
    "supporting_family_help_updated": _l("Supporting family's help changed"),
    "supporting_family_help_archived": _l("Supporting family's help archived"),
    "supporting_family_help_form_viewed": _l("Supporting family's help form opened"),
    "supporting_family_cost_created": _l("Supporting family's costs recorded"),
    "supporting_family_cost_removed": _l("Supporting family's costs removed"),
    "day_support_facility_created": _l("Day-support facility described"),
    "day_support_facility_updated": _l("Day-support facility changed"),
    "day_support_attendance_created": _l("Day-support attendance recorded"),
    "day_support_attendance_updated": _l("Day-support attendance changed"),
    "day_support_attendance_archived": _l("Day-support attendance archived"),
    "team_membership_created": _l("Team member registered"),
    "team_membership_updated": _l("Team member changed"),
    "team_membership_archived": _l("Team member archived"),
    "za_zyciem_request_created": _l("„Za życiem” request recorded"),
    "za_zyciem_request_updated": _l("„Za życiem” request changed"),
    "za_zyciem_request_archived": _l("„Za życiem” request archived"),
    "za_zyciem_requests_viewed": _l("„Za życiem” requests viewed"),
}

OBJECT_LABELS = {
    "attachment": _l("document"),
    "bluecard_attachment": _l("Blue Card document"),
    "letter_template": _l("letter template"),
    "app_setting": _l("setting"),
    "assessment": _l("assessment"),
    "assistant_assignment": _l("assignment"),
    "bluecard_procedure": _l("Blue Card procedure"),
    "bluecard_help_action": _l("help plan action"),
    "bluecard_meeting": _l("group meeting"),
    "calendar_token": _l("calendar link"),
    "closed_period": _l("closed period"),
    "court_opinion": _l("court opinion"),
    "family": _l("family"),
    "family_member": _l("family member"),
    "foster_care_bill": _l("foster care bill"),
    "foster_child": _l("child in foster care"),
    "import": _l("import"),
    "indicator": _l("indicator"),
    "institution": _l("institution"),
    "institution_contact": _l("institution contact"),
    "ministry_row": _l("ministry report row"),
    "placement": _l("placement"),
    "staff_profile": _l("assistant's qualification"),
    "employment_spell": _l("employment spell"),
    "staff_training": _l("training"),
    "staff_cost": _l("cost of employment"),
    "plan_action": _l("plan action"),
    "plan_goal": _l("plan goal"),
    "programme": _l("programme"),
    "report_document": _l("report"),
    "programme_form": _l("programme form of work"),
    "programme_goal": _l("programme goal"),
    "programme_measure": _l("programme measure"),
    "reminder": _l("reminder"),
    "report": _l("report"),
    "retention": _l("retention"),
    "support_period": _l("support period"),
    "team_meeting": _l("team meeting"),
    "user_account": _l("user account"),
    "visit": _l("visit"),
    "work_plan": _l("plan of work"),
    "supporting_family": _l("supporting family"),
    "supporting_family_help": _l("supporting family's help"),
    "supporting_family_cost": _l("supporting family's costs"),
    "day_support_attendance": _l("day-support attendance"),
    "team_membership": _l("member of the interdisciplinary team"),
    "za_zyciem_request": _l("„Za życiem” request"),
}

#: detail keys that are not form fields
DETAIL_LABELS = {"fields": _l("fields filled in"), "child_id": _l("child in foster care"), "period_id": _l("support period"),"count": _l("number of records"), "kind": _l("kind"), "format": _l("format"), "rows": _l("rows"),
                 "reason": _l("reason"), "year": _l("Year"), "code": _l("Code"), "key": _l("setting")}
#: detail keys only an engineer reads (the page's endpoint): kept in the raw data, not in the lines
HIDDEN_DETAILS = ("view",)


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def object_label(object_type: str | None) -> str:
    return str(OBJECT_LABELS.get(object_type, object_type or ""))


_field_labels: dict | None = None
_field_choices: dict = {}


def field_labels() -> dict:
    """{field name: label} from every form of the application (the labels people saw when they typed the value);
    the fixed choices of select fields are kept too, so a stored code reads as the option people chose."""
    global _field_labels
    if _field_labels is None:
        from flask_wtf import FlaskForm  # local import: only on first use, when every form is defined (start-up)

        found: dict = {}

        def walk(cls):
            for sub in cls.__subclasses__():
                for name, value in vars(sub).items():
                    if isinstance(value, UnboundField):
                        label = value.args[0] if value.args else value.kwargs.get("label")
                        if label:
                            found.setdefault(name, label)
                        choices = value.kwargs.get("choices")
                        if isinstance(choices, dict):
                            choices = list(choices.items())
                        if isinstance(choices, (list, tuple)):
                            pairs = {str(c[0]): c[1] for c in choices if isinstance(c, (list, tuple)) and len(c) >= 2}
                            _field_choices.setdefault(name, {}).update(pairs)
                walk(sub)

        walk(FlaskForm)
        _field_labels = found
    return _field_labels


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return str(_l("yes"))
    if value is False:
        return str(_l("no"))
    if isinstance(value, (list, dict)):
        return ", ".join(str(v) for v in (value.values() if isinstance(value, dict) else value))
    return str(value)


def detail_lines(details) -> list[str]:
    """The details of an event as lines: "Gmina: Chmielnik → Kielce" for a change, "Format: xlsx" otherwise."""
    if not isinstance(details, dict):
        return [_value(details)] if details else []
    labels = field_labels()
    lines = []
    for key, value in details.items():
        if key in HIDDEN_DETAILS:
            continue
        choices = _field_choices.get(key, {})

        def shown(v):
            return str(choices.get(str(v), _value(v))) if not isinstance(v, bool) else _value(v)

        if key == "fields" and isinstance(value, list):  # the fields filled in on creation, by their labels
            lines.append(f"{DETAIL_LABELS['fields']}: " + ", ".join(str(labels.get(f, f.replace('_', ' ')))
                                                                   for f in value))
            continue
        if key.endswith("_id") and key not in labels and not isinstance(value, list):
            record = DETAIL_LABELS.get(key) or OBJECT_LABELS.get(key[:-3]) or key[:-3].replace("_", " ")
            lines.append(f"{record} {_l('(no. %(id)s)', id=value)}")
            continue
        label = str(labels.get(key) or DETAIL_LABELS.get(key) or key.replace("_", " "))
        if isinstance(value, list) and len(value) == 2:
            lines.append(f"{label}: {shown(value[0])} → {shown(value[1])}")
        else:
            lines.append(f"{label}: {shown(value)}")
    return lines


def _model(table: str):
    for mapper in db.Model.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    return None


def describe_records(events) -> dict:
    """{(object_type, object_id): text} for the events shown: "rodzina AR/2024/12", "wizyta · rodzina AR/2024/12",
    "procedura NK 3/2026", "konto jkowalska"; never a person's name or PESEL."""
    wanted: dict[str, set] = {}
    for e in events:
        if e.object_type and e.object_id is not None:
            wanted.setdefault(e.object_type, set()).add(e.object_id)
    family = _model("family")
    texts: dict = {}
    family_of: dict = {}
    for table, ids in wanted.items():
        model = _model(table)
        if model is None:
            continue
        if model is family:
            family_of.update({(table, i): i for i in ids})
        elif hasattr(model, "family_id"):
            for oid, fid in db.session.execute(select(model.id, model.family_id).where(model.id.in_(ids))):
                family_of[(table, oid)] = fid
        elif hasattr(model, "number"):
            for oid, number in db.session.execute(select(model.id, model.number).where(model.id.in_(ids))):
                texts[(table, oid)] = f"{object_label(table)} {number}"
        elif hasattr(model, "login"):
            for oid, login in db.session.execute(select(model.id, model.login).where(model.id.in_(ids))):
                texts[(table, oid)] = f"{object_label(table)} {login}"
    if family is not None and family_of:
        numbers = dict(db.session.execute(select(family.id, family.case_number)
                                          .where(family.id.in_({f for f in family_of.values() if f}))).all())
        for (table, oid), fid in family_of.items():
            case = f"{object_label('family')} {numbers.get(fid, '—')}"
            texts[(table, oid)] = case if table == "family" else f"{object_label(table)} · {case}"
    for e in events:
        key = (e.object_type, e.object_id)
        if e.object_type and key not in texts:
            texts[key] = object_label(e.object_type) + (" " + str(_l("(no. %(id)s)", id=e.object_id))
                                                            if e.object_id is not None else "")
    return texts


def family_condition(text: str, event_model):
    """A WHERE condition: events about the families with this case number (or surname) or about their records."""
    family = _model("family")
    text = text.strip()
    if family is None or not text:
        return false()
    ids = select(family.id).where(or_(family.case_number == text, family.name.ilike(text.replace("%", "") + "%")))
    conditions = [and_(event_model.object_type == "family", event_model.object_id.in_(ids))]
    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        table = getattr(model, "__tablename__", None)
        if table in OBJECT_LABELS and table != "family" and hasattr(model, "family_id"):
            conditions.append(and_(event_model.object_type == table,
                                   event_model.object_id.in_(select(model.id).where(model.family_id.in_(ids)))))
    return or_(*conditions)
