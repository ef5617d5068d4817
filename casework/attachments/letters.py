"""The centre's letters of a case: DOCX templates with placeholders (docxtpl), shipped in Polish, replaceable by the
centre's own (admin upload), generated from the family's page and kept as the family's attachment with a register
number (znak pisma) and a version.

A template may use only the placeholders its letter declares (`{{ name }}`; loops over the lists named below); a
template naming anything else is refused with the unknown names, so a typo never prints an empty gap in a letter
sent to a court. The defaults are built by `default_template(code)` from the text below (no binary file in the
repository); an administrator downloads one, edits it in a word processor and uploads it back."""
import io
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.shared import Pt
from docxtpl import DocxTemplate
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import func, select

from casework.attachments import rules, services
from casework.attachments.models import Attachment, LetterTemplate
from casework.core import audit
from casework.core.documents import centre_identity, file_number
from casework.core.errors import RuleError
from casework.core.settings import get_setting
from casework.core.timeutil import today_local
from casework.extensions import db
from casework.families.models import RELATION_LABELS, AssistantAssignment, FamilyMember, SupportPeriod
from casework.visits.models import Visit

MONTHS = ("styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień",
          "październik", "listopad", "grudzień")

#: placeholders every letter may use, with what they hold (shown to the administrator)
COMMON = OrderedDict([
    ("centre_name", "nazwa ośrodka"), ("centre_address", "adres ośrodka"), ("centre_phone", "telefon i e-mail"),
    ("centre_place", "miejscowość przed datą"), ("head_name", "kierownik ośrodka"),
    ("head_title", "stanowisko kierownika"), ("register_number", "znak pisma"), ("date", "data pisma"),
    ("case_number", "numer sprawy rodziny"), ("family_name", "nazwa rodziny"), ("family_address", "adres rodziny"),
    ("adults", "dorośli członkowie rodziny (imiona i nazwiska)"),
    ("members", "lista członków: m.name, m.relation, m.birth_year"),
    ("assistant_name", "asystent rodziny"), ("social_worker_name", "pracownik socjalny"),
    ("support_start", "początek okresu wsparcia"), ("version", "wersja pisma"),
])


@dataclass(frozen=True)
class Letter:
    code: str
    title: object  # lazy string
    #: placeholders of this letter besides COMMON: name → what it holds
    fields: dict
    #: the default template's paragraphs (docxtpl syntax); "TABLE:visits" inserts the visits' table
    body: tuple


LETTERS: "OrderedDict[str, Letter]" = OrderedDict((letter.code, letter) for letter in (
    Letter("consent", _l("Consent to the support of a family assistant"), {}, (
        "ZGODA NA WSPÓŁPRACĘ Z ASYSTENTEM RODZINY",
        "My, niżej podpisani: {{ adults }}, zamieszkali: {{ family_address }}, wyrażamy zgodę na objęcie naszej "
        "rodziny wsparciem asystenta rodziny zatrudnionego w {{ centre_name }} (art. 11 ust. 1 i art. 15 ustawy "
        "z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej).",
        "Przyjmujemy do wiadomości, że asystent rodziny wspólnie z nami opracuje plan pracy z rodziną, a dane "
        "naszej rodziny są przetwarzane przez {{ centre_name }} w celu realizacji tego wsparcia.",
        "Numer sprawy: {{ case_number }}.",
        "",
        "........................................                ........................................",
        "(data i podpis)                                                   (data i podpis)",
    )),
    Letter("assignment", _l("Letter assigning a family assistant"), {"assignment_date": "data przydzielenia"}, (
        "Pani/Pan {{ adults }}",
        "{{ family_address }}",
        "Uprzejmie informuję, że od dnia {{ assignment_date }} Państwa rodzinie został przydzielony asystent "
        "rodziny: {{ assistant_name }}. Asystent skontaktuje się z Państwem w celu ustalenia terminu pierwszego "
        "spotkania i wspólnego opracowania planu pracy z rodziną.",
        "Kontakt z ośrodkiem: {{ centre_phone }}.",
        "Numer sprawy: {{ case_number }}.",
    )),
    Letter("monthly_report", _l("Monthly report on work with the family"), {
        "month": "miesiąc sprawozdania", "visit_count": "liczba wizyt", "total_hours": "łączny czas wizyt (godz.)",
        "areas": "obszary pracy: a.name, a.count, a.hours",
        "visits": "wizyty: v.date, v.hours, v.areas, v.activities"}, (
        "SPRAWOZDANIE MIESIĘCZNE Z PRACY Z RODZINĄ — {{ month }}",
        "Rodzina: {{ family_name }} (sprawa {{ case_number }}), asystent rodziny: {{ assistant_name }}.",
        "W miesiącu odbyło się wizyt: {{ visit_count }}, łącznie {{ total_hours }} godz.",
        "Obszary pracy:",
        "{%p for a in areas %}",
        "– {{ a.name }}: wizyt {{ a.count }}, {{ a.hours }} godz.",
        "{%p endfor %}",
        "TABLE:visits",
    )),
    Letter("court_notice", _l("Notice to the court"), {
        "court": "sąd", "case_signature": "sygnatura akt sądu", "content": "treść zawiadomienia"}, (
        "{{ court }}",
        "Sygn. akt: {{ case_signature }}",
        "ZAWIADOMIENIE",
        "Dotyczy rodziny: {{ family_name }}, {{ family_address }} (numer sprawy w ośrodku: {{ case_number }}).",
        "{{ content }}",
        "Asystent rodziny: {{ assistant_name }}.",
    )),
    Letter("meeting_invitation", _l("Invitation to a team meeting"), {
        "meeting_date": "data spotkania", "meeting_time": "godzina spotkania", "meeting_place": "miejsce spotkania",
        "addressee": "adresat zaproszenia"}, (
        "{{ addressee }}",
        "ZAPROSZENIE",
        "Zapraszam na spotkanie zespołu do spraw okresowej oceny sytuacji rodziny {{ family_name }} (numer sprawy "
        "{{ case_number }}), które odbędzie się dnia {{ meeting_date }} o godz. {{ meeting_time }} w miejscu: "
        "{{ meeting_place }} (art. 15 ust. 1 pkt 15 ustawy o wspieraniu rodziny i systemie pieczy zastępczej).",
        "Asystent rodziny: {{ assistant_name }}, pracownik socjalny: {{ social_worker_name }}.",
    )),
))


def letter_or_none(code: str) -> Letter | None:
    return LETTERS.get(code)


def allowed_placeholders(letter: Letter) -> set[str]:
    return set(COMMON) | set(letter.fields)


# --- templates -------------------------------------------------------------------------------------------------

def default_template(code: str) -> bytes:
    """The shipped Polish template of a letter, as DOCX bytes (letterhead, register number, body, signature)."""
    letter = LETTERS[code]
    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(11)
    section = document.sections[0]
    section.page_height, section.page_width = 10692130, 7560310  # A4 in EMU
    document.add_paragraph("{{ centre_name }}").runs[0].bold = True
    document.add_paragraph("{{ centre_address }}")
    document.add_paragraph("{{ centre_place }}, {{ date }}").alignment = 2
    document.add_paragraph("Znak: {{ register_number }}")
    for text in letter.body:
        if text == "TABLE:visits":
            table = document.add_table(rows=4, cols=4)
            table.style = "Table Grid"
            for cell, header in zip(table.rows[0].cells, ("Data", "Czas (godz.)", "Obszary pracy", "Działania")):
                cell.text = header
            table.rows[1].cells[0].text = "{%tr for v in visits %}"
            for cell, value in zip(table.rows[2].cells, ("{{ v.date }}", "{{ v.hours }}", "{{ v.areas }}",
                                                          "{{ v.activities }}")):
                cell.text = value
            table.rows[3].cells[0].text = "{%tr endfor %}"
            continue
        document.add_paragraph(text)
    document.add_paragraph("")
    document.add_paragraph("{{ head_title }}")
    document.add_paragraph("{{ head_name }}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True)


def check_template(code: str, data: bytes) -> None:
    """Refuse (Polish message) a file that is not a DOCX template of this letter with known placeholders only."""
    letter = LETTERS.get(code)
    if letter is None:
        raise RuleError(_("Choose the letter."))
    if not data or rules.sniff(data) != rules.DOCX:
        raise RuleError(_("The template must be a DOCX document."))
    if len(data) > rules.max_bytes():
        raise RuleError(_("The file is larger than %(mb)d MB.", mb=int(get_setting("attachment_max_mb"))))
    try:
        used = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(_environment())
    except TemplateError as exc:
        raise RuleError(_("The template has an error in its placeholders: %(error)s", error=str(exc))) from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise RuleError(_("The template must be a DOCX document.")) from exc
    unknown = sorted(set(used) - allowed_placeholders(letter))
    if unknown:
        raise RuleError(_("The template uses unknown placeholders: %(names)s. Allowed: %(allowed)s.",
                          names=", ".join("{{ %s }}" % n for n in unknown),
                          allowed=", ".join(sorted(allowed_placeholders(letter)))))


def custom_template(code: str) -> LetterTemplate | None:
    return db.session.scalar(select(LetterTemplate).where(LetterTemplate.code == code))


def template_bytes(code: str) -> bytes:
    own = custom_template(code)
    return own.content if own is not None else default_template(code)


def replace_template(code: str, data: bytes, file_name: str, *, actor) -> LetterTemplate:
    """The centre's own template of a letter (checked first); replaces the previous one. Flushes."""
    check_template(code, data)
    own = custom_template(code)
    if own is None:
        own = LetterTemplate(code=code, file_name=file_name[:200], content=data, uploaded_by_id=actor.id)
        db.session.add(own)
    else:
        own.file_name, own.content, own.uploaded_by_id = file_name[:200], data, actor.id
    db.session.flush()
    audit.record("letter_template_replaced", own, user=actor, details={"letter": code})
    return own


def restore_default(code: str, *, actor) -> None:
    own = custom_template(code)
    if own is not None:
        db.session.delete(own)
        db.session.flush()
        audit.record("letter_template_reset", object_type="letter_template", user=actor, details={"letter": code})


# --- generating a letter -----------------------------------------------------------------------------------------

def _pl_date(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def _centre() -> dict:
    """The centre's identity (casework.core.documents, edited on Administracja → Ośrodek)."""
    identity = centre_identity()
    return {"centre_name": identity.name or "Ośrodek Pomocy Społecznej",
            "centre_address": ", ".join(identity.address_lines), "centre_phone": identity.phone or "",
            "centre_place": identity.place or "", "head_name": identity.head_name or "",
            "head_title": identity.head_title or "Kierownik"}


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".replace(".", ",")


def _family_context(family, today: date) -> dict:
    members = list(db.session.scalars(select(FamilyMember).where(FamilyMember.family_id == family.id,
                                                                 FamilyMember.archived_at.is_(None))
                                      .order_by(FamilyMember.id)))
    period = db.session.scalar(select(SupportPeriod).where(SupportPeriod.family_id == family.id)
                               .order_by(SupportPeriod.start_date.desc()).limit(1))
    assignment = db.session.scalar(select(AssistantAssignment).where(AssistantAssignment.family_id == family.id)
                                   .order_by(AssistantAssignment.start_date.desc()).limit(1))
    adults = [m for m in members if m.relation != "child"]
    return {
        "case_number": family.case_number, "family_name": family.name, "family_address": family.address,
        "adults": ", ".join(f"{m.first_name} {m.last_name}" for m in adults),
        "members": [{"name": f"{m.first_name} {m.last_name}", "relation": str(RELATION_LABELS.get(m.relation, "")),
                     "birth_year": m.birth_date.year if m.birth_date else ""} for m in members],
        "assistant_name": assignment.assistant.full_name if assignment else "",
        "assignment_date": _pl_date(assignment.start_date) if assignment else "",
        "social_worker_name": family.social_worker.full_name if family.social_worker else "",
        "support_start": _pl_date(period.start_date) if period else "", "date": _pl_date(today),
    }


def _month_context(family, month: date) -> dict:
    start = month.replace(day=1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    visits = list(db.session.scalars(select(Visit).where(Visit.family_id == family.id, Visit.archived_at.is_(None),
                                                         Visit.visit_date >= start, Visit.visit_date < end)
                                     .order_by(Visit.visit_date, Visit.id)))
    by_area: "OrderedDict[int, dict]" = OrderedDict()
    for v in visits:
        for area in v.areas:
            row = by_area.setdefault(area.id, {"position": area.position, "name": area.label_pl, "count": 0,
                                               "minutes": 0})
            row["count"] += 1
            row["minutes"] += v.duration_minutes
    areas = [{"name": r["name"], "count": r["count"], "hours": _hours(r["minutes"])}
             for r in sorted(by_area.values(), key=lambda r: r["position"])]
    return {"month": f"{MONTHS[start.month - 1]} {start.year}", "visit_count": len(visits),
            "total_hours": _hours(sum(v.duration_minutes for v in visits)), "areas": areas,
            "visits": [{"date": _pl_date(v.visit_date), "hours": _hours(v.duration_minutes),
                        "areas": ", ".join(a.label_pl for a in v.areas), "activities": v.activities or ""}
                       for v in visits]}


def next_register_number(today: date) -> str:
    """The next letter number of the year in the centre's file-number scheme (casework.core.documents.file_number,
    e.g. MGOPS.AR.440.{n}.{year}; AR.440.{n}.{year} while the centre has none)."""
    identity = centre_identity()
    year_start, year_end = date(today.year, 1, 1), date(today.year + 1, 1, 1)
    n = db.session.scalar(select(func.count(Attachment.id)).where(
        Attachment.letter_code.is_not(None), Attachment.document_date >= year_start,
        Attachment.document_date < year_end)) + 1
    while True:
        number = file_number(n, today.year, identity) or f"AR.440.{n}.{today.year}"
        if db.session.scalar(select(Attachment.id).where(Attachment.register_number == number)) is None:
            return number
        n += 1


def render(code: str, family, extra: dict, *, today: date, register_number: str, version: int) -> bytes:
    letter = LETTERS[code]
    context = _centre() | _family_context(family, today) | {"register_number": register_number, "version": version}
    if code == "monthly_report":
        context |= _month_context(family, extra.get("month") or today)
    for name in letter.fields:
        if name not in context:
            value = extra.get(name)
            context[name] = _pl_date(value) if isinstance(value, date) else (value or "")
    document = DocxTemplate(io.BytesIO(template_bytes(code)))
    try:
        document.render(context, _environment(), autoescape=True)
    except TemplateError as exc:
        raise RuleError(_("The template has an error in its placeholders: %(error)s", error=str(exc))) from exc
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def versions_of(family_id: int, code: str) -> int:
    return db.session.scalar(select(func.count(Attachment.id)).where(Attachment.family_id == family_id,
                                                                     Attachment.letter_code == code))


def check_extra(code: str, extra: dict) -> None:
    problems = []
    if code == "court_notice" and not (extra.get("court") or "").strip():
        problems.append(_("Enter the court."))
    if code == "meeting_invitation" and (extra.get("meeting_date") is None or not extra.get("meeting_place")):
        problems.append(_("Enter the meeting's date and place."))
    if problems:
        raise RuleError(problems)



def generate(family, code: str, extra: dict, *, actor, today: date | None = None):
    """Generate a letter for the family and keep it as the family's attachment (next version, next register
    number). Flushes; the caller commits."""
    today = today or today_local()
    if code not in LETTERS:
        raise RuleError(_("Choose the letter."))
    if family.is_archived:
        raise RuleError(_("The family's file is archived."))
    check_extra(code, extra)
    version = versions_of(family.id, code) + 1
    number = next_register_number(today)
    data = render(code, family, extra, today=today, register_number=number, version=version)
    title = f"{LETTERS[code].title} ({number})"
    file_name = f"{code}-{family.case_number}-v{version}.docx".replace("/", "-")
    return services.store_letter(family, data, title=title, letter_code=code, register_number=number,
                                 version=version, file_name=file_name, actor=actor, today=today)
