"""The data-quality check contract: checks run before a period is closed; domains register theirs next to their
indicators (in ``casework/<domain>/indicators.py``, discovered with them).

A check's `rows(period)` returns a Select of the records to fix, with columns id, label and (optionally) family_id.
A check declared with `listed=True` instead returns the records as a list of dicts (id, label, family_id and
optionally link = (endpoint, args)): for findings that need Python (the PESEL library, the caseload sweep).
The runner (`casework.indicators.quality.run`) consumes them.
"""
from dataclasses import dataclass
from typing import Callable

from casework.core.indicators import FAMILY, discover


@dataclass(frozen=True)
class Check:
    code: str
    label_pl: str
    label_en: str
    rows: Callable
    record_type: str = FAMILY
    order: int = 0
    #: rows(period) returns a list of record dicts instead of a Select
    listed: bool = False

    def label(self, locale: str = "pl") -> str:
        return self.label_en if locale == "en" else self.label_pl


CHECKS: dict[str, Check] = {}


def register_check(check: Check) -> Check:
    CHECKS[check.code] = check
    return check


def check(code, label_pl, label_en, *, record_type=FAMILY, order=0, listed=False):
    def wrap(fn):
        register_check(Check(code, label_pl, label_en, fn, record_type, order, listed))
        return fn

    return wrap


def all_checks() -> list[Check]:
    discover()  # checks live in the same discovered modules as indicators
    return sorted(CHECKS.values(), key=lambda c: (c.order, c.code))
