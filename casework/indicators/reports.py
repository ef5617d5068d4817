"""Report layouts built from indicator codes (as centres publish them, see the seeds).

Each row binds a label to a code, so every printed number is an indicator with its drill-down."""

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
ASSISTANTS_SUMMARY = ("W {year} roku ze wsparcia asystenta rodziny korzystało łącznie {families} rodzin. "
                      "W tych rodzinach wsparciem objęto {children} dzieci.")


def assistants_table(period, values: dict) -> list[tuple[str, str, object]]:
    """[(label, code, value)] for seed 004's table 1; codes not registered give None."""
    year = period.start.year if period.start.year == period.end.year else period.label
    return [(label.format(year=year), code, values.get(code)) for label, code in ASSISTANTS_TABLE]


def assistants_summary(period, values: dict) -> str:
    year = period.start.year if period.start.year == period.end.year else period.label
    return ASSISTANTS_SUMMARY.format(year=year, families=values.get("AR_FAMILIES_SUPPORTED"),
                                     children=values.get("AR_CHILDREN_IN_SUPPORTED_FAMILIES"))
