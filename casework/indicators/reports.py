"""Report layouts built from indicator codes (as centres publish them, see the seeds).

Each row binds a label to a code, so every printed number is an indicator with its drill-down."""
from flask_babel import ngettext

#: seed 004, "Tabela nr 1. Rodziny objęte wsparciem asystenta" (the assistants' annual report)
ASSISTANTS_TABLE_TITLE = "Tabela nr 1. Rodziny objęte wsparciem asystenta"
ASSISTANTS_TABLE = (
    ("Liczba rodzin, które korzystały z usług asystenta w {year} roku", "AR_FAMILIES_SUPPORTED"),
    ("Liczba rodzin, z którymi zakończono współpracę w {year} ze względu na osiągnięcie celów",
     "AR_ENDED_GOALS_ACHIEVED"),
    ("Liczba rodzin, z którymi asystent zakończył współpracę w {year} roku ze względu na zaprzestanie współpracy "
     "przez rodzinę", "AR_ENDED_NO_COOPERATION"),
    ("Liczba rodzin, z którymi asystenci zakończyli współpracę w {year} roku ze względu na brak efektów",
     "AR_ENDED_NO_EFFECTS"),
)


def assistants_table(period, values: dict) -> list[tuple[str, str, object]]:
    """[(label, code, value)] for seed 004's table 1; codes not registered give None."""
    year = period.start.year if period.start.year == period.end.year else period.label
    return [(label.format(year=year), code, values.get(code)) for label, code in ASSISTANTS_TABLE]


def assistants_summary(period, values: dict) -> str:
    year = period.start.year if period.start.year == period.end.year else period.label
    families = values.get("AR_FAMILIES_SUPPORTED") or 0
    children = values.get("AR_CHILDREN_IN_SUPPORTED_FAMILIES") or 0
    # Polish plural forms (1 rodzina / 2 rodziny / 5 rodzin) through the catalogue's Plural-Forms
    return " ".join((
        ngettext("In %(year)s, %(num)d family was supported by a family assistant.",
                 "In %(year)s, %(num)d families were supported by a family assistant.", families, year=year),
        ngettext("%(num)d child in these families was supported.",
                 "%(num)d children in these families were supported.", children)))
