"""Report documents (one edition per series and year, an ordered list of sections): made from a shipped template,
edited section by section, copied to the next year in one action (structure and text kept, figures recomputed),
exported (the figures at the export are kept, to show what changed since). Add and flush; never commit."""
import copy
import json
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from casework.core import audit, documents
from casework.core.timeutil import today_local, utcnow
from casework.extensions import db
from casework.reports import sections as section_rules
from casework.reports.models import SECTION_KINDS, ReportDocument, ReportSection
from casework.reports.services import ReportRuleError

TEMPLATES = Path(__file__).parent / "examples" / "documents"


def templates() -> list[dict]:
    """The report templates shipped (the four documents of the seeds), each {file, series, title, note}."""
    out = []
    for path in sorted(TEMPLATES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append({"file": path.stem, "series": data["series"], "title": data["title"],
                    "note": data.get("note", "")})
    return out


def _template(name: str) -> dict:
    shipped = {path.stem: path for path in TEMPLATES.glob("*.json")}  # only a shipped file, never a path typed in
    if name not in shipped:
        raise ReportRuleError(_("Choose one of the templates."))
    return json.loads(shipped[name].read_text(encoding="utf-8"))


def _check_year(year) -> int:
    if not isinstance(year, int) or not 1990 <= year <= 2200:
        raise ReportRuleError(_("Enter the year of the report."))
    return year


def _check_free(series: str, year: int) -> None:
    if db.session.scalar(select(ReportDocument.id).where(ReportDocument.series == series,
                                                         ReportDocument.year == year)):
        raise ReportRuleError(_("This report for %(year)d already exists; open it from the list.", year=year))


def create_from_template(name: str, year, *, actor) -> ReportDocument:
    data = _template(name)
    year = _check_year(year)
    _check_free(data["series"], year)
    document = ReportDocument(series=data["series"], year=year, title=data["title"], subtitle=data.get("subtitle"),
                              template=name, prepared_by=getattr(actor, "full_name", None),
                              file_number=documents.file_number(None, today_local().year))
    for position, item in enumerate(data.get("sections", [])):
        if item["kind"] not in SECTION_KINDS:
            raise ReportRuleError(_("Choose the kind of section."))
        document.sections.append(ReportSection(position=position, kind=item["kind"], heading=item.get("heading"),
                                               level=int(item.get("level", 1)), content=item.get("content", {})))
    db.session.add(document)
    db.session.flush()
    audit.record("report_document_created", document, user=actor, details={"template": name, "year": year})
    return document


def update_header(document: ReportDocument, values: dict, *, actor) -> None:
    title = (values.get("title") or "").strip()
    if not title:
        raise ReportRuleError(_("Enter the title of the report."))
    document.title = title[:400]
    document.subtitle = (values.get("subtitle") or "").strip() or None
    document.file_number = (values.get("file_number") or "").strip()[:100] or None
    document.prepared_by = (values.get("prepared_by") or "").strip()[:200] or None
    db.session.flush()
    audit.record("report_document_updated", document, user=actor)


def add_section(document: ReportDocument, kind: str, form, *, actor, after: int | None = None) -> ReportSection:
    heading, level, content = section_rules.content_from_form(kind, form)
    ordered = list(document.sections)
    index = len(ordered)
    if after is not None:
        index = next((i + 1 for i, s in enumerate(ordered) if s.id == after), len(ordered))
    section = ReportSection(kind=kind, heading=heading, level=level, content=content)
    ordered.insert(index, section)
    document.sections.append(section)
    for position, item in enumerate(ordered):
        item.position = position
    db.session.flush()
    audit.record("report_section_added", document, user=actor, details={"kind": kind})
    return section


def update_section(section: ReportSection, form, *, actor) -> None:
    heading, level, content = section_rules.content_from_form(section.kind, form)
    section.heading, section.level, section.content = heading, level, content
    db.session.flush()
    audit.record("report_section_updated", section.document, user=actor, details={"section": section.id})


def move_section(section: ReportSection, step: int, *, actor) -> None:
    ordered = list(section.document.sections)
    index = ordered.index(section)
    target = min(max(index + step, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered):
        item.position = position
    db.session.flush()


def delete_section(section: ReportSection, *, actor) -> None:
    document = section.document
    document.sections.remove(section)
    for position, item in enumerate(document.sections):
        item.position = position
    db.session.flush()
    audit.record("report_section_deleted", document, user=actor, details={"kind": section.kind,
                                                                          "heading": section.heading})


def copy_to_next_year(document: ReportDocument, *, actor) -> ReportDocument:
    """Next year's edition: the same title, sections and text (typed tables too, to be corrected); the figures
    are computed for the new year when it is shown or exported."""
    year = document.year + 1
    _check_free(document.series, year)
    new = ReportDocument(series=document.series, year=year, title=document.title, subtitle=document.subtitle,
                         template=document.template, prepared_by=document.prepared_by, previous_id=document.id,
                         file_number=documents.file_number(None, today_local().year))
    for section in document.sections:
        new.sections.append(ReportSection(position=section.position, kind=section.kind, heading=section.heading,
                                          level=section.level, content=copy.deepcopy(section.content)))
    db.session.add(new)
    db.session.flush()
    audit.record("report_document_copied", new, user=actor, details={"from": document.id, "year": year})
    return new


def mark_exported(document: ReportDocument, figures: dict) -> None:
    """Keep the figures as exported, to show what changed since (the view audits the download as a read)."""
    document.exported_at = utcnow()
    document.exported_figures = figures
    db.session.flush()


def archive(document: ReportDocument, *, actor) -> None:
    document.archived_at = utcnow()
    # the series and year are free again for a new edition; the archived one keeps its year under another name
    document.series = f"{document.series}~{document.id}"[:100]
    db.session.flush()
    audit.record("report_document_archived", document, user=actor)
