"""The sections of a report document (ReportSection.kind and the shape of its `content`), how the editor's fields
become content (`content_from_form`, Polish messages, nothing saved on a problem), and how a section renders for
a year (`render_document`): paragraphs with their figures, tables, numbered lists.

Kinds and content:
  text          {"text": "paragraphs, blank line between; {CODE} placeholders (placeholders.py)"}
  derived_table {"layout": "years", "label_header": "…", "years": 2, "rows": [{"label": "…", "expr": "CODE"}],
                 "title": "Tabela nr 1 …", "zero_dash": false}      rows × years side by side (current first);
                 a row whose expr is CODE[*] becomes one row per key of an object-by-key indicator, in its
                 dictionary's order;
                or {"layout": "grid", "headers": […], "rows": [["{FC_CHILDREN_TIER_10} dzieci", "10%"], …],
                 "title": …, "zero_dash": true}                    every cell a text with placeholders; with
                 zero_dash a cell whose one figure is 0 prints "-" (seed 004, Tabela nr 2)
  typed_table   {"headers": […], "rows": [[…], …], "source": "…", "title": "…"}   figures typed in, with source
  list          {"intro": "…", "items": ["…", …]}                  a numbered list (needs for next year)
  programme     {"kind": "family_support", "layout": "blocks"|"columns"}  goals → forms → measures of the
                 programme covering the year: seed 000/001's four-row block per form, or seed 002's five-column
                 table per goal
  letter        {"addressee": "…", "text": "…"}                    a cover letter signed by the head of centre
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from casework.core import documents
from casework.core.indicators import BY_KEY
from casework.core.indicators import get as get_indicator
from casework.core.periods import year as year_period
from casework.extensions import db
from casework.indicators import services as indicator_services
from casework.reports import placeholders
from casework.reports.services import ReportRuleError
from casework.reports.models import SECTION_KINDS, MeasureValue, Programme

KIND_LABELS = {"text": _l("Text (with figures from the data)"), "derived_table": _l("Table from the data"),
               "typed_table": _l("Table typed in"), "list": _l("Numbered list"),
               "programme": _l("Goals, forms and measures of the programme"), "letter": _l("Cover letter")}
PROGRAMME_LAYOUTS = ("blocks", "columns")
MAX_TEXT = 20_000


# --- what a rendered section is ---------------------------------------------------------------------------------

@dataclass
class RCell:
    text: str
    value: object = None
    code: str | None = None
    year: int | None = None


@dataclass
class RTable:
    headers: list[str]
    rows: list[list[RCell]]
    title: str | None = None
    source: str | None = None
    merge_down: tuple = ()


@dataclass
class Block:
    kind: str  # "para", "heading", "table", "list", "break", "signature"
    segments: list = field(default_factory=list)
    table: RTable | None = None
    items: list = field(default_factory=list)  # list: [segments]; heading: level in `level`
    level: int = 2
    align: str | None = None


@dataclass
class RSection:
    id: int | None
    kind: str
    heading: str | None
    level: int
    blocks: list[Block]
    problems: list[str] = field(default_factory=list)


class Context:
    """What rendering needs: the report's year, each year's indicator values (read once), the identity."""

    def __init__(self, year: int, identity=None):
        self.year = year
        self.identity = identity or documents.centre_identity()
        self._values: dict[int, dict] = {}
        self.names = {"CENTRE": self.identity.name or "", "MUNICIPALITY": self.identity.municipality or "",
                      "HEAD": self.identity.head}

    def values(self, year: int) -> dict:
        if year not in self._values:
            self._values[year] = indicator_services.reported_values(year_period(year))
        return self._values[year]

    def text(self, text: str) -> list:
        return placeholders.render(text, self.values, self.year, self.names)

    def plain(self, text: str | None) -> str | None:
        return placeholders.plain(self.text(text)) if text else text


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


def _cell_from_text(ctx: Context, text: str, zero_dash: bool) -> RCell:
    segments = ctx.text(text)
    figures = [s for s in segments if s.year is not None]
    if zero_dash and len(figures) == 1 and figures[0].value is not None \
            and placeholders._number(figures[0].value) == 0:
        return RCell("-", 0, figures[0].code, figures[0].year)
    rendered = placeholders.plain(segments)
    if len(figures) == 1 and rendered.strip() == figures[0].text:
        return RCell(rendered, figures[0].value, figures[0].code, figures[0].year)
    return RCell(rendered, None, figures[0].code if len(figures) == 1 else None,
                 figures[0].year if len(figures) == 1 else None)


def _figure(ctx: Context, expr: str, year: int, zero_dash: bool) -> RCell:
    parsed = placeholders.parse(expr)
    value = placeholders.evaluate(parsed, ctx.values(year))
    if zero_dash and value is not None and placeholders._number(value) == 0:
        return RCell("-", 0, parsed.code, year)
    return RCell(placeholders.format_value(value, parsed), value, parsed.code, year)


def _derived(ctx: Context, content: dict) -> RTable:
    zero_dash = bool(content.get("zero_dash"))
    if content.get("layout") == "grid":
        rows = [[_cell_from_text(ctx, str(c), zero_dash) for c in row] for row in content.get("rows", [])]
        return RTable([ctx.plain(h) for h in content.get("headers") or []], rows, ctx.plain(content.get("title")),
                      ctx.plain(content.get("source")))
    years = [ctx.year - n for n in range(max(1, min(int(content.get("years") or 1), 5)))]
    rows = []
    for row in content.get("rows", []):
        expr = (row.get("expr") or "").strip()
        if expr.endswith("[*]"):
            indicator = get_indicator(expr[:-3])
            keys = list(indicator.keys()) if indicator and indicator.keys else sorted(
                set().union(*[(ctx.values(y).get(expr[:-3]) or {}).keys() for y in years]))
            for key in keys:
                rows.append([RCell(indicator.key_label(key))] +
                            [_figure(ctx, f'{expr[:-3]}["{key}"]', y, zero_dash) for y in years])
            continue
        rows.append([RCell(ctx.plain(row.get("label")) or "")] + [
            _figure(ctx, expr, y, zero_dash) if expr else RCell("") for y in years])
    return RTable([ctx.plain(content.get("label_header")) or ""] + [str(y) for y in years], rows,
                  ctx.plain(content.get("title")), ctx.plain(content.get("source")))


def programme_for(kind: str, year: int) -> Programme | None:
    return db.session.scalar(select(Programme).where(
        Programme.kind == kind, Programme.archived_at.is_(None), Programme.year_from <= year,
        Programme.year_to >= year).order_by(Programme.year_from.desc(), Programme.id.desc()).limit(1))


def _measure_value(measure, ctx: Context, typed: dict) -> RCell:
    if measure.code and get_indicator(measure.code) is not None:
        return _figure(ctx, measure.code, ctx.year, False)
    entry = typed.get(measure.id)
    return RCell(entry.value if entry else "—", entry.value if entry else None)


def _programme(ctx: Context, content: dict, level: int) -> list[Block]:
    programme = programme_for(content.get("kind") or "family_support", ctx.year)
    if programme is None:
        return [Block("para", [placeholders.Segment(_("No programme of this kind covers %(year)d; define it or "
                                                      "load an example under Reports → Municipal programmes.",
                                                      year=ctx.year))])]
    measure_ids = [m.id for g in programme.goals for f in g.forms for m in f.measures] or [0]
    typed = {v.measure_id: v for v in db.session.scalars(select(MeasureValue).where(
        MeasureValue.year == ctx.year, MeasureValue.measure_id.in_(measure_ids)))}
    blocks = []
    columns = content.get("layout") == "columns"
    for n, goal in enumerate(programme.goals, start=1):
        title = (f"Cel szczegółowy {n}: {goal.title}" if columns else f"CEL SZCZEGÓŁOWY Nr {n} {goal.title.upper()}")
        blocks.append(Block("heading", [placeholders.Segment(title)], level=min(level + 1, 4)))
        if goal.direction_list and not columns:
            blocks.append(Block("para", [placeholders.Segment("Kierunki działań")]))
            blocks.append(Block("list", items=[[placeholders.Segment(d)] for d in goal.direction_list]))
        if columns:
            rows = []
            for form in goal.forms:
                measures = form.measures or [None]
                for i, measure in enumerate(measures):
                    first = i == 0
                    value = _measure_value(measure, ctx, typed) if measure else RCell("")
                    # an empty cell joins the one above (merged in the DOCX): a form's first row is never empty
                    rows.append([RCell((form.task or "–") if first else ""),
                                 RCell((form.description or "–") if first else ""),
                                 RCell((form.partners or "–") if first else ""),
                                 RCell(f"{i + 1}. {measure.label}" if measure else ""), value])
            blocks.append(Block("table", table=RTable(
                ["Zadanie", "Forma realizacji", "Realizatorzy", "Nazwa wskaźnika",
                 "Wielkość wskaźnika osiągnięta w roku sprawozdawczym"], rows, merge_down=(0, 1, 2))))
            continue
        for form in goal.forms:
            measures = "\n".join(f"{m.label} – {_measure_value(m, ctx, typed).text}" for m in form.measures)
            blocks.append(Block("table", table=RTable([], [
                [RCell("Forma realizacji"), RCell(form.description)],
                [RCell("Harmonogram realizacji"), RCell(form.schedule or "")],
                [RCell("Wskaźniki realizacji"), RCell(measures)],
                [RCell("Realizatorzy/partnerzy"), RCell(form.partners or "")]])))
    return blocks


def render_section(section, ctx: Context) -> RSection:
    content = section.content or {}
    blocks: list[Block] = []
    problems: list[str] = []
    try:
        if section.kind == "text":
            blocks = [Block("para", ctx.text(p)) for p in _paragraphs(content.get("text"))]
        elif section.kind == "letter":
            blocks = [Block("para", ctx.text(line), align="right")
                      for line in (content.get("addressee") or "").splitlines() if line.strip()]
            blocks += [Block("para", ctx.text(p)) for p in _paragraphs(content.get("text"))]
            blocks += [Block("signature", [placeholders.Segment(ctx.identity.head)], align="right"),
                       Block("break")]
        elif section.kind == "list":
            blocks = [Block("para", ctx.text(p)) for p in _paragraphs(content.get("intro"))]
            blocks.append(Block("list", items=[ctx.text(item) for item in content.get("items", []) if item]))
        elif section.kind == "typed_table":
            blocks = [Block("table", table=RTable(
                list(content.get("headers") or []), [[RCell(str(c)) for c in row] for row in content.get("rows", [])],
                ctx.plain(content.get("title")), content.get("source")))]
        elif section.kind == "derived_table":
            blocks = [Block("table", table=_derived(ctx, content))]
        elif section.kind == "programme":
            blocks = _programme(ctx, content, section.level)
    except placeholders.PlaceholderError as exc:
        problems = exc.messages
    heading = section.heading
    if heading:
        try:
            heading = placeholders.plain(ctx.text(heading))
        except placeholders.PlaceholderError as exc:
            problems = problems + exc.messages
    return RSection(section.id, section.kind, heading, section.level, blocks, problems)


def title_of(document, ctx: Context) -> tuple[str, str | None]:
    """The title and subtitle with {YEAR}, {NEXT_YEAR} … resolved ("za rok {YEAR}" → "za rok 2025")."""
    def resolve(text):
        try:
            return placeholders.plain(ctx.text(text)) if text else text
        except placeholders.PlaceholderError:
            return text

    return resolve(document.title), resolve(document.subtitle)


def render_document(document, ctx: Context | None = None) -> list[RSection]:
    ctx = ctx or Context(document.year)
    return [render_section(s, ctx) for s in document.sections]


def figures(rendered: list[RSection]) -> dict:
    """{place: text} of every figure, to compare with the last export ("what changed since")."""
    out = {}
    for section in rendered:
        name = section.heading or str(KIND_LABELS.get(section.kind, section.kind))
        for b, block in enumerate(section.blocks):
            if block.kind == "table":
                for r, row in enumerate(block.table.rows):
                    label = row[0].text if row else ""
                    for c, cell in enumerate(row[1:], start=1):
                        header = block.table.headers[c] if c < len(block.table.headers) else str(c)
                        out[f"{section.id}|{b}|{r}|{c}"] = [f"{name} — {label} — {header}", cell.text]
            elif block.kind == "para":
                for s, segment in enumerate(x for x in block.segments if x.year is not None):
                    indicator = get_indicator(segment.code) if segment.code else None
                    what = indicator.label_pl if indicator else ""
                    out[f"{section.id}|{b}|p{s}"] = [f"{name} — {what} ({segment.year})", segment.text]
    return out


def changes(before: dict | None, now: dict) -> list[tuple[str, str, str]]:
    """(place, then, now) of the figures that differ from the last export."""
    if not before:
        return []
    out = []
    for key, (label, text) in now.items():
        old = before.get(key)
        if old is not None and old[1] != text:
            out.append((label, old[1], text))
    return out


# --- the editor's fields → content ----------------------------------------------------------------------------

def _split_cells(line: str) -> list[str]:
    return [c.strip() for c in (line.split("\t") if "\t" in line else line.split("|"))]


def _lines(text: str | None) -> list[str]:
    return [line.rstrip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _check_length(*texts) -> list[str]:
    if sum(len(t or "") for t in texts) > MAX_TEXT:
        return [_("The section is too long (at most %(n)d characters); split it into two sections.", n=MAX_TEXT)]
    return []


def content_from_form(kind: str, form) -> tuple[str | None, int, dict]:
    """(heading, level, content) from the editor's fields; ReportRuleError listing every problem (in Polish)."""
    if kind not in SECTION_KINDS:
        raise ReportRuleError(_("Choose the kind of section."))
    heading = (form.get("heading") or "").strip() or None
    try:
        level = min(max(int(form.get("level") or 1), 1), 4)
    except ValueError:
        level = 1
    problems: list[str] = []
    if kind in ("text", "letter"):
        content = {"text": (form.get("text") or "").strip()}
        if kind == "letter":
            content["addressee"] = (form.get("addressee") or "").strip()
        if not content["text"]:
            problems.append(_("Enter the text of the section."))
        problems += placeholders.check(content["text"]) + _check_length(content["text"], content.get("addressee"))
    elif kind == "list":
        items = [line.strip().lstrip("-•–").strip() for line in _lines(form.get("items"))]
        content = {"intro": (form.get("intro") or "").strip(), "items": items}
        if not items:
            problems.append(_("Enter at least one item of the list, one per line."))
        for item in items:
            problems += placeholders.check(item)
        problems += placeholders.check(content["intro"]) + _check_length(content["intro"], *items)
    elif kind == "typed_table":
        lines = _lines(form.get("table"))
        content = {"title": (form.get("title") or "").strip() or None, "source": (form.get("source") or "").strip(),
                   "headers": _split_cells(lines[0]) if lines else [],
                   "rows": [_split_cells(line) for line in lines[1:]]}
        if len(lines) < 2:
            problems.append(_("Enter the header line and at least one row; separate the cells with | or paste "
                              "them from a spreadsheet."))
        if not content["source"]:
            problems.append(_("Enter the source of the figures (who supplied them)."))
        problems += _check_length(form.get("table"))
    elif kind == "derived_table":
        layout = "grid" if form.get("layout") == "grid" else "years"
        lines = _lines(form.get("table"))
        content = {"layout": layout, "title": (form.get("title") or "").strip() or None,
                   "source": (form.get("source") or "").strip() or None, "zero_dash": bool(form.get("zero_dash"))}
        if layout == "grid":
            content["headers"] = _split_cells(lines[0]) if lines else []
            content["rows"] = [_split_cells(line) for line in lines[1:]]
            for row in content["rows"]:
                for cell in row:
                    problems += placeholders.check(cell)
        else:
            try:
                content["years"] = min(max(int(form.get("years") or 2), 1), 5)
            except ValueError:
                content["years"] = 2
            content["label_header"] = (form.get("label_header") or "").strip()
            content["rows"] = []
            for line in lines:
                label, _sep, expr = line.rpartition("|")
                label, expr = label.strip(), expr.strip()
                if not _sep:
                    problems.append(_("Row “%(line)s”: write the label, | and the code (e.g. Liczba rodzin | "
                                      "AR_FAMILIES_SUPPORTED).", line=line.strip()))
                    continue
                content["rows"].append({"label": label, "expr": expr})
                problems += _check_expression(expr)
        if not lines:
            problems.append(_("Enter the rows of the table."))
        problems += _check_length(form.get("table"))
    elif kind == "programme":
        content = {"kind": form.get("programme_kind") or "family_support",
                   "layout": form.get("layout") if form.get("layout") in PROGRAMME_LAYOUTS else "blocks"}
    if problems:
        raise ReportRuleError(list(dict.fromkeys(problems)))
    return heading, level, content


def _check_expression(expr: str) -> list[str]:
    if expr.endswith("[*]"):
        indicator = get_indicator(expr[:-3])
        if indicator is None or indicator.kind != BY_KEY:
            return [_("%(code)s[*] needs an indicator with a table of values.", code=expr[:-3])]
        return []
    try:
        placeholders.parse(expr)
    except placeholders.PlaceholderError as exc:
        return exc.messages
    return []


def form_values(section) -> dict:
    """The editor's fields for a stored section (the inverse of content_from_form)."""
    content = section.content or {}
    values = {"heading": section.heading or "", "level": section.level, "kind": section.kind}
    if section.kind in ("text", "letter"):
        values.update(text=content.get("text", ""), addressee=content.get("addressee", ""))
    elif section.kind == "list":
        values.update(intro=content.get("intro", ""), items="\n".join(content.get("items", [])))
    elif section.kind == "typed_table":
        values.update(title=content.get("title") or "", source=content.get("source", ""),
                      table="\n".join(" | ".join(map(str, r)) for r in [content.get("headers", [])]
                                      + content.get("rows", [])))
    elif section.kind == "derived_table":
        values.update(layout=content.get("layout", "years"), title=content.get("title") or "",
                      source=content.get("source") or "", zero_dash=content.get("zero_dash", False),
                      years=content.get("years", 2), label_header=content.get("label_header", ""))
        if content.get("layout") == "grid":
            values["table"] = "\n".join(" | ".join(map(str, r)) for r in [content.get("headers", [])]
                                        + content.get("rows", []))
        else:
            values["table"] = "\n".join(f"{r.get('label', '')} | {r.get('expr', '')}" for r in content.get("rows", []))
    elif section.kind == "programme":
        values.update(programme_kind=content.get("kind", "family_support"), layout=content.get("layout", "blocks"))
    return values
