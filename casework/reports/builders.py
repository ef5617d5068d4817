"""The named reports, laid out as the centres publish them (../shared/seeds): every number an indicator code."""
from flask import has_request_context, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from casework.core import dictionaries
from casework.core.indicators import BY_KEY, all_indicators, get as get_indicator
from casework.core.periods import Period, year as year_period
from casework.extensions import db
from casework.indicators import reports as seed_layouts, services as indicator_services
from casework.reports import ministry
from casework.reports.document import Cell, Report, Section, Table
from casework.reports.models import MeasureValue, Programme
from casework.reports.registry import HALF, named_report

#: the assistants' annual report: (section heading, [codes]) — codes not registered are left out
ASSISTANT_SECTIONS = (
    (_l("Families supported"), ("AR_ASSISTANTS", "AR_FAMILIES_SUPPORTED", "AR_CHILDREN_IN_SUPPORTED_FAMILIES",
                                "AR_FAMILIES_STARTED", "AR_FAMILIES_COURT_ORDERED")),
    (_l("Families whose support ended, by reason"), (
        "AR_FAMILIES_ENDED", "AR_ENDED_GOALS_ACHIEVED", "AR_ENDED_NO_COOPERATION", "AR_ENDED_NO_EFFECTS",
        "AR_ENDED_MOVED_AWAY", "AR_ENDED_OTHER")),
    (_l("Families supported at the end of the year, by basis"), (
        "AR_FAMILIES_ACTIVE_AT_END", "AR_ACTIVE_AT_END_COURT_ORDERED", "AR_ACTIVE_AT_END_VOLUNTARY")),
    (_l("Length of cooperation"), ("AR_DURATION_UP_TO_3M", "AR_DURATION_3_TO_12M", "AR_DURATION_OVER_12M")),
    (_l("Work with the families"), ("AR_VISITS", "AR_VISIT_HOURS", "AR_TEAM_MEETINGS",
                                    "AR_TEAM_MEETINGS_NEW_FAMILIES", "AR_ASSESSMENTS", "AR_ASSESSMENTS_OVERDUE",
                                    "AR_COURT_OPINIONS", "AR_FAMILIES_MONITORED",
                                    "AR_CHILDREN_IN_MONITORED_FAMILIES")),
    (_l("Za życiem"), ("AR_ZA_ZYCIEM_REQUESTS", "AR_ZA_ZYCIEM_FAMILIES")),
    (_l("Foster care"), ("AR_FAMILIES_WITH_CHILD_IN_FOSTER_CARE", "FC_CHILDREN_PLACED", "FC_CHILDREN_FAMILY_CARE",
                         "FC_CHILDREN_INSTITUTIONAL", "FC_CHILDREN_RETURNED", "FC_CHILDREN_TIER_10",
                         "FC_CHILDREN_TIER_30", "FC_CHILDREN_TIER_50", "FC_COST_TOTAL", "FC_COST_FAMILY_CARE",
                         "FC_COST_INSTITUTIONAL", "FC_COST_TIER_10", "FC_COST_TIER_30", "FC_COST_TIER_50")),
)


def year_label(period: Period) -> str:
    return str(period.start.year) if period.start.year == period.end.year else period.title


def _values(period: Period):
    """The values as reported (frozen when the period is closed) and those of the year before."""
    return tuple(indicator_services.reported_values_of([period, period.previous_year()]))


def indicator_table(codes, values, previous, period, locale) -> Table | None:
    rows = []
    for code in codes:
        ind = get_indicator(code)
        if ind is None or ind.kind == BY_KEY:
            continue
        rows.append([Cell(ind.label(locale)), Cell(values.get(code), code), Cell(previous.get(code))])
    if not rows:
        return None
    return Table([_("Indicator"), year_label(period), year_label(period.previous_year())], rows)


@named_report("assistants", _l("Annual report on the work of family assistants"), order=10)
def assistants_report(period: Period, locale: str = "pl") -> Report:
    values, previous = _values(period)
    sections = []
    seed_rows = [[Cell(label), Cell(value, code), Cell(previous.get(code))]
                 for label, code, value in seed_layouts.assistants_table(period, values)]
    sections.append(Section(seed_layouts.ASSISTANTS_TABLE_TITLE,
                            paragraphs=[seed_layouts.assistants_summary(period, values)],
                            tables=[Table(["", year_label(period), year_label(period.previous_year())],
                                          seed_rows)]))
    if get_indicator("FC_CHILDREN_TIER_10") is not None:
        sections.append(foster_care_table(period, values))
    for heading, codes in ASSISTANT_SECTIONS:
        table = indicator_table(codes, values, previous, period, locale)
        if table is not None:
            sections.append(Section(str(heading), tables=[table]))
    by_type = values.get("CONTACTS_BY_INSTITUTION_TYPE")
    if by_type is not None:
        before = previous.get("CONTACTS_BY_INSTITUTION_TYPE") or {}
        labels = {e.code: e.label for e in dictionaries.entries("institution_type", include_inactive=True)}
        rows = [[Cell(labels.get(key, key)), Cell(by_type.get(key, 0), "CONTACTS_BY_INSTITUTION_TYPE"),
                 Cell(before.get(key, 0))]
                for key in sorted(set(by_type) | set(before), key=lambda k: labels.get(k, k))]
        rows.append([Cell(_("Total")), Cell(values.get("CONTACTS_TOTAL"), "CONTACTS_TOTAL"),
                     Cell(previous.get("CONTACTS_TOTAL"))])
        sections.append(Section(_("Cooperation with institutions"), tables=[Table(
            [_("Type of institution"), year_label(period), year_label(period.previous_year())], rows,
            title=_("Contacts with institutions by type"))]))
    return Report("assistants", _("Annual report on the work of family assistants"), year_label(period),
                  period.as_dict(), sections, subtitle=_("Year %(year)s, compared with the year before",
                                                         year=year_label(period)))


def foster_care_table(period: Period, values: dict) -> Section:
    """Seed 004, "Tabela nr 2. Udział Gminy w odpłatności za pobyt dzieci w pieczy": children and cost by tier."""
    year = year_label(period)
    rows = [[Cell(f"{tier}%"), Cell(values.get(f"FC_CHILDREN_TIER_{tier}"), f"FC_CHILDREN_TIER_{tier}"),
             Cell(values.get(f"FC_COST_TIER_{tier}"), f"FC_COST_TIER_{tier}")] for tier in (10, 30, 50)]
    rows.append([Cell(_("Total")), Cell(values.get("FC_CHILDREN_PLACED"), "FC_CHILDREN_PLACED"),
                 Cell(values.get("FC_COST_TOTAL"), "FC_COST_TOTAL")])
    return Section(f"Tabela nr 2. Udział Gminy w odpłatności za pobyt dzieci w pieczy w {year} r.",
                   paragraphs=[f"W {year} roku Gmina poniosła koszty pobytu dzieci w pieczy zastępczej w wysokości "
                               f"{Cell(values.get('FC_COST_TOTAL')).text()} zł."],
                   tables=[Table([_("Municipality's share"), _("Children placed"), _("Cost (PLN)")], rows)])


@named_report("ministry", _l("Half-yearly report to the ministry (family assistants and foster care)"),
              period_kind=HALF, order=40)
def ministry_report(period: Period, locale: str = "pl") -> Report:
    """Laid out as the form: row numbers, section headings, a column per half-year of the year so far; each value
    opens the records behind it; a row that cannot be derived says where its figure comes from."""
    columns = ministry.halves_up_to(period)
    values = indicator_services.reported_values_of(columns)
    typed = ministry.typed_values(columns)
    sections: dict[str, list] = {}
    for row in ministry.rows():
        cells = [Cell(ministry.display_number(row.number)), Cell(row.label)]
        for column, column_values in zip(columns, values):
            value = ministry.evaluate(row, column_values)
            if value is None:
                figure = typed.get((row.id, *ministry.half_of(column)))
                source = (figure.supplied_by if figure is not None and figure.supplied_by else row.source)
                note = (_("typed in; source: %(source)s", source=source) if source
                        else _("typed in by hand") if not ministry.missing_codes(row) else _("not computed yet"))
                cells.append(ministry.LinkedCell(float(figure.value) if figure is not None else None, None, note,
                                                 ministry_values_url(column)))
                continue
            code = ministry.single_code(row)
            url = ministry_row_url(row, column) if code is None else None
            cells.append(ministry.LinkedCell(value, code if column == period else None, None, url or (
                None if column == period else ministry_code_url(code, column))))
        sections.setdefault(row.section, []).append(cells)
    headers = [_("No."), _("Row of the form")] + [c.title for c in columns]
    return Report("ministry", _("Half-yearly report to the ministry"), period.title, period.as_dict(),
                  [Section(name, tables=[Table(headers, rows)]) for name, rows in sections.items()],
                  subtitle=_("Values for %(start)s – %(end)s, ready to copy into the ministry's application.",
                             start=period.start.isoformat(), end=period.end.isoformat()))


def ministry_values_url(period: Period) -> str | None:
    """The form where the half-year's typed-in rows are entered."""
    return _half_url("reports.ministry_values", period)


def ministry_row_url(row, period: Period) -> str | None:
    return _half_url("reports.ministry_row_records", period, row_id=row.id)


def _half_url(endpoint: str, period: Period, **values) -> str | None:
    if not has_request_context():
        return None
    year, half_no = ministry.half_of(period)
    return url_for(endpoint, year=year, half=half_no, **values)


def ministry_code_url(code, period: Period) -> str | None:
    if not has_request_context() or code is None:
        return None
    return url_for("indicators.drilldown", code=code, **period.as_dict())


def programme_for(kind: str, year: int):
    return db.session.scalar(select(Programme).where(
        Programme.kind == kind, Programme.archived_at.is_(None), Programme.year_from <= year,
        Programme.year_to >= year).order_by(Programme.year_from.desc(), Programme.id.desc()).limit(1))


def programme_report(programme, year: int, locale: str = "pl") -> Report:
    """The annual information on a programme (seeds 000, 001, 002): goals, forms of realisation, and each
    measure's value for the year — from the indicator it is bound to, or as typed in."""
    period = year_period(year)
    values = indicator_services.reported_values(period)
    typed = {v.measure_id: v for v in db.session.scalars(select(MeasureValue).where(
        MeasureValue.year == year, MeasureValue.measure_id.in_(
            [m.id for g in programme.goals for f in g.forms for m in f.measures] or [0])))}
    intro = [_("Programme adopted by %(body)s, resolution no. %(number)s, for the years %(first)d–%(last)d.",
               body=programme.adopted_by or "—", number=programme.resolution or "—", first=programme.year_from,
               last=programme.year_to)]
    if programme.introduction:
        intro.append(programme.introduction)
    sections = [Section(_("Introduction"), paragraphs=intro)]
    for n, goal in enumerate(programme.goals, start=1):
        paragraphs = ([_("Directions of action: %(list)s", list="; ".join(goal.direction_list))]
                      if goal.direction_list else [])
        sections.append(Section(_("Specific goal %(n)d: %(title)s", n=n, title=goal.title), paragraphs=paragraphs))
        for form in goal.forms:
            paragraphs = []
            if form.task:
                paragraphs.append(_("Task: %(text)s", text=form.task))
            if form.schedule:
                paragraphs.append(_("Schedule: %(text)s", text=form.schedule))
            if form.partners:
                paragraphs.append(_("Carried out by / partners: %(text)s", text=form.partners))
            rows = []
            for measure in form.measures:
                if measure.code and get_indicator(measure.code) is not None:
                    rows.append([Cell(measure.label), Cell(values.get(measure.code), measure.code,
                                                           _("from the case data"))])
                else:
                    entry = typed.get(measure.id)
                    rows.append([Cell(measure.label), Cell(entry.value if entry else None, None,
                                                           entry.supplied_by if entry else None)])
            sections.append(Section(form.description, paragraphs=paragraphs, level=3,
                                    tables=[Table([_("Measure"), str(year)], rows)] if rows else []))
    return Report(f"programme-{programme.id}", programme.name, str(year), period.as_dict(), sections,
                  subtitle=_("Annual information for %(year)d", year=year))


def _programme_named(kind: str):
    def build(period: Period, locale: str = "pl") -> Report:
        programme = programme_for(kind, period.start.year)
        if programme is None:
            return Report(kind, _("No programme covers %(year)d.", year=period.start.year),
                          str(period.start.year), period.as_dict(), [])
        return programme_report(programme, period.start.year, locale)

    return build


named_report("family-support-programme", _l("Annual information on the municipal family-support programme"),
             order=20)(_programme_named("family_support"))
named_report("violence-prevention-programme",
             _l("Annual information on the municipal violence-prevention programme"),
             order=30)(_programme_named("violence_prevention"))


def registered_scalar_codes(locale: str = "pl") -> list[tuple[str, str]]:
    """(code, label) of every indicator a measure or a ministry row can be bound to."""
    return [(i.code, f"{i.code} — {i.label(locale)}") for i in all_indicators() if i.kind != BY_KEY]
