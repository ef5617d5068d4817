"""Indicators and year-end reports: the engine, views and exports over the registry in casework.core.indicators.

Adding indicators for a domain (visits, plans, blue card, foster care…) needs no change here:

1. create ``casework/<domain>/indicators.py`` (discovered with ``casework.core.modules.domain_modules("indicators")``);
2. for each code of INDICATORS.md write ONE function ``rows(period) -> Select`` returning one row per record
   behind the number, with columns ``id``, ``label`` and, where it applies, ``family_id`` (links), ``amount``
   (decimal indicators: hours, money) or ``key`` (object-by-key indicators, e.g. institution type code);
3. decorate it with ``@indicator(CODE, label_pl, label_en, legal_basis=…, definition=…, definition_pl=…,
   kind=COUNT|DECIMAL|BY_KEY, record_type=…, group=…, order=…, keys=…)`` from ``casework.core.indicators``;
4. optionally add data-quality checks with ``@check(code, label_pl, label_en)`` from
   ``casework.core.quality`` (same ``rows`` shape: records to fix).

The engine aggregates that same query in the database (count / sum / count or sum per key), so the drill-down
list is the counted set; all count and decimal indicators of a period are computed in one SELECT of scalar
subqueries, plus one GROUP BY query per object-by-key indicator. Helpers for dialect-neutral date logic
(overlaps, under 18 on some day, calendar-month lengths) are in ``casework.core.sql``.
"""
