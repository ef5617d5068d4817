"""The registry of indicators, keyed by the codes of INDICATORS.md.

Each indicator has ONE query: `rows(period)` returns a SQLAlchemy Core Select whose rows are the records behind the
number, with the columns
  - ``id``        the record's id (unique per row: one row per counted record),
  - ``label``     a display label for drill-down,
  - ``family_id`` (optional) the family the record belongs to, for links,
  - ``amount``    (decimal indicators) the record's contribution to the sum,
  - ``key``       (object-by-key indicators) the key the record counts under.
The value is an aggregate of that same query computed in the database (count, sum, or count/sum per key), so the
drill-down list is by construction the set that was counted.

Domains register their indicators in ``casework/<domain>/indicators.py`` (discovered), with ``@indicator(...)`` or
``register(...)``; the SQL helpers they may use are in ``casework.core.sql``. The engine, views and exports that
consume the registry live in ``casework.indicators``.
"""
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import select

from casework.core.modules import domain_modules

COUNT = "count"
DECIMAL = "decimal"
BY_KEY = "object-by-key"
KINDS = (COUNT, DECIMAL, BY_KEY)

#: record types, for links in drill-down lists
FAMILY = "family"
MEMBER = "family_member"
USER = "user"
SUPPORT_PERIOD = "support_period"
OTHER = "other"


@dataclass(frozen=True)
class Indicator:
    code: str
    label_pl: str
    label_en: str
    legal_basis: str
    definition: str
    rows: Callable  # rows(period) -> Select with id, label[, family_id][, amount][, key]
    kind: str = COUNT
    record_type: str = FAMILY
    group: str = ""
    order: int = 0
    #: for object-by-key indicators: keys always present in the object (with 0), e.g. dictionary codes
    keys: Callable | None = None
    #: sum-to checks: the codes whose values sum to this one (tests and the report check them)
    parts: tuple = field(default_factory=tuple)
    #: the definition in Polish, for the UI (the English `definition` is the reference)
    definition_pl: str = ""
    #: for object-by-key indicators: {key: label} for people (screens show labels, never the raw keys)
    key_labels: Callable | None = None

    def label(self, locale: str = "pl") -> str:
        return self.label_en if locale == "en" else self.label_pl

    def key_label(self, key) -> str:
        """The label of one key of an object-by-key indicator (the key itself if no label is declared)."""
        labels = self.key_labels() if self.key_labels else {}
        return str(labels.get(key, key))

    def describe(self, locale: str = "pl") -> str:
        return self.definition if locale == "en" or not self.definition_pl else self.definition_pl


def key_of(base: Callable, key: str) -> Callable:
    """rows(period) of a count indicator that is one key of a keyed query: the records of `base(period)` (a query
    with a ``key`` column) whose key is `key` — e.g. the families whose support ended, by reason. The engine counts
    every key of `base` in one GROUP BY (and a count over `base` itself from the same query), so five reasons cost
    one query, not five; the drill-down is this same filtered query."""
    def rows(period):
        sub = base(period).subquery()
        return select(*[c for c in sub.c if c.key != "key"]).where(sub.c.key == key)

    rows.keyed = (base, key)
    return rows


REGISTRY: dict[str, Indicator] = {}
_discovered = False


def register(indicator: Indicator) -> Indicator:
    if indicator.kind not in KINDS:
        raise ValueError(f"unknown kind {indicator.kind!r}")
    existing = REGISTRY.get(indicator.code)
    if existing is not None and existing.rows is not indicator.rows:
        raise ValueError(f"indicator {indicator.code} registered twice")
    REGISTRY[indicator.code] = indicator
    return indicator


def indicator(code, label_pl, label_en, *, legal_basis="", definition="", kind=COUNT, record_type=FAMILY,
              group="", order=0, keys=None, parts=(), definition_pl="", key_labels=None):
    """Decorator form: @indicator("AR_X", ...) on a function period -> Select."""

    def wrap(fn):
        register(Indicator(code, label_pl, label_en, legal_basis, definition, fn, kind, record_type, group, order,
                           keys, tuple(parts), definition_pl, key_labels))
        return fn

    return wrap


def discover() -> dict[str, Indicator]:
    """Import every casework/<domain>/indicators.py once (they register themselves)."""
    global _discovered
    if not _discovered:
        list(domain_modules("indicators"))
        _discovered = True
    return REGISTRY


def all_indicators() -> list[Indicator]:
    discover()
    return sorted(REGISTRY.values(), key=lambda i: (i.group, i.order, i.code))


def get(code: str) -> Indicator | None:
    discover()
    return REGISTRY.get(code)
