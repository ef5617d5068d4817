"""Rules of the Niebieska Karta procedure that forms, import and services share (ustawa o przeciwdziałaniu przemocy
domowej; rozporządzenie Rady Ministrów z 6 września 2023 r., Dz.U. 2023 poz. 1870). Each raises RuleError with
messages for the user; none writes."""
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.bluecard.models import NKB_RECIPIENTS
from casework.core.errors import RuleError

NKB_RECIPIENT_LABELS = {"affected": _l("the affected person"), "parent": _l("a parent"),
                        "guardian": _l("a legal guardian"), "carer": _l("an actual carer")}

#: the steps recorded with a date and an author; each kind's fields: (name, type, required)
#: - summons: the group summons the person suspected of using violence (§ 17 of the regulation) — and whether
#:   they came;
#: - notification: of a suspected offence to the police or the prosecutor (art. 9b ust. 2 pkt 5 of the statute;
#:   § 9 of the regulation), with the file number they gave when known;
#: - art12a: a child taken into safety by a social worker with the police, a doctor or a nurse (art. 12a), the
#:   guardianship court notified within 24 hours (art. 12a ust. 3);
#: - information: information sent to another service or institution (art. 9b ust. 2 pkt 4);
#: - decision: a decision of the diagnostic group.
STEP_KINDS = {
    "summons": (("person_id", "suspected", True), ("attended", "yesno", False)),
    "notification": (("authority", ("police", "prosecutor"), True), ("file_number", "text", False)),
    "art12a": (("person_id", "child", True), ("court_notified_on", "date", False)),
    "information": (("recipient", "text", True), ("content", "text", False)),
    "decision": (("content", "text", True),),
}
STEP_LABELS = {"summons": _l("Summons of the person suspected of using violence"),
               "notification": _l("Notification of a suspected offence"),
               "art12a": _l("A child taken into safety (art. 12a)"),
               "information": _l("Information sent to another service"),
               "decision": _l("A decision of the diagnostic group")}
AUTHORITY_LABELS = {"police": _l("the police"), "prosecutor": _l("the prosecutor")}


def check_nkb(handed_on: date | None, recipient: str | None, role: str | None, reason: str | None, *, nka_date,
              persons, today: date) -> dict:
    """NK-B handed (date, to whom, in which capacity) or the reason it could not be handed — one of the two.

    For a child the form goes to a parent, a legal guardian or an actual carer who is not the person suspected of
    using violence (rozporządzenie, § 5; annex 2). `persons`: the procedure's persons (dicts or ProcedurePerson).
    Returns the four columns cleaned."""
    recipient, reason = (recipient or "").strip(), (reason or "").strip()
    if handed_on is None and not recipient and not reason:
        raise RuleError(_("Enter when and to whom NK-B was handed, or why it could not be handed."))
    if reason and (handed_on or recipient):
        raise RuleError(_("Give either when and to whom NK-B was handed, or why it could not be — not both."))
    if reason:
        return {"nkb_handed_on": None, "nkb_recipient": None, "nkb_recipient_role": None,
                "nkb_not_handed_reason": reason[:2000]}
    problems = []
    if handed_on is None:
        problems.append(_("Enter the date NK-B was handed."))
    elif handed_on > today:
        problems.append(_("The date cannot be in the future."))
    elif nka_date is not None and handed_on < nka_date:
        problems.append(_("NK-B is handed when NK-A is filled in or later."))
    if not recipient:
        problems.append(_("Enter to whom NK-B was handed."))
    if role not in NKB_RECIPIENTS:
        problems.append(_("Choose who received NK-B."))

    def field(person, name):
        return person.get(name) if isinstance(person, dict) else getattr(person, name)

    affected = [p for p in persons if field(p, "role") == "affected"]
    if affected and all(field(p, "is_child") for p in affected) and role == "affected":
        problems.append(_("For a child NK-B goes to a parent, a legal guardian or an actual carer."))
    suspected = {f"{field(p, 'first_name')} {field(p, 'last_name')}".strip().lower()
                 for p in persons if field(p, "role") == "suspected"}
    if recipient and " ".join(recipient.lower().split()) in suspected:
        problems.append(_("NK-B is never handed to the person suspected of using violence."))
    if problems:
        raise RuleError(problems)
    return {"nkb_handed_on": handed_on, "nkb_recipient": recipient[:200], "nkb_recipient_role": role,
            "nkb_not_handed_reason": None}


def nkb_missing(procedure) -> bool:
    """Neither handed nor a reason recorded: a reminder until one of the two is."""
    return procedure.nkb_handed_on is None and not procedure.nkb_not_handed_reason and not procedure.nkb_handed


def check_step(kind: str, step_date: date | None, values: dict, *, procedure, today: date) -> dict:
    """A recorded step's kind-specific fields, cleaned; RuleError with every problem at once."""
    if kind not in STEP_KINDS:
        raise RuleError(_("Choose what was done."))
    problems = []
    if step_date is None:
        problems.append(_("Enter the date."))
    elif step_date > today:
        problems.append(_("The date cannot be in the future."))
    elif step_date < procedure.nka_date:
        problems.append(_("The date cannot be before NK-A was filled in (%(date)s).",
                          date=procedure.nka_date.isoformat()))
    persons = {p.id: p for p in procedure.persons}
    out = {}
    for name, kind_of, required in STEP_KINDS[kind]:
        raw = values.get(name)
        raw = raw.strip() if isinstance(raw, str) else raw
        if raw in (None, ""):
            if required:
                problems.append(_("Fill in: %(field)s.", field=FIELD_LABELS[name]))
            continue
        if kind_of in ("suspected", "child"):
            person = persons.get(int(raw)) if str(raw).isdigit() else None
            if kind_of == "suspected" and (person is None or person.role != "suspected"):
                problems.append(_("Choose the person suspected of using violence."))
            elif kind_of == "child" and (person is None or not person.is_child or person.role != "affected"):
                problems.append(_("Choose the child concerned (an affected child of this procedure)."))
            else:
                out[name] = person.id
        elif kind_of == "yesno":
            if raw not in ("yes", "no"):
                problems.append(_("Choose whether the person came."))
            else:
                out[name] = raw == "yes"
        elif kind_of == "date":
            if not isinstance(raw, date):
                try:
                    raw = date.fromisoformat(str(raw))
                except ValueError:
                    problems.append(_("Enter a valid date: %(field)s.", field=FIELD_LABELS[name]))
                    continue
            if step_date is not None and raw < step_date:
                problems.append(_("The court is notified after the child was taken into safety."))
            else:
                out[name] = raw.isoformat()
        elif isinstance(kind_of, tuple):
            if raw not in kind_of:
                problems.append(_("Fill in: %(field)s.", field=FIELD_LABELS[name]))
            else:
                out[name] = raw
        else:
            out[name] = str(raw)[:2000]
    if problems:
        raise RuleError(problems)
    return out


FIELD_LABELS = {"person_id": _l("the person"), "attended": _l("attendance"), "authority": _l("the authority"),
                "file_number": _l("the file number"), "court_notified_on": _l("the court notified on"),
                "recipient": _l("the service informed"), "content": _l("the content")}
