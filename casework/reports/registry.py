"""Named reports: `casework report <name>`, /reports/<name>. Each builds a document.Report for a period."""
from dataclasses import dataclass
from typing import Callable

YEAR, HALF = "year", "half"


@dataclass(frozen=True)
class NamedReport:
    name: str
    label: object  # lazy string
    build: Callable  # build(period, locale) -> document.Report
    period_kind: str = YEAR
    order: int = 0


REPORTS: dict[str, NamedReport] = {}


def named_report(name: str, label, *, period_kind: str = YEAR, order: int = 0):
    def wrap(fn):
        REPORTS[name] = NamedReport(name, label, fn, period_kind, order)
        return fn

    return wrap


def all_reports() -> list[NamedReport]:
    from casework.reports import builders  # noqa: F401 - local import: builders imports this registry (it registers the reports)

    return sorted(REPORTS.values(), key=lambda r: (r.order, r.name))


def get(name: str) -> NamedReport | None:
    from casework.reports import builders  # noqa: F401 - local import: as above

    return REPORTS.get(name)
