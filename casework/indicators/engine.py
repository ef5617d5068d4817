"""Computing indicators: values with a handful of aggregate queries, and the records behind each value."""
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from casework.extensions import db
from casework.core.indicators import BY_KEY, COUNT, DECIMAL, all_indicators, get


def _decimal(value) -> float:
    return float(Decimal(str(value or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _keys(ind) -> list[str]:
    return list(ind.keys()) if ind.keys else []


def _identity(rows) -> tuple:
    """What makes two indicators' queries the same query: the statement's structure and its values (SQLAlchemy's
    cache key with the bound values). Indicators over the same records (the visits counted and their hours) then
    read those records once."""
    key = rows._generate_cache_key()
    if key is None:  # a construct SQLAlchemy cannot key: never shared
        return (id(rows),)
    return (key.key, tuple(repr(b.effective_value) for b in key.bindparams))


def _plan(scalars, period) -> tuple[list, list]:
    """(plain, keyed) statements of the count/decimal indicators:
    plain [(rows Select, [indicators])]: indicators grouped by identical queries (counted and summed together);
    keyed [(base Select, [(indicator, key or None)])]: count indicators that are one key of a keyed query
    (`core.indicators.key_of`), with any plain count over that same query (None: all its keys), read from one
    GROUP BY of the base."""
    plain: dict = {}
    keyed: dict = {}
    for ind in scalars:
        spec = getattr(ind.rows, "keyed", None)
        if spec is not None and ind.kind == COUNT:
            base = spec[0](period)
            keyed.setdefault(_identity(base), (base, []))[1].append((ind, spec[1]))
        else:
            rows = ind.rows(period)
            plain.setdefault(_identity(rows), (rows, []))[1].append(ind)
    for identity, (_rows, members) in list(plain.items()):
        if identity in keyed and all(m.kind == COUNT for m in members):
            keyed[identity][1].extend((m, None) for m in members)
            del plain[identity]
    return list(plain.values()), list(keyed.values())


def compute(period, codes=None) -> dict:
    """{code: value} for the period: one statement per distinct query of the count/decimal indicators (indicators
    over the same records, like the visits counted and their hours, read them once: counted and summed together;
    the keys of one keyed query, like the families ended by reason, are counted in one GROUP BY), one GROUP BY
    query per object-by-key indicator. Query count is constant in the size of the data.

    Separate statements rather than one SELECT of ~50 scalar subqueries: at the city tier SQLite spent about a
    third more CPU on the single statement than on the same subqueries one by one, and PostgreSQL no longer plans
    one very large statement (bench/RESULTS.md, the indicator set cold)."""
    inds = [i for i in all_indicators() if codes is None or i.code in codes]
    scalars = [i for i in inds if i.kind in (COUNT, DECIMAL)]
    values: dict = {}
    plain, keyed = _plan(scalars, period)
    for rows, members in plain:
        sub = rows.subquery()
        kinds = [k for k in (COUNT, DECIMAL) if any(m.kind == k for m in members)]
        aggregates = [func.count() if k == COUNT else func.coalesce(func.sum(sub.c.amount), 0) for k in kinds]
        result = dict(zip(kinds, db.session.execute(select(*aggregates).select_from(sub)).one()))
        for ind in members:
            value = result[ind.kind]
            values[ind.code] = _decimal(value) if ind.kind == DECIMAL else int(value or 0)
    for base, members in keyed:
        sub = base.subquery()
        counts = {key: int(n) for key, n in db.session.execute(select(sub.c.key, func.count()).group_by(sub.c.key))}
        for ind, key in members:
            values[ind.code] = sum(counts.values()) if key is None else counts.get(key, 0)
    for ind in (i for i in inds if i.kind == BY_KEY):
        sub = ind.rows(period).subquery()
        has_amount = "amount" in sub.c
        agg = func.coalesce(func.sum(sub.c.amount), 0) if has_amount else func.count()
        obj = {k: (0.0 if has_amount else 0) for k in _keys(ind)}
        for key, value in db.session.execute(select(sub.c.key, agg).group_by(sub.c.key).order_by(sub.c.key)):
            obj[str(key)] = _decimal(value) if has_amount else int(value)
        values[ind.code] = obj
    return {code: values[code] for code in (i.code for i in inds)}


def as_json(period, codes=None) -> dict:
    """The object of INDICATORS.md: {"period": {"from", "to"}, "indicators": {CODE: value}}."""
    return {"period": period.as_dict(), "indicators": compute(period, codes)}


def records(code: str, period, *, limit: int | None = None, offset: int = 0) -> list[dict]:
    """The records behind an indicator's value (the same query the value aggregates)."""
    ind = get(code)
    if ind is None:
        raise KeyError(code)
    sub = ind.rows(period).subquery()
    cols = [sub.c.id, sub.c.label]
    extra = [name for name in ("family_id", "key", "amount") if name in sub.c]
    cols += [sub.c[name] for name in extra]
    stmt = select(*cols).order_by(sub.c.label, sub.c.id)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    out = []
    for row in db.session.execute(stmt):
        item = {"id": row.id, "label": row.label}
        for name in extra:
            value = getattr(row, name)
            item[name] = _decimal(value) if name == "amount" else value
        out.append(item)
    return out


def record_ids(code: str, period) -> list:
    ind = get(code)
    sub = ind.rows(period).subquery()
    cols = [sub.c.id] + ([sub.c.key] if ind.kind == BY_KEY else [])
    rows = db.session.execute(select(*cols).order_by(sub.c.id)).all()
    return [list(r) if len(r) > 1 else r[0] for r in rows]


def count_records(code: str, period) -> int:
    ind = get(code)
    sub = ind.rows(period).subquery()
    return db.session.scalar(select(func.count()).select_from(sub))

