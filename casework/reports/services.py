"""Programmes and the ministry rows: load an example, edit the structure, enter the yearly figures.
Add and flush; never commit."""
import json
from decimal import Decimal
from pathlib import Path

from flask_babel import gettext as _

from casework.core import audit
from casework.core.db import StaleEditError, check_version
from casework.core.errors import RuleError
from casework.core.formatting import parse_decimal
from casework.core.timeutil import utcnow
from casework.extensions import db
from casework.core.indicators import BY_KEY
from casework.core.indicators import get as get_indicator
from casework.reports import ministry
from casework.reports.models import (PROGRAMME_KINDS, MeasureValue, MinistryRow, MinistryRowValue, Programme,
                                     ProgrammeForm, ProgrammeGoal, ProgrammeMeasure)

EXAMPLES = Path(__file__).parent / "examples"
HEADER_FIELDS = ("kind", "name", "year_from", "year_to", "resolution", "adopted_by", "adopted_on", "introduction")


class ReportRuleError(RuleError):
    """A rule of this domain refused the change."""


def examples() -> list[dict]:
    """The programme structures shipped as examples (from published reports, seeds 000/001/002)."""
    out = []
    for path in sorted(EXAMPLES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append({"file": path.name, "name": data["name"], "kind": data["kind"],
                    "years": f"{data['year_from']}–{data['year_to']}"})
    return out


def check_code(code: str | None) -> str | None:
    code = (code or "").strip().upper() or None
    if code is None:
        return None
    ind = get_indicator(code)
    if ind is None:
        raise ReportRuleError(_("There is no indicator with the code %(code)s.", code=code))
    if ind.kind == BY_KEY:
        raise ReportRuleError(_("%(code)s is a table of values; bind a single number.", code=code))
    return code


def _check_header(values: dict) -> None:
    problems = []
    if values.get("kind") not in PROGRAMME_KINDS:
        problems.append(_("Choose the kind of programme."))
    if not (values.get("name") or "").strip():
        problems.append(_("Enter the name of the programme."))
    first, last = values.get("year_from"), values.get("year_to")
    if not isinstance(first, int) or not isinstance(last, int) or not 1990 <= first <= last <= 2200:
        problems.append(_("Enter the years of the programme (the first not after the last)."))
    if problems:
        raise ReportRuleError(problems)


def load_structure(data: dict, *, actor, with_values: bool = True) -> Programme:
    """Create a programme from a structure (the examples' JSON shape); a measure's typed-in figures
    ("values": {year: figure}, or "value" for the structure's "report_year") come along when `with_values`."""
    header = {f: data.get(f) for f in HEADER_FIELDS}
    _check_header(header)
    programme = Programme(**header)
    year = data.get("report_year")
    for g_pos, goal_data in enumerate(data.get("goals", [])):
        goal = ProgrammeGoal(position=g_pos, title=goal_data["title"],
                             directions="\n".join(goal_data.get("directions") or []) or None)
        programme.goals.append(goal)
        for f_pos, form_data in enumerate(goal_data.get("forms", [])):
            form = ProgrammeForm(position=f_pos, task=form_data.get("task"), description=form_data["description"],
                                 schedule=form_data.get("schedule"), partners=form_data.get("partners"))
            goal.forms.append(form)
            for m_pos, measure_data in enumerate(form_data.get("measures", [])):
                code = measure_data.get("code")
                code = code if code and get_indicator(code) is not None else None
                measure = ProgrammeMeasure(position=m_pos, label=measure_data["label"], code=code)
                form.measures.append(measure)
                figures = dict(measure_data.get("values") or {})
                if year and measure_data.get("value"):
                    figures.setdefault(str(year), measure_data["value"])
                for figure_year, value in sorted(figures.items()) if with_values and code is None else ():
                    if value not in (None, "") and str(figure_year).isdigit():
                        measure.values.append(MeasureValue(year=int(figure_year), value=str(value)[:200],
                                                           supplied_by=_("published report"),
                                                           entered_by_id=getattr(actor, "id", None)))
    db.session.add(programme)
    db.session.flush()
    audit.record("programme_created", programme, user=actor)
    return programme


def load_example(file_name: str, *, actor) -> Programme:
    shipped = {path.name: path for path in EXAMPLES.glob("*.json")}
    path = shipped.get(Path(file_name or "").name)
    if path is None:  # only the shipped files: a typed name never reaches the file system
        raise ReportRuleError(_("There is no such example."))
    return load_structure(json.loads(path.read_text(encoding="utf-8")), actor=actor)


def update_header(programme: Programme, values: dict, *, actor) -> dict:
    merged = {f: getattr(programme, f) for f in HEADER_FIELDS} | values
    _check_header(merged)
    changes = audit.diff(programme, HEADER_FIELDS, values)
    if changes:
        audit.record("programme_updated", programme, user=actor, details=changes)
    db.session.flush()
    return changes


def add_goal(programme: Programme, title: str, directions: str | None, *, actor) -> ProgrammeGoal:
    if not (title or "").strip():
        raise ReportRuleError(_("Enter the goal."))
    goal = ProgrammeGoal(title=title.strip(), directions=(directions or "").strip() or None,
                         position=len(programme.goals))
    programme.goals.append(goal)
    db.session.flush()
    audit.record("programme_goal_added", programme, user=actor)
    return goal


def add_form(goal: ProgrammeGoal, values: dict, *, actor) -> ProgrammeForm:
    if not (values.get("description") or "").strip():
        raise ReportRuleError(_("Describe the form of realisation."))
    form = ProgrammeForm(position=len(goal.forms), **{k: (values.get(k) or "").strip() or None
                                                       for k in ("task", "description", "schedule", "partners")})
    goal.forms.append(form)
    db.session.flush()
    audit.record("programme_form_added", goal.programme, user=actor)
    return form


def add_measure(form: ProgrammeForm, label: str, code: str | None, *, actor) -> ProgrammeMeasure:
    if not (label or "").strip():
        raise ReportRuleError(_("Enter the name of the measure."))
    measure = ProgrammeMeasure(position=len(form.measures), label=label.strip(), code=check_code(code))
    form.measures.append(measure)
    db.session.flush()
    audit.record("programme_measure_added", form.goal.programme, user=actor)
    return measure


def update_measure(measure: ProgrammeMeasure, label: str, code: str | None, *, actor) -> None:
    if not (label or "").strip():
        raise ReportRuleError(_("Enter the name of the measure."))
    code = check_code(code)
    measure.label, measure.code = label.strip(), code
    db.session.flush()
    audit.record("programme_measure_updated", measure.form.goal.programme, user=actor,
                 details={"measure": measure.id, "code": code})


def set_values(programme: Programme, year: int, entries: dict[int, tuple[str, str]], *, actor) -> int:
    """Typed-in figures for a year: {measure_id: (value, supplied_by)}; an empty value removes the figure.
    Returns how many changed."""
    if not programme.year_from <= year <= programme.year_to:
        raise ReportRuleError(_("The programme does not cover %(year)d.", year=year))
    measures = {m.id: m for g in programme.goals for f in g.forms for m in f.measures}
    current = {v.measure_id: v for m in measures.values() for v in m.values if v.year == year}
    changed = 0
    for measure_id, (value, supplied_by) in entries.items():
        measure = measures.get(measure_id)
        if measure is None or measure.code:
            continue
        value, supplied_by = (value or "").strip()[:200], (supplied_by or "").strip()[:200] or None
        row = current.get(measure_id)
        if row is None and value:
            measure.values.append(MeasureValue(year=year, value=value, supplied_by=supplied_by,
                                               entered_by_id=actor.id, entered_at=utcnow()))
            changed += 1
        elif row is not None and not value:
            measure.values.remove(row)
            changed += 1
        elif row is not None and (row.value, row.supplied_by) != (value, supplied_by):
            row.value, row.supplied_by, row.entered_by_id, row.entered_at = value, supplied_by, actor.id, utcnow()
            row.version += 1
            changed += 1
    db.session.flush()
    if changed:
        audit.record("programme_values_entered", programme, user=actor, details={"year": year, "changed": changed})
    return changed


def archive_programme(programme: Programme, *, actor) -> None:
    programme.archived_at = utcnow()
    db.session.flush()
    audit.record("programme_archived", programme, user=actor)


#: the largest figure a typed-in row takes (the column is NUMERIC(14, 2))
MAX_TYPED_FIGURE = Decimal("999999999999.99")


def set_ministry_values(period, entries: dict[int, tuple[str, str, str]], *, actor) -> int:
    """The typed-in figures of a half-year: {row_id: (figure, supplied_by, version the form was loaded with)}; an
    empty figure removes it. The whole form is refused (nothing stored) when a figure is not a number of at least 0
    with at most two decimals, or when someone saved a row's figure after the form was loaded (StaleEditError).
    Returns how many changed."""
    year, half_no = ministry.half_of(period)
    rows = {r.id: r for r in ministry.typed_rows()}
    current = {row_id: v for (row_id, _y, _h), v in ministry.typed_values([period]).items()}
    problems, wanted = [], {}
    for row_id, (raw, supplied_by, loaded_version) in entries.items():
        row = rows.get(row_id)
        if row is None:
            continue
        raw = (raw or "").strip()
        figure = parse_decimal(raw) if raw else None
        if raw and (figure is None or figure < 0 or figure > MAX_TYPED_FIGURE
                    or figure != figure.quantize(Decimal("0.01"))):
            problems.append(_("Row %(number)s: enter the figure as a number of at least 0 with at most two "
                              "decimals, e.g. 12 500,00.", number=ministry.display_number(row.number) or row.label))
            continue
        existing = current.get(row_id)
        if existing is not None:
            check_version(existing, loaded_version)
        elif str(loaded_version or "0").strip() not in ("", "0"):
            raise StaleEditError(row)  # the figure the form showed was removed by someone else meanwhile
        wanted[row_id] = (figure, (supplied_by or "").strip()[:200] or None)
    if problems:
        raise ReportRuleError(problems)
    changed = 0
    for row_id, (figure, supplied_by) in wanted.items():
        existing = current.get(row_id)
        if existing is None and figure is not None:
            db.session.add(MinistryRowValue(row_id=row_id, year=year, half=half_no, value=figure,
                                            supplied_by=supplied_by, entered_by_id=actor.id, entered_at=utcnow()))
        elif existing is not None and figure is None:
            db.session.delete(existing)
        elif existing is not None and (existing.value, existing.supplied_by) != (figure, supplied_by):
            existing.value, existing.supplied_by = figure, supplied_by
            existing.entered_by_id, existing.entered_at = actor.id, utcnow()
        else:
            continue
        changed += 1
    db.session.flush()
    if changed:
        audit.record("ministry_values_entered", object_type="ministry_row_value", user=actor,
                     details={"year": year, "half": half_no, "changed": changed})
    return changed


def update_ministry_row(row: MinistryRow, values: dict, *, actor) -> None:
    if not (values.get("label") or "").strip() or not (values.get("section") or "").strip():
        raise ReportRuleError(_("Enter the section and the label of the row."))
    row.section, row.label = values["section"].strip(), values["label"].strip()
    expression = values.get("expression", values.get("code"))
    row.expression = ministry.check(expression)  # ExpressionError (a RuleError) with the message for the user
    terms = ministry.parse(row.expression or "")
    row.code = terms[0].code if len(terms) == 1 and terms[0].keys is None else None
    for name in ("number", "parent_number", "source"):
        if name in values:
            setattr(row, name, (values.get(name) or "").strip() or None)
    if "sums_parts" in values:
        row.sums_parts = bool(values["sums_parts"])
    if values.get("position") is not None:
        row.position = int(values["position"])
    db.session.flush()
    audit.record("ministry_row_updated", row, user=actor, details={"code": row.code, "expression": row.expression})


def add_ministry_row(values: dict, *, actor) -> MinistryRow:
    row = MinistryRow(section="", label="", position=0)
    db.session.add(row)
    update_ministry_row(row, values, actor=actor)
    return row
