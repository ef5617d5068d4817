"""Data-quality checks run before a period is closed; domains register theirs next to their indicators.

A check's `rows(period)` returns a Select of the records to fix, with columns id, label and (optionally) family_id.
"""
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import func, select

from casework.extensions import db
from casework.indicators.registry import FAMILY, discover


@dataclass(frozen=True)
class Check:
    code: str
    label_pl: str
    label_en: str
    rows: Callable
    record_type: str = FAMILY
    order: int = 0

    def label(self, locale: str = "pl") -> str:
        return self.label_en if locale == "en" else self.label_pl


CHECKS: dict[str, Check] = {}


def register_check(check: Check) -> Check:
    CHECKS[check.code] = check
    return check


def check(code, label_pl, label_en, *, record_type=FAMILY, order=0):
    def wrap(fn):
        register_check(Check(code, label_pl, label_en, fn, record_type, order))
        return fn

    return wrap


def all_checks() -> list[Check]:
    discover()  # checks live in the same discovered modules as indicators
    return sorted(CHECKS.values(), key=lambda c: (c.order, c.code))


def run(period, *, limit: int = 50) -> list[dict]:
    """[{check, count, records: [{id, label, family_id}]}] for every check that finds something."""
    found = []
    for chk in all_checks():
        sub = chk.rows(period).subquery()
        count = db.session.scalar(select(func.count()).select_from(sub))
        if not count:
            continue
        cols = [sub.c.id, sub.c.label] + ([sub.c.family_id] if "family_id" in sub.c else [])
        rows = db.session.execute(select(*cols).order_by(sub.c.label, sub.c.id).limit(limit)).all()
        found.append({"check": chk, "count": count,
                      "records": [{"id": r.id, "label": r.label,
                                   "family_id": getattr(r, "family_id", None)} for r in rows]})
    return found
