"""A procedure that moves with the family (issue 23): handed over to the team of another municipality, and received
from one.

Handing over writes the procedure as a package — `procedura.json` (format `PACKAGE_FORMAT`: the NK-A data, NK-B,
the dates of the chair and the group, the persons, meetings with the forms filled, the help plan, every recorded
step) and `dokumenty/…` (the procedure's documents, byte for byte) — and closes the local procedure on the ground
"handed over", with the receiving team recorded as a step. Receiving reads such a package: the procedure is
registered under this team's next number with its history (the same dates, so the same deadlines), the original
number and team kept in a "received" step, and every document stored again through the attachment machinery (its
type checked from its content as any upload). Both are the team's (art. 9a ust. 12: the team's chair passes the
documentation); nothing is written when a package is refused."""
import io
import json
import os
import zipfile
from datetime import date

from flask_babel import gettext as _

from casework.bluecard import access, rules
from casework.bluecard.models import (FORM_KINDS, MEETING_KINDS, GroupMeeting,
                                      HelpPlanAction, Procedure, ProcedurePerson, ProcedureStep)
from casework.bluecard.services import BlueCardRuleError, _date_ok, _next_number, _open, check_nka, help_actions
from casework.core import audit
from casework.core.dictionaries import by_code
from casework.core.documents import centre_identity
from casework.core.timeutil import today_local
from casework.extensions import db

PACKAGE_FORMAT = "casework-niebieska-karta/1"
HANDED_OVER = "handed_over"
#: the step kinds this module records (beside rules.STEP_KINDS, which a user records on the page)
HANDOVER_STEPS = ("handed_over", "received")
MAX_PACKAGE_BYTES = 100 * 1024 * 1024


def _iso(day):
    return day.isoformat() if day else None


def _attachments():
    """The attachment machinery, imported here and not at the top of the module."""
    # local import: casework.attachments reads the compartment's access rule from this package (a cycle otherwise)
    from casework.attachments import services, storage
    from casework.attachments.models import BluecardAttachment

    return services, storage, BluecardAttachment


def package(procedure: Procedure, *, handed_to: str | None = None, handed_on: date | None = None) -> bytes:
    """The procedure as a package for another team (a ZIP)."""
    _services, storage, BluecardAttachment = _attachments()
    documents = []
    files = {}
    for n, doc in enumerate(db.session.query(BluecardAttachment).filter(
            BluecardAttachment.procedure_id == procedure.id, BluecardAttachment.archived_at.is_(None))
            .order_by(BluecardAttachment.id), start=1):
        name = f"dokumenty/{n:03d}.{doc.file_name.rsplit('.', 1)[-1] if '.' in doc.file_name else 'bin'}"
        try:
            with open(storage.path_of(doc.storage_name), "rb") as handle:
                files[name] = handle.read()
        except (OSError, ValueError):
            continue
        documents.append({"file": name, "file_name": doc.file_name, "title": doc.title,
                          "document_date": _iso(doc.document_date), "kind": doc.kind.code})
    data = {
        "format": PACKAGE_FORMAT, "number": procedure.number, "from": centre_identity().name or "",
        "handed_to": handed_to, "handed_on": _iso(handed_on),
        "nka_date": _iso(procedure.nka_date), "sector": procedure.sector,
        "violence_forms": list(procedure.violence_forms), "nkb_handed": procedure.nkb_handed,
        "nkb_handed_on": _iso(procedure.nkb_handed_on), "nkb_recipient": procedure.nkb_recipient,
        "nkb_recipient_role": procedure.nkb_recipient_role, "nkb_not_handed_reason": procedure.nkb_not_handed_reason,
        "to_chair_on": _iso(procedure.to_chair_on), "to_group_on": _iso(procedure.to_group_on),
        "persons": [{"key": p.id, "role": p.role, "first_name": p.first_name, "last_name": p.last_name,
                     "is_child": p.is_child, "witness": p.witness, "address": p.address, "phone": p.phone,
                     "referred_on": _iso(p.referred_on), "programme": p.programme} for p in procedure.persons],
        "group": [{"name": g.name, "sector": g.sector} for g in procedure.group],
        "meetings": [{"kind": m.kind, "meeting_date": _iso(m.meeting_date), "notes": m.notes,
                      "forms": [{"form": f["form"], "person": f["person_id"]} for f in m.forms]}
                     for m in procedure.meetings],
        "help_plan": [{"person": a.person_id, "action": a.action, "responsible": a.responsible,
                       "deadline": _iso(a.deadline), "done": a.done} for a in help_actions(procedure)],
        "steps": [{"kind": s.kind, "step_date": _iso(s.step_date), "details": s.details} for s in procedure.steps],
        "documents": documents,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("procedura.json", json.dumps(data, ensure_ascii=False, indent=2))
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def hand_over(procedure: Procedure, day: date | None, to_team: str, *, actor, today: date | None = None) -> bytes:
    """Close the procedure as handed over to `to_team` and give the package (the caller commits, then sends it)."""
    if not access.is_team_member(actor) or not access.can_read(actor, procedure):
        raise BlueCardRuleError(_("Only the interdisciplinary team hands a procedure over."))
    _open(procedure)
    _date_ok(day, procedure, today or today_local())
    to_team = (to_team or "").strip()
    if not to_team:
        raise BlueCardRuleError(_("Name the team the procedure is handed over to."))
    procedure.steps.append(ProcedureStep(kind="handed_over", step_date=day, author_id=actor.id,
                                         details={"team": to_team[:200]}))
    procedure.closed_on, procedure.closing_ground = day, HANDED_OVER
    db.session.flush()
    audit.record("bluecard_handed_over", procedure, user=actor)  # the team's name is in the step, not the log
    return package(procedure, handed_to=to_team[:200], handed_on=day)


class _File:
    def __init__(self, data: bytes, filename: str):
        self._data, self.filename = data, filename

    def read(self, limit=-1):
        return self._data if limit is None or limit < 0 else self._data[:limit]


def _day(value, what: str, problems: list, *, required: bool = False):
    if value in (None, ""):
        if required:
            problems.append(_("The package has no %(what)s.", what=what))
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(_("The package's %(what)s is not a date.", what=what))
        return None


def _read_package(content: bytes) -> tuple[dict, zipfile.ZipFile]:
    refused = BlueCardRuleError(_("This is not a Niebieska Karta package from casework (procedura.json is missing "
                                  "or damaged)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        info = archive.getinfo("procedura.json")
        if info.file_size > 10 * 1024 * 1024:
            raise refused
        data = json.loads(archive.read(info).decode("utf-8"))
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError):
        raise refused from None
    if not isinstance(data, dict) or data.get("format") != PACKAGE_FORMAT:
        raise refused
    return data, archive


def receive(content: bytes, *, actor, today: date | None = None) -> Procedure:
    """Register a procedure handed over by another team from its package, with its history and documents."""
    today = today or today_local()
    if not access.is_team_member(actor):
        raise BlueCardRuleError(_("Only the interdisciplinary team receives a procedure."))
    if not content or len(content) > MAX_PACKAGE_BYTES:
        raise BlueCardRuleError(_("Choose the package file (ZIP) the other team sent."))
    data, archive = _read_package(content)
    problems: list[str] = []
    nka_date = _day(data.get("nka_date"), _("date of NK-A"), problems)  # missing: check_nka says so
    nka_problems, forms, persons = check_nka(
        {"nka_date": nka_date, "sector": data.get("sector"), "violence_forms": data.get("violence_forms")},
        [p for p in data.get("persons") or [] if isinstance(p, dict)], today)
    problems += nka_problems
    original = str(data.get("number") or "").strip()[:40]
    if not original:
        problems.append(_("The package has no %(what)s.", what=_("procedure number")))
    if problems:
        raise BlueCardRuleError(problems)

    procedure = Procedure(
        number=_next_number(today), nka_date=nka_date, sector=data["sector"], violence_forms=forms,
        nkb_handed=bool(data.get("nkb_handed")), nkb_handed_on=_day(data.get("nkb_handed_on"), "NK-B", problems),
        nkb_recipient=(data.get("nkb_recipient") or None), nkb_recipient_role=(data.get("nkb_recipient_role") or None),
        nkb_not_handed_reason=(data.get("nkb_not_handed_reason") or None),
        to_chair_on=_day(data.get("to_chair_on"), _("date"), problems),
        to_group_on=_day(data.get("to_group_on"), _("date"), problems), started_by_id=None)
    people = {}
    for p in persons:
        person = ProcedurePerson(
            role=p["role"] if p.get("role") in ("affected", "suspected") else "affected",
            first_name=str(p["first_name"]).strip()[:100], last_name=str(p["last_name"]).strip()[:100],
            is_child=bool(p.get("is_child")), witness=bool(p.get("witness")),
            address=(str(p.get("address") or "").strip()[:300] or None),
            phone=(str(p.get("phone") or "").strip()[:40] or None),
            referred_on=_day(p.get("referred_on"), _("date"), problems), programme=p.get("programme") or None)
        procedure.persons.append(person)
        people[str(p.get("key"))] = person
    meeting_forms = []  # (meeting, [(form, person)]): the persons' new ids are known after the flush
    for m in data.get("meetings") or []:
        kind = m.get("kind") if m.get("kind") in MEETING_KINDS else "meeting"
        meeting = GroupMeeting(kind=kind, meeting_date=_day(m.get("meeting_date"), _("date"), problems,
                                                            required=True),
                               notes=m.get("notes") or None, forms=[])
        filled = [f for f in m.get("forms") or [] if isinstance(f, dict) and f.get("form") in FORM_KINDS
                  and str(f.get("person")) in people]
        meeting_forms.append((meeting, [(f["form"], people[str(f["person"])]) for f in filled]))
        procedure.meetings.append(meeting)
    steps = []
    for s in data.get("steps") or []:
        if s.get("kind") not in rules.STEP_KINDS and s.get("kind") not in HANDOVER_STEPS:
            continue
        details = dict(s.get("details") or {}) if isinstance(s.get("details"), dict) else {}
        steps.append((ProcedureStep(kind=s["kind"], step_date=_day(s.get("step_date"), _("date"), problems,
                                                                    required=True), details=details),
                      people.get(str(details.get("person_id")))))
    if problems:
        raise BlueCardRuleError(problems)
    db.session.add(procedure)
    db.session.flush()  # person ids for the forms, the plan and the steps
    for meeting, forms in meeting_forms:
        meeting.forms = [{"form": form, "person_id": person.id} for form, person in forms]
    for step, person in steps:
        if "person_id" in step.details:
            step.details = {**step.details, "person_id": person.id if person else None}
        procedure.steps.append(step)
    procedure.steps.append(ProcedureStep(kind="received", step_date=today, author_id=actor.id,
                                         details={"number": original, "team": str(data.get("from") or "")[:200],
                                                  "handed_on": _iso(_day(data.get("handed_on"), _("date"), problems))}))
    for a in data.get("help_plan") or []:
        person = people.get(str(a.get("person")))
        if person is not None and str(a.get("action") or "").strip():
            db.session.add(HelpPlanAction(procedure_id=procedure.id, person_id=person.id,
                                          action=str(a["action"]).strip(), responsible=a.get("responsible") or None,
                                          deadline=_day(a.get("deadline"), _("date"), problems),
                                          done=bool(a.get("done"))))
    attachments = _attachments()[0]
    for doc in data.get("documents") or []:
        name = str(doc.get("file") or "")
        if not name.startswith("dokumenty/") or ".." in name:
            continue
        try:
            content_bytes = archive.read(name)
        except KeyError:
            raise BlueCardRuleError(_("The package lists a document it does not contain (%(name)s).",
                                      name=os.path.basename(name))) from None
        kind = by_code("attachment_kind", doc.get("kind")) if doc.get("kind") else None
        kind = kind or by_code("attachment_kind", "other")
        attachments.attach_to_procedure(procedure, {"kind_id": kind.id, "title": doc.get("title"),
                                                    "document_date": _day(doc.get("document_date"), _("date"),
                                                                          problems)},
                                        _File(content_bytes, str(doc.get("file_name") or name)), actor=actor,
                                        today=today)
    if problems:
        raise BlueCardRuleError(problems)
    db.session.flush()
    audit.record("bluecard_received", procedure, user=actor)
    return procedure
